//! The expected value(s) of a claim check (`iss`, `aud`).

use std::fmt;

/// Expected value(s) for `iss` or `aud`, remembering whether the caller
/// gave one string or a list (callers may report the two differently).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// A single expected string.
    One(String),
    /// Any of these strings.
    AnyOf(Vec<String>),
}

impl Expected {
    pub(crate) fn contains(&self, candidate: &str) -> bool {
        match self {
            Expected::One(s) => s == candidate,
            Expected::AnyOf(list) => list.iter().any(|s| s == candidate),
        }
    }

    pub(crate) fn as_list(&self) -> Vec<String> {
        match self {
            Expected::One(s) => vec![s.clone()],
            Expected::AnyOf(list) => list.clone(),
        }
    }
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expected::One(s) => write!(f, "{s:?}"),
            Expected::AnyOf(list) => write!(f, "one of {list:?}"),
        }
    }
}

impl From<&str> for Expected {
    fn from(s: &str) -> Self {
        Expected::One(s.to_owned())
    }
}

impl From<String> for Expected {
    fn from(s: String) -> Self {
        Expected::One(s)
    }
}

impl From<Vec<String>> for Expected {
    fn from(list: Vec<String>) -> Self {
        Expected::AnyOf(list)
    }
}
