//! Why an audit entry was refused. Messages never quote the entry's
//! content: with `log_raw` an entry holds secret values in clear.
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AuditError {
    /// GitLab refuses bodies of 1 MiB and more; so does the parser.
    #[error("audit entry is {size} bytes; at most {max} are accepted")]
    TooLarge { size: usize, max: usize },
    #[error("audit entry is empty")]
    Empty,
    /// Not JSON, truncated, or nested deeper than serde_json's limit (128).
    #[error("audit entry is not valid JSON: {0}")]
    Syntax(String),
    /// Valid JSON, but not an object, or a field read here has another type
    /// than OpenBao writes (the value itself is not repeated).
    #[error("audit entry does not have OpenBao's shape: {0}")]
    Shape(String),
    /// A line of a newline-delimited batch (1-based).
    #[error("line {line}: {error}")]
    Line { line: usize, error: Box<AuditError> },
}

impl AuditError {
    pub(crate) fn from_json(err: &serde_json::Error) -> Self {
        use serde_json::error::Category;
        let at = format!("line {} column {}", err.line(), err.column());
        match err.classify() {
            // serde_json's syntax messages ("expected value", "recursion
            // limit exceeded", ...) name the problem, never the content.
            Category::Syntax | Category::Eof | Category::Io => AuditError::Syntax(err.to_string()),
            // Its data messages quote the offending value; only "missing
            // field `x`" is kept as it is.
            Category::Data => {
                let text = err.to_string();
                match text.strip_prefix("missing field ") {
                    Some(rest) if rest.starts_with('`') => {
                        AuditError::Shape(format!("missing field {rest}"))
                    }
                    _ => AuditError::Shape(format!("unexpected type or value at {at}")),
                }
            }
        }
    }

    /// The message without its kind.
    pub(crate) fn detail(&self) -> String {
        match self {
            AuditError::Syntax(d) | AuditError::Shape(d) => d.clone(),
            other => other.to_string(),
        }
    }

    /// The line of a batch this error is about, if any.
    pub fn line(&self) -> Option<usize> {
        match self {
            AuditError::Line { line, .. } => Some(*line),
            _ => None,
        }
    }
}
