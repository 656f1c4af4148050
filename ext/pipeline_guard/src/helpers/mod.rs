//! Plumbing shared by the Ruby classes: error mapping, panics, the GVL,
//! fork, the clock, Ruby <-> JSON conversion and batch inputs.
pub mod allocator;
pub mod clock;
pub mod errors;
pub mod fork;
pub mod guard;
pub mod json;
pub mod nogvl;
pub mod packed;
pub mod rstring;
pub mod rstring_out;
pub mod ruby_inspect;
