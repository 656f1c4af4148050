//! Results written straight into a new Ruby String, allocated once at its
//! final size: no intermediate Rust buffer, no second copy, and for large
//! results no second fresh allocation to page-fault in.
use magnus::{rb_sys::AsRawValue, RString, Ruby};
use zeroize::Zeroize;

use crate::helpers::nogvl::without_gvl;

/// Results at least this large are filled without the GVL.
pub const LARGE: usize = 256 * 1024;

/// A new binary String of capacity `capa`, whose bytes `fill` writes; it
/// returns how many it wrote (at most `capa`). `fill` runs without the GVL
/// when `capa >= LARGE`: the String is not reachable from Ruby yet, so no
/// other thread can touch it, but `fill` must not read any other Ruby
/// object (copy inputs into the buffer with `prefill` first, GVL held). On
/// an error the buffer is wiped (it may hold plaintext) and left empty.
pub fn filled<E: Send>(
    ruby: &Ruby,
    capa: usize,
    prefill: impl FnOnce(&mut [u8]),
    fill: impl FnOnce(&mut [u8]) -> Result<usize, E> + Send,
) -> Result<RString, E> {
    filled_with(ruby, capa, |buf| {
        prefill(buf);
        if capa >= LARGE {
            without_gvl(|| fill(buf))
        } else {
            fill(buf)
        }
    })
}

/// [`filled`] for inputs already copied out of Ruby: `fill` always runs
/// without the GVL and must not touch any Ruby object.
pub fn filled_without_gvl<E: Send>(
    ruby: &Ruby,
    capa: usize,
    fill: impl FnOnce(&mut [u8]) -> Result<usize, E> + Send,
) -> Result<RString, E> {
    filled_with(ruby, capa, |buf| without_gvl(|| fill(buf)))
}

/// [`filled`] with the GVL held throughout: `fill` may read Ruby Strings.
pub fn filled_with<E>(
    ruby: &Ruby,
    capa: usize,
    fill: impl FnOnce(&mut [u8]) -> Result<usize, E>,
) -> Result<RString, E> {
    let out = ruby.str_buf_new(capa);
    let raw = out.as_raw();
    // SAFETY: `out` is a new String with room for `capa` bytes, held on
    // this stack frame (so the GC keeps it, and its heap buffer does not
    // move); nothing else holds it until it is returned. The slice is
    // dropped before the length is set.
    let len = unsafe {
        let buf = std::slice::from_raw_parts_mut(rb_sys::RSTRING_PTR(raw) as *mut u8, capa);
        match fill(buf) {
            Ok(len) => len.min(capa),
            Err(e) => {
                buf.zeroize();
                return Err(e);
            }
        }
    };
    // SAFETY: `len <= capa`, and the first `len` bytes were written.
    unsafe { rb_sys::rb_str_set_len(raw, len as _) };
    Ok(out)
}
