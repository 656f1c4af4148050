//! The Sigstore bundle as protobuf-specs' JSON encoding defines it
//! (`dev.sigstore.bundle.v1.Bundle`), media types v0.1, v0.2 and v0.3.
//! Field types are strict; unknown fields are ignored as protobuf's JSON
//! mapping does, so newer producers stay readable.
use serde::Deserialize;

use super::error::{fail, SigstoreError};
use super::json_types::{Bytes, Int64};
use super::limits;

/// Bundle format generations; they differ in what verification requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MediaType {
    V01,
    V02,
    V03,
}

impl MediaType {
    fn parse(text: &str) -> Option<Self> {
        match text {
            "application/vnd.dev.sigstore.bundle+json;version=0.1" => Some(MediaType::V01),
            "application/vnd.dev.sigstore.bundle+json;version=0.2" => Some(MediaType::V02),
            "application/vnd.dev.sigstore.bundle+json;version=0.3"
            | "application/vnd.dev.sigstore.bundle.v0.3+json" => Some(MediaType::V03),
            _ => None,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawBundle {
    pub media_type: String,
    pub verification_material: VerificationMaterial,
    #[serde(default)]
    pub message_signature: Option<MessageSignature>,
    #[serde(default)]
    pub dsse_envelope: Option<Envelope>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerificationMaterial {
    #[serde(default)]
    pub public_key: Option<PublicKeyIdentifier>,
    #[serde(default)]
    pub x509_certificate_chain: Option<CertificateChain>,
    #[serde(default)]
    pub certificate: Option<Certificate>,
    #[serde(default)]
    pub tlog_entries: Vec<TlogEntry>,
    #[serde(default)]
    pub timestamp_verification_data: Option<TimestampVerificationData>,
}

/// Managed-key bundles name their key only by a hint, which carries no
/// trust: the caller passes the key.
#[derive(Debug, Deserialize)]
pub struct PublicKeyIdentifier {}

#[derive(Debug, Deserialize)]
pub struct CertificateChain {
    #[serde(default)]
    pub certificates: Vec<Certificate>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Certificate {
    pub raw_bytes: Bytes,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TlogEntry {
    pub log_index: Int64,
    pub log_id: LogId,
    pub kind_version: KindVersion,
    #[serde(default)]
    pub integrated_time: Int64,
    #[serde(default)]
    pub inclusion_promise: Option<InclusionPromise>,
    #[serde(default)]
    pub inclusion_proof: Option<InclusionProof>,
    pub canonicalized_body: Bytes,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogId {
    pub key_id: Bytes,
}

#[derive(Debug, Deserialize)]
pub struct KindVersion {
    pub kind: String,
    pub version: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InclusionPromise {
    pub signed_entry_timestamp: Bytes,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InclusionProof {
    pub log_index: Int64,
    pub root_hash: Bytes,
    pub tree_size: Int64,
    #[serde(default)]
    pub hashes: Vec<Bytes>,
    #[serde(default)]
    pub checkpoint: Option<Checkpoint>,
}

#[derive(Debug, Deserialize)]
pub struct Checkpoint {
    pub envelope: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimestampVerificationData {
    #[serde(default)]
    pub rfc3161_timestamps: Vec<Rfc3161Timestamp>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rfc3161Timestamp {
    pub signed_timestamp: Bytes,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageSignature {
    #[serde(default)]
    pub message_digest: Option<HashOutput>,
    pub signature: Bytes,
}

#[derive(Debug, Deserialize)]
pub struct HashOutput {
    pub algorithm: String,
    pub digest: Bytes,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Envelope {
    pub payload: Bytes,
    pub payload_type: String,
    #[serde(default)]
    pub signatures: Vec<EnvelopeSignature>,
}

#[derive(Debug, Deserialize)]
pub struct EnvelopeSignature {
    pub sig: Bytes,
}

/// What the bundle signs.
#[derive(Debug)]
pub enum Content {
    Message(MessageSignature),
    Dsse(Envelope),
}

/// A bundle that parsed and has the shape its media type requires.
#[derive(Debug)]
pub struct Bundle {
    /// Media types differ in what they must carry; checked when parsing.
    #[allow(dead_code)]
    pub media_type: MediaType,
    /// DER of the signing certificate, when keyless.
    pub leaf_der: Option<Vec<u8>>,
    pub tlog_entry: TlogEntry,
    /// RFC 3161 signed timestamps (DER TimeStampResp).
    pub timestamps: Vec<Vec<u8>>,
    pub content: Content,
}

impl Bundle {
    pub fn from_json(text: &[u8]) -> Result<Bundle, SigstoreError> {
        limits::check_json(text, "bundle")?;
        let raw: RawBundle = serde_json::from_slice(text)
            .map_err(|e| SigstoreError::verify(format!("bundle does not parse: {e}")))?;
        Bundle::from_raw(raw)
    }

    fn from_raw(raw: RawBundle) -> Result<Bundle, SigstoreError> {
        let Some(media_type) = MediaType::parse(&raw.media_type) else {
            return fail(format!(
                "unsupported bundle media type {:?}",
                raw.media_type
            ));
        };
        let mut vm = raw.verification_material;
        let leaf_der = match (vm.certificate.take(), vm.x509_certificate_chain.take()) {
            (Some(_), Some(_)) => return fail("bundle holds both a certificate and a chain"),
            (Some(cert), None) => {
                if media_type < MediaType::V03 {
                    return fail("a single certificate needs bundle media type v0.3");
                }
                Some(cert.raw_bytes.0)
            }
            (None, Some(chain)) => {
                if media_type >= MediaType::V03 {
                    return fail("bundle v0.3 must carry a single certificate, not a chain");
                }
                if chain.certificates.len() > limits::MAX_CHAIN_CERTS {
                    return fail("bundle certificate chain is too long");
                }
                // Later certificates are ignored: the chain comes from the
                // trusted root only.
                match chain.certificates.into_iter().next() {
                    Some(leaf) => Some(leaf.raw_bytes.0),
                    None => return fail("bundle certificate chain is empty"),
                }
            }
            (None, None) => None,
        };
        if leaf_der.is_some() && vm.public_key.is_some() {
            return fail("bundle holds both a certificate and a public key");
        }
        if leaf_der.is_none() && vm.public_key.is_none() {
            return fail("bundle holds neither a certificate nor a public key");
        }
        if vm.tlog_entries.len() != 1 {
            return fail(format!(
                "bundle must hold exactly one transparency log entry, found {}",
                vm.tlog_entries.len()
            ));
        }
        let tlog_entry = vm.tlog_entries.remove(0);
        let timestamps: Vec<Vec<u8>> = vm
            .timestamp_verification_data
            .map(|t| {
                t.rfc3161_timestamps
                    .into_iter()
                    .map(|t| t.signed_timestamp.0)
                    .collect()
            })
            .unwrap_or_default();
        if timestamps.len() > limits::MAX_TIMESTAMPS {
            return fail(format!(
                "bundle holds too many signed timestamps ({}, at most {})",
                timestamps.len(),
                limits::MAX_TIMESTAMPS
            ));
        }
        if (1..timestamps.len()).any(|i| timestamps[..i].contains(&timestamps[i])) {
            return fail("bundle holds duplicate signed timestamps");
        }
        match media_type {
            MediaType::V01 => {
                if tlog_entry.inclusion_promise.is_none() {
                    return fail("bundle v0.1 must hold an inclusion promise");
                }
            }
            _ => {
                let has_checkpoint = tlog_entry
                    .inclusion_proof
                    .as_ref()
                    .is_some_and(|p| p.checkpoint.is_some());
                if !has_checkpoint {
                    return fail("bundle must hold an inclusion proof with a checkpoint");
                }
                if tlog_entry.inclusion_promise.is_none() && timestamps.is_empty() {
                    return fail("bundle must hold an inclusion promise or a signed timestamp");
                }
            }
        }
        let content = match (raw.message_signature, raw.dsse_envelope) {
            (Some(m), None) => Content::Message(m),
            (None, Some(e)) => Content::Dsse(e),
            (Some(_), Some(_)) => {
                return fail("bundle holds both a message signature and a DSSE envelope")
            }
            (None, None) => {
                return fail("bundle holds neither a message signature nor a DSSE envelope")
            }
        };
        Ok(Bundle {
            media_type,
            leaf_der,
            tlog_entry,
            timestamps,
            content,
        })
    }
}
