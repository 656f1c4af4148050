//! The one token verification path. `JWT.decode`-style key lists and
//! [`Verifier`](super::Verifier) key sets both go through
//! [`verify_token`]: same decoding, header rules, algorithm allowlist, key
//! selection, signature check and claim rules, in the same order. The
//! Map-returning functions are thin wrappers over it, so whatever tests
//! exercise through them is what the binding ships.

use serde_json::{Map, Value};

use super::algorithm::Algorithm;
use super::b64;
use super::claims::{validate_claims, validate_with, ClaimRules, JtiCheck};
use super::compact::{check_header_with, decode_unverified_with_limit, split_parts};
use super::error::JwtError;
use super::json::{object_error, parse_object};
use super::jwks::Jwks;
use super::keys::VerifyingKey;
use super::signature::verify_signature;
use super::view::{view_object, ObjectView, CLAIM_MEMBERS, HEADER_MEMBERS};

/// A decoded JSON object (claims or header).
pub type JsonObject = Map<String, Value>;

/// A token whose signature and claims were verified: its header and payload
/// as JSON text (each a JSON object with unique top-level names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedJson {
    /// The decoded protected header.
    pub header: Vec<u8>,
    /// The decoded payload.
    pub payload: Vec<u8>,
    /// The header's `alg`.
    pub alg: Algorithm,
}

impl VerifiedJson {
    /// The verified `(claims, header)` as Maps.
    pub fn to_maps(&self) -> Result<(JsonObject, JsonObject), JwtError> {
        // Both were checked as unique-name objects already; a failure here
        // would be a bug, reported as the decoder would report it.
        let claims = parse_object(&self.payload).map_err(|e| object_error(e, "payload"))?;
        let header = parse_object(&self.header).map_err(|e| object_error(e, "header"))?;
        Ok((claims, header))
    }
}

/// Where the verification key comes from.
#[derive(Debug, Clone, Copy)]
pub enum KeyChoice<'k> {
    /// The `jwt` gem's order: every key that fits `alg` is tried in turn; if
    /// none fits, the first key's mismatch error (never a signature attempt
    /// with the wrong key type); if some fit but none verifies,
    /// `VerificationError`. No keys is `"No verification key available"`.
    List(&'k [&'k VerifyingKey]),
    /// One key chosen by `kid` (see [`Jwks::select`]), then verified.
    Set(&'k Jwks),
}

/// A token split, decoded and structurally checked, not yet verified.
struct Parts<'t> {
    signing_input: &'t str,
    header: Vec<u8>,
    payload: Vec<u8>,
    signature: Vec<u8>,
}

/// The checks of `decode_unverified_with_limit`, in its order, on views.
fn decode_parts(token: &str, max_token_bytes: usize) -> Result<Parts<'_>, JwtError> {
    if token.len() > max_token_bytes {
        return Err(JwtError::decode(format!(
            "Token is larger than {max_token_bytes} bytes"
        )));
    }
    let (header_b64, payload_b64, signature_b64) = split_parts(token)?;
    let signing_input = token
        .get(..header_b64.len() + 1 + payload_b64.len())
        .ok_or_else(|| JwtError::decode("Not enough or too many segments"))?;
    let header = b64::decode(header_b64, "header")?;
    let payload = b64::decode(payload_b64, "payload")?;
    let signature = b64::decode(signature_b64, "signature")?;
    Ok(Parts {
        signing_input,
        header,
        payload,
        signature,
    })
}

/// Header and payload views, with the errors `decode_unverified` gives and
/// in its order (header, then payload).
fn views<'p>(
    parts: &'p Parts<'_>,
    rules: &ClaimRules,
) -> Result<(Algorithm, ObjectView<'p>, ObjectView<'p>), JwtError> {
    let header =
        view_object(&parts.header, &HEADER_MEMBERS).map_err(|e| object_error(e, "header"))?;
    let alg = check_header_with(&header, rules.x5c_verified)?;
    let claims =
        view_object(&parts.payload, &CLAIM_MEMBERS).map_err(|e| object_error(e, "payload"))?;
    Ok((alg, header, claims))
}

/// The error the strict decoder reports for a token whose parts did not
/// all decode (base64 of a later part may fail after an earlier JSON error).
fn ordered_error(token: &str, max_token_bytes: usize) -> JwtError {
    match decode_unverified_with_limit(token, max_token_bytes) {
        Err(err) => err,
        Ok(_) => JwtError::decode("Invalid segment encoding"),
    }
}

/// Selects the key per `keys` and checks the signature with it.
fn check_signature(
    keys: KeyChoice<'_>,
    kid: Option<&str>,
    alg: Algorithm,
    signing_input: &[u8],
    signature: &[u8],
) -> Result<(), JwtError> {
    match keys {
        KeyChoice::Set(set) => {
            let key = set.select(kid, alg)?;
            verify_signature(alg, key, signing_input, signature)
        }
        KeyChoice::List(list) => {
            if list.is_empty() {
                return Err(JwtError::decode("No verification key available"));
            }
            let mut mismatch = None;
            for key in list {
                if let Err(err) = key.check_algorithm(alg) {
                    mismatch.get_or_insert(err);
                    continue;
                }
                if verify_signature(alg, key, signing_input, signature).is_ok() {
                    return Ok(());
                }
                mismatch = Some(JwtError::signature_failed());
            }
            Err(mismatch.unwrap_or_else(JwtError::signature_failed))
        }
    }
}

fn claims_ok(
    payload: &[u8],
    claims: &ObjectView<'_>,
    rules: &ClaimRules,
    now: f64,
) -> Result<(), JwtError> {
    if let JtiCheck::Validate(_) = rules.jti {
        // The callback sees every claim: build them.
        let all = parse_object(payload).map_err(|e| object_error(e, "payload"))?;
        return validate_claims(&all, rules, now);
    }
    validate_with(claims, rules, now)
}

/// Decodes and verifies `token`:
///
/// 1. an empty allowlist is `IncorrectAlgorithm("An algorithm must be specified")`;
/// 2. the token is decoded strictly (size limit, structure, header rules);
/// 3. its `alg` must be in `algorithms` (`"Expected a different algorithm"`);
/// 4. the key is chosen and the signature checked per [`KeyChoice`];
/// 5. the claims are validated with `rules` at `now`.
///
/// Returns the verified header and payload as JSON text.
pub fn verify_token(
    token: &str,
    keys: KeyChoice<'_>,
    algorithms: &[Algorithm],
    rules: &ClaimRules,
    now: f64,
    max_token_bytes: usize,
) -> Result<VerifiedJson, JwtError> {
    if algorithms.is_empty() {
        return Err(JwtError::IncorrectAlgorithm(
            "An algorithm must be specified".to_owned(),
        ));
    }
    let parts = match decode_parts(token, max_token_bytes) {
        Ok(parts) => parts,
        // Base64 of a later part may fail after an earlier JSON error:
        // re-run the strict decoder so the first failing step reports.
        Err(_) => return Err(ordered_error(token, max_token_bytes)),
    };
    let (alg, header, claims) = views(&parts, rules)?;
    if !algorithms.contains(&alg) {
        return Err(JwtError::IncorrectAlgorithm(
            "Expected a different algorithm".to_owned(),
        ));
    }
    check_signature(
        keys,
        header.kid(),
        alg,
        parts.signing_input.as_bytes(),
        &parts.signature,
    )?;
    claims_ok(&parts.payload, &claims, rules, now)?;
    drop((header, claims));
    Ok(VerifiedJson {
        header: parts.header,
        payload: parts.payload,
        alg,
    })
}

/// [`verify_token`] with a key list (the `jwt` gem's
/// `JWT.decode(token, key_or_keys, true, options)`), returning JSON text.
pub fn verify_with_keys_json(
    token: &str,
    keys: &[&VerifyingKey],
    algorithms: &[Algorithm],
    rules: &ClaimRules,
    now: f64,
    max_token_bytes: usize,
) -> Result<VerifiedJson, JwtError> {
    verify_token(
        token,
        KeyChoice::List(keys),
        algorithms,
        rules,
        now,
        max_token_bytes,
    )
}

/// [`verify_with_keys_json`] returning `(claims, header)` as Maps.
pub fn verify_with_keys(
    token: &str,
    keys: &[&VerifyingKey],
    algorithms: &[Algorithm],
    rules: &ClaimRules,
    now: f64,
    max_token_bytes: usize,
) -> Result<(JsonObject, JsonObject), JwtError> {
    verify_with_keys_json(token, keys, algorithms, rules, now, max_token_bytes)?.to_maps()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::compact::{encode, DEFAULT_MAX_TOKEN_BYTES};
    use crate::jwt::keys::{EcCurve, KeyType, SigningKey};
    use crate::jwt::ErrorKind;

    /// The strict Map decoder followed by the same key choice and claim
    /// rules: what [`verify_token`]'s in-place reading must agree with.
    fn reference(
        token: &str,
        keys: &[&VerifyingKey],
        algorithms: &[Algorithm],
        rules: &ClaimRules,
        now: f64,
        max_token_bytes: usize,
    ) -> Result<(JsonObject, JsonObject), JwtError> {
        if algorithms.is_empty() {
            return Err(JwtError::IncorrectAlgorithm(
                "An algorithm must be specified".to_owned(),
            ));
        }
        let decoded = decode_unverified_with_limit(token, max_token_bytes)?;
        if !algorithms.contains(&decoded.alg) {
            return Err(JwtError::IncorrectAlgorithm(
                "Expected a different algorithm".to_owned(),
            ));
        }
        check_signature(
            KeyChoice::List(keys),
            decoded.kid(),
            decoded.alg,
            decoded.signing_input.as_bytes(),
            &decoded.signature,
        )?;
        validate_claims(&decoded.claims, rules, now)?;
        Ok((decoded.claims, decoded.header))
    }

    const NOW: f64 = 1_700_000_000.0;

    fn b64(s: &str) -> String {
        b64::encode(s.as_bytes())
    }

    /// Same result (Ok JSON equal to the Maps, or the same error) as the
    /// strict Map decoder, for good, hostile and malformed tokens.
    #[test]
    fn in_place_reading_matches_the_strict_decoder() {
        let secret = [7u8; 32];
        let sk = SigningKey::hmac(&secret).unwrap();
        let vk = VerifyingKey::hmac(&secret).unwrap();
        let good = encode(
            &Map::new(),
            &serde_json::json!({"sub": "x", "exp": 1_700_000_100, "aud": ["a", "b"], "n": {"d": [1, 2.5, null, true]}}),
            Algorithm::HS256,
            &sk,
        )
        .unwrap();
        let sig = good.rsplit('.').next().unwrap().to_owned();
        let with = |header: &str, payload: &str| format!("{}.{}.{sig}", b64(header), b64(payload));
        let signed = |header: &str, payload: &str| {
            let input = format!("{}.{}", b64(header), b64(payload));
            let tag = crate::jwt::sign(Algorithm::HS256, &sk, input.as_bytes()).unwrap();
            format!("{input}.{}", b64::encode(tag))
        };
        let h = r#"{"alg":"HS256"}"#;
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(40), "]".repeat(40));
        let mut tokens = vec![
            good.clone(),
            format!("{good}x"),
            good.replacen('.', "", 1),
            format!("{good}.x"),
            with(h, r#"{"a":1,"a":2}"#),
            with(h, "[1]"),
            with(h, "{"),
            with(h, &deep),
            with(r#"{"alg":"HS256","alg":"HS256"}"#, "{}"),
            with(r#"{"alg":"none"}"#, "{}"),
            with(r#"{"alg":5}"#, "{}"),
            with(r#"{"typ":"JWT"}"#, "{}"),
            with(r#"{"alg":"HS256","jwk":{}}"#, "{}"),
            with(r#"{"alg":"HS256","crit":["b64"]}"#, "{}"),
            with(r#"{"alg":"HS256","crit":5}"#, "{}"),
            with(r#"{"alg":"HS256","kid":5}"#, "{}"),
            with(r#"{"alg":"RS256"}"#, "{}"),
            with(h, "{\"a\":\"\\ud800\"}"),
            with(h, r#"{"a":1e999}"#),
            format!("{}.{}.{sig}", b64("{bad"), "!!!"),
            format!("{}.{}.!!!", b64(h), b64("{bad")),
            signed(h, r#"{"exp":1}"#),
            signed(h, r#"{"exp":"1"}"#),
            signed(h, r#"{"nbf":1800000000}"#),
            signed(h, r#"{"iat":1800000000,"jti":" "}"#),
            signed(h, r#"{"iss":"other","aud":"z","sub":"q"}"#),
            signed(h, r#"{"a\u0062":1,"ab":2}"#),
            signed(h, r#"{"x":{"k":1,"k":2},"y":"\u00e9\n"}"#),
        ];
        tokens.push(signed(
            h,
            &format!(
                "{{{}}}",
                (0..40)
                    .map(|i| format!("\"k{i}\":{i}"))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        ));
        tokens.push(signed(
            h,
            &format!(
                "{{{},\"k3\":0}}",
                (0..40)
                    .map(|i| format!("\"k{i}\":{i}"))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        ));
        let strict = ClaimRules {
            verify_iat: true,
            issuer: Some("me".into()),
            audience: Some("a".into()),
            subject: Some("x".to_owned()),
            jti: JtiCheck::Present,
            required_claims: vec!["n".to_owned()],
            ..ClaimRules::default()
        };
        for rules in [ClaimRules::default(), strict] {
            for token in &tokens {
                let old = reference(token, &[&vk], &[Algorithm::HS256], &rules, NOW, 4096);
                let new =
                    verify_with_keys_json(token, &[&vk], &[Algorithm::HS256], &rules, NOW, 4096);
                match (old, new) {
                    (Ok((claims, header)), Ok(json)) => {
                        assert_eq!(
                            serde_json::from_slice::<Map<String, Value>>(&json.payload).unwrap(),
                            claims
                        );
                        assert_eq!(
                            serde_json::from_slice::<Map<String, Value>>(&json.header).unwrap(),
                            header
                        );
                    }
                    (Err(a), Err(b)) => assert_eq!(a, b, "{token}"),
                    (a, b) => panic!("{token}: {a:?} vs {b:?}"),
                }
            }
        }
    }

    fn token(key: &SigningKey, alg: Algorithm) -> String {
        let claims = serde_json::json!({"sub": "x", "exp": 1_700_000_100});
        encode(&Map::new(), &claims, alg, key).unwrap()
    }

    #[test]
    fn verify_with_keys_follows_the_gem_order() {
        let ec = SigningKey::generate(KeyType::Ec(EcCurve::P256)).unwrap();
        let other = SigningKey::generate(KeyType::Ec(EcCurve::P256)).unwrap();
        let hmac = VerifyingKey::hmac(&[1u8; 32]).unwrap();
        let ec_pub = ec.verifying_key().unwrap();
        let other_pub = other.verifying_key().unwrap();
        let t = token(&ec, Algorithm::ES256);
        let rules = ClaimRules::default();
        let run = |keys: &[&VerifyingKey], algs: &[Algorithm]| {
            verify_with_keys(&t, keys, algs, &rules, NOW, DEFAULT_MAX_TOKEN_BYTES)
        };
        let err = run(&[&ec_pub], &[]).unwrap_err();
        assert_eq!(err.to_string(), "An algorithm must be specified");
        let err = run(&[&ec_pub], &[Algorithm::RS256]).unwrap_err();
        assert_eq!(err.to_string(), "Expected a different algorithm");
        let err = run(&[], &[Algorithm::ES256]).unwrap_err();
        assert_eq!(err.to_string(), "No verification key available");
        let err = run(&[&hmac], &[Algorithm::ES256]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::IncorrectAlgorithm);
        let err = run(&[&hmac, &other_pub], &[Algorithm::ES256]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Verification);
        let (claims, header) = run(&[&hmac, &other_pub, &ec_pub], &[Algorithm::ES256]).unwrap();
        assert_eq!(claims["sub"], "x");
        assert_eq!(header["alg"], "ES256");
        let late = verify_with_keys(
            &t,
            &[&ec_pub],
            &[Algorithm::ES256],
            &rules,
            NOW + 200.0,
            DEFAULT_MAX_TOKEN_BYTES,
        );
        assert_eq!(late.unwrap_err().kind(), ErrorKind::ExpiredSignature);
    }
}
