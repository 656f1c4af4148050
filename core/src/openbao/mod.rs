//! What OpenBao itself emits, read as OpenBao writes it: audit entries.
pub mod audit;
