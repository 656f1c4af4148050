//! The log entry body must describe this bundle: the same signature, the
//! same certificate or key, the same artifact digest or DSSE payload
//! (otherwise a valid entry for one artifact could vouch for another,
//! CVE-2022-36056). Kinds: Rekor v1's hashedrekord 0.0.1, dsse 0.0.1 and
//! intoto 0.0.2; Rekor v2's hashedrekord 0.0.2 (which also records DSSE
//! envelopes, by the digest of their PAE).
use serde_json::Value;

use super::error::{fail, SigstoreError};
use super::json_types::b64decode;
use super::keys::{sha256, Hash};

/// Who signed, as the entry body records it.
pub enum Signer<'a> {
    /// DER of the signing certificate.
    Certificate(&'a [u8]),
    /// SPKI DER of a managed key.
    Key(&'a [u8]),
}

impl Signer<'_> {
    /// Whether a base64-encoded PEM (as Rekor stores verifiers) names us.
    fn matches_b64_pem(&self, b64: &str) -> bool {
        let Some(pem_bytes) = b64decode(b64) else {
            return false;
        };
        let Ok(text) = std::str::from_utf8(&pem_bytes) else {
            return false;
        };
        let Ok(block) = pem::parse(text.trim()) else {
            return false;
        };
        match self {
            Signer::Certificate(der) => block.tag() == "CERTIFICATE" && block.contents() == *der,
            Signer::Key(der) => block.tag() == "PUBLIC KEY" && block.contents() == *der,
        }
    }
}

impl Signer<'_> {
    /// Whether a Rekor v2 `verifier` object names us.
    fn matches_v2_verifier(&self, verifier: &Value) -> bool {
        let raw = |path: &str| {
            verifier
                .pointer(path)
                .and_then(Value::as_str)
                .and_then(b64decode)
        };
        match self {
            Signer::Certificate(der) => raw("/x509Certificate/rawBytes").as_deref() == Some(*der),
            Signer::Key(der) => raw("/publicKey/rawBytes").as_deref() == Some(*der),
        }
    }
}

/// Rekor v2 names hashes as protobuf-specs' HashAlgorithm enum does.
fn v2_hash_name(hash: Hash) -> &'static str {
    match hash {
        Hash::Sha256 => "SHA2_256",
        Hash::Sha384 => "SHA2_384",
        Hash::Sha512 => "SHA2_512",
    }
}

/// Rekor v2 hashedrekord 0.0.2: `digest` (of the artifact, or of the DSSE
/// PAE) with `hash`, the signature and the verifier.
pub fn check_hashedrekord_v002(
    body: &[u8],
    signature: &[u8],
    signer: &Signer,
    hash: Hash,
    digest: &[u8],
) -> Result<(), SigstoreError> {
    let v = parse(body, "hashedrekord", "0.0.2")?;
    let Some(spec) = v.pointer("/spec/hashedRekordV002") else {
        return fail("transparency log entry body has no hashedRekordV002");
    };
    let logged_digest = str_at(spec, &["data", "digest"]).and_then(b64decode);
    if str_at(spec, &["data", "algorithm"]) != Some(v2_hash_name(hash))
        || logged_digest.as_deref() != Some(digest)
    {
        return fail("transparency log entry digest differs from the artifact's");
    }
    let sig = str_at(spec, &["signature", "content"]).and_then(b64decode);
    if sig.as_deref() != Some(signature) {
        return fail("transparency log entry signature differs from the bundle's");
    }
    if !spec
        .pointer("/signature/verifier")
        .is_some_and(|ver| signer.matches_v2_verifier(ver))
    {
        return fail("transparency log entry verifier differs from the bundle's");
    }
    Ok(())
}

fn str_at<'v>(v: &'v Value, path: &[&str]) -> Option<&'v str> {
    path.iter().try_fold(v, |v, k| v.get(k))?.as_str()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn parse(body: &[u8], kind: &str, version: &str) -> Result<Value, SigstoreError> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|_| SigstoreError::verify("transparency log entry body does not parse"))?;
    if v.get("kind").and_then(Value::as_str) != Some(kind)
        || v.get("apiVersion").and_then(Value::as_str) != Some(version)
    {
        return fail("transparency log entry body kind differs from the entry's kindVersion");
    }
    Ok(v)
}

/// hashedrekord 0.0.1: signature, verifier and artifact digest.
pub fn check_hashedrekord(
    body: &[u8],
    version: &str,
    signature: &[u8],
    signer: &Signer,
    hash: Hash,
    digest: &[u8],
) -> Result<(), SigstoreError> {
    if version != "0.0.1" {
        return fail(format!("unsupported hashedrekord version {version}"));
    }
    let v = parse(body, "hashedrekord", version)?;
    let sig = str_at(&v, &["spec", "signature", "content"]).and_then(b64decode);
    if sig.as_deref() != Some(signature) {
        return fail("transparency log entry signature differs from the bundle's");
    }
    let key = str_at(&v, &["spec", "signature", "publicKey", "content"]);
    if !key.is_some_and(|k| signer.matches_b64_pem(k)) {
        return fail("transparency log entry verifier differs from the bundle's");
    }
    let alg = str_at(&v, &["spec", "data", "hash", "algorithm"]);
    let value = str_at(&v, &["spec", "data", "hash", "value"]);
    if alg != Some(hash.name()) || value.map(str::to_ascii_lowercase) != Some(hex(digest)) {
        return fail("transparency log entry digest differs from the artifact's");
    }
    Ok(())
}

/// dsse 0.0.1 and intoto 0.0.2: payload hash, signatures and verifier.
pub fn check_dsse(
    body: &[u8],
    kind: &str,
    version: &str,
    payload_type: &str,
    payload: &[u8],
    signatures: &[&[u8]],
    signer: &Signer,
) -> Result<(), SigstoreError> {
    let payload_hash = hex(&sha256(payload));
    match (kind, version) {
        ("dsse", "0.0.1") => {
            let v = parse(body, kind, version)?;
            if str_at(&v, &["spec", "payloadHash", "algorithm"]) != Some("sha256")
                || str_at(&v, &["spec", "payloadHash", "value"]) != Some(payload_hash.as_str())
            {
                return fail("transparency log entry payload hash differs from the envelope's");
            }
            let Some(logged) = v.pointer("/spec/signatures").and_then(Value::as_array) else {
                return fail("transparency log entry has no signatures");
            };
            if logged.len() != signatures.len() {
                return fail("transparency log entry signatures differ from the envelope's");
            }
            for (entry, sig) in logged.iter().zip(signatures) {
                let logged_sig = entry
                    .get("signature")
                    .and_then(Value::as_str)
                    .and_then(b64decode);
                let verifier = entry.get("verifier").and_then(Value::as_str);
                if logged_sig.as_deref() != Some(*sig)
                    || !verifier.is_some_and(|k| signer.matches_b64_pem(k))
                {
                    return fail("transparency log entry signatures differ from the envelope's");
                }
            }
            Ok(())
        }
        ("intoto", "0.0.2") => {
            let v = parse(body, kind, version)?;
            if str_at(&v, &["spec", "content", "payloadHash", "algorithm"]) != Some("sha256")
                || str_at(&v, &["spec", "content", "payloadHash", "value"])
                    != Some(payload_hash.as_str())
            {
                return fail("transparency log entry payload hash differs from the envelope's");
            }
            if let Some(t) = str_at(&v, &["spec", "content", "envelope", "payloadType"]) {
                if t != payload_type {
                    return fail("transparency log entry payload type differs from the envelope's");
                }
            }
            let Some(logged) = v
                .pointer("/spec/content/envelope/signatures")
                .and_then(Value::as_array)
            else {
                return fail("transparency log entry has no signatures");
            };
            if logged.len() != signatures.len() {
                return fail("transparency log entry signatures differ from the envelope's");
            }
            for (entry, sig) in logged.iter().zip(signatures) {
                // intoto 0.0.2 stores each signature base64-encoded twice.
                let logged_sig = entry
                    .get("sig")
                    .and_then(Value::as_str)
                    .and_then(b64decode)
                    .and_then(|inner| String::from_utf8(inner).ok())
                    .and_then(|inner| b64decode(&inner));
                let verifier = entry.get("publicKey").and_then(Value::as_str);
                if logged_sig.as_deref() != Some(*sig)
                    || !verifier.is_some_and(|k| signer.matches_b64_pem(k))
                {
                    return fail("transparency log entry signatures differ from the envelope's");
                }
            }
            Ok(())
        }
        _ => fail(format!(
            "unsupported log entry kind {kind} {version} for a DSSE bundle"
        )),
    }
}
