//! Running CPU-bound work without the GVL so other Ruby threads proceed.
//! The closure must not touch any Ruby object; callers copy or pin inputs
//! first. A panic inside is carried back and re-raised with the GVL held.
use std::ffi::c_void;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::ptr::null_mut;

struct Call<F, R> {
    f: Option<F>,
    out: Option<std::thread::Result<R>>,
}

unsafe extern "C" fn trampoline<F: FnOnce() -> R, R>(data: *mut c_void) -> *mut c_void {
    // SAFETY: `data` is the `Call` owned by `without_gvl`'s frame, which
    // outlives this call; only this thread touches it meanwhile.
    let call = unsafe { &mut *(data as *mut Call<F, R>) };
    if let Some(f) = call.f.take() {
        call.out = Some(catch_unwind(AssertUnwindSafe(f)));
    }
    null_mut()
}

pub fn without_gvl<F: FnOnce() -> R + Send, R: Send>(f: F) -> R {
    let mut call = Call {
        f: Some(f),
        out: None,
    };
    // SAFETY: the trampoline only runs Rust code that does not use the Ruby
    // API; no unblocking function is given, so the call runs to completion.
    unsafe {
        rb_sys::rb_thread_call_without_gvl(
            Some(trampoline::<F, R>),
            &mut call as *mut Call<F, R> as *mut c_void,
            None,
            null_mut(),
        );
    }
    match call.out {
        Some(Ok(value)) => value,
        Some(Err(panic)) => resume_unwind(panic),
        None => resume_unwind(Box::new("GVL-free call did not run")),
    }
}
