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

use magnus::{prelude::*, rb_sys::AsRawValue, Error, Ruby, Value};

/// True after `PipelineGuard.clock = :system`.
static SYSTEM: AtomicBool = AtomicBool::new(false);

/// Now as Unix seconds with a fraction.
pub fn now(ruby: &Ruby) -> Result<f64, Error> {
    if system() {
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

/// Whether `PipelineGuard.clock` is `:system`.
pub fn system() -> bool {
    SYSTEM.load(Ordering::Relaxed)
}

/// Sets `PipelineGuard.clock`: `:system` when true, `:ruby` otherwise.
pub fn set_system(system: bool) {
    SYSTEM.store(system, Ordering::Relaxed);
}
