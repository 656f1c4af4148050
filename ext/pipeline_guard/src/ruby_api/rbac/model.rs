//! `PipelineGuard::RBAC::Model`: GitLab-style access levels, member roles and
//! memberships inherited down namespace paths. Keyword arguments are handled
//! in `lib/pipeline_guard/rbac.rb`, except for `can?`, the hot path, which
//! takes its optional `now:` natively so a check costs one method call.
use magnus::rb_sys::AsRawValue;
use magnus::{
    function, method, prelude::*, Error, Integer, RArray, RHash, RModule, RString, Ruby, Symbol,
    Value,
};
use pipeline_guard_core::parallel;
use pipeline_guard_core::rbac::{
    AbilityId, AccessLevel, Membership, Model, RbacError, RoleDefinitions,
    PARALLEL_FILTER_THRESHOLD,
};
use rustc_hash::FxHashMap;

use crate::helpers::clock;
use crate::helpers::errors::{self, Class};
use crate::helpers::guard::guard;
use crate::helpers::json;
use crate::helpers::nogvl::without_gvl;
use crate::helpers::rstring::with_str;

#[magnus::wrap(class = "PipelineGuard::RBAC::Model", free_immediately, size)]
pub struct RbModel {
    model: Model,
    /// Ability ids by the VALUE of their static (never collected) Ruby
    /// Symbol, so `can?(u, :read_secret, p)` resolves the ability with one
    /// integer hash look-up. Built once; the role table never changes.
    symbols: FxHashMap<rb_sys::VALUE, AbilityId>,
}

fn definition_error(ruby: &Ruby, err: RbacError) -> Error {
    errors::error(ruby, Class::RbacDefinitionError, err.to_string())
}

/// `now:` as unix seconds: an Integer, or anything with `to_i` (Time,
/// DateTime); `nil` means the current time (from [`clock`]).
pub(crate) fn unix_time(ruby: &Ruby, value: Option<Value>) -> Result<i64, Error> {
    match value {
        None => clock::now_floor(ruby),
        Some(v) if v.is_nil() => clock::now_floor(ruby),
        Some(v) => match Integer::from_value(v) {
            Some(i) => i.to_i64(),
            None if v.respond_to("to_i", false)? && !v.is_kind_of(ruby.class_string()) => {
                v.funcall::<_, _, Integer>("to_i", ())?.to_i64()
            }
            None => Err(Error::new(
                ruby.exception_type_error(),
                "now must be a Time or Integer unix seconds",
            )),
        },
    }
}

impl RbModel {
    /// An ability given as a Symbol or String, resolved to the model's id.
    /// `Ok(None)` for a well-typed but unknown ability (every check is
    /// false).
    fn ability_id(&self, ruby: &Ruby, ability: Value) -> Result<Option<AbilityId>, Error> {
        if Symbol::from_value(ability).is_some() {
            // Every ability name was interned as a static symbol when the
            // model was built, so any other symbol is not an ability.
            return Ok(self.symbols.get(&ability.as_raw()).copied());
        }
        if let Some(s) = RString::from_value(ability) {
            return Ok(with_str(s, |name| self.model.ability_id(name)).flatten());
        }
        Err(Error::new(
            ruby.exception_type_error(),
            "ability must be a Symbol or String",
        ))
    }
}

fn user_id(value: Value) -> Result<u64, Error> {
    u64::try_convert(value)
}

impl RbModel {
    fn new(ruby: &Ruby, definitions: Option<RHash>) -> Result<Self, Error> {
        guard(ruby, || {
            let defs = match definitions {
                None => RoleDefinitions::secrets_manager_default(),
                Some(hash) => json::to_json(ruby, hash.as_value())?
                    .map_err(|e| e.0)
                    .and_then(|value| {
                        serde_json::from_value::<RoleDefinitions>(value).map_err(|e| e.to_string())
                    })
                    .map_err(|e| {
                        errors::error(
                            ruby,
                            Class::RbacDefinitionError,
                            format!("invalid role definitions: {e}"),
                        )
                    })?,
            };
            let model = Model::new(&defs).map_err(|e| definition_error(ruby, e))?;
            let symbols = model
                .ability_names()
                .map(|(id, name)| (ruby.sym_new(name).as_raw(), id))
                .collect();
            Ok(Self { model, symbols })
        })
    }

    fn default_definitions(ruby: &Ruby) -> Result<Value, Error> {
        let defs = serde_json::to_value(RoleDefinitions::secrets_manager_default())
            .map_err(|e| errors::invalid_input(ruby, e.to_string()))?;
        json::to_ruby(ruby, &defs)
    }

    fn add_membership(
        ruby: &Ruby,
        rb_self: &Self,
        user_id: u64,
        path: String,
        access_level: String,
        member_role_id: Option<u64>,
        expires_at: Option<i64>,
    ) -> Result<bool, Error> {
        guard(ruby, || {
            let access_level =
                AccessLevel::parse(&access_level).map_err(|e| definition_error(ruby, e))?;
            rb_self
                .model
                .add_membership(&Membership {
                    user_id,
                    path,
                    access_level,
                    member_role_id,
                    expires_at,
                })
                .map_err(|e| definition_error(ruby, e))?;
            Ok(true)
        })
    }

    fn remove_membership(&self, user_id: u64, path: String) -> bool {
        self.model.remove_membership(user_id, &path)
    }

    fn block_user(&self, user_id: u64) -> bool {
        self.model.block_user(user_id);
        true
    }

    fn unblock_user(&self, user_id: u64) -> bool {
        self.model.unblock_user(user_id);
        true
    }

    fn is_blocked(&self, user_id: u64) -> bool {
        self.model.is_blocked(user_id)
    }

    fn membership_count(&self) -> usize {
        self.model.membership_count()
    }

    /// `can?(user_id, ability, path, now: nil)`.
    fn can(ruby: &Ruby, rb_self: &Self, args: &[Value]) -> Result<bool, Error> {
        guard(ruby, || {
            let (user, ability, path, rest) = match args {
                [u, a, p, rest @ ..] if rest.len() <= 1 => (*u, *a, *p, rest),
                _ => {
                    return Err(Error::new(
                        ruby.exception_arg_error(),
                        format!(
                            "wrong number of arguments (given {}, expected 3)",
                            args.len()
                        ),
                    ))
                }
            };
            let now = match rest.first() {
                None => None,
                Some(opts) => {
                    let opts = RHash::try_convert(*opts)?;
                    let now = opts.get(ruby.sym_new("now"));
                    if opts.len() > usize::from(now.is_some()) {
                        return Err(Error::new(
                            ruby.exception_arg_error(),
                            "unknown keyword (only now: is accepted)",
                        ));
                    }
                    Some(unix_time(ruby, now)?)
                }
            };
            rb_self.check(ruby, user, ability, path, now)
        })
    }

    /// The shared body of `can?` and `can_at?` once the time is known.
    fn check(
        &self,
        ruby: &Ruby,
        user: Value,
        ability: Value,
        path: Value,
        now: Option<i64>,
    ) -> Result<bool, Error> {
        let user = user_id(user)?;
        let path = RString::try_convert(path)?;
        let Some(id) = self.ability_id(ruby, ability)? else {
            return Ok(false);
        };
        // Without an explicit time the clock (possibly `Time.now`, ~1 us)
        // is read only when some membership expires.
        let now = match now {
            Some(now) => now,
            None => {
                // Not UTF-8: no path matches.
                match with_str(path, |p| self.model.can_id_timeless(user, id, p)) {
                    None => return Ok(false),
                    Some(Some(answer)) => return Ok(answer),
                    Some(None) => clock::now_floor(ruby)?,
                }
            }
        };
        Ok(with_str(path, |path| self.model.can_id(user, id, path, now)).unwrap_or(false))
    }

    /// `can_at?(user_id, ability, path, now)`: `can?` with a positional
    /// time, for hot loops that pass `now` (no keyword Hash per call).
    fn can_at(
        ruby: &Ruby,
        rb_self: &Self,
        user: Value,
        ability: Value,
        path: Value,
        now: Value,
    ) -> Result<bool, Error> {
        guard(ruby, || {
            let now = unix_time(ruby, Some(now))?;
            rb_self.check(ruby, user, ability, path, Some(now))
        })
    }

    fn abilities(
        ruby: &Ruby,
        rb_self: &Self,
        user_id: u64,
        path: String,
        now: Option<Value>,
    ) -> Result<RArray, Error> {
        guard(ruby, || {
            let now = unix_time(ruby, now)?;
            let names = rb_self.model.abilities(user_id, &path, now);
            Ok(ruby.ary_from_iter(names.iter().map(|n| ruby.to_symbol(n))))
        })
    }

    fn max_access_level(
        ruby: &Ruby,
        rb_self: &Self,
        user_id: u64,
        path: String,
        now: Option<Value>,
    ) -> Result<Option<u16>, Error> {
        guard(ruby, || {
            let now = unix_time(ruby, now)?;
            Ok(rb_self
                .model
                .max_access_level(user_id, &path, now)
                .map(AccessLevel::value))
        })
    }

    /// One answer per path. Short pages are checked in place under the GVL
    /// (borrowing the Ruby strings); long ones are copied and checked on the
    /// fork-safe pool without the GVL.
    fn allowed(
        ruby: &Ruby,
        rb_self: &Self,
        user_id: u64,
        ability: Value,
        paths: RArray,
        now: i64,
    ) -> Result<Vec<bool>, Error> {
        let model = &rb_self.model;
        let Some(id) = rb_self.ability_id(ruby, ability)? else {
            // Still reject non-String elements, as for known abilities.
            for v in paths.into_iter() {
                RString::try_convert(v)?;
            }
            return Ok(vec![false; paths.len()]);
        };
        let strings: Vec<RString> = paths
            .into_iter()
            .map(RString::try_convert)
            .collect::<Result<_, _>>()?;
        if strings.len() < PARALLEL_FILTER_THRESHOLD {
            let mut out = Vec::with_capacity(strings.len());
            for s in &strings {
                out.push(with_str(*s, |p| model.can_id(user_id, id, p, now)).unwrap_or(false));
            }
            return Ok(out);
        }
        // One buffer for the whole page instead of one String per path.
        let mut buffer = String::new();
        let mut spans: Vec<Option<(usize, usize)>> = Vec::with_capacity(strings.len());
        for s in &strings {
            spans.push(with_str(*s, |p| {
                let start = buffer.len();
                buffer.push_str(p);
                (start, buffer.len())
            }));
        }
        Ok(without_gvl(|| {
            let paths: Vec<&str> = spans
                .iter()
                .map(|span| span.and_then(|(a, b)| buffer.get(a..b)).unwrap_or(""))
                .collect();
            parallel::install(|| model.filter_id(user_id, id, &paths, now))
        }))
    }

    fn filter(
        ruby: &Ruby,
        rb_self: &Self,
        user_id: u64,
        ability: Value,
        paths: RArray,
        now: Option<Value>,
    ) -> Result<RArray, Error> {
        guard(ruby, || {
            let now = unix_time(ruby, now)?;
            // A snapshot, so a concurrent change to `paths` while the GVL is
            // released cannot shift the answers.
            let snapshot = paths.dup();
            let allowed = Self::allowed(ruby, rb_self, user_id, ability, snapshot, now)?;
            let out = ruby.ary_new();
            for (value, ok) in snapshot.into_iter().zip(allowed) {
                if ok {
                    out.push(value)?;
                }
            }
            Ok(out)
        })
    }

    fn allowed_many(
        ruby: &Ruby,
        rb_self: &Self,
        user_id: u64,
        ability: Value,
        paths: RArray,
        now: Option<Value>,
    ) -> Result<Vec<bool>, Error> {
        guard(ruby, || {
            let now = unix_time(ruby, now)?;
            Self::allowed(ruby, rb_self, user_id, ability, paths.dup(), now)
        })
    }

    fn inspect(&self) -> String {
        format!(
            "#<PipelineGuard::RBAC::Model memberships={}>",
            self.model.membership_count()
        )
    }
}

pub fn init(ruby: &Ruby, root: RModule) -> Result<(), Error> {
    let module = root.define_module("RBAC")?;
    let class = module.define_class("Model", ruby.class_object())?;
    class.define_singleton_method("_new", function!(RbModel::new, 1))?;
    class.define_singleton_method(
        "_default_definitions",
        function!(RbModel::default_definitions, 0),
    )?;
    class.define_method("_add_membership", method!(RbModel::add_membership, 5))?;
    class.define_method("remove_membership", method!(RbModel::remove_membership, 2))?;
    class.define_method("block_user", method!(RbModel::block_user, 1))?;
    class.define_method("unblock_user", method!(RbModel::unblock_user, 1))?;
    class.define_method("blocked?", method!(RbModel::is_blocked, 1))?;
    class.define_method("membership_count", method!(RbModel::membership_count, 0))?;
    class.define_method("can?", method!(RbModel::can, -1))?;
    class.define_method("can_at?", method!(RbModel::can_at, 4))?;
    class.define_method("_abilities", method!(RbModel::abilities, 3))?;
    class.define_method("_max_access_level", method!(RbModel::max_access_level, 3))?;
    class.define_method("_filter", method!(RbModel::filter, 4))?;
    class.define_method("_allowed_many", method!(RbModel::allowed_many, 4))?;
    class.define_method("inspect", method!(RbModel::inspect, 0))?;
    class.define_method("to_s", method!(RbModel::inspect, 0))?;
    Ok(())
}
