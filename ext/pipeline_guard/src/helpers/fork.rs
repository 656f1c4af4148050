//! Tells the core about `fork` through `pthread_atfork`, so the nonce
//! stream can detect a forked child with an atomic load instead of a
//! `getpid` syscall on every encryption.

extern "C" fn in_child_after_fork() {
    pipeline_guard_core::crypto::random::note_fork();
}

pub fn install() {
    // SAFETY: registers a handler that only increments an atomic counter,
    // which is async-signal-safe as a fork child handler must be.
    let registered = unsafe { libc::pthread_atfork(None, None, Some(in_child_after_fork)) } == 0;
    if registered {
        pipeline_guard_core::crypto::random::install_fork_hook();
    }
}
