//! The membership store and the permission checks resolvers call.

use std::collections::BTreeSet;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use rayon::prelude::*;
// Fx hashing: keys are user ids and namespace paths stored by the host
// application; look-ups never insert, so untrusted paths cannot grow a
// bucket chain. It is several times faster than SipHash on short keys.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::{Deserialize, Serialize};

use super::abilities::{AbilityId, AbilitySet};
use super::roles::CompiledRoles;
use super::{AccessLevel, RbacError, RoleDefinitions};

/// Batches at least this long are checked on the rayon pool; shorter ones are
/// cheaper to run on the calling thread.
pub const PARALLEL_FILTER_THRESHOLD: usize = 512;

/// One membership of a user on a group or project path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    /// The user.
    pub user_id: u64,
    /// Namespace path such as `"group/sub"`; covers every path below it.
    pub path: String,
    /// Standard access level of the membership.
    pub access_level: AccessLevel,
    /// Custom member role whose abilities add to the level's.
    #[serde(default)]
    pub member_role_id: Option<u64>,
    /// Unix seconds at which the membership stops counting.
    #[serde(default)]
    pub expires_at: Option<i64>,
}

impl Serialize for AccessLevel {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u16(self.value())
    }
}

impl<'de> Deserialize<'de> for AccessLevel {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(u32),
            Name(String),
        }
        match Raw::deserialize(deserializer)? {
            Raw::Number(n) => AccessLevel::from_value(n),
            Raw::Name(s) => AccessLevel::parse(&s),
        }
        .map_err(serde::de::Error::custom)
    }
}

/// What one membership grants, resolved when it is stored.
#[derive(Debug, Clone, Copy)]
struct Grant {
    level: AccessLevel,
    abilities: AbilitySet,
    expires_at: Option<i64>,
}

impl Grant {
    fn active(&self, now: i64) -> bool {
        self.expires_at.is_none_or(|at| now < at)
    }
}

#[derive(Debug, Default)]
struct State {
    /// Per user, per exact path: the membership there.
    memberships: HashMap<u64, HashMap<Box<str>, Grant>>,
    blocked: HashSet<u64>,
    count: usize,
    /// How many stored memberships have an `expires_at`: while none do, no
    /// answer depends on the time and callers need not read a clock.
    expiring: usize,
}

/// GitLab-style RBAC model: role table plus memberships.
///
/// Reads take a shared lock and never allocate for [`Model::can`]; updates
/// take the exclusive lock for one hash-map operation, so readers are held up
/// only for that instant. A check costs one hash lookup per path segment,
/// independent of the number of memberships stored.
///
/// Expiry: a membership with `expires_at = t` counts while `now < t`.
/// Blocked users have no abilities anywhere. When several memberships cover a
/// path, their abilities are united (so the highest level wins and member-role
/// abilities add).
#[derive(Debug)]
pub struct Model {
    roles: CompiledRoles,
    state: RwLock<State>,
}

impl Model {
    /// Builds an empty model from role definitions.
    pub fn new(definitions: &RoleDefinitions) -> Result<Self, RbacError> {
        Ok(Self {
            roles: CompiledRoles::compile(definitions)?,
            state: RwLock::new(State::default()),
        })
    }

    /// A model using [`RoleDefinitions::secrets_manager_default`].
    pub fn with_default_roles() -> Self {
        // The built-in table is static and valid; fall back to an empty
        // table rather than panicking should that ever change.
        Self::new(&RoleDefinitions::secrets_manager_default()).unwrap_or_else(|_| Self {
            roles: CompiledRoles {
                registry: Default::default(),
                level_sets: [AbilitySet::new(); 6],
                member_roles: std::collections::HashMap::new(),
            },
            state: RwLock::new(State::default()),
        })
    }

    fn read(&self) -> RwLockReadGuard<'_, State> {
        // A writer cannot leave the state half-updated (every update is one
        // map operation), so a poisoned lock is still consistent.
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Every interned ability name, in id order.
    pub fn ability_names(&self) -> impl Iterator<Item = (AbilityId, &str)> {
        self.roles.registry.iter()
    }

    /// The interned id of an ability, for callers that check the same ability
    /// many times.
    pub fn ability_id(&self, name: &str) -> Option<AbilityId> {
        self.roles.registry.id(name)
    }

    /// Adds a membership, replacing any previous one of this user on exactly
    /// this path. A member role must have the membership's access level as
    /// its base level ([`RbacError::MemberRoleLevelMismatch`] otherwise).
    pub fn add_membership(&self, membership: &Membership) -> Result<(), RbacError> {
        validate_path(&membership.path)?;
        let abilities = self
            .roles
            .grant(membership.access_level, membership.member_role_id)?;
        let grant = Grant {
            level: membership.access_level,
            abilities,
            expires_at: membership.expires_at,
        };
        let mut state = self.write();
        let replaced = state
            .memberships
            .entry(membership.user_id)
            .or_default()
            .insert(membership.path.as_str().into(), grant);
        match replaced {
            Some(old) => state.expiring -= usize::from(old.expires_at.is_some()),
            None => state.count += 1,
        }
        state.expiring += usize::from(grant.expires_at.is_some());
        Ok(())
    }

    /// Adds many memberships under one lock; stops at the first invalid one
    /// (those before it stay added).
    pub fn add_memberships(&self, memberships: &[Membership]) -> Result<(), RbacError> {
        memberships.iter().try_for_each(|m| self.add_membership(m))
    }

    /// Removes the membership of `user_id` on exactly `path`. Returns whether
    /// one existed.
    pub fn remove_membership(&self, user_id: u64, path: &str) -> bool {
        let mut state = self.write();
        let Some(paths) = state.memberships.get_mut(&user_id) else {
            return false;
        };
        let removed = paths.remove(path);
        if paths.is_empty() {
            state.memberships.remove(&user_id);
        }
        if let Some(grant) = removed {
            state.count = state.count.saturating_sub(1);
            state.expiring -= usize::from(grant.expires_at.is_some());
        }
        removed.is_some()
    }

    /// Blocks a user: every check answers `false` until unblocked.
    pub fn block_user(&self, user_id: u64) {
        self.write().blocked.insert(user_id);
    }

    /// Lifts a block.
    pub fn unblock_user(&self, user_id: u64) {
        self.write().blocked.remove(&user_id);
    }

    /// Whether the user is blocked.
    pub fn is_blocked(&self, user_id: u64) -> bool {
        self.read().blocked.contains(&user_id)
    }

    /// Number of stored memberships.
    pub fn membership_count(&self) -> usize {
        self.read().count
    }

    /// May `user_id` do `ability` on `path` at time `now` (unix seconds)?
    /// Unknown abilities and malformed paths answer `false`.
    pub fn can(&self, user_id: u64, ability: &str, path: &str, now: i64) -> bool {
        match self.ability_id(ability) {
            Some(id) => self.can_id(user_id, id, path, now),
            None => false,
        }
    }

    /// [`Model::can`] with a pre-resolved ability id.
    pub fn can_id(&self, user_id: u64, ability: AbilityId, path: &str, now: i64) -> bool {
        let state = self.read();
        check(&state, user_id, ability, path, now)
    }

    /// [`Model::can_id`] without a time, decided under the same lock as
    /// the check: `None` when some stored membership has an expiry, so the
    /// answer may depend on the time and the caller must read its clock and
    /// ask [`Model::can_id`]. Lets callers skip an expensive clock read.
    pub fn can_id_timeless(&self, user_id: u64, ability: AbilityId, path: &str) -> Option<bool> {
        let state = self.read();
        (state.expiring == 0).then(|| check(&state, user_id, ability, path, 0))
    }

    /// Batch [`Model::can`]: one answer per path, in order. Runs on the rayon
    /// pool for batches of [`PARALLEL_FILTER_THRESHOLD`] or more.
    pub fn filter<P: AsRef<str> + Sync>(
        &self,
        user_id: u64,
        ability: &str,
        paths: &[P],
        now: i64,
    ) -> Vec<bool> {
        match self.ability_id(ability) {
            Some(id) => self.filter_id(user_id, id, paths, now),
            None => vec![false; paths.len()],
        }
    }

    /// [`Model::filter`] with a pre-resolved ability id.
    pub fn filter_id<P: AsRef<str> + Sync>(
        &self,
        user_id: u64,
        id: AbilityId,
        paths: &[P],
        now: i64,
    ) -> Vec<bool> {
        let state = self.read();
        if paths.len() >= PARALLEL_FILTER_THRESHOLD {
            paths
                .par_iter()
                .map(|p| check(&state, user_id, id, p.as_ref(), now))
                .collect()
        } else {
            paths
                .iter()
                .map(|p| check(&state, user_id, id, p.as_ref(), now))
                .collect()
        }
    }

    /// Every ability `user_id` has on `path` at `now`, sorted by name.
    pub fn abilities(&self, user_id: u64, path: &str, now: i64) -> Vec<String> {
        let set = self.ability_set(user_id, path, now);
        let names: BTreeSet<&str> = set
            .iter()
            .filter_map(|id| self.roles.registry.name(id))
            .collect();
        names.into_iter().map(str::to_owned).collect()
    }

    /// The user's effective abilities on `path` as a bitset.
    pub fn ability_set(&self, user_id: u64, path: &str, now: i64) -> AbilitySet {
        let state = self.read();
        let mut set = AbilitySet::new();
        for_each_grant(&state, user_id, path, now, |grant| {
            set.union_with(&grant.abilities);
            false
        });
        set
    }

    /// The highest standard access level the user has on `path` at `now`,
    /// counting inherited memberships; `None` for no (active) membership.
    pub fn max_access_level(&self, user_id: u64, path: &str, now: i64) -> Option<AccessLevel> {
        let state = self.read();
        let mut best: Option<AccessLevel> = None;
        for_each_grant(&state, user_id, path, now, |grant| {
            best = best.max(Some(grant.level));
            false
        });
        best
    }
}

fn check(state: &State, user_id: u64, ability: AbilityId, path: &str, now: i64) -> bool {
    for_each_grant(state, user_id, path, now, |grant| {
        grant.abilities.contains(ability)
    })
}

/// Calls `visit` with every active grant of the user on `path` or one of its
/// ancestors, stopping early when `visit` returns `true`. Returns whether it
/// stopped early.
fn for_each_grant(
    state: &State,
    user_id: u64,
    path: &str,
    now: i64,
    mut visit: impl FnMut(&Grant) -> bool,
) -> bool {
    if state.blocked.contains(&user_id) || validate_path(path).is_err() {
        return false;
    }
    let Some(paths) = state.memberships.get(&user_id) else {
        return false;
    };
    let ends = path
        .match_indices('/')
        .map(|(i, _)| i)
        .chain(std::iter::once(path.len()));
    for end in ends {
        let Some(prefix) = path.get(..end) else {
            continue;
        };
        if let Some(grant) = paths.get(prefix) {
            if grant.active(now) && visit(grant) {
                return true;
            }
        }
    }
    false
}

/// Paths are `/`-separated, non-empty segments: `group`, `group/sub/project`.
fn validate_path(path: &str) -> Result<(), RbacError> {
    if path.is_empty() || path.split('/').any(str::is_empty) {
        return Err(RbacError::InvalidPath(path.to_owned()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(user_id: u64, path: &str, level: AccessLevel) -> Membership {
        Membership {
            user_id,
            path: path.into(),
            access_level: level,
            member_role_id: None,
            expires_at: None,
        }
    }

    #[test]
    fn inheritance_follows_segments() {
        let model = Model::with_default_roles();
        model
            .add_membership(&member(1, "group/sub", AccessLevel::Reporter))
            .unwrap();
        assert!(model.can(1, "read_project_secrets", "group/sub", 0));
        assert!(model.can(1, "read_project_secrets", "group/sub/project", 0));
        assert!(model.can(1, "read_project_secrets", "group/sub/a/b/c", 0));
        assert!(!model.can(1, "read_project_secrets", "group/subway", 0));
        assert!(!model.can(1, "read_project_secrets", "group", 0));
        assert!(!model.can(1, "admin_project_secrets_manager", "group/sub/p", 0));
        assert!(!model.can(2, "read_project_secrets", "group/sub", 0));
        assert!(!model.can(1, "no_such_ability", "group/sub", 0));
        assert!(!model.can(1, "read_project_secrets", "group//sub", 0));
        assert!(!model.can(1, "read_project_secrets", "", 0));
    }

    #[test]
    fn highest_level_wins_and_expiry_counts() {
        let model = Model::with_default_roles();
        model
            .add_membership(&member(1, "g", AccessLevel::Reporter))
            .unwrap();
        let mut owner = member(1, "g/p", AccessLevel::Owner);
        owner.expires_at = Some(100);
        model.add_membership(&owner).unwrap();
        assert!(model.can(1, "admin_project_secrets_manager", "g/p", 99));
        assert!(!model.can(1, "admin_project_secrets_manager", "g/p", 100));
        assert!(model.can(1, "read_project_secrets", "g/p", 100));
        assert_eq!(
            model.max_access_level(1, "g/p", 0),
            Some(AccessLevel::Owner)
        );
        assert_eq!(
            model.max_access_level(1, "g/p", 100),
            Some(AccessLevel::Reporter)
        );
        assert_eq!(model.membership_count(), 2);
        assert!(model.remove_membership(1, "g/p"));
        assert!(!model.remove_membership(1, "g/p"));
        assert_eq!(model.membership_count(), 1);
    }

    #[test]
    fn timeless_answers_only_while_no_membership_expires() {
        let model = Model::with_default_roles();
        let read = model.ability_id("read_project_secrets").unwrap();
        model
            .add_membership(&member(1, "g", AccessLevel::Reporter))
            .unwrap();
        assert_eq!(model.can_id_timeless(1, read, "g/p"), Some(true));
        assert_eq!(model.can_id_timeless(2, read, "g/p"), Some(false));

        let mut expiring = member(2, "g/p", AccessLevel::Reporter);
        expiring.expires_at = Some(100);
        model.add_membership(&expiring).unwrap();
        assert_eq!(model.can_id_timeless(1, read, "g/p"), None);
        // Replacing it without an expiry, then removing it, counts down.
        model
            .add_membership(&member(2, "g/p", AccessLevel::Reporter))
            .unwrap();
        assert_eq!(model.can_id_timeless(2, read, "g/p"), Some(true));
        model.add_membership(&expiring).unwrap();
        assert!(model.remove_membership(2, "g/p"));
        assert_eq!(model.can_id_timeless(2, read, "g/p"), Some(false));
    }

    #[test]
    fn member_roles_add_and_blocking_removes_everything() {
        let mut defs = RoleDefinitions::secrets_manager_default();
        defs.member_roles.push(super::super::MemberRoleDefinition {
            id: 9,
            base_access_level: 10,
            abilities: vec!["admin_project_secrets_manager".into()],
        });
        let model = Model::new(&defs).unwrap();
        let mut m = member(5, "g", AccessLevel::Guest);
        m.member_role_id = Some(9);
        model.add_membership(&m).unwrap();
        assert!(model.can(5, "admin_project_secrets_manager", "g/x", 0));
        assert!(!model.can(5, "read_project_secrets", "g/x", 0));
        assert_eq!(
            model.abilities(5, "g", 0),
            vec!["admin_project_secrets_manager"]
        );
        model.block_user(5);
        assert!(model.is_blocked(5));
        assert!(!model.can(5, "admin_project_secrets_manager", "g/x", 0));
        assert!(model.abilities(5, "g", 0).is_empty());
        model.unblock_user(5);
        assert!(model.can(5, "admin_project_secrets_manager", "g/x", 0));
        m.member_role_id = Some(10);
        assert_eq!(
            model.add_membership(&m),
            Err(RbacError::UnknownMemberRole(10))
        );
        m.path = "/g".into();
        assert!(model.add_membership(&m).is_err());
    }

    #[test]
    fn member_role_with_another_base_level_is_refused() {
        let mut defs = RoleDefinitions::secrets_manager_default();
        defs.member_roles.push(super::super::MemberRoleDefinition {
            id: 4,
            base_access_level: 50,
            abilities: vec![],
        });
        let model = Model::new(&defs).unwrap();
        let mut m = member(6, "g", AccessLevel::Guest);
        m.member_role_id = Some(4);
        assert_eq!(
            model.add_membership(&m),
            Err(RbacError::MemberRoleLevelMismatch {
                member_role: 4,
                base: 50,
                level: 10
            })
        );
        assert_eq!(model.membership_count(), 0);
        assert!(!model.can(6, "admin_project_secrets_manager", "g", 0));
        assert_eq!(model.max_access_level(6, "g", 0), None);
        // Replacing a valid membership with a mismatched one keeps the old.
        model
            .add_membership(&member(6, "g", AccessLevel::Reporter))
            .unwrap();
        assert!(model.add_membership(&m).is_err());
        assert_eq!(
            model.max_access_level(6, "g", 0),
            Some(AccessLevel::Reporter)
        );
        assert!(!model.can(6, "admin_project_secrets_manager", "g", 0));
        m.access_level = AccessLevel::Owner;
        model.add_membership(&m).unwrap();
        assert!(model.can(6, "admin_project_secrets_manager", "g", 0));
    }

    #[test]
    fn filter_matches_can_in_both_modes() {
        let model = Model::with_default_roles();
        model
            .add_membership(&member(1, "a/b", AccessLevel::Developer))
            .unwrap();
        let paths: Vec<String> = (0..2000)
            .map(|i| match i % 3 {
                0 => format!("a/b/p{i}"),
                1 => format!("a/c/p{i}"),
                _ => "a/bb".to_owned(),
            })
            .collect();
        for n in [10, 2000] {
            let got = model.filter(1, "read_project_secrets", &paths[..n], 0);
            let want: Vec<bool> = paths[..n]
                .iter()
                .map(|p| model.can(1, "read_project_secrets", p, 0))
                .collect();
            assert_eq!(got, want);
            assert_eq!(got.iter().filter(|b| **b).count(), n.div_ceil(3));
        }
        assert_eq!(model.filter(1, "nope", &paths[..3], 0), vec![false; 3]);
    }

    #[test]
    fn membership_deserialises_from_names_or_numbers() {
        let m: Membership = serde_json::from_str(
            r#"{"user_id": 1, "path": "g", "access_level": "maintainer", "expires_at": 5}"#,
        )
        .unwrap();
        assert_eq!(m.access_level, AccessLevel::Maintainer);
        let m: Membership =
            serde_json::from_str(r#"{"user_id": 1, "path": "g", "access_level": 30}"#).unwrap();
        assert_eq!(m.access_level, AccessLevel::Developer);
        assert!(serde_json::from_str::<Membership>(
            r#"{"user_id": 1, "path": "g", "access_level": 31}"#
        )
        .is_err());
    }

    #[test]
    fn model_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Model>();
    }
}
