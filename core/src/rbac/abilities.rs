//! Interned ability names and fixed-size bitsets over them.

use rustc_hash::FxHashMap as HashMap;

use super::RbacError;

/// Upper bound on distinct abilities in one model. GitLab has a few hundred
/// abilities in total; 1024 keeps a set at 128 bytes.
pub const MAX_ABILITIES: usize = 1024;
const WORDS: usize = MAX_ABILITIES / 64;

/// Interned id of an ability name within one [`AbilityRegistry`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AbilityId(u16);

impl AbilityId {
    /// Position of this ability in its registry.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// A set of abilities, one bit per interned id. Copying or testing a set never
/// allocates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AbilitySet {
    words: [u64; WORDS],
}

impl Default for AbilitySet {
    fn default() -> Self {
        Self { words: [0; WORDS] }
    }
}

impl AbilitySet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one ability.
    pub fn insert(&mut self, id: AbilityId) {
        let (word, bit) = split(id);
        if let Some(slot) = self.words.get_mut(word) {
            *slot |= bit;
        }
    }

    /// Whether the ability is in the set.
    pub fn contains(&self, id: AbilityId) -> bool {
        let (word, bit) = split(id);
        self.words.get(word).is_some_and(|slot| slot & bit != 0)
    }

    /// Adds every ability of `other`.
    pub fn union_with(&mut self, other: &AbilitySet) {
        for (mine, theirs) in self.words.iter_mut().zip(other.words.iter()) {
            *mine |= theirs;
        }
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }

    /// Ids in the set, ascending.
    pub fn iter(&self) -> impl Iterator<Item = AbilityId> + '_ {
        self.words.iter().enumerate().flat_map(|(w, &word)| {
            (0..64u16).filter_map(move |b| {
                if word & (1u64 << b) != 0 {
                    // w < WORDS = 16, so the id fits in u16.
                    u16::try_from(w * 64).ok().map(|base| AbilityId(base + b))
                } else {
                    None
                }
            })
        })
    }
}

fn split(id: AbilityId) -> (usize, u64) {
    let index = id.index();
    (index / 64, 1u64 << (index % 64))
}

/// Maps ability names to dense ids. Built once with the model; read-only
/// afterwards, so lookups need no lock.
#[derive(Debug, Clone, Default)]
pub struct AbilityRegistry {
    ids: HashMap<Box<str>, AbilityId>,
    names: Vec<Box<str>>,
}

impl AbilityRegistry {
    /// Interns `name`, returning its id (the existing one if already known).
    pub fn intern(&mut self, name: &str) -> Result<AbilityId, RbacError> {
        if let Some(id) = self.ids.get(name) {
            return Ok(*id);
        }
        if !valid_ability_name(name) {
            return Err(RbacError::InvalidAbilityName(name.to_owned()));
        }
        if self.names.len() >= MAX_ABILITIES {
            return Err(RbacError::TooManyAbilities(MAX_ABILITIES));
        }
        let raw = u16::try_from(self.names.len())
            .map_err(|_| RbacError::TooManyAbilities(MAX_ABILITIES))?;
        let id = AbilityId(raw);
        self.ids.insert(name.into(), id);
        self.names.push(name.into());
        Ok(id)
    }

    /// The id of a known ability, or `None`.
    pub fn id(&self, name: &str) -> Option<AbilityId> {
        self.ids.get(name).copied()
    }

    /// The name behind an id.
    pub fn name(&self, id: AbilityId) -> Option<&str> {
        self.names.get(id.index()).map(|n| &**n)
    }

    /// `(id, name)` of every interned ability, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (AbilityId, &str)> {
        self.names
            .iter()
            .enumerate()
            .filter_map(|(i, n)| u16::try_from(i).ok().map(|raw| (AbilityId(raw), &**n)))
    }

    /// Number of interned abilities.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether no ability is interned.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// GitLab ability names are Ruby symbols such as `read_project_secrets`.
fn valid_ability_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'?')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_is_stable_and_sets_work() {
        let mut reg = AbilityRegistry::default();
        let a = reg.intern("read_secret").unwrap();
        let b = reg.intern("create_secret").unwrap();
        assert_eq!(reg.intern("read_secret").unwrap(), a);
        assert_ne!(a, b);
        assert_eq!(reg.name(b), Some("create_secret"));
        assert!(reg.intern("bad name").is_err());
        assert!(reg.intern("").is_err());

        let mut set = AbilitySet::new();
        assert!(set.is_empty());
        set.insert(b);
        assert!(set.contains(b));
        assert!(!set.contains(a));
        assert_eq!(set.iter().collect::<Vec<_>>(), vec![b]);
    }

    #[test]
    fn registry_is_bounded() {
        let mut reg = AbilityRegistry::default();
        for i in 0..MAX_ABILITIES {
            reg.intern(&format!("a{i}")).unwrap();
        }
        assert_eq!(
            reg.intern("one_more"),
            Err(RbacError::TooManyAbilities(MAX_ABILITIES))
        );
        let last = reg.id(&format!("a{}", MAX_ABILITIES - 1)).unwrap();
        let mut set = AbilitySet::new();
        set.insert(last);
        assert!(set.contains(last));
        assert_eq!(set.iter().count(), 1);
    }
}
