//! Newline-delimited entries, as OpenBao's `file` device appends them.
//! Blank lines are skipped; a `\r` before the `\n` is allowed. The first
//! bad line fails the whole batch, naming its number, so nothing is
//! silently dropped. Large batches parse their lines in parallel.
use super::entry::{parse_entry, Entry};
use super::error::AuditError;
use crate::parallel;

/// From this many lines on, lines are parsed on the fork-safe pool.
const PARALLEL_LINES: usize = 256;

/// The non-blank lines with their 1-based numbers.
fn lines(text: &[u8]) -> Vec<(usize, &[u8])> {
    text.split(|&b| b == b'\n')
        .enumerate()
        .map(|(index, line)| (index + 1, line.strip_suffix(b"\r").unwrap_or(line)))
        .filter(|(_, line)| !line.iter().all(u8::is_ascii_whitespace))
        .collect()
}

fn at(line: usize) -> impl Fn(AuditError) -> AuditError {
    move |error| AuditError::Line {
        line,
        error: Box::new(error),
    }
}

pub fn parse_many(text: &[u8]) -> Result<Vec<Entry>, AuditError> {
    let parsed = parallel::map(&lines(text), PARALLEL_LINES, |&(n, line)| {
        parse_entry(line).map_err(at(n))
    });
    // In line order, so the error reported is the first bad line's.
    parsed.into_iter().collect()
}

/// Parses each line in order and hands it to `f` with its 1-based line
/// number.
pub fn parse_many_with<T>(
    text: &[u8],
    mut f: impl FnMut(usize, Entry) -> Result<T, AuditError>,
) -> Result<Vec<T>, AuditError> {
    lines(text)
        .into_iter()
        .map(|(n, line)| {
            let entry = parse_entry(line).map_err(at(n))?;
            f(n, entry).map_err(at(n))
        })
        .collect()
}
