//! `PipelineGuard::OpenBao::ACL`: policies merged and indexed, answering
//! checks exactly as OpenBao's `sys/capabilities`. The keyword API and the
//! `Explanation` struct live in `lib/pipeline_guard/openbao/acl.rb`.
//!
//! Hot path: `capabilities` and `allowed?` allocate nothing. Results come
//! from a table of frozen arrays of frozen strings, one per capability set
//! (9 bits), built once and kept alive for the life of the process.
//!
//! Rule `expiration`: every check decides as an ACL built at that moment
//! would (OpenBao builds one per request). Only when a rule expires is the
//! clock read, once per call or batch; see `TimedAcl`.
use std::borrow::Cow;
use std::sync::Arc;

use magnus::value::{Lazy, ReprValue};
use magnus::{
    function, method,
    prelude::*,
    r_hash::ForEach,
    scan_args::{get_kwargs, scan_args},
    typed_data::Obj,
    Error, Integer, RArray, RHash, RModule, RString, Ruby, Symbol, TryConvert, Value,
};
use pipeline_guard_core::acl::{
    AclAt, Capabilities, Operation, Policy, TemplateValues, TimedAcl, PARALLEL_THRESHOLD,
};
use pipeline_guard_core::parallel;

use crate::helpers::clock;
use crate::helpers::errors::invalid_input;
use crate::helpers::guard::guard;
use crate::helpers::nogvl::without_gvl;
use crate::helpers::rstring;
use crate::ruby_api::openbao::policy::RbPolicy;

/// Policy lists at least this long are merged without the GVL.
const LARGE_BUILD: usize = 256;

/// Index = capability bitmap (`Capabilities::bits`), value = frozen Array of
/// frozen Strings as `sys/capabilities` prints that set.
static CAPS_TABLE: Lazy<RArray> = Lazy::new(|ruby| {
    let table = ruby.ary_new_capa(512);
    for bits in 0u16..512 {
        let mut set = Capabilities::empty();
        for name in [
            "create", "delete", "deny", "list", "patch", "read", "scan", "sudo", "update",
        ] {
            if let Some(c) = Capabilities::from_name(name).filter(|c| c.bits() & bits != 0) {
                set |= c;
            }
        }
        let names = set.names();
        let ary = ruby.ary_new_capa(names.len());
        for n in names {
            let _ = ary.push(ruby.str_new(n).to_interned_str());
        }
        ary.freeze();
        let _ = table.push(ary);
    }
    table.freeze();
    table
});

#[magnus::wrap(
    class = "PipelineGuard::OpenBao::ACL",
    free_immediately,
    size,
    frozen_shareable
)]
pub struct RbAcl {
    acl: TimedAcl,
    policy_names: Vec<String>,
}

/// Runs `f` on the path as OpenBao sees it: bytes that are not UTF-8
/// become U+FFFD, as when a JSON request carries them.
fn with_path<T>(s: RString, f: impl FnOnce(&str) -> T) -> T {
    rstring::with_lossy_str(s, f)
}

fn caps_array(ruby: &Ruby, set: Capabilities) -> Result<Value, Error> {
    ruby.get_inner(&CAPS_TABLE)
        .entry(set.effective().bits() as isize)
}

/// A capability given as Symbol or String, by name.
fn name_of(value: Value) -> Result<Cow<'static, str>, Error> {
    if let Some(sym) = Symbol::from_value(value) {
        return match sym.as_static() {
            Some(s) => s.name().map(Cow::Borrowed),
            None => sym.name(),
        };
    }
    let s = RString::try_convert(value)?;
    Ok(Cow::Owned(rstring::to_lossy_string(s)))
}

fn capability(ruby: &Ruby, value: Value) -> Result<Capabilities, Error> {
    let name = name_of(value)?;
    Capabilities::from_name(&name)
        .ok_or_else(|| invalid_input(ruby, format!("unknown capability {name:?}")))
}

fn operation(ruby: &Ruby, value: Value) -> Result<Operation, Error> {
    let name = name_of(value)?;
    Operation::from_name(&name)
        .ok_or_else(|| invalid_input(ruby, format!("unknown operation {name:?}")))
}

/// `{name.to_s => value.to_s}` of an identity Hash, for `{{...}}` templates.
fn identity_strings(ruby: &Ruby, hash: RHash) -> Result<RHash, Error> {
    let out = ruby.hash_new();
    hash.foreach(|k: Value, v: Value| {
        out.aset(k.to_r_string()?, v.to_r_string()?)?;
        Ok(ForEach::Continue)
    })?;
    Ok(out)
}

impl RbAcl {
    /// The moment of a check, in whole seconds rounded up (a rule is gone
    /// once now is after its expiration); 0 when no rule expires.
    fn now(&self, ruby: &Ruby) -> Result<i64, Error> {
        if self.acl.needs_clock() {
            clock::now_ceil(ruby)
        } else {
            Ok(0)
        }
    }

    /// The ACL as built at the moment of this check.
    fn current(&self, ruby: &Ruby) -> Result<AclAt<'_>, Error> {
        Ok(self.acl.at(self.now(ruby)?))
    }

    /// `ACL.new(policies, identity: nil, now: nil)`, keywords parsed here.
    /// `identity`: anything with `to_h`, names and values taken with
    /// `to_s`. `now` (Time or Integer): every check decides at that
    /// moment; without, at the moment of the check. The result is frozen.
    fn new(ruby: &Ruby, args: &[Value]) -> Result<Obj<Self>, Error> {
        let args = scan_args::<(Value,), (), (), (), RHash, ()>(args)?;
        let kw = get_kwargs::<_, (), (Option<Value>, Option<Value>), ()>(
            args.keywords,
            &[],
            &["identity", "now"],
        )?;
        let (policies,) = args.required;
        let (identity, now) = kw.optional;
        let Some(policies) = RArray::from_value(policies) else {
            return Err(Error::new(
                ruby.exception_type_error(),
                format!("policies must be an Array of Policy, not {}", unsafe {
                    policies.class().name()
                }),
            ));
        };
        let identity = match identity.filter(|v| !v.is_nil()) {
            Some(value) => Some(identity_strings(ruby, value.funcall("to_h", ())?)?),
            None => None,
        };
        let now = match now.filter(|v| !v.is_nil()) {
            None => None,
            Some(v) if Integer::from_value(v).is_some() => Some(i64::try_convert(v)?),
            Some(v) if v.is_kind_of(ruby.class_time()) => Some(v.funcall("to_i", ())?),
            Some(v) => {
                return Err(Error::new(
                    ruby.exception_type_error(),
                    format!("now must be a Time or Integer, not {}", unsafe {
                        v.class().name()
                    }),
                ))
            }
        };
        let acl = Self::build(ruby, policies, identity, now)?;
        let obj = ruby.obj_wrap(acl);
        obj.freeze();
        Ok(obj)
    }

    fn build(
        ruby: &Ruby,
        policies: RArray,
        identity: Option<RHash>,
        now: Option<i64>,
    ) -> Result<Self, Error> {
        guard(ruby, || {
            let mut held: Vec<Arc<Policy>> = Vec::with_capacity(policies.len());
            for v in policies.into_iter() {
                let p = <&RbPolicy>::try_convert(v)?;
                held.push(Arc::clone(&p.0));
            }
            let mut values = TemplateValues::new();
            if let Some(identity) = identity {
                identity.foreach(|k: RString, v: RString| {
                    values.insert(k.to_string()?, v.to_string()?);
                    Ok(ForEach::Continue)
                })?;
            }
            let policy_names = held.iter().map(|p| p.name().to_string()).collect();
            let (pinned, now) = match now {
                Some(now) => (true, now),
                None => (false, clock::now_ceil(ruby)?),
            };
            let build = move || {
                if pinned {
                    TimedAcl::pinned(&held, &values, now)
                } else {
                    TimedAcl::new(held, values, now)
                }
            };
            let acl = if policies.len() >= LARGE_BUILD {
                without_gvl(build)
            } else {
                build()
            };
            Ok(RbAcl { acl, policy_names })
        })
    }

    fn capabilities(ruby: &Ruby, rb_self: &Self, path: RString) -> Result<Value, Error> {
        guard(ruby, || {
            let acl = rb_self.current(ruby)?;
            let set = with_path(path, |p| acl.capability_set(p));
            caps_array(ruby, set)
        })
    }

    fn allowed(ruby: &Ruby, rb_self: &Self, cap: Value, path: RString) -> Result<bool, Error> {
        guard(ruby, || {
            let cap = capability(ruby, cap)?;
            if cap == Capabilities::DENY {
                return Ok(false);
            }
            let acl = rb_self.current(ruby)?;
            let set = with_path(path, |p| acl.capability_set(p));
            Ok(!set.contains(Capabilities::DENY) && set.contains(cap))
        })
    }

    fn capabilities_many(ruby: &Ruby, rb_self: &Self, paths: RArray) -> Result<RHash, Error> {
        guard(ruby, || {
            // One moment for the whole batch.
            let acl = rb_self.acl.shared_at(rb_self.now(ruby)?);
            // A private copy of the list, held on this stack frame, keeps the
            // key strings alive even if another thread changes `paths`
            // while the GVL is released.
            let paths = paths.dup();
            let keys: Vec<RString> = paths
                .into_iter()
                .map(RString::try_convert)
                .collect::<Result<_, _>>()?;
            // All paths copied into one buffer (two allocations per batch,
            // not one per path: malloc dominated large batches).
            let mut buf = String::new();
            let mut ends = Vec::with_capacity(keys.len());
            for k in &keys {
                with_path(*k, |p| buf.push_str(p));
                ends.push(buf.len());
            }
            let mut start = 0;
            let owned: Vec<&str> = ends
                .iter()
                .map(|&end| {
                    let s = buf.get(start..end).unwrap_or("");
                    start = end;
                    s
                })
                .collect();
            let sets = if owned.len() > PARALLEL_THRESHOLD {
                without_gvl(|| parallel::install(|| acl.capability_sets_many(&owned)))
            } else {
                acl.capability_sets_many(&owned)
            };
            let out = ruby.hash_new();
            for (k, set) in keys.into_iter().zip(sets) {
                out.aset(k, caps_array(ruby, set)?)?;
            }
            Ok(out)
        })
    }

    /// `[rule_path, kind, policies, capabilities]` or nil.
    fn explain(ruby: &Ruby, rb_self: &Self, path: RString) -> Result<Value, Error> {
        guard(ruby, || {
            let acl = rb_self.current(ruby)?;
            let Some(e) = with_path(path, |p| acl.explain(p)) else {
                return Ok(ruby.qnil().as_value());
            };
            let out = ruby.ary_new_capa(4);
            out.push(ruby.str_new(&e.rule_path))?;
            out.push(ruby.to_symbol(e.kind.as_str()))?;
            out.push(ruby.ary_from_vec(e.policies))?;
            out.push(ruby.ary_from_vec(e.capabilities))?;
            Ok(out.as_value())
        })
    }

    /// nil when allowed, else the denial message. `params_json` is a JSON
    /// object (or nil for none).
    fn authorize(
        ruby: &Ruby,
        rb_self: &Self,
        op: Value,
        path: RString,
        params_json: Option<RString>,
    ) -> Result<Option<String>, Error> {
        guard(ruby, || {
            let op = operation(ruby, op)?;
            let params = match params_json {
                None => serde_json::Map::new(),
                Some(json) => {
                    match rstring::with_bytes(json, |j| {
                        serde_json::from_slice::<serde_json::Value>(j)
                    }) {
                        Ok(serde_json::Value::Object(m)) => m,
                        _ => return Err(invalid_input(ruby, "parameters must be a JSON object")),
                    }
                }
            };
            let acl = rb_self.current(ruby)?;
            let result = with_path(path, |p| acl.authorize(op, p, &params));
            Ok(result.err().map(|d| d.to_string()))
        })
    }

    /// Rules in the ACL as built now.
    fn rule_count(ruby: &Ruby, rb_self: &Self) -> Result<usize, Error> {
        Ok(rb_self.current(ruby)?.rule_count())
    }

    fn policy_names(&self) -> Vec<String> {
        self.policy_names.clone()
    }

    fn inspect(ruby: &Ruby, rb_self: &Self) -> Result<String, Error> {
        Ok(format!(
            "#<PipelineGuard::OpenBao::ACL policies={:?} rules={}>",
            rb_self.policy_names,
            rb_self.current(ruby)?.rule_count()
        ))
    }
}

pub fn init(ruby: &Ruby, openbao: RModule) -> Result<(), Error> {
    Lazy::force(&CAPS_TABLE, ruby);
    let class = openbao.define_class("ACL", ruby.class_object())?;
    class.define_singleton_method("new", function!(RbAcl::new, -1))?;
    class.define_method("capabilities", method!(RbAcl::capabilities, 1))?;
    class.define_method("allowed?", method!(RbAcl::allowed, 2))?;
    class.define_method("_capabilities_many", method!(RbAcl::capabilities_many, 1))?;
    class.define_method("_explain", method!(RbAcl::explain, 1))?;
    class.define_method("_authorize", method!(RbAcl::authorize, 3))?;
    class.define_method("rule_count", method!(RbAcl::rule_count, 0))?;
    class.define_method("policy_names", method!(RbAcl::policy_names, 0))?;
    class.define_method("inspect", method!(RbAcl::inspect, 0))?;
    class.define_method("to_s", method!(RbAcl::inspect, 0))?;
    Ok(())
}
