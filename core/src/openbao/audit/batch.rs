//! Newline-delimited entries, as OpenBao's `file` device appends them.
//! Blank lines are skipped; a `\r` before the `\n` is allowed. The first
//! bad line fails the whole batch, naming its number, so nothing is
//! silently dropped.
use super::entry::{parse_entry, Entry};
use super::error::AuditError;

pub fn parse_many(text: &[u8]) -> Result<Vec<Entry>, AuditError> {
    parse_many_with(text, |_, entry| Ok(entry))
}

/// Parses each line and hands it to `f` with its 1-based line number.
pub fn parse_many_with<T>(
    text: &[u8],
    mut f: impl FnMut(usize, Entry) -> Result<T, AuditError>,
) -> Result<Vec<T>, AuditError> {
    let mut out = Vec::new();
    for (index, line) in text.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let at = |error| AuditError::Line {
            line: index + 1,
            error: Box::new(error),
        };
        let entry = parse_entry(line).map_err(at)?;
        out.push(f(index + 1, entry).map_err(at)?);
    }
    Ok(out)
}
