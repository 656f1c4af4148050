//! An ACL kept for many checks that decides as if it were rebuilt at the
//! moment of each check, as OpenBao rebuilds a token's ACL per request and
//! drops rules whose `expiration` has passed.
//!
//! Each built [`Acl`] knows the span of moments for which a build would be
//! identical (between the rule expirations around it). A check inside the
//! first build's span costs two integer compares; outside it, the latest
//! rebuild is read under a read lock and replaced only when the moment
//! leaves its span too (time moving on, or a test clock moving back).

use std::ops::Deref;
use std::sync::{Arc, PoisonError, RwLock};

use super::eval::Acl;
use super::policy::Policy;
use super::template::TemplateValues;

/// What a rebuild needs: the policies and the identity values.
#[derive(Debug)]
struct Sources {
    policies: Vec<Arc<Policy>>,
    values: TemplateValues,
}

/// An ACL over fixed policies whose answers follow the clock.
#[derive(Debug)]
pub struct TimedAcl {
    first: Arc<Acl>,
    /// `None` when no rule expires, or when the moment is pinned.
    sources: Option<Sources>,
    latest: RwLock<Arc<Acl>>,
}

/// The ACL to use for one check (borrowed in the common case).
pub enum AclAt<'a> {
    Borrowed(&'a Acl),
    Shared(Arc<Acl>),
}

impl Deref for AclAt<'_> {
    type Target = Acl;

    fn deref(&self) -> &Acl {
        match self {
            AclAt::Borrowed(acl) => acl,
            AclAt::Shared(acl) => acl,
        }
    }
}

impl TimedAcl {
    /// Builds the ACL at `now_unix` and rebuilds it for the moment of
    /// each later check when rules expire.
    pub fn new(policies: Vec<Arc<Policy>>, values: TemplateValues, now_unix: i64) -> TimedAcl {
        let first = Arc::new(Acl::build(policies.iter().map(|p| &**p), &values, now_unix));
        let sources = first
            .depends_on_time()
            .then_some(Sources { policies, values });
        TimedAcl::from_parts(first, sources)
    }

    /// The ACL at `now_unix`, for every check (no rebuilds).
    pub fn pinned(policies: &[Arc<Policy>], values: &TemplateValues, now_unix: i64) -> TimedAcl {
        let first = Arc::new(Acl::build(policies.iter().map(|p| &**p), values, now_unix));
        TimedAcl::from_parts(first, None)
    }

    fn from_parts(first: Arc<Acl>, sources: Option<Sources>) -> TimedAcl {
        TimedAcl {
            latest: RwLock::new(Arc::clone(&first)),
            first,
            sources,
        }
    }

    /// Whether checks need the current time (rules expire, not pinned).
    pub fn needs_clock(&self) -> bool {
        self.sources.is_some()
    }

    /// The ACL as built at `now_unix` (ignored when [`needs_clock`] is
    /// false).
    ///
    /// [`needs_clock`]: TimedAcl::needs_clock
    pub fn at(&self, now_unix: i64) -> AclAt<'_> {
        let Some(sources) = &self.sources else {
            return AclAt::Borrowed(&self.first);
        };
        if self.first.valid_at(now_unix) {
            return AclAt::Borrowed(&self.first);
        }
        {
            let latest = self.latest.read().unwrap_or_else(PoisonError::into_inner);
            if latest.valid_at(now_unix) {
                return AclAt::Shared(Arc::clone(&latest));
            }
        }
        let fresh = Arc::new(Acl::build(
            sources.policies.iter().map(|p| &**p),
            &sources.values,
            now_unix,
        ));
        *self.latest.write().unwrap_or_else(PoisonError::into_inner) = Arc::clone(&fresh);
        AclAt::Shared(fresh)
    }

    /// [`at`](TimedAcl::at) as an owned handle (for work on other threads).
    pub fn shared_at(&self, now_unix: i64) -> Arc<Acl> {
        match self.at(now_unix) {
            AclAt::Borrowed(_) => Arc::clone(&self.first),
            AclAt::Shared(acl) => acl,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(text: &str, name: &str) -> Arc<Policy> {
        Arc::new(Policy::parse_at(text, name, 0).unwrap_or_else(|e| panic!("{e}")))
    }

    #[test]
    fn decides_as_a_build_at_each_moment() {
        let policies = vec![
            policy(r#"path "a/*" { capabilities = ["read"] }"#, "base"),
            policy(
                r#"path "a/b" { capabilities = ["update"] expiration = "100" }
                   path "a/c" { capabilities = ["deny"] expiration = "200" }"#,
                "glass",
            ),
        ];
        let values = TemplateValues::new();
        let timed = TimedAcl::new(policies.clone(), values.clone(), 50);
        assert!(timed.needs_clock());
        for now in [50, 100, 101, 150, 200, 201, 10_000, 0, 99, 100, 201, 150] {
            let fresh = Acl::build(policies.iter().map(|p| &**p), &values, now);
            for path in ["a/b", "a/c", "a/x"] {
                assert_eq!(
                    timed.at(now).capabilities(path),
                    fresh.capabilities(path),
                    "{path} at {now}"
                );
            }
        }
        assert_eq!(timed.at(100).capabilities("a/b"), vec!["update"]);
        assert_eq!(timed.at(101).capabilities("a/b"), vec!["read"]);
        assert_eq!(timed.at(150).capabilities("a/c"), vec!["deny"]);
        assert_eq!(timed.at(201).capabilities("a/c"), vec!["read"]);
    }

    #[test]
    fn without_expirations_or_pinned_nothing_is_rebuilt() {
        let plain = vec![policy(r#"path "a" { capabilities = ["read"] }"#, "p")];
        let timed = TimedAcl::new(plain, TemplateValues::new(), 0);
        assert!(!timed.needs_clock());
        assert!(matches!(timed.at(i64::MAX), AclAt::Borrowed(_)));

        let expiring = vec![policy(
            r#"path "a" { capabilities = ["read"] expiration = "10" }"#,
            "p",
        )];
        let pinned = TimedAcl::pinned(&expiring, &TemplateValues::new(), 5);
        assert!(!pinned.needs_clock());
        assert_eq!(pinned.at(1_000).capabilities("a"), vec!["read"]);
    }
}
