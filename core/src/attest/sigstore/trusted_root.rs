//! `trusted_root.json` (`dev.sigstore.trustroot.v1.TrustedRoot`): the
//! transparency logs, CT logs, Fulcio CAs and TSAs a bundle may rely on,
//! parsed once. Every key and certificate is parsed and every CA chain
//! checked here, so per-bundle verification only checks the leaf.
use serde::Deserialize;

use super::certificate::ParsedCert;
use super::error::SigstoreError;
use super::json_types::Bytes;
use super::keys::PublicKey;
use super::limits;
use crate::rfc3339::{self, Profile};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRoot {
    media_type: String,
    #[serde(default)]
    tlogs: Vec<RawLog>,
    #[serde(default)]
    certificate_authorities: Vec<RawCa>,
    #[serde(default)]
    ctlogs: Vec<RawLog>,
    #[serde(default)]
    timestamp_authorities: Vec<RawCa>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawLog {
    #[serde(default)]
    base_url: String,
    public_key: RawPublicKey,
    log_id: RawLogId,
    #[serde(default)]
    checkpoint_key_id: Option<RawLogId>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawLogId {
    key_id: Bytes,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPublicKey {
    raw_bytes: Bytes,
    #[serde(default)]
    key_details: String,
    #[serde(default)]
    valid_for: Option<RawValidity>,
}

#[derive(Deserialize)]
struct RawValidity {
    #[serde(default)]
    start: Option<String>,
    #[serde(default)]
    end: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCa {
    #[serde(default)]
    uri: String,
    cert_chain: RawChain,
    #[serde(default)]
    valid_for: Option<RawValidity>,
}

#[derive(Deserialize)]
struct RawChain {
    certificates: Vec<RawCert>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCert {
    raw_bytes: Bytes,
}

/// A closed interval of Unix seconds; an open end is unbounded.
#[derive(Debug, Clone, Copy)]
pub struct Validity {
    pub start: i64,
    pub end: Option<i64>,
}

impl Validity {
    pub fn contains(&self, t: i64) -> bool {
        self.start <= t && self.end.is_none_or(|end| t <= end)
    }
}

/// A transparency or CT log: its key and the IDs bundles name it by.
#[derive(Debug)]
pub struct LogKey {
    pub base_url: String,
    pub log_id: Vec<u8>,
    pub checkpoint_key_id: Option<Vec<u8>>,
    pub key: PublicKey,
    pub valid: Validity,
}

/// A certificate authority: its chain, leaf-most first, already checked.
#[derive(Debug)]
pub struct CertificateAuthority {
    pub uri: String,
    pub chain: Vec<ParsedCert>,
    pub valid: Validity,
}

#[derive(Debug)]
pub struct TrustedRoot {
    pub tlogs: Vec<LogKey>,
    pub ctlogs: Vec<LogKey>,
    pub cas: Vec<CertificateAuthority>,
    pub tsas: Vec<CertificateAuthority>,
}

fn bad(msg: impl Into<String>) -> SigstoreError {
    SigstoreError::TrustedRoot(msg.into())
}

fn time(text: &str) -> Result<i64, SigstoreError> {
    rfc3339::parse(text, Profile::GoRfc3339)
        .ok_or_else(|| bad(format!("invalid timestamp {text:?}")))
}

fn validity(raw: Option<RawValidity>, what: &str) -> Result<Validity, SigstoreError> {
    // A key or CA without a start would be trusted for all past time;
    // protobuf-specs requires `start`, so refuse rather than guess.
    let raw = raw.ok_or_else(|| bad(format!("{what} has no validFor")))?;
    let start = time(
        raw.start
            .as_deref()
            .ok_or_else(|| bad(format!("{what} has no validFor.start")))?,
    )?;
    let end = raw.end.as_deref().map(time).transpose()?;
    if end.is_some_and(|e| e < start) {
        return Err(bad(format!("{what} validFor ends before it starts")));
    }
    Ok(Validity { start, end })
}

fn log(raw: RawLog, what: &str) -> Result<LogKey, SigstoreError> {
    let der = &raw.public_key.raw_bytes.0;
    let key = if raw.public_key.key_details.starts_with("PKCS1_RSA") {
        PublicKey::from_pkcs1_rsa_der(der)
    } else {
        PublicKey::from_spki_der(der)
    }
    .map_err(|e| bad(format!("{what} {}: {e}", raw.base_url)))?;
    Ok(LogKey {
        valid: validity(raw.public_key.valid_for, what)?,
        base_url: raw.base_url,
        log_id: raw.log_id.key_id.0,
        checkpoint_key_id: raw.checkpoint_key_id.map(|k| k.key_id.0),
        key,
    })
}

fn authority(raw: RawCa, what: &str) -> Result<CertificateAuthority, SigstoreError> {
    let certs = raw.cert_chain.certificates;
    if certs.is_empty() || certs.len() > limits::MAX_CHAIN_CERTS {
        return Err(bad(format!(
            "{what} {} has {} certificates",
            raw.uri,
            certs.len()
        )));
    }
    let chain = certs
        .iter()
        .map(|c| {
            ParsedCert::from_der(&c.raw_bytes.0)
                .map_err(|e| bad(format!("{what} {}: {e}", raw.uri)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    for pair in chain.windows(2) {
        if !pair[0].issued_by(&pair[1]) {
            return Err(bad(format!("{what} {} chain does not link up", raw.uri)));
        }
    }
    Ok(CertificateAuthority {
        valid: validity(raw.valid_for, what)?,
        uri: raw.uri,
        chain,
    })
}

impl TrustedRoot {
    pub fn from_json(text: &[u8]) -> Result<TrustedRoot, SigstoreError> {
        limits::check_json(text, "trusted root").map_err(|e| bad(e.to_string()))?;
        let raw: RawRoot =
            serde_json::from_slice(text).map_err(|e| bad(format!("does not parse: {e}")))?;
        if !raw
            .media_type
            .starts_with("application/vnd.dev.sigstore.trustedroot")
        {
            return Err(bad(format!("unsupported media type {:?}", raw.media_type)));
        }
        let root = TrustedRoot {
            tlogs: raw
                .tlogs
                .into_iter()
                .map(|l| log(l, "tlog"))
                .collect::<Result<_, _>>()?,
            ctlogs: raw
                .ctlogs
                .into_iter()
                .map(|l| log(l, "ctlog"))
                .collect::<Result<_, _>>()?,
            cas: raw
                .certificate_authorities
                .into_iter()
                .map(|c| authority(c, "certificate authority"))
                .collect::<Result<_, _>>()?,
            tsas: raw
                .timestamp_authorities
                .into_iter()
                .map(|c| authority(c, "timestamp authority"))
                .collect::<Result<_, _>>()?,
        };
        for tsa in &root.tsas {
            if !tsa.chain.iter().skip(1).all(ParsedCert::is_ca) {
                return Err(bad(format!(
                    "timestamp authority {} holds a non-CA issuer",
                    tsa.uri
                )));
            }
        }
        for ca in &root.cas {
            if !ca.chain.iter().all(ParsedCert::is_ca) {
                return Err(bad(format!(
                    "certificate authority {} holds a non-CA certificate",
                    ca.uri
                )));
            }
        }
        Ok(root)
    }

    /// The transparency log a bundle entry names by log ID.
    pub fn tlog(&self, log_id: &[u8]) -> Option<&LogKey> {
        self.tlogs.iter().find(|l| l.log_id == log_id)
    }

    pub fn ctlog(&self, log_id: &[u8]) -> Option<&LogKey> {
        self.ctlogs.iter().find(|l| l.log_id == log_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity_is_a_closed_interval() {
        let v = Validity {
            start: 10,
            end: Some(20),
        };
        assert!(v.contains(10) && v.contains(20) && v.contains(15));
        assert!(!v.contains(9) && !v.contains(21));
        let open = Validity {
            start: 10,
            end: None,
        };
        assert!(open.contains(i64::MAX) && !open.contains(9));
    }

    #[test]
    fn a_trusted_root_end_with_fraction_keeps_the_whole_second() {
        // "…59.999Z" ends inside second 59 (fractions are dropped, never
        // rounded up past the end).
        let v = validity(
            Some(RawValidity {
                start: Some("2022-10-20T00:00:00Z".into()),
                end: Some("2022-10-31T23:59:59.999Z".into()),
            }),
            "ctlog",
        )
        .unwrap();
        assert_eq!(v.end, Some(1_667_260_799));
        assert!(v.contains(1_667_260_799) && !v.contains(1_667_260_800));
    }

    #[test]
    fn refuses_roots_that_do_not_parse_or_lack_a_start() {
        assert!(TrustedRoot::from_json(b"{").is_err());
        assert!(TrustedRoot::from_json(br#"{"mediaType":"x"}"#).is_err());
        assert!(validity(
            Some(RawValidity {
                start: None,
                end: None
            }),
            "tlog"
        )
        .is_err());
        assert!(validity(None, "tlog").is_err());
    }
}
