//! Bounds on hostile input. Real bundles are a few KiB (a DSSE bundle with
//! a large provenance statement some hundred KiB); everything here is far
//! above that and keeps parsing and verification time bounded.
use super::error::{fail, SigstoreError};

/// Largest bundle or trusted root JSON accepted.
pub const MAX_JSON_BYTES: usize = 16 * 1024 * 1024;
/// Deepest JSON nesting accepted (bundles nest about 6 deep).
pub const MAX_JSON_DEPTH: usize = 32;
/// Certificates in a bundle's chain or a trusted root's CA chain.
pub const MAX_CHAIN_CERTS: usize = 10;
/// Hashes in an inclusion proof (a tree of 2^64 leaves needs 64).
pub const MAX_PROOF_HASHES: usize = 64;
/// SCTs in a certificate.
pub const MAX_SIGNATURES: usize = 16;
/// Signature lines on a checkpoint note: the log's and its witnesses'
/// cosignatures (the signed-note limit of golang.org/x/mod/sumdb/note,
/// which sigstore-go opens checkpoints with).
pub const MAX_CHECKPOINT_SIGNATURES: usize = 100;
/// RFC 3161 timestamps in one bundle (sigstore-go's and sigstore-python's
/// limit).
pub const MAX_TIMESTAMPS: usize = 32;
/// Largest single DER certificate accepted.
pub const MAX_CERT_BYTES: usize = 64 * 1024;

/// Refuses oversized or too deeply nested JSON before serde sees it, so a
/// hostile document costs one linear scan.
pub fn check_json(text: &[u8], what: &str) -> Result<(), SigstoreError> {
    if text.len() > MAX_JSON_BYTES {
        return fail(format!(
            "{what} is too large ({} bytes, at most {MAX_JSON_BYTES})",
            text.len()
        ));
    }
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in text {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    return fail(format!(
                        "{what} is nested too deeply (at most {MAX_JSON_DEPTH})"
                    ));
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_brackets_outside_strings_only() {
        let deep = format!(
            "{}{}",
            "[".repeat(MAX_JSON_DEPTH + 1),
            "]".repeat(MAX_JSON_DEPTH + 1)
        );
        assert!(check_json(deep.as_bytes(), "x").is_err());
        let ok = format!(
            "{}{}",
            "[".repeat(MAX_JSON_DEPTH),
            "]".repeat(MAX_JSON_DEPTH)
        );
        assert!(check_json(ok.as_bytes(), "x").is_ok());
        let in_string = format!("{{\"a\":\"{}\\\"{}\"}}", "[".repeat(1000), "{".repeat(1000));
        assert!(check_json(in_string.as_bytes(), "x").is_ok());
        assert!(check_json(&vec![b' '; MAX_JSON_BYTES + 1], "x").is_err());
    }
}
