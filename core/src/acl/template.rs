//! Identity templates in rule paths (`{{identity.entity.id}}`, ...), as
//! OpenBao's `identitytpl.PopulateString` treats them in ACL mode.

use std::collections::HashMap;

/// Values for identity template directives, keyed by the directive as
/// written without braces and surrounding spaces, e.g.
/// `identity.entity.id`, `identity.entity.metadata.team`,
/// `identity.entity.aliases.auth_jwt_1234.name`,
/// `identity.groups.ids.<id>.name`.
pub type TemplateValues = HashMap<String, String>;

/// Why a template could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("unbalanced templating characters")]
    Unbalanced,
    #[error("no value could be found for one of the template directives")]
    NotFound,
    #[error("template substitution contains forbidden value {0:?}")]
    Forbidden(&'static str),
}

/// Whether `s` holds templates; an error when braces are unbalanced.
pub fn has_templates(s: &str) -> Result<bool, TemplateError> {
    let mut pieces = s.split("{{");
    let first = pieces.next().unwrap_or("");
    if first.contains("}}") {
        return Err(TemplateError::Unbalanced);
    }
    let mut any = false;
    for piece in pieces {
        if piece.split("}}").count() != 2 {
            return Err(TemplateError::Unbalanced);
        }
        any = true;
    }
    Ok(any)
}

/// Substitutes every directive. A missing or empty value, or one holding
/// `*` or `+` (which would widen the rule), is an error: OpenBao then
/// drops the rule.
pub fn populate(s: &str, values: &TemplateValues) -> Result<String, TemplateError> {
    let mut pieces = s.split("{{");
    let first = pieces.next().unwrap_or("");
    if first.contains("}}") {
        return Err(TemplateError::Unbalanced);
    }
    let mut out = String::with_capacity(s.len() * 2);
    out.push_str(first);
    for piece in pieces {
        let mut parts = piece.split("}}");
        let (Some(directive), Some(tail), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(TemplateError::Unbalanced);
        };
        let value = values
            .get(directive.trim())
            .filter(|v| !v.is_empty())
            .ok_or(TemplateError::NotFound)?;
        for blocked in ["*", "+"] {
            if value.contains(blocked) {
                return Err(TemplateError::Forbidden(blocked));
            }
        }
        out.push_str(value);
        out.push_str(tail);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_and_substitutes() {
        assert_eq!(has_templates("a/b"), Ok(false));
        assert_eq!(has_templates("a/{{identity.entity.id}}/b"), Ok(true));
        assert_eq!(has_templates("a/}}"), Err(TemplateError::Unbalanced));
        assert_eq!(has_templates("a/{{x"), Err(TemplateError::Unbalanced));
        let mut v = TemplateValues::new();
        v.insert("identity.entity.id".into(), "e1".into());
        v.insert("identity.entity.name".into(), "a*".into());
        assert_eq!(
            populate("s/{{ identity.entity.id }}/x", &v).unwrap(),
            "s/e1/x"
        );
        assert_eq!(
            populate("s/{{identity.entity.name}}", &v),
            Err(TemplateError::Forbidden("*"))
        );
        assert_eq!(
            populate("s/{{identity.entity.metadata.x}}", &v),
            Err(TemplateError::NotFound)
        );
    }
}
