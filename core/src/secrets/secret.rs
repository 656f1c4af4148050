//! A secret's attributes (never its value).

use serde::{Deserialize, Serialize};

use super::{Scope, SecretsError};

/// Longest secret name GitLab accepts.
pub const MAX_NAME_LEN: usize = 255;
/// Longest description GitLab accepts.
pub const MAX_DESCRIPTION_LEN: usize = 200;

/// A secret as GitLab stores it in OpenBao metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Secret {
    /// `[A-Za-z0-9_]{1,255}`.
    pub name: String,
    /// Environment scope: `*`, a name, or a glob such as `review/*`.
    #[serde(default = "star")]
    pub environment: String,
    /// Branch scope: `*`, a branch, or a glob such as `release/*`.
    #[serde(default = "star")]
    pub branch: String,
    /// Readable only by jobs whose ref is protected.
    #[serde(default)]
    pub protected: bool,
    /// Free text.
    #[serde(default)]
    pub description: Option<String>,
}

fn star() -> String {
    "*".to_owned()
}

/// Checks a secret name against GitLab's `/\A[a-zA-Z0-9_]+\z/` and length.
pub fn validate_secret_name(name: &str) -> Result<(), SecretsError> {
    if name.is_empty()
        || name.len() > MAX_NAME_LEN
        || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return Err(SecretsError::InvalidSecretName);
    }
    Ok(())
}

impl Secret {
    /// A secret with `*` scopes, unprotected, no description.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            environment: star(),
            branch: star(),
            protected: false,
            description: None,
        }
    }

    /// Sets the scopes (builder style).
    pub fn scoped(mut self, environment: &str, branch: &str) -> Self {
        self.environment = environment.to_owned();
        self.branch = branch.to_owned();
        self
    }

    /// Sets the protected flag (builder style).
    pub fn protected(mut self, protected: bool) -> Self {
        self.protected = protected;
        self
    }

    /// The checks of [`Secret::validate`] without compiling the scopes.
    pub fn check(&self) -> Result<(), SecretsError> {
        validate_secret_name(&self.name)?;
        if self
            .description
            .as_deref()
            .is_some_and(|d| d.chars().count() > MAX_DESCRIPTION_LEN)
        {
            return Err(SecretsError::DescriptionTooLong);
        }
        super::scope::validate_scope(&self.environment, "environment")?;
        super::scope::validate_scope(&self.branch, "branch")
    }

    /// Validates every attribute and compiles the scopes.
    pub fn validate(&self) -> Result<(Scope, Scope), SecretsError> {
        validate_secret_name(&self.name)?;
        if self
            .description
            .as_deref()
            .is_some_and(|d| d.chars().count() > MAX_DESCRIPTION_LEN)
        {
            return Err(SecretsError::DescriptionTooLong);
        }
        Ok((
            Scope::parse(&self.environment, "environment")?,
            Scope::parse(&self.branch, "branch")?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_gitlab() {
        assert!(validate_secret_name("DB_PASSWORD_1").is_ok());
        assert!(validate_secret_name(&"a".repeat(255)).is_ok());
        for bad in ["", "a-b", "a b", "ünicode", "a/b", "a.b"] {
            assert_eq!(
                validate_secret_name(bad),
                Err(SecretsError::InvalidSecretName)
            );
        }
        assert!(validate_secret_name(&"a".repeat(256)).is_err());
        let mut s = Secret::new("X").scoped("", "*");
        assert!(s.validate().is_err());
        s.environment = "review/*".into();
        assert!(matches!(s.validate(), Ok((Scope::Glob(_), Scope::Any))));
        s.description = Some("d".repeat(201));
        assert_eq!(s.validate(), Err(SecretsError::DescriptionTooLong));
        let parsed: Secret = serde_json::from_str(r#"{"name": "A"}"#).unwrap();
        assert_eq!(parsed, Secret::new("A"));
    }
}
