//! Ruby binding for `pipeline_guard_core`. Thin by design: convert Ruby
//! values, call the core, map errors to Ruby classes, release the GVL for
//! batch work. `ruby_api/<area>/<class>.rs` holds one Ruby class each;
//! `helpers/` holds the plumbing they share.
use magnus::{Error, Ruby};

mod helpers;
mod ruby_api;

#[magnus::init]
fn init(ruby: &Ruby) -> Result<(), Error> {
    helpers::fork::install();
    ruby_api::init(ruby)
}
