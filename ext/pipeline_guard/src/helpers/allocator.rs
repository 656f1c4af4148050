//! The global allocator: the system allocator, with Rust allocations
//! reported to Ruby's GC (`rb_gc_adjust_memory_usage`) so memory held by
//! keyrings, ACLs and models counts towards GC pressure.
//!
//! Ruby keeps that figure in one process-wide counter updated with atomic
//! adds and a compare-and-swap loop. Reporting every allocation (as rb-sys's
//! `TrackingAllocator` does) makes batch work on the rayon pool fight over
//! that counter's cache line on each `malloc` and `free`, so parallel
//! batches ran no faster than a loop. Each thread here sums its changes
//! and reports them once they reach [`REPORT_BYTES`] either way: Ruby sees
//! the same totals, at most that much late per thread (a thread that exits
//! leaves its last unreported change, under [`REPORT_BYTES`], unreported).
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use rb_sys::tracking_allocator::TrackingAllocator;

/// Unreported change (in bytes, either sign) a thread may hold back.
pub const REPORT_BYTES: isize = 64 << 10;

thread_local! {
    // Const-initialised and without a destructor: usable from the
    // allocator, and on a thread that is shutting down.
    static PENDING: Cell<isize> = const { Cell::new(0) };
}

/// Adds `delta` to this thread's pending change; returns what to report
/// now (0 while the pending change stays below [`REPORT_BYTES`]).
pub fn take_report(pending: &Cell<isize>, delta: isize) -> isize {
    let total = pending.get().saturating_add(delta);
    if total.unsigned_abs() < REPORT_BYTES.unsigned_abs() {
        pending.set(total);
        0
    } else {
        pending.set(0);
        total
    }
}

fn record(delta: isize) {
    if delta == 0 {
        return;
    }
    let report = PENDING.try_with(|p| take_report(p, delta)).unwrap_or(delta);
    if report != 0 {
        TrackingAllocator::adjust_memory_usage(report);
    }
}

/// [`System`], reporting to Ruby's GC in per-thread batches.
pub struct BatchedTrackingAllocator;

// SAFETY: every call is forwarded unchanged to `System`; the bookkeeping
// neither allocates nor touches the returned memory.
unsafe impl GlobalAlloc for BatchedTrackingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        let ret = unsafe { System.alloc(layout) };
        if !ret.is_null() {
            record(layout.size() as isize);
        }
        ret
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ret = unsafe { System.alloc_zeroed(layout) };
        if !ret.is_null() {
            record(layout.size() as isize);
        }
        ret
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator, i.e. from `System`.
        unsafe { System.dealloc(ptr, layout) };
        record(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`.
        let ret = unsafe { System.realloc(ptr, layout, new_size) };
        if !ret.is_null() {
            record(new_size as isize - layout.size() as isize);
        }
        ret
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_changes_wait_and_large_ones_report() {
        let pending = Cell::new(0);
        assert_eq!(take_report(&pending, 100), 0);
        assert_eq!(take_report(&pending, -40), 0);
        assert_eq!(pending.get(), 60);
        assert_eq!(take_report(&pending, REPORT_BYTES), REPORT_BYTES + 60);
        assert_eq!(pending.get(), 0);
        assert_eq!(take_report(&pending, -REPORT_BYTES), -REPORT_BYTES);
        assert_eq!(take_report(&pending, 10), 0);
    }
}
