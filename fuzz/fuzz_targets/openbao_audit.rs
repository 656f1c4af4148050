//! OpenBao audit entries: one entry and a newline-delimited batch of the
//! same bytes. Checks that parsing and classification are deterministic,
//! that a batch agrees with its lines one by one, that only response
//! entries on secret paths are events, and that refusals never quote the
//! input.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pipeline_guard_core::openbao::audit::{
    classify, is_secret_data_path, is_secret_metadata_path, parse_entry, parse_many, secret_name,
    Actor, AuditError, EntryType,
};

/// A refusal must not carry input text: the seeds put this marker in
/// values of every kind, and no message may repeat it.
fn quotes_input(message: &str, data: &[u8]) -> bool {
    let marker = b"QQQSECRETQQQ";
    data.windows(marker.len()).any(|w| w == marker) && message.contains("QQQSECRETQQQ")
}

fuzz_target!(|data: &[u8]| {
    match parse_entry(data) {
        Ok(entry) => {
            assert_eq!(Ok(&entry), parse_entry(data).as_ref(), "parse is not deterministic");
            let event = classify(&entry);
            assert_eq!(event, classify(&entry));
            if let Some(event) = event {
                assert_eq!(entry.entry_type, EntryType::Response);
                let path = entry.path().expect("an event has a path");
                assert!(is_secret_data_path(path) || is_secret_metadata_path(path));
                assert!(secret_name(path).is_some());
                assert!(!event.name().is_empty());
            }
            let _ = Actor::of(&entry);
        }
        Err(err) => {
            assert!(!quotes_input(&err.to_string(), data), "{err}");
            if data.len() > pipeline_guard_core::openbao::audit::MAX_ENTRY_BYTES {
                assert!(matches!(err, AuditError::TooLarge { .. }));
            }
        }
    }
    match parse_many(data) {
        Ok(entries) => {
            let lines: Vec<&[u8]> = data
                .split(|&b| b == b'\n')
                .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
                .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
                .collect();
            assert_eq!(entries.len(), lines.len());
            for (entry, line) in entries.iter().zip(lines) {
                assert_eq!(Ok(entry), parse_entry(line).as_ref());
            }
        }
        Err(err) => {
            let line = err.line().expect("a batch error names its line");
            assert!(line >= 1 && line <= data.split(|&b| b == b'\n').count());
            assert!(!quotes_input(&err.to_string(), data), "{err}");
        }
    }
});
