//! A JWT auth mount held in memory: its config plus its roles, with
//! OpenBao's role lookup at login (names are case-insensitive, an empty
//! role name falls back to `default_role`) and OpenBao's error text.
//!
//! Roles live behind an `RwLock`; a login clones the role's `Arc` and
//! releases the lock before any signature or claim work, so logins never
//! block each other and a concurrent `write_role` only waits for lookups.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::SystemTime;

use serde_json::{Map, Value};

use super::error::{AuthError, AuthErrorKind, RoleError};
use super::{cel_login, CelLogin, CelRole};
use super::{login, Login, Role};
use super::{JwtAuthConfig, DEFAULT_MAX_LEASE_TTL_SECONDS};
use crate::gocompat::go_quote;

/// Below this many tokens `login_many` stays on the calling thread.
const PARALLEL_THRESHOLD: usize = 8;

/// One JWT auth mount: a [`JwtAuthConfig`] and its named [`Role`]s.
#[derive(Debug)]
pub struct JwtAuthBackend {
    config: JwtAuthConfig,
    max_lease_ttl: i64,
    roles: RwLock<BTreeMap<String, Arc<Role>>>,
    /// CEL roles, keyed by their name as written (OpenBao stores them so).
    cel_roles: RwLock<BTreeMap<String, Arc<CelRole>>>,
}

impl JwtAuthBackend {
    /// A mount with no roles and OpenBao's default maximum lease TTL.
    pub fn new(config: JwtAuthConfig) -> Self {
        Self::with_max_lease_ttl(config, DEFAULT_MAX_LEASE_TTL_SECONDS)
    }

    /// A mount whose maximum lease TTL (seconds) bounds `token_period`.
    pub fn with_max_lease_ttl(config: JwtAuthConfig, max_lease_ttl: i64) -> Self {
        JwtAuthBackend {
            config,
            max_lease_ttl,
            roles: RwLock::new(BTreeMap::new()),
            cel_roles: RwLock::new(BTreeMap::new()),
        }
    }

    /// The mount's configuration.
    pub fn config(&self) -> &JwtAuthConfig {
        &self.config
    }

    fn read(&self) -> RwLockReadGuard<'_, BTreeMap<String, Arc<Role>>> {
        self.roles.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, BTreeMap<String, Arc<Role>>> {
        self.roles.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Validates `body` as `auth/<mount>/role/<name>` would and stores the
    /// role under its (lowercased) name, replacing any role of that name.
    /// Unlike OpenBao's update of an existing role, fields not given are
    /// not carried over from the previous definition.
    pub fn write_role(
        &self,
        name: &str,
        body: &Map<String, Value>,
    ) -> Result<Arc<Role>, RoleError> {
        let role = Arc::new(Role::from_json_with_max_lease_ttl(
            name,
            body,
            self.max_lease_ttl,
        )?);
        self.write().insert(role.name.clone(), Arc::clone(&role));
        Ok(role)
    }

    /// The role stored under `name` (case-insensitive).
    pub fn role(&self, name: &str) -> Option<Arc<Role>> {
        self.read().get(&name.to_lowercase()).cloned()
    }

    /// Removes a role; true when one was stored.
    pub fn delete_role(&self, name: &str) -> bool {
        self.write().remove(&name.to_lowercase()).is_some()
    }

    /// Stored role names, sorted (what `LIST auth/<mount>/role` answers).
    pub fn role_names(&self) -> Vec<String> {
        self.read().keys().cloned().collect()
    }

    /// The role a login names, as OpenBao resolves it: an empty name uses
    /// `default_role`; then `missing role` or `role "x" could not be found`.
    pub fn resolve_role(&self, name: &str) -> Result<Arc<Role>, AuthError> {
        let name = if name.is_empty() {
            self.config.default_role.as_str()
        } else {
            name
        };
        if name.is_empty() {
            return Err(AuthError::new(AuthErrorKind::Request, "missing role"));
        }
        self.role(name).ok_or_else(|| {
            AuthError::new(
                AuthErrorKind::Request,
                format!("role {} could not be found", go_quote(name)),
            )
        })
    }

    /// `POST auth/<mount>/login {"role": role, "jwt": token}` at `now`.
    pub fn login(&self, role: &str, token: &str, now: SystemTime) -> Result<Login, AuthError> {
        let role = self.resolve_role(role)?;
        login(&self.config, &role, token, now)
    }

    /// Many logins against one role at `now`, results in input order; runs
    /// on the fork-safe rayon pool when there are enough tokens.
    pub fn login_many<T: AsRef<str> + Sync>(
        &self,
        role: &str,
        tokens: &[T],
        now: SystemTime,
    ) -> Vec<Result<Login, AuthError>> {
        let role = match self.resolve_role(role) {
            Ok(role) => role,
            Err(e) => return tokens.iter().map(|_| Err(e.clone())).collect(),
        };
        crate::parallel::map(tokens, PARALLEL_THRESHOLD, |t| {
            login(&self.config, &role, t.as_ref(), now)
        })
    }
}

/// CEL roles (`auth/<mount>/cel/role/<name>`, `cel/login`).
impl JwtAuthBackend {
    fn cel_read(&self) -> RwLockReadGuard<'_, BTreeMap<String, Arc<CelRole>>> {
        self.cel_roles.read().unwrap_or_else(|p| p.into_inner())
    }

    fn cel_write(&self) -> RwLockWriteGuard<'_, BTreeMap<String, Arc<CelRole>>> {
        self.cel_roles.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Validates and compiles `body` as `auth/<mount>/cel/role/<name>`
    /// would and stores it under `name` as written, replacing any role of
    /// that name.
    pub fn write_cel_role(
        &self,
        name: &str,
        body: &Map<String, Value>,
    ) -> Result<Arc<CelRole>, RoleError> {
        let role = Arc::new(CelRole::from_json(name, body)?);
        self.cel_write().insert(name.to_string(), Arc::clone(&role));
        Ok(role)
    }

    /// The CEL role stored under exactly `name`.
    pub fn cel_role(&self, name: &str) -> Option<Arc<CelRole>> {
        self.cel_read().get(name).cloned()
    }

    /// Removes a CEL role; true when one was stored.
    pub fn delete_cel_role(&self, name: &str) -> bool {
        self.cel_write().remove(name).is_some()
    }

    /// Stored CEL role names, sorted.
    pub fn cel_role_names(&self) -> Vec<String> {
        self.cel_read().keys().cloned().collect()
    }

    /// The CEL role a login names: lowercased (OpenBao's login field is a
    /// lower-case string, so a role written with capitals cannot be logged
    /// in to), `default_role` for an empty name.
    pub fn resolve_cel_role(&self, name: &str) -> Result<Arc<CelRole>, AuthError> {
        let name = if name.is_empty() {
            self.config.default_role.as_str()
        } else {
            name
        };
        if name.is_empty() {
            return Err(AuthError::new(AuthErrorKind::Request, "missing role"));
        }
        let lower = name.to_lowercase();
        self.cel_role(&lower).ok_or_else(|| {
            AuthError::new(
                AuthErrorKind::Request,
                format!("role {} could not be found", go_quote(&lower)),
            )
        })
    }

    /// `POST auth/<mount>/cel/login {"role": role, "jwt": token}` at `now`.
    pub fn cel_login(
        &self,
        role: &str,
        token: &str,
        now: SystemTime,
    ) -> Result<CelLogin, AuthError> {
        let role = self.resolve_cel_role(role)?;
        cel_login(&self.config, &role, token, now)
    }

    /// Many CEL logins against one role at `now`, results in input order;
    /// runs on the fork-safe rayon pool when there are enough tokens.
    pub fn cel_login_many<T: AsRef<str> + Sync>(
        &self,
        role: &str,
        tokens: &[T],
        now: SystemTime,
    ) -> Vec<Result<CelLogin, AuthError>> {
        let role = match self.resolve_cel_role(role) {
            Ok(role) => role,
            Err(e) => return tokens.iter().map(|_| Err(e.clone())).collect(),
        };
        crate::parallel::map(tokens, PARALLEL_THRESHOLD, |t| {
            cel_login(&self.config, &role, t.as_ref(), now)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn backend(default_role: &str) -> JwtAuthBackend {
        let body = json!({"jwks": {"keys": []}, "bound_issuer": "iss"});
        let mut config =
            JwtAuthConfig::from_json(body.as_object().expect("object")).expect("config");
        config.default_role = default_role.into();
        JwtAuthBackend::new(config)
    }

    fn body() -> Map<String, Value> {
        json!({"role_type": "jwt", "user_claim": "sub", "bound_audiences": ["a"]})
            .as_object()
            .cloned()
            .unwrap_or_default()
    }

    #[test]
    fn roles_are_case_insensitive_and_replaceable() {
        let b = backend("");
        let r = b.write_role("MyRole", &body()).expect("role");
        assert_eq!(r.name, "myrole");
        assert!(b.role("MYROLE").is_some());
        assert_eq!(b.role_names(), vec!["myrole".to_string()]);
        assert!(b.delete_role("myRole"));
        assert!(!b.delete_role("myrole"));
        assert!(b.role("myrole").is_none());
    }

    #[test]
    fn login_role_resolution_matches_openbao() {
        let b = backend("");
        b.write_role("r", &body()).expect("role");
        let now = SystemTime::now();
        let err = |role: &str, tok: &str| b.login(role, tok, now).expect_err("refused").to_string();
        assert_eq!(err("", "x"), "missing role");
        assert_eq!(err("nope", ""), "role \"nope\" could not be found");
        assert_eq!(err("R", ""), "missing token");
        let with_default = backend("r");
        with_default.write_role("r", &body()).expect("role");
        assert_eq!(
            with_default
                .login("", "", now)
                .expect_err("refused")
                .to_string(),
            "missing token"
        );
    }

    #[test]
    fn login_many_keeps_order_and_repeats_role_errors() {
        let b = backend("");
        b.write_role("r", &body()).expect("role");
        let tokens: Vec<String> = (0..20)
            .map(|i| {
                if i % 2 == 0 {
                    String::new()
                } else {
                    "a.b.c".into()
                }
            })
            .collect();
        let out = b.login_many("r", &tokens, SystemTime::now());
        assert_eq!(out.len(), 20);
        for (i, r) in out.iter().enumerate() {
            let msg = r.as_ref().expect_err("refused").to_string();
            assert_eq!(msg.as_str() == "missing token", i % 2 == 0, "{i}: {msg}");
        }
        let missing = b.login_many("x", &tokens[..3], SystemTime::now());
        assert!(missing.iter().all(|r| r
            .as_ref()
            .is_err_and(|e| e.to_string() == "role \"x\" could not be found")));
    }

    #[test]
    fn config_key_errors_are_told_apart() {
        let bad_pem = JwtAuthConfig::with_public_keys("", &["not a key"]).expect_err("bad pem");
        assert!(bad_pem.is_key_error());
        let neither = JwtAuthConfig::from_json(&Map::new()).expect_err("no keys");
        assert!(!neither.is_key_error());
    }
}
