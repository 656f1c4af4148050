//! The one clock of the binding: every check that reads "now" by default
//! (JWT decode and Verifier, RBAC membership expiry, ACL rule expiration,
//! OpenBao logins, secrets-manager permissions) reads it here.
//!
//! `PipelineGuard.clock` is `:ruby` by default: `Time.now` is called, so a
//! replaced `Time.now` (Timecop, `travel_to`, RSpec stubs, prepended
//! modules) applies, whenever it was installed. `PipelineGuard.clock =
//! :system` opts in to reading the system clock natively (cheaper; test
//! clocks are then ignored). Callers read the clock once per call or batch.
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use magnus::{function, prelude::*, rb_sys::AsRawValue, Error, RModule, Ruby, Symbol, Value};

/// True after `PipelineGuard.clock = :system`.
static SYSTEM: AtomicBool = AtomicBool::new(false);

/// Now as Unix seconds with a fraction.
pub fn now(ruby: &Ruby) -> Result<f64, Error> {
    if SYSTEM.load(Ordering::Relaxed) {
        return Ok(system_now());
    }
    let now: Value = ruby.class_time().funcall("now", ())?;
    time_seconds(ruby, now)
}

/// Now as whole Unix seconds, rounded down (for `now < expires_at`).
pub fn now_floor(ruby: &Ruby) -> Result<i64, Error> {
    now(ruby).map(|t| saturate(t.floor()))
}

/// Now as whole Unix seconds, rounded up: `ceil(now) > t` exactly when
/// `now > t` for a whole second `t` (for "expired once now is after t").
pub fn now_ceil(ruby: &Ruby) -> Result<i64, Error> {
    now(ruby).map(|t| saturate(t.ceil()))
}

/// Now as `(seconds, nanoseconds)` since the epoch.
pub fn now_parts(ruby: &Ruby) -> Result<(i64, u32), Error> {
    let t = now(ruby)?;
    let secs = t.floor();
    // In 0..1e9 for any finite t; NaN becomes 0.
    let nanos = ((t - secs) * 1e9) as u32;
    Ok((saturate(secs), nanos.min(999_999_999)))
}

fn saturate(t: f64) -> i64 {
    // `as` saturates at the i64 range and maps NaN to 0.
    t as i64
}

fn system_now() -> f64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs_f64(),
        Err(before) => -before.duration().as_secs_f64(),
    }
}

/// A Time (read without a method call) or a Numeric as Unix seconds.
pub fn time_seconds(ruby: &Ruby, value: Value) -> Result<f64, Error> {
    if let Some(f) = magnus::Float::from_value(value) {
        return Ok(f.to_f64());
    }
    if value.is_kind_of(ruby.class_time()) {
        // SAFETY: `value` is a Time (or subclass); GVL held.
        let ts = unsafe { rb_sys::rb_time_timespec(value.as_raw()) };
        // Exactly `Time#to_f` (whole nanoseconds, then one division), so
        // an `iat` of `Time.now.to_f` is never a rounding step in the future.
        let nanos = i128::from(ts.tv_sec) * 1_000_000_000 + i128::from(ts.tv_nsec);
        return Ok(nanos as f64 / 1e9);
    }
    value.funcall("to_f", ())
}

/// `PipelineGuard.clock`: `:ruby` or `:system`.
fn clock(ruby: &Ruby) -> Symbol {
    ruby.to_symbol(if SYSTEM.load(Ordering::Relaxed) {
        "system"
    } else {
        "ruby"
    })
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
    SYSTEM.store(system, Ordering::Relaxed);
    Ok(value)
}

pub fn init(ruby: &Ruby, root: RModule) -> Result<(), Error> {
    let _ = ruby;
    root.define_module_function("clock", function!(clock, 0))?;
    root.define_module_function("clock=", function!(set_clock, 1))?;
    Ok(())
}
