//! Running CPU-bound work without the GVL so other Ruby threads proceed.
//! The closure must not touch any Ruby object; callers copy or pin inputs
//! first. A panic inside is carried back and re-raised with the GVL held.
//!
//! Interrupts (`Thread#raise`, `Timeout`, signals) must never unwind through
//! these frames: Ruby delivers them with `longjmp`, which skips Rust
//! destructors, so the inputs and results the caller owns would leak and
//! plaintext copies would never be wiped. `rb_thread_call_without_gvl`
//! checks interrupts right after the function returns (and before it
//! starts), so it is not used. `rb_thread_call_without_gvl2` checks neither:
//! a pending interrupt stays pending and fires at Ruby's next check point,
//! once the native method has returned and every Rust value is dropped.
use std::ffi::c_void;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::ptr::null_mut;

struct Call<F, R> {
    f: Option<F>,
    out: Option<std::thread::Result<R>>,
}

impl<F: FnOnce() -> R, R> Call<F, R> {
    fn run(&mut self) {
        if let Some(f) = self.f.take() {
            self.out = Some(catch_unwind(AssertUnwindSafe(f)));
        }
    }
}

unsafe extern "C" fn trampoline<F: FnOnce() -> R, R>(data: *mut c_void) -> *mut c_void {
    // SAFETY: `data` is the `Call` owned by `without_gvl`'s frame, which
    // outlives this call; only this thread touches it meanwhile.
    let call = unsafe { &mut *(data as *mut Call<F, R>) };
    call.run();
    null_mut()
}

pub fn without_gvl<F: FnOnce() -> R + Send, R: Send>(f: F) -> R {
    let mut call = Call {
        f: Some(f),
        out: None,
    };
    // SAFETY: the trampoline only runs Rust code that does not use the Ruby
    // API. No unblocking function is given, so once started the call runs
    // to completion; `_gvl2` returns without raising in every case.
    unsafe {
        rb_sys::rb_thread_call_without_gvl2(
            Some(trampoline::<F, R>),
            &mut call as *mut Call<F, R> as *mut c_void,
            None,
            null_mut(),
        );
    }
    // `_gvl2` skips the function when an interrupt was already pending (for
    // example one deferred by `Thread.handle_interrupt`): do the work with
    // the GVL held instead; the interrupt still fires after we return.
    call.run();
    match call.out {
        Some(Ok(value)) => value,
        Some(Err(panic)) => resume_unwind(panic),
        None => unreachable!("Call::run always stores a result"),
    }
}
