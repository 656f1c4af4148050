//! Signed checkpoints: a C2SP signed note whose text is the log's origin,
//! tree size and root hash, signed by the log. Rekor v1 names its key by
//! the first four bytes of its log ID; logs with a separate checkpoint key
//! ID (Rekor v2) by that.
//!
//! A note may carry other signatures: Rekor v2 checkpoints come cosigned by
//! witnesses (C2SP tlog-cosignature lines). The trusted root names no
//! witnesses and no reference verifier checks them (sigstore-go opens the
//! note with the log's key only, sigstore-python and sigstore-js skip
//! lines of other keys), so they are skipped here too. The first line of
//! the log's key decides, as in sigstore-go and sigstore-python; later
//! lines of the same key are ignored. For Rekor v2 the key is its name and
//! hint together (a C2SP note key), and the note's origin must be the log's
//! (sigstore-go); Rekor v1 origins carry a tree ID and are not checked.
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

/// The origin a Rekor v2 log writes in its checkpoints and signs them
/// under: its base URL without the scheme (sigstore-go's rule).
pub fn rekor_v2_origin(base_url: &str) -> &str {
    let host = base_url
        .strip_prefix("https://")
        .or_else(|| base_url.strip_prefix("http://"))
        .unwrap_or(base_url);
    host.strip_suffix('/').unwrap_or(host)
}

/// Parses `envelope` and checks that `log` signed it. `origin`: for a
/// Rekor v2 entry, the origin the note must name (see `rekor_v2_origin`).
pub fn verify(
    envelope: &str,
    log: &LogKey,
    origin: Option<&str>,
) -> Result<Checkpoint, SigstoreError> {
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
        if n >= limits::MAX_CHECKPOINT_SIGNATURES {
            return fail("checkpoint has too many signatures");
        }
        let Some(rest) = line.strip_prefix("\u{2014} ") else {
            return fail("checkpoint signature line is malformed");
        };
        let mut parts = rest.split(' ');
        let (Some(name), Some(sig_b64), None) = (parts.next(), parts.next(), parts.next()) else {
            return fail("checkpoint signature line is malformed");
        };
        let Some(sig) = b64decode(sig_b64) else {
            return fail("checkpoint signature is not base64");
        };
        if sig.len() < 5 {
            return fail("checkpoint signature is too short");
        }
        let logs_key = hints.iter().any(|h| h.len() == 4 && *h == &sig[..4])
            && origin.is_none_or(|o| name == o);
        if verified || !logs_key {
            continue; // a witness cosignature, another key, or a repeat
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
    let (Some(note_origin), Some(size), Some(root)) = (lines.next(), lines.next(), lines.next())
    else {
        return fail("checkpoint text is malformed");
    };
    if note_origin.is_empty() {
        return fail("checkpoint origin is empty");
    }
    if origin.is_some_and(|o| o != note_origin) {
        return fail("checkpoint origin is not the transparency log's");
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
        origin: note_origin.to_owned(),
        size,
        root_hash,
    })
}

#[cfg(test)]
mod tests {
    use super::super::json_types::b64encode;
    use super::super::keys::PublicKey;
    use super::super::trusted_root::Validity;
    use super::*;
    use aws_lc_rs::signature::{Ed25519KeyPair, KeyPair};

    const ORIGIN: &str = "log2025-1.rekor.example";

    struct Log {
        pair: Ed25519KeyPair,
        key: LogKey,
    }

    fn log() -> Log {
        let pair = Ed25519KeyPair::generate().unwrap();
        let mut spki = vec![
            0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
        ];
        spki.extend_from_slice(pair.public_key().as_ref());
        let key = LogKey {
            base_url: format!("https://{ORIGIN}"),
            log_id: vec![0xd3, 0xd3, 0xa7, 0x0c, 1, 2, 3],
            checkpoint_key_id: None,
            key: PublicKey::from_spki_der(&spki).unwrap(),
            valid: Validity {
                start: 0,
                end: None,
            },
        };
        Log { pair, key }
    }

    fn note(origin: &str) -> String {
        format!("{origin}\n42\n{}\n", b64encode(&[7; 32]))
    }

    /// A signature line: name, 4-byte hint, signature bytes.
    fn line(name: &str, hint: &[u8], sig: &[u8]) -> String {
        format!("\u{2014} {name} {}\n", b64encode(&[hint, sig].concat()))
    }

    fn log_line(log: &Log, text: &str) -> String {
        line(
            ORIGIN,
            &log.key.log_id[..4],
            log.pair.sign(text.as_bytes()).as_ref(),
        )
    }

    /// A witness cosignature (C2SP tlog-cosignature: 8-byte timestamp and
    /// an Ed25519 signature of another key).
    fn witness(n: u8) -> String {
        line(
            &format!("witness{n}.example"),
            &[n, 0xee, n, 0xee],
            &[n; 72],
        )
    }

    fn check(log: &Log, envelope: &str) -> Result<Checkpoint, SigstoreError> {
        verify(envelope, &log.key, Some(rekor_v2_origin(&log.key.base_url)))
    }

    #[test]
    fn witness_cosignatures_are_skipped_however_many_there_are() {
        let log = log();
        let text = note(ORIGIN);
        let witnesses: String = (0..40).map(witness).collect();
        for sigs in [
            log_line(&log, &text) + &witnesses,
            witnesses.clone() + &log_line(&log, &text),
            witness(1) + &log_line(&log, &text) + &witness(2),
        ] {
            let cp = check(&log, &format!("{text}\n{sigs}")).unwrap();
            assert_eq!((cp.size, cp.root_hash), (42, vec![7; 32]));
        }
        let too_many: String = (0..100).map(witness).collect();
        let err = check(
            &log,
            &format!("{text}\n{}{too_many}", log_line(&log, &text)),
        )
        .unwrap_err();
        assert!(err.to_string().contains("too many"), "{err}");
    }

    #[test]
    fn the_logs_signature_must_be_there_and_valid() {
        let log = log();
        let text = note(ORIGIN);
        let witnesses: String = (0..3).map(witness).collect();
        let err = check(&log, &format!("{text}\n{witnesses}")).unwrap_err();
        assert!(
            err.to_string()
                .contains("not signed by the transparency log"),
            "{err}"
        );

        let mut sig = log.pair.sign(text.as_bytes()).as_ref().to_vec();
        sig[10] ^= 1;
        let bad = line(ORIGIN, &log.key.log_id[..4], &sig);
        let err = check(&log, &format!("{text}\n{bad}{witnesses}")).unwrap_err();
        assert!(err.to_string().contains("invalid"), "{err}");
        // The first line of the log's key decides; a repeat is ignored.
        let good = log_line(&log, &text);
        assert!(check(&log, &format!("{text}\n{bad}{good}")).is_err());
        assert!(check(&log, &format!("{text}\n{good}{bad}")).is_ok());
    }

    #[test]
    fn rekor_v2_checks_the_key_name_and_the_origin() {
        let log = log();
        let text = note(ORIGIN);
        let sig = log.pair.sign(text.as_bytes());
        // The log's key under another name is another note key.
        let renamed = line("witness.example", &log.key.log_id[..4], sig.as_ref());
        let err = check(&log, &format!("{text}\n{renamed}")).unwrap_err();
        assert!(
            err.to_string()
                .contains("not signed by the transparency log"),
            "{err}"
        );
        assert!(verify(&format!("{text}\n{renamed}"), &log.key, None).is_ok()); // Rekor v1

        let other = note("log2025-2.rekor.example");
        let envelope = format!(
            "{other}\n{}",
            line(
                ORIGIN,
                &log.key.log_id[..4],
                log.pair.sign(other.as_bytes()).as_ref()
            )
        );
        let err = check(&log, &envelope).unwrap_err();
        assert!(err.to_string().contains("origin"), "{err}");
        assert!(verify(&envelope, &log.key, None).is_ok());
    }

    #[test]
    fn origin_is_the_base_url_without_scheme() {
        assert_eq!(
            rekor_v2_origin("https://log2025-1.rekor.sigstore.dev"),
            "log2025-1.rekor.sigstore.dev"
        );
        assert_eq!(rekor_v2_origin("http://rekor.test/"), "rekor.test");
    }
}
