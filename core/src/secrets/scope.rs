//! Environment and branch scopes of a secret.
//!
//! Matching rules (GitLab itself only matches scopes literally; wildcards are
//! an extension):
//!
//! * `*` alone matches every job, including jobs without an environment and,
//!   for branches, tag pipelines and jobs without a ref.
//! * A scope without `*` matches exactly that (case-sensitive) value.
//! * A scope containing `*` elsewhere is a glob: each `*` matches any run of
//!   characters, **including `/` and the empty string**, as GitLab's CI
//!   variable environment scopes do. So `review/*` matches `review/`,
//!   `review/app` and `review/a/b`, but not `review` or `staging/review/x`.
//!   Every other character is literal.
//! * A scope other than `*` never matches an empty or missing value.
//!
//! There is no precedence between scopes: a job may read every secret whose
//! scopes all match (secret names are unique, so nothing needs breaking ties).

use super::SecretsError;

/// Longest scope accepted (GitLab environment names are at most 255).
pub const MAX_SCOPE_LEN: usize = 1024;

/// A compiled environment or branch scope.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    /// `*`: matches everything.
    Any,
    /// A literal value.
    Exact(String),
    /// A pattern with at least one `*` (and not just `*`).
    Glob(Glob),
}

/// A `*`-only glob, split at its stars.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Glob {
    source: String,
    /// Literal pieces between stars; `parts.len() >= 2`.
    parts: Vec<String>,
}

impl Scope {
    /// Compiles a scope; `field` names it in errors.
    pub fn parse(text: &str, field: &'static str) -> Result<Self, SecretsError> {
        if text.is_empty() {
            return Err(SecretsError::InvalidScope {
                field,
                reason: "must not be empty",
            });
        }
        if text.len() > MAX_SCOPE_LEN {
            return Err(SecretsError::InvalidScope {
                field,
                reason: "is too long",
            });
        }
        if text == "*" {
            return Ok(Scope::Any);
        }
        if !text.contains('*') {
            return Ok(Scope::Exact(text.to_owned()));
        }
        Ok(Scope::Glob(Glob {
            source: text.to_owned(),
            parts: text.split('*').map(str::to_owned).collect(),
        }))
    }

    /// The scope as written.
    pub fn as_str(&self) -> &str {
        match self {
            Scope::Any => "*",
            Scope::Exact(value) => value,
            Scope::Glob(glob) => &glob.source,
        }
    }

    /// Whether the scope contains a wildcard (including `*` alone).
    pub fn is_wildcard(&self) -> bool {
        !matches!(self, Scope::Exact(_))
    }

    /// Whether a job value matches; `None` or `""` mean the job has none.
    pub fn matches(&self, value: Option<&str>) -> bool {
        match self {
            Scope::Any => true,
            _ => match value {
                None | Some("") => false,
                Some(v) => match self {
                    Scope::Exact(expected) => expected == v,
                    Scope::Glob(glob) => glob.matches(v),
                    Scope::Any => true,
                },
            },
        }
    }
}

/// [`Scope::parse`] + [`Scope::matches`] in one step, without allocating:
/// for one-off checks of scopes as written. The scope must be valid.
pub fn scope_matches(scope: &str, value: Option<&str>) -> bool {
    if scope == "*" {
        return true;
    }
    let value = match value {
        None | Some("") => return false,
        Some(v) => v,
    };
    let (Some(first_star), Some(last_star)) = (scope.find('*'), scope.rfind('*')) else {
        return scope == value;
    };
    let (first, last) = (&scope[..first_star], &scope[last_star + 1..]);
    if value.len() < first.len() + last.len() || !value.starts_with(first) || !value.ends_with(last)
    {
        return false;
    }
    let Some(mut rest) = value.get(first.len()..value.len() - last.len()) else {
        return false;
    };
    let middle = scope.get(first_star + 1..last_star).unwrap_or("");
    for piece in middle.split('*').filter(|p| !p.is_empty()) {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    true
}

/// The checks of [`Scope::parse`] without building the scope.
pub(crate) fn validate_scope(text: &str, field: &'static str) -> Result<(), SecretsError> {
    if text.is_empty() {
        return Err(SecretsError::InvalidScope {
            field,
            reason: "must not be empty",
        });
    }
    if text.len() > MAX_SCOPE_LEN {
        return Err(SecretsError::InvalidScope {
            field,
            reason: "is too long",
        });
    }
    Ok(())
}

impl Glob {
    /// Star-only globs match greedily left to right: anchor the first piece
    /// at the start and the last at the end, then find each middle piece at
    /// its leftmost position. Leftmost placement never rules out a match that
    /// a later placement would allow, so no backtracking is needed.
    fn matches(&self, value: &str) -> bool {
        let (Some(first), Some(last)) = (self.parts.first(), self.parts.last()) else {
            return false;
        };
        if value.len() < first.len() + last.len()
            || !value.starts_with(first.as_str())
            || !value.ends_with(last.as_str())
        {
            return false;
        }
        let end = value.len() - last.len();
        let Some(mut rest) = value.get(first.len()..end) else {
            return false;
        };
        let middle = self.parts.get(1..self.parts.len() - 1).unwrap_or(&[]);
        for piece in middle {
            match rest.find(piece.as_str()) {
                Some(at) => match rest.get(at + piece.len()..) {
                    Some(tail) => rest = tail,
                    None => return false,
                },
                None => return false,
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(s: &str) -> Scope {
        Scope::parse(s, "environment").unwrap()
    }

    #[test]
    fn documented_rules() {
        assert!(scope("*").matches(None));
        assert!(scope("*").matches(Some("")));
        assert!(scope("production").matches(Some("production")));
        assert!(!scope("production").matches(Some("Production")));
        assert!(!scope("production").matches(None));
        let review = scope("review/*");
        assert!(review.matches(Some("review/")));
        assert!(review.matches(Some("review/app")));
        assert!(review.matches(Some("review/a/b")));
        assert!(!review.matches(Some("review")));
        assert!(!review.matches(Some("staging/review/x")));
        assert!(!review.matches(None));
        let mid = scope("a*b*c");
        assert!(mid.matches(Some("abc")));
        assert!(mid.matches(Some("a-b-b-c")));
        assert!(!mid.matches(Some("ac")));
        assert!(!scope("ab*ba").matches(Some("aba")));
        assert!(scope("ab*ba").matches(Some("abba")));
        assert!(scope("**").matches(Some("x")));
        assert!(!scope("**").matches(Some("")));
        assert!(Scope::parse("", "branch").is_err());
        assert_eq!(scope("review/*").as_str(), "review/*");
    }

    #[test]
    fn allocation_free_matching_agrees_with_compiled_scopes() {
        let patterns = [
            "*", "a", "review/*", "*-eu", "a*b*c", "ab*ba", "**", "*a*", "a**b", "x*", "*/*/*",
        ];
        let values = [
            None,
            Some(""),
            Some("a"),
            Some("review/"),
            Some("review/x/y"),
            Some("x-eu"),
            Some("abc"),
            Some("aba"),
            Some("abba"),
            Some("a-b-c"),
            Some("ab"),
            Some("a/b/c"),
            Some("xa"),
        ];
        for p in patterns {
            for v in values {
                assert_eq!(scope_matches(p, v), scope(p).matches(v), "{p} {v:?}");
            }
        }
    }
}
