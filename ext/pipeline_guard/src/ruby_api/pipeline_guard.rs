//! `PipelineGuard` module functions: `clock` and `clock=` (see
//! `helpers/clock.rs` for what each setting reads).
use magnus::{function, prelude::*, Error, RModule, Ruby, Symbol, Value};

use crate::helpers::clock;

/// `PipelineGuard.clock`: `:ruby` or `:system`.
fn clock(ruby: &Ruby) -> Symbol {
    ruby.to_symbol(if clock::system() { "system" } else { "ruby" })
}

/// `PipelineGuard.clock = :ruby | :system`; anything else is an
/// ArgumentError (and leaves the clock as it was).
fn set_clock(ruby: &Ruby, value: Value) -> Result<Value, Error> {
    let name = Symbol::from_value(value).and_then(|s| s.name().ok());
    let system = match name.as_deref() {
        Some("ruby") => false,
        Some("system") => true,
        _ => {
            let shown: String = value
                .funcall("inspect", ())
                .unwrap_or_else(|_| "an uninspectable object".to_owned());
            return Err(Error::new(
                ruby.exception_arg_error(),
                format!("PipelineGuard.clock must be :ruby or :system, not {shown}"),
            ));
        }
    };
    clock::set_system(system);
    Ok(value)
}

pub fn init(_ruby: &Ruby, root: RModule) -> Result<(), Error> {
    root.define_module_function("clock", function!(clock, 0))?;
    root.define_module_function("clock=", function!(set_clock, 1))?;
    Ok(())
}
