//! In-toto statements inside DSSE bundles: the artifact must be one of the
//! statement's subjects, by any digest algorithm both sides know.
use serde_json::Value;

use super::error::{fail, SigstoreError};
use super::keys::Hash;

pub const IN_TOTO_PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";
const STATEMENT_TYPES: [&str; 2] = [
    "https://in-toto.io/Statement/v1",
    "https://in-toto.io/Statement/v0.1",
];

/// What the caller says the artifact is.
#[derive(Debug, Clone)]
pub enum Artifact<'a> {
    /// The artifact's bytes: hashed here with whatever algorithm is needed.
    Bytes(&'a [u8]),
    /// `"<alg>:<hex>"` already split and decoded.
    Digest(Hash, Vec<u8>),
}

impl Artifact<'_> {
    /// The artifact's digest with `hash`, when it can be known.
    pub fn digest(&self, hash: Hash) -> Option<Vec<u8>> {
        match self {
            Artifact::Bytes(b) => Some(
                aws_lc_rs::digest::digest(hash.digest_alg(), b)
                    .as_ref()
                    .to_vec(),
            ),
            Artifact::Digest(h, d) => (*h == hash).then(|| d.clone()),
        }
    }
}

/// Parses `"sha256:<hex>"` (also sha384, sha512).
pub fn parse_digest(text: &str) -> Result<(Hash, Vec<u8>), SigstoreError> {
    let arg = |m: &str| SigstoreError::Argument(m.to_owned());
    let (alg, hex) = text
        .split_once(':')
        .ok_or_else(|| arg("artifact_digest must be \"<alg>:<hex>\""))?;
    let hash = Hash::from_name(alg)
        .ok_or_else(|| arg("artifact_digest algorithm must be sha256, sha384 or sha512"))?;
    if hex.len() != hash.len() * 2 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(arg(
            "artifact_digest hex has the wrong length or characters",
        ));
    }
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0))
        .collect();
    Ok((hash, bytes))
}

/// Parses the statement and checks that `artifact` is among its subjects.
pub fn check(payload: &[u8], artifact: &Artifact) -> Result<Value, SigstoreError> {
    let statement: Value = serde_json::from_slice(payload)
        .map_err(|_| SigstoreError::verify("in-toto statement does not parse"))?;
    let kind = statement.get("_type").and_then(Value::as_str);
    if !kind.is_some_and(|k| STATEMENT_TYPES.contains(&k)) {
        return fail("payload is not an in-toto statement");
    }
    let Some(subjects) = statement.get("subject").and_then(Value::as_array) else {
        return fail("in-toto statement has no subjects");
    };
    for subject in subjects {
        let Some(digests) = subject.get("digest").and_then(Value::as_object) else {
            continue;
        };
        for (alg, want) in digests {
            let (Some(hash), Some(want)) = (Hash::from_name(alg), want.as_str()) else {
                continue;
            };
            let Some(have) = artifact.digest(hash) else {
                continue;
            };
            let have: String = have.iter().map(|b| format!("{b:02x}")).collect();
            if crate::crypto::compare::secure_compare(
                have.as_bytes(),
                want.to_ascii_lowercase().as_bytes(),
            ) {
                return Ok(statement);
            }
        }
    }
    fail("artifact digest matches no subject of the in-toto statement")
}
