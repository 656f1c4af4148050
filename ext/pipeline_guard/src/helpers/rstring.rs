//! Borrowing a Ruby String's bytes for the length of a closure only.
//!
//! A String's buffer may move or change at the next Ruby call (GC
//! compaction, another thread, code that mutates the String), so a borrowed
//! slice must not outlive the pure-Rust work it is lent to. Here the borrow
//! ends with the closure: the result type cannot hold it. The closures get
//! no `&Ruby` and must not call Ruby; errors are mapped after they return.
use magnus::RString;

/// Runs `f` on the bytes of `s`.
pub fn with_bytes<T>(s: RString, f: impl FnOnce(&[u8]) -> T) -> T {
    // SAFETY: the slice lives only while `f` runs, and `f` runs no Ruby
    // code; `s` is a live value on the caller's stack, so it stays alive.
    f(unsafe { s.as_slice() })
}

/// Runs `f` on `s` as UTF-8 text; `None` (and `f` not run) when it is not
/// valid UTF-8.
pub fn with_str<T>(s: RString, f: impl FnOnce(&str) -> T) -> Option<T> {
    with_bytes(s, |bytes| std::str::from_utf8(bytes).ok().map(f))
}

/// Runs `f` on `s` as text, invalid UTF-8 replaced by U+FFFD.
pub fn with_lossy_str<T>(s: RString, f: impl FnOnce(&str) -> T) -> T {
    with_bytes(s, |bytes| f(&String::from_utf8_lossy(bytes)))
}

/// A copy of the bytes of `s`.
pub fn to_vec(s: RString) -> Vec<u8> {
    with_bytes(s, <[u8]>::to_vec)
}

/// A copy of `s` as text, invalid UTF-8 replaced by U+FFFD.
pub fn to_lossy_string(s: RString) -> String {
    with_bytes(s, |bytes| String::from_utf8_lossy(bytes).into_owned())
}
