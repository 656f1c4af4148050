//! JSON Web Keys (RFC 7517/7518/8037): import, public export, and RFC 7638
//! thumbprints.

use aws_lc_rs::digest;
use aws_lc_rs::rsa::KeyPairComponents;
use aws_lc_rs::signature::{self, Ed25519KeyPair, RsaPublicKeyComponents};
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use super::hmac_key::{HmacKeyLength, HmacSecret};
use super::signing_material::SigningMaterial;
use super::verifying_material::{EcPublic, Ed25519Public, RsaPublic, VerifyingMaterial};
use super::{check_rsa_policy, EcCurve, KeyType};
use crate::jwt::algorithm::Algorithm;
use crate::jwt::b64;
use crate::jwt::error::JwtError;

fn object(jwk: &Value) -> Result<&Map<String, Value>, JwtError> {
    jwk.as_object()
        .ok_or_else(|| JwtError::jwk("JWK must be a JSON object"))
}

fn string_member<'a>(jwk: &'a Map<String, Value>, name: &str) -> Result<&'a str, JwtError> {
    match jwk.get(name) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(JwtError::jwk(format!(
            "JWK member \"{name}\" must be a string"
        ))),
        None => Err(JwtError::jwk(format!("JWK is missing \"{name}\""))),
    }
}

/// A base64url member decoded into a zeroize-on-drop buffer.
fn bytes_member(jwk: &Map<String, Value>, name: &str) -> Result<Zeroizing<Vec<u8>>, JwtError> {
    let text = string_member(jwk, name)?;
    b64::decode(text, name)
        .map(Zeroizing::new)
        .map_err(|_| JwtError::jwk(format!("JWK member \"{name}\" is not base64url")))
}

/// Coordinates and scalars must be exactly the curve's size (RFC 7518 §6.2.1.2).
fn fixed_len(
    jwk: &Map<String, Value>,
    name: &str,
    len: usize,
) -> Result<Zeroizing<Vec<u8>>, JwtError> {
    let bytes = bytes_member(jwk, name)?;
    if bytes.len() != len {
        return Err(JwtError::jwk(format!(
            "JWK member \"{name}\" must be {len} bytes"
        )));
    }
    Ok(bytes)
}

fn curve(jwk: &Map<String, Value>) -> Result<EcCurve, JwtError> {
    let name = string_member(jwk, "crv")?;
    EcCurve::from_jwk_name(name).ok_or_else(|| JwtError::jwk("Unsupported EC curve"))
}

fn kty(jwk: &Map<String, Value>) -> Result<&str, JwtError> {
    string_member(jwk, "kty")
}

/// Optional `kid`, `alg` and `use` of a JWK.
struct Metadata {
    kid: Option<String>,
    alg: Option<Algorithm>,
}

fn metadata(jwk: &Map<String, Value>) -> Result<Metadata, JwtError> {
    let kid = match jwk.get("kid") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(JwtError::jwk("JWK member \"kid\" must be a string")),
    };
    let alg = match jwk.get("alg") {
        None => None,
        Some(Value::String(s)) => Some(
            Algorithm::from_name(s)
                .map_err(|_| JwtError::jwk("JWK \"alg\" is not a supported JWS algorithm"))?,
        ),
        Some(_) => return Err(JwtError::jwk("JWK member \"alg\" must be a string")),
    };
    match jwk.get("use") {
        None => {}
        Some(Value::String(u)) if u == "sig" => {}
        Some(_) => {
            return Err(JwtError::jwk(
                "JWK \"use\" must be \"sig\" for signature keys",
            ))
        }
    }
    Ok(Metadata { kid, alg })
}

/// A verification JWK read: its key material and its optional `kid`/`alg`.
pub(crate) struct VerifyingParts {
    pub(crate) material: VerifyingMaterial,
    pub(crate) kid: Option<String>,
    pub(crate) alg: Option<Algorithm>,
}

pub(crate) fn verifying_parts_from_jwk(
    jwk: &Value,
    hmac_policy: HmacKeyLength,
) -> Result<VerifyingParts, JwtError> {
    let jwk = object(jwk)?;
    let meta = metadata(jwk)?;
    let material = match kty(jwk)? {
        "RSA" => {
            let n = bytes_member(jwk, "n")?;
            let e = bytes_member(jwk, "e")?;
            VerifyingMaterial::Rsa(RsaPublic::from_components(&n, &e)?)
        }
        "EC" => {
            let curve = curve(jwk)?;
            VerifyingMaterial::Ec(EcPublic::from_point(curve, &ec_point(jwk, curve)?)?)
        }
        "OKP" => {
            okp_curve(jwk)?;
            VerifyingMaterial::Ed25519(Ed25519Public::from_bytes(&fixed_len(jwk, "x", 32)?)?)
        }
        "oct" => VerifyingMaterial::Hmac(HmacSecret::new(&bytes_member(jwk, "k")?, hmac_policy)?),
        _ => return Err(JwtError::jwk("Unsupported JWK key type")),
    };
    Ok(VerifyingParts {
        material,
        kid: meta.kid,
        alg: meta.alg,
    })
}

fn okp_curve(jwk: &Map<String, Value>) -> Result<(), JwtError> {
    if string_member(jwk, "crv")? == "Ed25519" {
        Ok(())
    } else {
        Err(JwtError::jwk("Unsupported OKP curve (only Ed25519)"))
    }
}

fn ec_point(jwk: &Map<String, Value>, curve: EcCurve) -> Result<Vec<u8>, JwtError> {
    let len = curve.coordinate_len();
    let x = fixed_len(jwk, "x", len)?;
    let y = fixed_len(jwk, "y", len)?;
    let mut point = Vec::with_capacity(1 + 2 * len);
    point.push(4);
    point.extend_from_slice(&x);
    point.extend_from_slice(&y);
    Ok(point)
}

pub(crate) fn signing_material_from_jwk(
    jwk: &Value,
    hmac_policy: HmacKeyLength,
) -> Result<SigningMaterial, JwtError> {
    let jwk = object(jwk)?;
    metadata(jwk)?;
    match kty(jwk)? {
        "RSA" => {
            let parts: Vec<Zeroizing<Vec<u8>>> = ["n", "e", "d", "p", "q", "dp", "dq", "qi"]
                .iter()
                .map(|name| bytes_member(jwk, name))
                .collect::<Result<_, _>>()?;
            let [n, e, d, p, q, dp, dq, qi] = parts.as_slice() else {
                return Err(JwtError::jwk("Invalid RSA private JWK"));
            };
            let n = super::strip_leading_zeros(n);
            let e = super::strip_leading_zeros(e);
            check_rsa_policy(n, e)?;
            let components = KeyPairComponents {
                public_key: RsaPublicKeyComponents { n, e },
                d: d.as_slice(),
                p: p.as_slice(),
                q: q.as_slice(),
                dP: dp.as_slice(),
                dQ: dq.as_slice(),
                qInv: qi.as_slice(),
            };
            let pair = signature::RsaKeyPair::from_components(&components)
                .map_err(|_| JwtError::jwk("Invalid RSA private JWK"))?;
            SigningMaterial::rsa(pair)
        }
        "EC" => {
            let curve = curve(jwk)?;
            let point = ec_point(jwk, curve)?;
            let d = fixed_len(jwk, "d", curve.coordinate_len())?;
            let pair = signature::EcdsaKeyPair::from_private_key_and_public_key(
                SigningMaterial::ec_signing_alg(curve),
                &d,
                &point,
            )
            .map_err(|_| JwtError::jwk("Invalid EC private JWK"))?;
            SigningMaterial::ec(curve, pair)
        }
        "OKP" => {
            okp_curve(jwk)?;
            let d = fixed_len(jwk, "d", 32)?;
            let x = fixed_len(jwk, "x", 32)?;
            let pair = Ed25519KeyPair::from_seed_and_public_key(&d, &x)
                .map_err(|_| JwtError::jwk("Invalid Ed25519 private JWK"))?;
            Ok(SigningMaterial::Ed25519(pair))
        }
        "oct" => Ok(SigningMaterial::Hmac(HmacSecret::new(
            &bytes_member(jwk, "k")?,
            hmac_policy,
        )?)),
        _ => Err(JwtError::jwk("Unsupported JWK key type")),
    }
}

/// The RFC 7638 required members, already base64url-encoded, in
/// lexicographic order.
fn required_members(material: &VerifyingMaterial) -> Vec<(&'static str, String)> {
    match material {
        VerifyingMaterial::Rsa(rsa) => vec![
            ("e", b64::encode(&rsa.e)),
            ("kty", "RSA".to_owned()),
            ("n", b64::encode(&rsa.n)),
        ],
        VerifyingMaterial::Ec(ec) => {
            let (x, y) = ec.coordinates();
            vec![
                ("crv", ec.curve.jwk_name().to_owned()),
                ("kty", "EC".to_owned()),
                ("x", b64::encode(x)),
                ("y", b64::encode(y)),
            ]
        }
        VerifyingMaterial::Ed25519(ed) => vec![
            ("crv", "Ed25519".to_owned()),
            ("kty", "OKP".to_owned()),
            ("x", b64::encode(&ed.bytes)),
        ],
        VerifyingMaterial::Hmac(secret) => {
            vec![
                ("k", b64::encode(secret.bytes())),
                ("kty", "oct".to_owned()),
            ]
        }
    }
}

/// RFC 7638 thumbprint: SHA-256 over the canonical JSON of the required
/// members, base64url.
pub(crate) fn thumbprint(material: &VerifyingMaterial) -> String {
    // Members are base64url or fixed names, so no JSON escaping is needed;
    // the canonical form is a plain concatenation.
    let members = required_members(material);
    let mut canonical = Zeroizing::new(String::from("{"));
    for (i, (name, value)) in members.iter().enumerate() {
        if i > 0 {
            canonical.push(',');
        }
        canonical.push('"');
        canonical.push_str(name);
        canonical.push_str("\":\"");
        canonical.push_str(value);
        canonical.push('"');
    }
    canonical.push('}');
    b64::encode(digest::digest(&digest::SHA256, canonical.as_bytes()))
}

pub(crate) fn public_jwk(
    material: &VerifyingMaterial,
    kid: Option<&str>,
    alg: Option<Algorithm>,
) -> Result<Value, JwtError> {
    if matches!(material, VerifyingMaterial::Hmac(_)) {
        return Err(JwtError::jwk("HMAC keys have no public JWK form"));
    }
    let mut jwk = Map::new();
    let members = required_members(material);
    // kty first for readability, then the key members.
    for (name, value) in members.iter().filter(|(n, _)| *n == "kty") {
        jwk.insert((*name).to_owned(), Value::String(value.clone()));
    }
    for (name, value) in members.iter().filter(|(n, _)| *n != "kty") {
        jwk.insert((*name).to_owned(), Value::String(value.clone()));
    }
    if let Some(kid) = kid {
        jwk.insert("kid".to_owned(), Value::String(kid.to_owned()));
    }
    if let Some(alg) = alg {
        let key_type = match material {
            VerifyingMaterial::Rsa(_) => KeyType::Rsa,
            VerifyingMaterial::Ec(ec) => KeyType::Ec(ec.curve),
            VerifyingMaterial::Ed25519(_) => KeyType::Ed25519,
            VerifyingMaterial::Hmac(_) => KeyType::Hmac,
        };
        key_type.check(alg)?;
        jwk.insert("alg".to_owned(), Value::String(alg.name().to_owned()));
    }
    jwk.insert("use".to_owned(), Value::String("sig".to_owned()));
    Ok(Value::Object(jwk))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::keys::VerifyingKey;
    use crate::jwt::ErrorKind;
    use serde_json::json;

    #[test]
    fn rfc7638_example_thumbprint() {
        // RFC 7638 §3.1 example key and its published thumbprint.
        let jwk = json!({
            "kty": "RSA",
            "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
            "e": "AQAB",
            "alg": "RS256",
            "kid": "2011-04-29"
        });
        let key = VerifyingKey::from_jwk(&jwk).unwrap();
        assert_eq!(
            key.thumbprint(),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
        assert_eq!(key.kid(), Some("2011-04-29"));
        assert_eq!(key.declared_algorithm(), Some(Algorithm::RS256));
        let exported = key.to_public_jwk(None, None).unwrap();
        assert_eq!(exported["n"], jwk["n"]);
        assert_eq!(exported["e"], "AQAB");
        assert_eq!(exported["use"], "sig");
        assert_eq!(exported["kid"], "2011-04-29");
        assert!(VerifyingKey::from_jwk(&exported).is_ok());
    }

    #[test]
    fn rejects_bad_jwks() {
        for bad in [
            json!("x"),
            json!({"kty": "RSA", "n": "AQAB"}),
            json!({"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}),
            json!({"kty": "EC", "crv": "secp256k1", "x": "AA", "y": "AA"}),
            json!({"kty": "OKP", "crv": "X25519", "x": "AA"}),
            json!({"kty": "oct", "k": ""}),
            json!({"kty": "oct", "k": "c2VjcmV0", "use": "enc"}),
            json!({"kty": "oct", "k": "c2VjcmV0", "alg": "RS256"}),
            json!({"kty": "oct", "k": "c2VjcmV0", "alg": "none"}),
            json!({"kty": "DSA"}),
        ] {
            let err = VerifyingKey::from_jwk(&bad).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Jwk, "{bad}: {err}");
        }
    }
}
