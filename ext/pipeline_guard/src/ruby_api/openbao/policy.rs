//! `PipelineGuard::OpenBao::Policy`: one parsed OpenBao ACL policy (HCL or
//! JSON). The keyword API (`Policy.parse(text, name:, now:)`) lives in
//! `lib/pipeline_guard/openbao/policy.rb`.
use std::sync::Arc;

use magnus::{
    function, method, prelude::*, Error, IntoValue, RArray, RHash, RModule, RString, Ruby, Value,
};
use pipeline_guard_core::acl::{ParamMap, ParamValue, PathRule, Policy, PolicyError};

use crate::helpers::errors::{error, Class};
use crate::helpers::guard::guard;
use crate::helpers::rstring;

#[magnus::wrap(
    class = "PipelineGuard::OpenBao::Policy",
    free_immediately,
    size,
    frozen_shareable
)]
pub struct RbPolicy(pub Arc<Policy>);

pub fn policy_error(ruby: &Ruby, err: &PolicyError) -> Error {
    error(ruby, Class::OpenBaoPolicyError, err.to_string())
}

fn param_value(ruby: &Ruby, v: &ParamValue) -> Result<Value, Error> {
    Ok(match v {
        ParamValue::Null => ruby.qnil().as_value(),
        ParamValue::Bool(b) => (*b).into_value_with(ruby),
        ParamValue::Int(i) => (*i).into_value_with(ruby),
        ParamValue::Float(f) => (*f).into_value_with(ruby),
        ParamValue::Str(s) => ruby.str_new(s).as_value(),
        ParamValue::List(l) => {
            let ary = ruby.ary_new_capa(l.len());
            for item in l {
                ary.push(param_value(ruby, item)?)?;
            }
            ary.as_value()
        }
        ParamValue::Map(m) => {
            let hash = ruby.hash_new();
            for (k, item) in m {
                hash.aset(ruby.str_new(k), param_value(ruby, item)?)?;
            }
            hash.as_value()
        }
    })
}

fn param_map(ruby: &Ruby, map: &Option<ParamMap>) -> Result<Value, Error> {
    let Some(map) = map else {
        return Ok(ruby.qnil().as_value());
    };
    let hash = ruby.hash_new();
    for (k, values) in map {
        let ary = ruby.ary_new_capa(values.len());
        for v in values {
            ary.push(param_value(ruby, v)?)?;
        }
        hash.aset(ruby.str_new(k), ary)?;
    }
    Ok(hash.as_value())
}

fn kind(rule: &PathRule) -> &'static str {
    if rule.has_segment_wildcards {
        "segment"
    } else if rule.is_prefix {
        "prefix"
    } else {
        "exact"
    }
}

/// Capability names of a rule as written: `[]` for an empty list.
pub fn rule_capability_names(rule: &PathRule) -> Vec<&'static str> {
    if rule.perms.capabilities.is_empty() {
        Vec::new()
    } else {
        rule.perms.capabilities.names()
    }
}

fn rule_hash(ruby: &Ruby, rule: &PathRule) -> Result<RHash, Error> {
    let h = ruby.hash_new();
    h.aset(ruby.to_symbol("path"), ruby.str_new(&rule.raw_path))?;
    h.aset(ruby.to_symbol("kind"), ruby.to_symbol(kind(rule)))?;
    h.aset(
        ruby.to_symbol("capabilities"),
        ruby.ary_from_vec(rule_capability_names(rule)),
    )?;
    h.aset(ruby.to_symbol("templated"), rule.templated)?;
    h.aset(
        ruby.to_symbol("allowed_parameters"),
        param_map(ruby, &rule.perms.allowed_parameters)?,
    )?;
    h.aset(
        ruby.to_symbol("denied_parameters"),
        param_map(ruby, &rule.perms.denied_parameters)?,
    )?;
    h.aset(
        ruby.to_symbol("required_parameters"),
        ruby.ary_from_vec(rule.perms.required_parameters.clone()),
    )?;
    h.aset(
        ruby.to_symbol("min_wrapping_ttl_ns"),
        rule.perms.min_wrapping_ttl_ns,
    )?;
    h.aset(
        ruby.to_symbol("max_wrapping_ttl_ns"),
        rule.perms.max_wrapping_ttl_ns,
    )?;
    h.aset(
        ruby.to_symbol("mfa_methods"),
        ruby.ary_from_vec(rule.perms.mfa_methods.clone()),
    )?;
    h.aset(
        ruby.to_symbol("pagination_limit"),
        rule.perms.pagination_limit,
    )?;
    let filter = (!rule.perms.response_keys_filter_path.is_empty())
        .then(|| rule.perms.response_keys_filter_path.clone());
    h.aset(
        ruby.to_symbol("list_scan_response_keys_filter_path"),
        filter,
    )?;
    h.aset(ruby.to_symbol("expiration"), rule.expiration)?;
    Ok(h)
}

impl RbPolicy {
    /// `_parse(text, name, now_unix_or_nil)`; nil reads the clock (rules
    /// already expired are dropped, as OpenBao drops them when parsing).
    fn parse(ruby: &Ruby, text: RString, name: RString, now: Option<i64>) -> Result<Self, Error> {
        guard(ruby, || {
            let now = match now {
                Some(now) => now,
                None => crate::helpers::clock::now_ceil(ruby)?,
            };
            let raw = rstring::to_vec(text);
            let name = rstring::to_vec(name);
            let name = String::from_utf8(name).map_err(|_| {
                error(
                    ruby,
                    Class::OpenBaoPolicyError,
                    "policy name is not valid UTF-8",
                )
            })?;
            let text = std::str::from_utf8(&raw).map_err(|e| {
                error(
                    ruby,
                    Class::OpenBaoPolicyError,
                    format!(
                        "failed to parse policy: text is not valid UTF-8 (invalid byte at offset {})",
                        e.valid_up_to()
                    ),
                )
            })?;
            Policy::parse_at(text, &name, now)
                .map(|p| RbPolicy(Arc::new(p)))
                .map_err(|e| policy_error(ruby, &e))
        })
    }

    fn name(&self) -> String {
        self.0.name().to_string()
    }

    fn templated(&self) -> bool {
        self.0.is_templated()
    }

    fn rule_count(&self) -> usize {
        self.0.rules().len()
    }

    fn paths(&self) -> Vec<String> {
        self.0.rules().iter().map(|r| r.raw_path.clone()).collect()
    }

    fn rules(ruby: &Ruby, rb_self: &Self) -> Result<RArray, Error> {
        guard(ruby, || {
            let rules = rb_self.0.rules();
            let out = ruby.ary_new_capa(rules.len());
            for rule in rules {
                out.push(rule_hash(ruby, rule)?)?;
            }
            Ok(out)
        })
    }

    fn inspect(&self) -> String {
        format!(
            "#<PipelineGuard::OpenBao::Policy name={:?} rules={}{}>",
            self.0.name(),
            self.0.rules().len(),
            if self.0.is_templated() {
                " templated"
            } else {
                ""
            }
        )
    }
}

pub fn init(ruby: &Ruby, openbao: RModule) -> Result<(), Error> {
    let class = openbao.define_class("Policy", ruby.class_object())?;
    class.define_singleton_method("_parse", function!(RbPolicy::parse, 3))?;
    class.define_method("name", method!(RbPolicy::name, 0))?;
    class.define_method("templated?", method!(RbPolicy::templated, 0))?;
    class.define_method("rule_count", method!(RbPolicy::rule_count, 0))?;
    class.define_method("paths", method!(RbPolicy::paths, 0))?;
    class.define_method("_rules", method!(RbPolicy::rules, 0))?;
    class.define_method("inspect", method!(RbPolicy::inspect, 0))?;
    class.define_method("to_s", method!(RbPolicy::inspect, 0))?;
    Ok(())
}
