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
