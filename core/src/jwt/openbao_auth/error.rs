//! Errors whose `Display` text is OpenBao's own message, verbatim, so the
//! binding can raise them unchanged.

use thiserror::Error;

/// A role definition OpenBao's `auth/<mount>/role/<name>` endpoint would
/// refuse. The message is OpenBao's error string.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{message}")]
pub struct RoleError {
    message: String,
}

impl RoleError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// OpenBao's error text.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// A configuration OpenBao's `auth/<mount>/config` endpoint would refuse.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{message}")]
pub struct ConfigError {
    message: String,
}

impl ConfigError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// True when a key (PEM or JWK) could not be used, as opposed to a
    /// missing or conflicting setting.
    pub fn is_key_error(&self) -> bool {
        self.message.starts_with("error parsing public key")
            || self.message.starts_with("error checking jwks")
    }

    /// OpenBao's error text.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// Which stage of OpenBao's login refused the token. The message is always
/// OpenBao's text; the kind lets callers branch without parsing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthErrorKind {
    /// Missing token, oidc role, CIDR binding: refused before validation.
    Request,
    /// Signature, algorithm or registered-claim (`iss`, `sub`, `aud`, times)
    /// failure: OpenBao's `error validating token: ...`.
    Token,
    /// A bound claim failed: `error validating claims: ...`.
    BoundClaims,
    /// The user claim, claim mappings or groups claim could not be used.
    Identity,
    /// OpenBao itself would fail with an internal error (HTTP 500).
    Internal,
}

/// A login OpenBao would refuse; `Display` is OpenBao's message verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{message}")]
pub struct AuthError {
    kind: AuthErrorKind,
    message: String,
}

impl AuthError {
    pub(crate) fn new(kind: AuthErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// `error validating token: <detail>`.
    pub(crate) fn token(detail: impl std::fmt::Display) -> Self {
        Self::new(
            AuthErrorKind::Token,
            format!("error validating token: {detail}"),
        )
    }

    /// The stage that refused the login.
    pub fn kind(&self) -> AuthErrorKind {
        self.kind
    }

    /// OpenBao's error text.
    pub fn message(&self) -> &str {
        &self.message
    }
}
