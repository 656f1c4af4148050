//! Rekor v1 log entries: the signed entry timestamp (inclusion promise),
//! the Merkle inclusion proof and its signed checkpoint.
use super::bundle::TlogEntry;
use super::checkpoint;
use super::error::{fail, SigstoreError};
use super::json_types::b64encode;
use super::merkle;
use super::trusted_root::{LogKey, TrustedRoot};

/// What a log entry proved.
#[derive(Debug)]
pub struct VerifiedEntry<'r> {
    pub log: &'r LogKey,
    /// The integrated time, only when the log signed it (SET).
    pub integrated_time: Option<i64>,
    pub log_index: i64,
}

/// RFC 8785 canonical JSON of the SET payload. Keys are already in sorted
/// order and every value is an integer or an ASCII string.
fn set_payload(entry: &TlogEntry) -> Vec<u8> {
    let body = b64encode(&entry.canonicalized_body.0);
    let log_id: String = entry
        .log_id
        .key_id
        .0
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!(
        "{{\"body\":\"{body}\",\"integratedTime\":{},\"logID\":\"{log_id}\",\"logIndex\":{}}}",
        entry.integrated_time.0, entry.log_index.0
    )
    .into_bytes()
}

pub fn verify_entry<'r>(
    entry: &TlogEntry,
    root: &'r TrustedRoot,
) -> Result<VerifiedEntry<'r>, SigstoreError> {
    let Some(log) = root.tlog(&entry.log_id.key_id.0) else {
        return fail("transparency log entry is from an unknown log");
    };
    if entry.log_index.0 < 0 {
        return fail("transparency log index is negative");
    }
    let mut integrated_time = None;
    if let Some(promise) = &entry.inclusion_promise {
        let t = entry.integrated_time.0;
        if t <= 0 {
            return fail("inclusion promise without an integrated time");
        }
        if !log.valid.contains(t) {
            return fail("integrated time is outside the transparency log key's validity");
        }
        if !log
            .key
            .verify(&set_payload(entry), &promise.signed_entry_timestamp.0)
        {
            return fail("signed entry timestamp (inclusion promise) is invalid");
        }
        integrated_time = Some(t);
    }
    if let Some(proof) = &entry.inclusion_proof {
        let (Ok(index), Ok(size)) = (
            u64::try_from(proof.log_index.0),
            u64::try_from(proof.tree_size.0),
        ) else {
            return fail("inclusion proof index or tree size is negative");
        };
        let hashes: Vec<Vec<u8>> = proof.hashes.iter().map(|h| h.0.clone()).collect();
        merkle::verify_inclusion(
            index,
            size,
            &entry.canonicalized_body.0,
            &hashes,
            &proof.root_hash.0,
        )?;
        if let Some(cp) = &proof.checkpoint {
            let kind = &entry.kind_version;
            let rekor_v2 =
                kind.version == "0.0.2" && matches!(kind.kind.as_str(), "hashedrekord" | "dsse");
            let origin = rekor_v2.then(|| checkpoint::rekor_v2_origin(&log.base_url));
            let checkpoint = checkpoint::verify(&cp.envelope, log, origin)?;
            if checkpoint.root_hash != proof.root_hash.0 {
                return fail("checkpoint root hash differs from the inclusion proof's");
            }
            if checkpoint.size != size {
                return fail("checkpoint tree size differs from the inclusion proof's");
            }
        }
    }
    Ok(VerifiedEntry {
        log,
        integrated_time,
        log_index: entry.log_index.0,
    })
}
