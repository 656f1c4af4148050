//! Turns a Rust panic into a Ruby `PipelineGuard::InternalError` instead of
//! letting magnus abort the process with `fatal` (which would kill a Puma
//! worker).
use std::panic::{catch_unwind, AssertUnwindSafe};

use magnus::{Error, Ruby};

use crate::helpers::errors::{error, Class};

pub fn guard<T>(ruby: &Ruby, f: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            let detail = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            Err(error(
                ruby,
                Class::InternalError,
                format!("internal error in pipeline_guard: {detail}"),
            ))
        }
    }
}
