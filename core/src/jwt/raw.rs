//! Verification that never builds claim Maps: header and payload are
//! checked with a non-allocating pass over their JSON (same strictness as
//! parsing into `serde_json::Value`: UTF-8, escapes, number ranges, unique
//! top-level names, bounded depth), keeping only the members the header
//! rules and claim rules read. The verified JSON bytes are returned, so a
//! binding can build its own objects from them in one pass.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::algorithm::Algorithm;
use super::b64;
use super::claims::{validate_claims, validate_with, ClaimLookup, ClaimRules, JtiCheck};
use super::compact::{check_header_with, split_parts};
use super::error::JwtError;
use super::json::{
    nesting_depth_exceeds, object_error, parse_object, ObjectError, DUPLICATE_MEMBER,
    MAX_JSON_DEPTH,
};
use super::jwks::Jwks;
use super::keys::VerifyingKey;
use super::signature::verify_signature;

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

/// Members the header rules read.
const HEADER_MEMBERS: [&str; 3] = ["alg", "kid", "crit"];
/// Members the claim rules read (presence of others is tracked by name).
const CLAIM_MEMBERS: [&str; 7] = ["exp", "nbf", "iat", "iss", "aud", "sub", "jti"];

/// Top-level names seen so far: a short list, a set once there are many.
enum Seen<'de> {
    Few(Vec<Cow<'de, str>>),
    Many(HashSet<Cow<'de, str>>),
}

impl<'de> Seen<'de> {
    const FEW: usize = 16;

    fn contains(&self, name: &str) -> bool {
        match self {
            Seen::Few(list) => list.iter().any(|n| n == name),
            Seen::Many(set) => set.contains(name),
        }
    }

    /// Adds `name`; false if it was already there.
    fn insert(&mut self, name: Cow<'de, str>) -> bool {
        if self.contains(&name) {
            return false;
        }
        match self {
            Seen::Few(list) if list.len() < Self::FEW => list.push(name),
            Seen::Few(list) => {
                let mut set: HashSet<Cow<'de, str>> = list.drain(..).collect();
                set.insert(name);
                *self = Seen::Many(set);
            }
            Seen::Many(set) => {
                set.insert(name);
            }
        }
        true
    }
}

/// The members of one JSON object that a check needs, plus every name.
pub(crate) struct ObjectView<'de> {
    captured: Vec<(&'static str, Value)>,
    seen: Seen<'de>,
}

impl ClaimLookup for ObjectView<'_> {
    fn get(&self, name: &str) -> Option<&Value> {
        self.captured
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }

    fn contains_key(&self, name: &str) -> bool {
        self.seen.contains(name)
    }

    fn full(&self) -> Option<&Map<String, Value>> {
        None
    }
}

impl ObjectView<'_> {
    /// The `kid` header, when it is a string.
    pub(crate) fn kid(&self) -> Option<&str> {
        self.get("kid").and_then(Value::as_str)
    }
}

/// A member name, borrowed from the input unless it contains escapes.
struct Name<'de>(Cow<'de, str>);

/// Seed reading a [`Name`].
struct NameSeed;

impl<'de> DeserializeSeed<'de> for NameSeed {
    type Value = Name<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Name<'de>, D::Error> {
        struct NameVisitor;
        impl<'de> Visitor<'de> for NameVisitor {
            type Value = Name<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(NameVisitor)
    }
}

/// Reads any JSON value and drops it, accepting exactly what parsing into
/// `serde_json::Value` accepts.
struct Skip;

impl<'de> DeserializeSeed<'de> for Skip {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(Skip)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Skip)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key_seed(Skip)?.is_some() {
            map.next_value_seed(Skip)?;
        }
        Ok(())
    }
}

/// Reads a top-level object, keeping the values of `wanted` names.
struct ViewVisitor {
    wanted: &'static [&'static str],
}

impl<'de> Visitor<'de> for ViewVisitor {
    type Value = ObjectView<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<ObjectView<'de>, A::Error> {
        let mut view = ObjectView {
            captured: Vec::new(),
            seen: Seen::Few(Vec::new()),
        };
        while let Some(Name(name)) = access.next_key_seed(NameSeed)? {
            let slot = self.wanted.iter().find(|w| **w == name);
            let value = match slot {
                Some(_) => Some(access.next_value::<Value>()?),
                None => {
                    access.next_value_seed(Skip)?;
                    None
                }
            };
            if let (Some(slot), Some(value)) = (slot, value) {
                if !view.seen.contains(&name) {
                    view.captured.push((slot, value));
                }
            }
            if !view.seen.insert(name) {
                return Err(serde::de::Error::custom(DUPLICATE_MEMBER));
            }
        }
        Ok(view)
    }
}

/// [`parse_object`](super::json::parse_object) without building the object.
pub(crate) fn view_object<'de>(
    bytes: &'de [u8],
    wanted: &'static [&'static str],
) -> Result<ObjectView<'de>, ObjectError> {
    if nesting_depth_exceeds(bytes, MAX_JSON_DEPTH) {
        return Err(ObjectError::TooDeep);
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let view = de
        .deserialize_map(ViewVisitor { wanted })
        .and_then(|view| de.end().map(|()| view));
    match view {
        Ok(view) => Ok(view),
        Err(err) if err.is_data() && err.to_string().starts_with(DUPLICATE_MEMBER) => {
            Err(ObjectError::Duplicate)
        }
        Err(err) if err.is_data() => Err(ObjectError::NotAnObject),
        Err(_) => Err(ObjectError::Invalid),
    }
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
    match super::compact::decode_unverified_with_limit(token, max_token_bytes) {
        Err(err) => err,
        Ok(_) => JwtError::decode("Invalid segment encoding"),
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

/// [`verify_with_keys`](super::verify_with_keys) with the same checks,
/// order and errors, returning the verified JSON instead of Maps.
pub fn verify_with_keys_json(
    token: &str,
    keys: &[&VerifyingKey],
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
    let (alg, _header, claims) = views(&parts, rules)?;
    if !algorithms.contains(&alg) {
        return Err(JwtError::IncorrectAlgorithm(
            "Expected a different algorithm".to_owned(),
        ));
    }
    if keys.is_empty() {
        return Err(JwtError::decode("No verification key available"));
    }
    let mut mismatch = None;
    let mut verified = false;
    for key in keys {
        if let Err(err) = key.check_algorithm(alg) {
            mismatch.get_or_insert(err);
            continue;
        }
        if verify_signature(alg, key, parts.signing_input.as_bytes(), &parts.signature).is_ok() {
            verified = true;
            break;
        }
        mismatch = Some(JwtError::signature_failed());
    }
    if !verified {
        return Err(mismatch.unwrap_or_else(JwtError::signature_failed));
    }
    claims_ok(&parts.payload, &claims, rules, now)?;
    drop(claims);
    Ok(VerifiedJson {
        header: parts.header,
        payload: parts.payload,
        alg,
    })
}

/// [`Verifier::verify_with_header`](super::Verifier::verify_with_header)
/// returning the verified JSON instead of Maps.
pub(crate) fn verifier_json(
    keys: &Jwks,
    algorithms: &[Algorithm],
    rules: &ClaimRules,
    max_token_bytes: usize,
    token: &str,
    now: f64,
) -> Result<VerifiedJson, JwtError> {
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
    let key = keys.select(header.kid(), alg)?;
    verify_signature(alg, key, parts.signing_input.as_bytes(), &parts.signature)?;
    claims_ok(&parts.payload, &claims, rules, now)?;
    drop((header, claims));
    Ok(VerifiedJson {
        header: parts.header,
        payload: parts.payload,
        alg,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::compact::encode;
    use crate::jwt::keys::SigningKey;
    use crate::jwt::verify_with_keys;

    const NOW: f64 = 1_700_000_000.0;

    fn b64(s: &str) -> String {
        b64::encode(s.as_bytes())
    }

    /// Same result (Ok JSON equal to the Maps, or the same error) as the
    /// Map-building path, for good, hostile and malformed tokens.
    #[test]
    fn json_path_matches_map_path() {
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
                let old = verify_with_keys(token, &[&vk], &[Algorithm::HS256], &rules, NOW, 4096);
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
}
