//! Pipeline ACL policies, maintained incrementally.
//!
//! GitLab (`CiPolicies::*SecretRefresher`) puts each secret's value and
//! metadata paths, with `read`, into exactly one pipeline policy chosen from
//! its scopes, and on every write lists *all* secrets to decide whether a
//! policy became empty and to rebuild the JWT role's glob policy list. Here
//! the book keeps, per policy, the set of secret names in it, so adding,
//! moving or removing a secret re-renders only the one or two policies it
//! touches and reports exactly what changed.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::policy_document::{OpenBaoPolicy, PolicyDocument};
use super::{data_path, hex, metadata_path, Secret, SecretsError};

/// Project books name policies by environment and branch; group books by
/// environment and protection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookKind {
    /// `pipelines/global`, `pipelines/env/<hex>`, `pipelines/branch/<hex>`,
    /// `pipelines/combined/env/<hex>/branch/<hex>`.
    Project,
    /// `pipelines/combined/{protected|unprotected}/{global|env/<hex>}`.
    Group,
}

impl BookKind {
    /// The policy a secret belongs to (GitLab's `ci_policy_name` /
    /// `ci_policy_name_for_environment`). Scopes are hex-encoded as written,
    /// wildcards included. Protected project secrets (an extension: GitLab's
    /// project secrets have no protection flag) live in the same names under
    /// `pipelines/protected/`, so unprotected jobs never receive them.
    pub fn policy_name(self, secret: &Secret) -> String {
        let (env, branch) = (secret.environment.as_str(), secret.branch.as_str());
        match self {
            BookKind::Project => {
                let root = if secret.protected {
                    "pipelines/protected"
                } else {
                    "pipelines"
                };
                match (env != "*", branch != "*") {
                    (true, true) => {
                        format!("{root}/combined/env/{}/branch/{}", hex(env), hex(branch))
                    }
                    (true, false) => format!("{root}/env/{}", hex(env)),
                    (false, true) => format!("{root}/branch/{}", hex(branch)),
                    (false, false) => format!("{root}/global"),
                }
            }
            BookKind::Group => {
                let level = if secret.protected {
                    "protected"
                } else {
                    "unprotected"
                };
                if env == "*" {
                    format!("pipelines/combined/{level}/global")
                } else {
                    format!("pipelines/combined/{level}/env/{}", hex(env))
                }
            }
        }
    }
}

/// One policy to write (`policy: Some`) or delete (`policy: None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyChange {
    /// Policy name.
    pub name: String,
    /// New contents, or `None` when the policy should be deleted.
    pub policy: Option<OpenBaoPolicy>,
}

/// Everything an update changed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PolicyUpdate {
    /// Policies to write or delete, in name order.
    pub changes: Vec<PolicyChange>,
    /// The project JWT role's new `token_policies`, when they changed.
    pub token_policies: Option<Vec<String>>,
}

#[derive(Debug, Clone)]
struct Placement {
    policy: String,
    glob_templates: Vec<String>,
}

/// Pipeline policies of one project or group, kept in step with its secrets.
#[derive(Debug, Clone)]
pub struct CiPolicyBook {
    kind: BookKind,
    members: HashMap<String, BTreeSet<String>>,
    placements: HashMap<String, Placement>,
    glob_refs: BTreeMap<String, usize>,
}

impl CiPolicyBook {
    /// An empty book.
    pub fn new(kind: BookKind) -> Self {
        Self {
            kind,
            members: HashMap::new(),
            placements: HashMap::new(),
            glob_refs: BTreeMap::new(),
        }
    }

    /// Adds a secret or applies a change of its scopes. Unchanged placement
    /// yields an empty update.
    pub fn upsert(&mut self, secret: &Secret) -> Result<PolicyUpdate, SecretsError> {
        secret.validate()?;
        let policy = self.kind.policy_name(secret);
        let globs = match self.kind {
            BookKind::Project => placement_template(secret, &policy).into_iter().collect(),
            BookKind::Group => Vec::new(),
        };
        if self
            .placements
            .get(&secret.name)
            .is_some_and(|p| p.policy == policy && p.glob_templates == globs)
        {
            return Ok(PolicyUpdate::default());
        }
        let mut touched = BTreeSet::new();
        let mut globs_changed = false;
        if let Some(old) = self.take(&secret.name) {
            globs_changed |= self.release_globs(&old.glob_templates);
            touched.insert(old.policy);
        }
        self.members
            .entry(policy.clone())
            .or_default()
            .insert(secret.name.clone());
        for template in &globs {
            let count = self.glob_refs.entry(template.clone()).or_insert(0);
            globs_changed |= *count == 0;
            *count += 1;
        }
        touched.insert(policy.clone());
        self.placements.insert(
            secret.name.clone(),
            Placement {
                policy,
                glob_templates: globs,
            },
        );
        Ok(self.report(touched, globs_changed))
    }

    /// Removes a secret; an emptied policy is reported for deletion.
    pub fn remove(&mut self, name: &str) -> PolicyUpdate {
        let Some(old) = self.take(name) else {
            return PolicyUpdate::default();
        };
        let globs_changed = self.release_globs(&old.glob_templates);
        self.report(BTreeSet::from([old.policy]), globs_changed)
    }

    fn take(&mut self, name: &str) -> Option<Placement> {
        let old = self.placements.remove(name)?;
        if let Some(names) = self.members.get_mut(&old.policy) {
            names.remove(name);
            if names.is_empty() {
                self.members.remove(&old.policy);
            }
        }
        Some(old)
    }

    fn release_globs(&mut self, templates: &[String]) -> bool {
        let mut changed = false;
        for template in templates {
            if let Some(count) = self.glob_refs.get_mut(template) {
                *count = count.saturating_sub(1);
                if *count == 0 {
                    self.glob_refs.remove(template);
                    changed = true;
                }
            }
        }
        changed
    }

    fn report(&self, touched: BTreeSet<String>, globs_changed: bool) -> PolicyUpdate {
        PolicyUpdate {
            changes: touched
                .into_iter()
                .map(|name| PolicyChange {
                    policy: self.policy(&name),
                    name,
                })
                .collect(),
            token_policies: (globs_changed && self.kind == BookKind::Project)
                .then(|| self.token_policies()),
        }
    }

    /// The current document of a policy, `None` if it holds no secret.
    pub fn policy(&self, name: &str) -> Option<OpenBaoPolicy> {
        let names = self.members.get(name)?;
        let mut document = PolicyDocument::default();
        for secret in names {
            document.rule_mut(&data_path(secret)).add("read");
            document.rule_mut(&metadata_path(secret)).add("read");
        }
        Some(OpenBaoPolicy {
            name: name.to_owned(),
            document,
        })
    }

    /// Every non-empty policy, by name (for a full sync).
    pub fn policies(&self) -> Vec<OpenBaoPolicy> {
        let names: BTreeSet<&String> = self.members.keys().collect();
        names.into_iter().filter_map(|n| self.policy(n)).collect()
    }

    /// The project pipeline JWT role's `token_policies`: GitLab's four
    /// literal templates followed by the glob templates of wildcard-scoped
    /// secrets (sorted).
    pub fn token_policies(&self) -> Vec<String> {
        let mut out: Vec<String> = LITERAL_TEMPLATES.iter().map(|s| (*s).to_owned()).collect();
        out.extend(self.glob_refs.keys().cloned());
        out
    }
}

/// `ci_auth_literal_policies`.
const LITERAL_TEMPLATES: [&str; 4] = [
    "pipelines/global",
    "{{ if and (ne nil (index . \"environment\")) (ne \"\" .environment) }}pipelines/env/{{ .environment | hex }}{{ end }}",
    "{{ if and (eq \"branch\" .ref_type) (ne \"\" .ref) }}pipelines/branch/{{ .ref | hex }}{{ end }}",
    "{{ if and (eq \"branch\" .ref_type) (ne nil (index . \"environment\")) (ne \"\" .environment) }}pipelines/combined/env/{{ .environment | hex}}/branch/{{ .ref | hex }}{{ end }}",
];

/// The role template that hands a job the policy of a secret whose scopes
/// the literal templates cannot express: a wildcard scope (`review/*`) or a
/// protected secret. GitLab's `ci_auth_glob_policies` compare the hex of the
/// claim with the hex of the scope, i.e. match literally; these use OpenBao's
/// template `glob` function, so OpenBao grants exactly what
/// [`super::pipeline_secrets`] computes. Scopes are embedded hex-encoded
/// (`"..." | decode_hex`), so no scope text can break out of the template.
/// Every claim is read through `index`, so a missing claim yields no policy
/// instead of failing the login (`missingkey=error`).
fn placement_template(secret: &Secret, policy: &str) -> Option<String> {
    let (env, branch) = (secret.environment.as_str(), secret.branch.as_str());
    let literal = |scope: &str| scope == "*" || !scope.contains('*');
    if !secret.protected && literal(env) && literal(branch) {
        return None;
    }
    let mut conditions: Vec<String> = Vec::new();
    if secret.protected {
        conditions.push(r#"(eq "true" (printf "%v" (index . "ref_protected")))"#.to_owned());
    }
    if env != "*" {
        conditions.push(r#"(ne nil (index . "environment"))"#.to_owned());
        conditions.push(r#"(ne "" (printf "%v" .environment))"#.to_owned());
        conditions.push(scope_condition(env, "environment"));
    }
    if branch != "*" {
        conditions.push(r#"(eq "branch" (printf "%v" (index . "ref_type")))"#.to_owned());
        conditions.push(r#"(ne nil (index . "ref"))"#.to_owned());
        conditions.push(r#"(ne "" (printf "%v" .ref))"#.to_owned());
        conditions.push(scope_condition(branch, "ref"));
    }
    let test = match conditions.len() {
        1 => conditions.concat(),
        _ => format!("and {}", conditions.join(" ")),
    };
    Some(format!("{{{{ if {test} }}}}{policy}{{{{ end }}}}"))
}

fn scope_condition(scope: &str, claim: &str) -> String {
    let encoded = hex(scope);
    if scope.contains('*') {
        format!(r#"(glob ("{encoded}" | decode_hex) (printf "%v" .{claim}))"#)
    } else {
        format!(r#"(eq "{encoded}" (printf "%v" .{claim} | hex))"#)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_names_match_gitlab() {
        let p = BookKind::Project;
        assert_eq!(p.policy_name(&Secret::new("A")), "pipelines/global");
        assert_eq!(
            p.policy_name(&Secret::new("A").scoped("production", "*")),
            "pipelines/env/70726f64756374696f6e"
        );
        assert_eq!(
            p.policy_name(&Secret::new("A").scoped("*", "main")),
            "pipelines/branch/6d61696e"
        );
        assert_eq!(
            p.policy_name(&Secret::new("A").scoped("production", "main")),
            "pipelines/combined/env/70726f64756374696f6e/branch/6d61696e"
        );
        let g = BookKind::Group;
        assert_eq!(
            g.policy_name(&Secret::new("A").protected(true)),
            "pipelines/combined/protected/global"
        );
        assert_eq!(
            g.policy_name(&Secret::new("A").scoped("prod", "*")),
            "pipelines/combined/unprotected/env/70726f64"
        );
    }

    #[test]
    fn incremental_updates_touch_only_affected_policies() {
        let mut book = CiPolicyBook::new(BookKind::Project);
        let up = book.upsert(&Secret::new("A")).unwrap();
        assert_eq!(up.changes.len(), 1);
        assert_eq!(up.changes[0].name, "pipelines/global");
        assert_eq!(
            up.changes[0].policy.as_ref().unwrap().json(),
            r#"{"path":{"secrets/kv/data/explicit/A":{"capabilities":["read"]},"secrets/kv/metadata/explicit/A":{"capabilities":["read"]}}}"#
        );
        // A global secret is covered by the literal templates.
        assert_eq!(up.token_policies, None);
        assert_eq!(book.token_policies().len(), 4);
        book.upsert(&Secret::new("B")).unwrap();
        assert!(book.upsert(&Secret::new("B")).unwrap().changes.is_empty());

        // Moving B re-renders the old and the new policy only.
        let up = book
            .upsert(&Secret::new("B").scoped("review/*", "*"))
            .unwrap();
        let names: Vec<_> = up.changes.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            ["pipelines/env/7265766965772f2a", "pipelines/global"]
        );
        let global = up.changes[1].policy.as_ref().unwrap().json();
        assert!(global.contains("explicit/A") && !global.contains("explicit/B"));
        let tokens = up.token_policies.unwrap();
        assert_eq!(tokens.len(), 5);
        assert!(tokens[4]
            .contains(r#"(glob ("7265766965772f2a" | decode_hex) (printf "%v" .environment))"#));
        assert!(tokens[4].ends_with("}}pipelines/env/7265766965772f2a{{ end }}"));

        // Removing the last secret of a policy deletes it.
        let up = book.remove("B");
        assert_eq!(up.changes.len(), 1);
        assert!(up.changes[0].policy.is_none());
        assert_eq!(up.token_policies.unwrap().len(), 4);
        assert_eq!(book.remove("B"), PolicyUpdate::default());
        assert_eq!(book.policies().len(), 1);
        assert!(book.upsert(&Secret::new("bad name")).is_err());
    }

    #[test]
    fn placement_templates() {
        let t = |s: Secret| {
            let policy = BookKind::Project.policy_name(&s);
            placement_template(&s, &policy)
        };
        assert_eq!(t(Secret::new("A")), None);
        assert_eq!(t(Secret::new("A").scoped("prod", "main")), None);
        assert_eq!(
            t(Secret::new("A").protected(true)).as_deref(),
            Some(
                r#"{{ if (eq "true" (printf "%v" (index . "ref_protected"))) }}pipelines/protected/global{{ end }}"#
            )
        );
        assert_eq!(
            t(Secret::new("A").scoped("review/*", "main")).as_deref(),
            Some(concat!(
                r#"{{ if and (ne nil (index . "environment")) (ne "" (printf "%v" .environment)) "#,
                r#"(glob ("7265766965772f2a" | decode_hex) (printf "%v" .environment)) "#,
                r#"(eq "branch" (printf "%v" (index . "ref_type"))) (ne nil (index . "ref")) "#,
                r#"(ne "" (printf "%v" .ref)) (eq "6d61696e" (printf "%v" .ref | hex)) }}"#,
                "pipelines/combined/env/7265766965772f2a/branch/6d61696e{{ end }}"
            ))
        );
        // Scope text cannot break out of the template: it is embedded as hex.
        let hostile = t(Secret::new("A").scoped("x\"}}{{ evil *", "*")).unwrap();
        assert!(!hostile.contains("evil"));
        assert_eq!(
            BookKind::Project.policy_name(&Secret::new("A").scoped("*", "main").protected(true)),
            "pipelines/protected/branch/6d61696e"
        );
    }
}
