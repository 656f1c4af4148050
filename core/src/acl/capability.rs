//! Capability sets as OpenBao's bitmap.

use std::ops::{BitOr, BitOrAssign};

/// A set of capabilities (OpenBao's `CapabilitiesBitmap`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Capabilities(u16);

impl Capabilities {
    pub const DENY: Capabilities = Capabilities(1);
    pub const CREATE: Capabilities = Capabilities(1 << 1);
    pub const READ: Capabilities = Capabilities(1 << 2);
    pub const UPDATE: Capabilities = Capabilities(1 << 3);
    pub const DELETE: Capabilities = Capabilities(1 << 4);
    pub const LIST: Capabilities = Capabilities(1 << 5);
    pub const SUDO: Capabilities = Capabilities(1 << 6);
    pub const PATCH: Capabilities = Capabilities(1 << 7);
    pub const SCAN: Capabilities = Capabilities(1 << 8);

    /// Every capability with its name, in sorted (output) order.
    const NAMED: [(&'static str, Capabilities); 9] = [
        ("create", Self::CREATE),
        ("delete", Self::DELETE),
        ("deny", Self::DENY),
        ("list", Self::LIST),
        ("patch", Self::PATCH),
        ("read", Self::READ),
        ("scan", Self::SCAN),
        ("sudo", Self::SUDO),
        ("update", Self::UPDATE),
    ];

    /// The empty set.
    pub const fn empty() -> Self {
        Capabilities(0)
    }

    /// The capability called `name` (exact, lower case), if OpenBao knows it.
    /// `subscribe` and `root` are not accepted in policies.
    pub fn from_name(name: &str) -> Option<Capabilities> {
        Self::NAMED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, c)| c)
    }

    /// True when every capability of `other` is in `self`.
    pub fn contains(self, other: Capabilities) -> bool {
        other.0 != 0 && self.0 & other.0 == other.0
    }

    /// True for the empty set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Raw bitmap (OpenBao's bit order).
    pub fn bits(self) -> u16 {
        self.0
    }

    /// The set as `sys/capabilities` reports it: just [`Self::DENY`] when
    /// the set is empty or contains deny, otherwise unchanged. Two sets with
    /// the same `effective()` have the same [`Self::names`].
    pub fn effective(self) -> Capabilities {
        if self.0 == 0 || self.contains(Self::DENY) {
            Self::DENY
        } else {
            self
        }
    }

    /// Names, sorted, the way `sys/capabilities` prints them: `["deny"]`
    /// when the set is empty or contains deny.
    pub fn names(self) -> Vec<&'static str> {
        if self.0 == 0 || self.contains(Self::DENY) {
            return vec!["deny"];
        }
        Self::NAMED
            .iter()
            .filter(|(_, c)| self.contains(*c))
            .map(|&(n, _)| n)
            .collect()
    }
}

impl BitOr for Capabilities {
    type Output = Capabilities;
    fn bitor(self, rhs: Self) -> Self {
        Capabilities(self.0 | rhs.0)
    }
}

impl BitOrAssign for Capabilities {
    fn bitor_assign(&mut self, rhs: Self) {
        self.0 |= rhs.0;
    }
}
