//! Ruby binding for `pipeline_guard_core`. Thin by design: convert Ruby
//! values, call the core, map errors to Ruby classes, release the GVL for
//! batch work. `ruby_api/<area>/<class>.rs` holds one Ruby class each;
//! `helpers/` holds the plumbing they share.
use magnus::{Error, Ruby};

mod helpers;
mod ruby_api;

// Rust allocations count towards Ruby's GC pressure, reported per thread in
// batches (see helpers/allocator.rs).
#[global_allocator]
static ALLOCATOR: helpers::allocator::BatchedTrackingAllocator =
    helpers::allocator::BatchedTrackingAllocator;

#[magnus::init]
fn init(ruby: &Ruby) -> Result<(), Error> {
    // Every method may be called from any Ractor: the binding keeps no
    // unsynchronised global state, and the Ruby objects it caches (exception
    // classes, interned names, capability arrays) are frozen and shareable.
    // SAFETY: called with the GVL held, before any method is defined.
    unsafe { rb_sys::rb_ext_ractor_safe(true) };
    helpers::fork::install();
    ruby_api::init(ruby)
}
