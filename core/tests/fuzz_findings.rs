//! Regression tests for inputs the fuzz targets (fuzz/) found. Each test
//! names the target that found it; the input is kept as small as it can be
//! while still failing on the code before the fix.

use pipeline_guard_core::jwt::VerifyingKey;
use serde_json::json;

/// A 2056-bit RSA modulus that is even (an impossible RSA modulus) with a
/// valid exponent.
const EVEN_MODULUS: &str = "orRRoH0KpfluRVZxUTVQUUqKW0YuvvcXCU-h_ugiJOY3-XRtP3yv0xh42AMltu9aFwD2WQO0aUKeidbqyIRQl7WrOTGJ25JRLtincRoSU_rNIPecFegkfz0-QuRuSMmOJUov6XZTPExPElm2c98RQnZ3GNWaqMj4RCvIZ8zmMBOebtIbehwN5NHMTb1yQUa8kvSwCCOobE6A-_48X4aApOXofomqNzib0kO2BKZeNrwX9evw-Ca2g8RJkIvWQl1oZaYFvSGmLy7obTZyuedRg2Pn4Xnl1AF2bwixOWsD3waRdElaaYoB9O5oC5aUw53MGb0U9H1tMLpz3ggKD90K51Q";

/// Found by `jwk`: a JWK with an even modulus was accepted, while the same
/// key as DER was refused, so `to_public_der` produced DER that
/// `from_public_der` rejects. Every key source must refuse it alike.
#[test]
fn jwk_with_even_rsa_modulus_is_refused() {
    let jwk = json!({ "kty": "RSA", "alg": "RS256", "e": "AQAB", "n": EVEN_MODULUS });
    let key = VerifyingKey::from_jwk(&jwk);
    assert!(key.is_err(), "even RSA modulus accepted from a JWK");
}

/// Found by `timestamps`: a leap second at the end of year 9999 (or an
/// offset) carried the instant into year 10000, which `format_rfc3339`
/// prints and `parse_timestamp` then refuses. Such instants are refused.
#[test]
fn timestamps_beyond_four_digit_years_are_refused() {
    use pipeline_guard_core::secrets::{format_rfc3339, parse_timestamp};
    for text in [
        "9999-12-31T23:59:60Z",
        "9999-12-31T23:00:00-02:00",
        "0000-01-01T00:00:00+01:00",
    ] {
        assert!(parse_timestamp(text).is_err(), "{text} accepted");
    }
    let last = parse_timestamp("9999-12-31T23:59:59Z").expect("last second");
    assert_eq!(format_rfc3339(last), "9999-12-31T23:59:59Z");
    let first = parse_timestamp("0000-01-01T00:00:00Z").expect("first second");
    assert_eq!(parse_timestamp(&format_rfc3339(first)), Ok(first));
}
