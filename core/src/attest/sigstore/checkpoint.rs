//! Signed checkpoints: a C2SP signed note whose text is the log's origin,
//! tree size and root hash, signed by the log. Rekor v1 names its key by
//! the first four bytes of its log ID; logs with a separate checkpoint key
//! ID (Rekor v2) by that.
use super::error::{fail, SigstoreError};
use super::json_types::b64decode;
use super::limits;
use super::trusted_root::LogKey;

#[derive(Debug)]
pub struct Checkpoint {
    /// The log's origin line (for messages; the key already names the log).
    #[allow(dead_code)]
    pub origin: String,
    pub size: u64,
    pub root_hash: Vec<u8>,
}

/// Parses `envelope` and checks that `log` signed it.
pub fn verify(envelope: &str, log: &LogKey) -> Result<Checkpoint, SigstoreError> {
    let Some(split) = envelope.find("\n\n") else {
        return fail("checkpoint has no signature block");
    };
    if envelope[split + 2..].contains("\n\n") {
        return fail("checkpoint has more than one blank line");
    }
    let note = &envelope[..=split];
    let sigs = &envelope[split + 2..];
    if sigs.is_empty() || !sigs.ends_with('\n') {
        return fail("checkpoint signature block is malformed");
    }
    let mut hints: Vec<&[u8]> = vec![log.log_id.get(..4).unwrap_or(&[])];
    if let Some(id) = &log.checkpoint_key_id {
        hints.push(id.get(..4).unwrap_or(&[]));
    }
    let mut verified = false;
    for (n, line) in sigs.lines().enumerate() {
        if n >= limits::MAX_SIGNATURES {
            return fail("checkpoint has too many signatures");
        }
        let Some(rest) = line.strip_prefix("\u{2014} ") else {
            return fail("checkpoint signature line is malformed");
        };
        let mut parts = rest.split(' ');
        let (Some(_name), Some(sig_b64), None) = (parts.next(), parts.next(), parts.next()) else {
            return fail("checkpoint signature line is malformed");
        };
        let Some(sig) = b64decode(sig_b64) else {
            return fail("checkpoint signature is not base64");
        };
        if sig.len() < 5 {
            return fail("checkpoint signature is too short");
        }
        if !hints.iter().any(|h| h.len() == 4 && *h == &sig[..4]) {
            continue;
        }
        if !log.key.verify(note.as_bytes(), &sig[4..]) {
            return fail("checkpoint signature is invalid");
        }
        verified = true;
    }
    if !verified {
        return fail("checkpoint is not signed by the transparency log");
    }
    let mut lines = note.lines();
    let (Some(origin), Some(size), Some(root)) = (lines.next(), lines.next(), lines.next()) else {
        return fail("checkpoint text is malformed");
    };
    if origin.is_empty() {
        return fail("checkpoint origin is empty");
    }
    let size = if size.bytes().all(|b| b.is_ascii_digit()) {
        size.parse::<u64>().ok()
    } else {
        None
    };
    let Some(size) = size else {
        return fail("checkpoint tree size is malformed");
    };
    let Some(root_hash) = b64decode(root) else {
        return fail("checkpoint root hash is not base64");
    };
    Ok(Checkpoint {
        origin: origin.to_owned(),
        size,
        root_hash,
    })
}
