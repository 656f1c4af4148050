//! OpenBao ACL policy documents as GitLab writes them (`AclPolicy` /
//! `AclPolicyPath#to_openbao_attributes`), rendered as JSON or HCL.

use serde_json::{json, Map, Value};

/// One `path "..." { ... }` block.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PathRule {
    /// Capabilities in the order GitLab adds them.
    pub capabilities: Vec<&'static str>,
    /// GitLab's `granted_by` user id, written as OpenBao's `comment`.
    pub comment: Option<u64>,
    /// RFC 3339 expiry, written as OpenBao's `expiration`.
    pub expiration: Option<String>,
}

impl PathRule {
    /// Adds a capability unless present (GitLab keeps them in a `Set`).
    pub fn add(&mut self, capability: &'static str) {
        if !self.capabilities.contains(&capability) {
            self.capabilities.push(capability);
        }
    }
}

/// Paths of one policy in insertion order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PolicyDocument {
    /// `(path, rule)` pairs; each path appears once.
    pub paths: Vec<(String, PathRule)>,
}

impl PolicyDocument {
    /// The rule for `path`, created empty at the end if missing.
    pub fn rule_mut(&mut self, path: &str) -> &mut PathRule {
        let index = match self.paths.iter().position(|(p, _)| p == path) {
            Some(i) => i,
            None => {
                self.paths.push((path.to_owned(), PathRule::default()));
                self.paths.len() - 1
            }
        };
        // In bounds: `index` was just found or just pushed.
        &mut self.paths[index].1
    }

    /// The JSON object GitLab sends to `sys/policies/acl/<name>`.
    pub fn to_json_value(&self) -> Value {
        let mut paths = Map::new();
        for (path, rule) in &self.paths {
            let mut attrs = Map::new();
            if !rule.capabilities.is_empty() {
                attrs.insert("capabilities".into(), json!(rule.capabilities));
            }
            if let Some(comment) = rule.comment {
                attrs.insert("comment".into(), json!(comment));
            }
            if let Some(expiration) = &rule.expiration {
                attrs.insert("expiration".into(), json!(expiration));
            }
            paths.insert(path.clone(), Value::Object(attrs));
        }
        json!({ "path": paths })
    }

    /// Compact JSON text of [`PolicyDocument::to_json_value`].
    pub fn to_json(&self) -> String {
        self.to_json_value().to_string()
    }

    /// The same policy in HCL.
    pub fn to_hcl(&self) -> String {
        let mut out = String::new();
        for (i, (path, rule)) in self.paths.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&format!("path {} {{\n", quote(path)));
            if !rule.capabilities.is_empty() {
                let caps: Vec<String> = rule.capabilities.iter().map(|c| quote(c)).collect();
                out.push_str(&format!("  capabilities = [{}]\n", caps.join(", ")));
            }
            if let Some(comment) = rule.comment {
                out.push_str(&format!("  comment = \"{comment}\"\n"));
            }
            if let Some(expiration) = &rule.expiration {
                out.push_str(&format!("  expiration = {}\n", quote(expiration)));
            }
            out.push_str("}\n");
        }
        out
    }
}

fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A named policy ready to write to OpenBao.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenBaoPolicy {
    /// Policy name, e.g. `users/direct/user_7`.
    pub name: String,
    /// Its paths.
    pub document: PolicyDocument,
}

impl OpenBaoPolicy {
    /// HCL text of the document.
    pub fn hcl(&self) -> String {
        self.document.to_hcl()
    }

    /// JSON text of the document (what GitLab sends).
    pub fn json(&self) -> String {
        self.document.to_json()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_json_and_hcl() {
        let mut doc = PolicyDocument::default();
        doc.rule_mut("secrets/kv/data/explicit/*").add("create");
        doc.rule_mut("secrets/kv/data/explicit/*").add("create");
        doc.rule_mut("secrets/kv/metadata/explicit/*").add("read");
        doc.rule_mut("secrets/kv/data/explicit/*").expiration = Some("2030-01-01T00:00:00Z".into());
        assert_eq!(
            doc.to_json(),
            r#"{"path":{"secrets/kv/data/explicit/*":{"capabilities":["create"],"expiration":"2030-01-01T00:00:00Z"},"secrets/kv/metadata/explicit/*":{"capabilities":["read"]}}}"#
        );
        assert_eq!(
            doc.to_hcl(),
            "path \"secrets/kv/data/explicit/*\" {\n  capabilities = [\"create\"]\n  expiration = \"2030-01-01T00:00:00Z\"\n}\n\npath \"secrets/kv/metadata/explicit/*\" {\n  capabilities = [\"read\"]\n}\n"
        );
        assert_eq!(quote("a\"b\\"), "\"a\\\"b\\\\\"");
    }
}
