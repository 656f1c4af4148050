//! Compact JWS serialization (RFC 7515 §7.1): splitting and decoding a token
//! without checking its signature, and building signed tokens.
//!
//! Decoding is deliberately strict and bounded: a size cap, exactly three
//! parts, strict base64url, JSON objects with bounded nesting and unique
//! top-level names, a real algorithm (never `none`), no `crit` extensions,
//! and no header that would point at a key (`jwk`, `jku`, `x5u`, `x5c`):
//! keys come from the verifier's configuration only.

use serde_json::{Map, Value};

use super::algorithm::Algorithm;
use super::b64;
use super::claims::ClaimLookup;
use super::error::{JsonType, JwtError};
use super::json::{object_error, parse_object};
use super::keys::SigningKey;
use super::signature::sign;

/// Default upper bound on a token's length in bytes.
pub const DEFAULT_MAX_TOKEN_BYTES: usize = 64 * 1024;

/// Header parameters that would make the token name its own key. They are
/// never trusted nor fetched, so a token carrying one is refused outright.
const KEY_CARRYING_HEADERS: [&str; 4] = ["jwk", "jku", "x5u", "x5c"];

/// A token split and decoded, but NOT verified.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedToken<'a> {
    /// The protected header (a JSON object).
    pub header: Map<String, Value>,
    /// The payload (a JSON object).
    pub claims: Map<String, Value>,
    /// `BASE64URL(header) "." BASE64URL(payload)`, the bytes the signature covers.
    pub signing_input: &'a str,
    /// The raw signature bytes.
    pub signature: Vec<u8>,
    /// The header's `alg`, already parsed (never `none`).
    pub alg: Algorithm,
}

impl DecodedToken<'_> {
    /// The header's `kid`, if present (decoding guarantees it is a string).
    pub fn kid(&self) -> Option<&str> {
        self.header.get("kid").and_then(Value::as_str)
    }
}

/// Decodes `token` with the default size limit. Nothing is verified except
/// the structure; call [`verify_signature`](super::verify_signature) next.
pub fn decode_unverified(token: &str) -> Result<DecodedToken<'_>, JwtError> {
    decode_unverified_with_limit(token, DEFAULT_MAX_TOKEN_BYTES)
}

/// [`decode_unverified`] with an explicit token size limit in bytes.
pub fn decode_unverified_with_limit(
    token: &str,
    max_token_bytes: usize,
) -> Result<DecodedToken<'_>, JwtError> {
    if token.len() > max_token_bytes {
        return Err(JwtError::decode(format!(
            "Token is larger than {max_token_bytes} bytes"
        )));
    }
    let (header_b64, payload_b64, signature_b64) = split_parts(token)?;
    let signing_input = token
        .get(..header_b64.len() + 1 + payload_b64.len())
        .ok_or_else(|| JwtError::decode("Not enough or too many segments"))?;

    let header_bytes = b64::decode(header_b64, "header")?;
    let header = parse_object(&header_bytes).map_err(|e| object_error(e, "header"))?;
    let alg = check_header(&header)?;

    let payload_bytes = b64::decode(payload_b64, "payload")?;
    let claims = parse_object(&payload_bytes).map_err(|e| object_error(e, "payload"))?;
    let signature = b64::decode(signature_b64, "signature")?;

    Ok(DecodedToken {
        header,
        claims,
        signing_input,
        signature,
        alg,
    })
}

/// Splits into exactly three dot-separated parts.
pub(crate) fn split_parts(token: &str) -> Result<(&str, &str, &str), JwtError> {
    let mut parts = token.split('.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(h), Some(p), Some(s), None) => Ok((h, p, s)),
        _ => Err(JwtError::decode("Not enough or too many segments")),
    }
}

/// Applies the header rules and returns the parsed algorithm.
pub(crate) fn check_header<H: ClaimLookup + ?Sized>(header: &H) -> Result<Algorithm, JwtError> {
    check_header_with(header, false)
}

/// [`check_header`], letting an `x5c` header through when the caller has
/// verified that chain itself (`x5c_verified`).
pub(crate) fn check_header_with<H: ClaimLookup + ?Sized>(
    header: &H,
    x5c_verified: bool,
) -> Result<Algorithm, JwtError> {
    let alg = match header.get("alg") {
        None => {
            return Err(JwtError::IncorrectAlgorithm(
                "Token is missing alg header".to_owned(),
            ))
        }
        Some(Value::String(name)) => Algorithm::from_name(name)?,
        Some(_) => {
            return Err(JwtError::IncorrectAlgorithm(
                "Token alg header must be a string".to_owned(),
            ))
        }
    };
    for name in KEY_CARRYING_HEADERS {
        if header.contains_key(name) && !(x5c_verified && name == "x5c") {
            return Err(JwtError::decode(format!(
                "Header parameter \"{name}\" is not supported: keys are never taken from the token"
            )));
        }
    }
    if let Some(crit) = header.get("crit") {
        return Err(crit_error(crit));
    }
    if let Some(kid) = header.get("kid") {
        if !kid.is_string() {
            return Err(JwtError::decode("Token kid header must be a string"));
        }
    }
    Ok(alg)
}

/// No JWS extension is implemented, so any `crit` makes the token unusable
/// (RFC 7515 §4.1.11).
fn crit_error(crit: &Value) -> JwtError {
    match crit.as_array() {
        Some(names) if !names.is_empty() && names.iter().all(Value::is_string) => {
            let listed: Vec<&str> = names.iter().filter_map(Value::as_str).collect();
            JwtError::InvalidCrit(format!(
                "Unsupported critical headers: {}",
                listed.join(", ")
            ))
        }
        _ => JwtError::InvalidCrit("Crit header should be a non-empty array of strings".to_owned()),
    }
}

/// The registered time claims, which must be JSON numbers when present.
pub(crate) const NUMERIC_CLAIMS: [&str; 3] = ["exp", "nbf", "iat"];

/// Builds and signs a compact JWS, byte-identical to the `jwt` gem: the
/// header is `header_fields.merge("alg" => alg)` (fields keep their order,
/// an `alg` keeps its place, otherwise it comes last; no `typ` is added).
/// `claims` is any JSON value, as the gem signs Strings and Arrays too; an
/// object's `exp`/`nbf`/`iat`, when present, must be numbers
/// (`InvalidPayload` otherwise, as the gem does).
pub fn encode(
    header_fields: &Map<String, Value>,
    claims: &Value,
    alg: Algorithm,
    key: &SigningKey,
) -> Result<String, JwtError> {
    if let Some(claims_obj) = claims.as_object() {
        check_numeric_claims(claims_obj)?;
    }
    key.check_algorithm(alg)
        .map_err(|e| JwtError::Encode(e.to_string()))?;

    let mut header = header_fields.clone();
    header.insert("alg".to_owned(), Value::String(alg.name().to_owned()));
    encode_with_header(&header, claims, alg, key)
}

/// An unsecured JWS (`alg: "none"`, RFC 7515 §A.5) as the `jwt` gem
/// builds it when asked: header as in [`encode`], an empty signature,
/// `"header.payload."`. No verifying `decode` here ever accepts one.
pub fn encode_unsecured(
    header_fields: &Map<String, Value>,
    claims: &Value,
) -> Result<String, JwtError> {
    if let Some(claims_obj) = claims.as_object() {
        check_numeric_claims(claims_obj)?;
    }
    let mut header = header_fields.clone();
    header.insert("alg".to_owned(), Value::String("none".to_owned()));
    let header_json = serde_json::to_vec(&header)
        .map_err(|_| JwtError::Encode("Header could not be serialized".to_owned()))?;
    let claims_json = serde_json::to_vec(claims)
        .map_err(|_| JwtError::Encode("Payload could not be serialized".to_owned()))?;
    let mut token = b64::encode(header_json);
    token.push('.');
    b64::encode_into(claims_json, &mut token);
    token.push('.');
    Ok(token)
}

/// `exp`/`nbf`/`iat`, when present, must be numbers (`InvalidPayload`, with
/// the `jwt` gem's message).
pub fn check_numeric_claims(claims: &Map<String, Value>) -> Result<(), JwtError> {
    for name in NUMERIC_CLAIMS {
        if let Some(value) = claims.get(name) {
            if !value.is_number() {
                return Err(JwtError::NonNumericClaim {
                    claim: (*name).to_owned(),
                    found: JsonType::of(value),
                });
            }
        }
    }
    Ok(())
}

/// Serializes an already complete header and signs. The caller guarantees
/// that `header["alg"]` names `alg` and that the key fits.
pub(crate) fn encode_with_header(
    header: &Map<String, Value>,
    claims: &(impl serde::Serialize + ?Sized),
    alg: Algorithm,
    key: &SigningKey,
) -> Result<String, JwtError> {
    let header_json = serde_json::to_vec(header)
        .map_err(|_| JwtError::Encode("Header could not be serialized".to_owned()))?;
    let claims_json = serde_json::to_vec(claims)
        .map_err(|_| JwtError::Encode("Payload could not be serialized".to_owned()))?;
    let mut token = String::with_capacity((header_json.len() + claims_json.len()) * 4 / 3 + 700);
    b64::encode_into(&header_json, &mut token);
    token.push('.');
    b64::encode_into(&claims_json, &mut token);
    let signature = sign(alg, key, token.as_bytes())?;
    token.push('.');
    b64::encode_into(&signature, &mut token);
    Ok(token)
}
