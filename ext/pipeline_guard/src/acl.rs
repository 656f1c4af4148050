//! Binding not written yet.
use magnus::{Error, RModule, Ruby};

pub fn init(_ruby: &Ruby, _root: RModule) -> Result<(), Error> {
    Ok(())
}
