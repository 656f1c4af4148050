//! Inputs of `OpenBao::JwtAuth` and its roles: JSON bodies, token text and
//! the login moment.
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use magnus::{Error, RArray, RString, Ruby, TryConvert, Value};
use serde_json::{Map, Value as Json};

use crate::helpers::errors::invalid_input;
use crate::helpers::json;
use crate::helpers::rstring;

/// The bytes of a Ruby string as (lossy) UTF-8 text.
pub fn text(s: &RString) -> String {
    rstring::to_lossy_string(*s)
}

/// The tokens of a `*_login_many` call, as text (TypeError for a non-String).
pub fn token_texts(jwts: RArray) -> Result<Vec<String>, Error> {
    jwts.into_iter()
        .map(|v| RString::try_convert(v).map(|s| text(&s)))
        .collect()
}

/// A Hash (or JSON text) that must be a JSON object.
pub fn json_object(ruby: &Ruby, body: Value, what: &str) -> Result<Map<String, Json>, Error> {
    match json::text_or_value(ruby, body)? {
        Ok(Json::Object(map)) => Ok(map),
        Ok(_) => Err(invalid_input(ruby, format!("{what} must be a JSON object"))),
        Err(e) => Err(invalid_input(ruby, format!("{what} is {}", e.0))),
    }
}

/// The login moment: `Time#to_i` and `Time#nsec` of the `now:` given, or
/// (secs nil) the clock's now.
pub fn login_moment(ruby: &Ruby, secs: Option<i64>, nsec: u32) -> Result<SystemTime, Error> {
    Ok(match secs {
        Some(secs) => moment(secs, nsec),
        None => {
            let (secs, nsec) = crate::helpers::clock::now_parts(ruby)?;
            moment(secs, nsec)
        }
    })
}

/// A login moment from Ruby's `Time#to_i` and `Time#nsec`.
pub fn moment(secs: i64, nsec: u32) -> SystemTime {
    let nanos = Duration::from_nanos(u64::from(nsec));
    if secs >= 0 {
        UNIX_EPOCH + Duration::from_secs(secs.unsigned_abs()) + nanos
    } else {
        UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs()) + nanos
    }
}
