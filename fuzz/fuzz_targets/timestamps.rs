//! RFC 3339 / date timestamps of permission expiry: any text parses or is
//! refused, and a parsed instant prints and re-parses to itself.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pipeline_guard_core::secrets::{format_rfc3339, parse_timestamp};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(unix) = parse_timestamp(text) {
        let printed = format_rfc3339(unix);
        assert_eq!(
            parse_timestamp(&printed),
            Ok(unix),
            "{text:?} -> {printed:?}"
        );
    }
});
