//! Signed certificate timestamps embedded in the Fulcio leaf (RFC 6962
//! section 3.2): the CT log signed the precertificate TBS and the issuer's
//! key hash; we rebuild both from the final certificate.
use der::Decode;
use x509_cert::ext::pkix::sct::{HashAlgorithm, SignedCertificateTimestampList, Version};

use super::certificate::ParsedCert;
use super::error::{fail, SigstoreError};
use super::limits;
use super::trusted_root::TrustedRoot;

/// Checks that at least one embedded SCT verifies against a trusted CT log
/// valid at the SCT's time.
pub fn verify(
    leaf: &ParsedCert,
    issuer: &ParsedCert,
    root: &TrustedRoot,
) -> Result<(), SigstoreError> {
    let Some(list) = leaf.sct_list() else {
        return fail("signing certificate has no embedded SCT");
    };
    let list = SignedCertificateTimestampList::from_der(list)
        .map_err(|_| SigstoreError::verify("SCT list is malformed"))?;
    let scts = list
        .parse_timestamps()
        .map_err(|_| SigstoreError::verify("SCT list is malformed"))?;
    if scts.is_empty() || scts.len() > limits::MAX_SIGNATURES {
        return fail("SCT list is empty or too long");
    }
    let tbs = leaf.precert_tbs().map_err(SigstoreError::verify)?;
    let issuer_key_hash = issuer.key.key_id();
    let mut errors = Vec::new();
    for serialized in scts {
        let sct = serialized
            .parse_timestamp()
            .map_err(|_| SigstoreError::verify("SCT is malformed"))?;
        if sct.version != Version::V1 {
            errors.push("unsupported SCT version");
            continue;
        }
        let Some(log) = root.ctlog(&sct.log_id.key_id) else {
            errors.push("SCT from an unknown CT log");
            continue;
        };
        let millis = i64::try_from(sct.timestamp).unwrap_or(i64::MAX);
        if !log.valid.contains(millis.div_euclid(1000)) {
            errors.push("SCT time is outside the CT log's validity");
            continue;
        }
        if sct.signature.algorithm.hash != HashAlgorithm::Sha256 {
            errors.push("SCT hash is not SHA-256");
            continue;
        }
        let extensions = sct.extensions.as_slice();
        let Ok(ext_len) = u16::try_from(extensions.len()) else {
            errors.push("SCT extensions are too long");
            continue;
        };
        // digitally-signed struct: version, signature_type, timestamp,
        // entry_type precert, issuer_key_hash, TBS<1..2^24-1>, extensions.
        let Ok(tbs_len) = u32::try_from(tbs.len()) else {
            return fail("precertificate is too large");
        };
        if tbs_len >= 1 << 24 {
            return fail("precertificate is too large");
        }
        let mut signed = Vec::with_capacity(tbs.len() + 64 + extensions.len());
        signed.push(0); // v1
        signed.push(0); // certificate_timestamp
        signed.extend_from_slice(&sct.timestamp.to_be_bytes());
        signed.extend_from_slice(&1u16.to_be_bytes()); // precert_entry
        signed.extend_from_slice(&issuer_key_hash);
        signed.extend_from_slice(&tbs_len.to_be_bytes()[1..]);
        signed.extend_from_slice(&tbs);
        signed.extend_from_slice(&ext_len.to_be_bytes());
        signed.extend_from_slice(extensions);
        if log.key.verify(&signed, sct.signature.signature.as_slice()) {
            return Ok(());
        }
        errors.push("SCT signature is invalid");
    }
    fail(format!("no valid SCT: {}", errors.join(", ")))
}
