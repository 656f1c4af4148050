//! GitLab's access levels (`Gitlab::Access`).

use super::RbacError;

/// A GitLab membership access level. The numeric values are GitLab's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u16)]
pub enum AccessLevel {
    /// 10
    Guest = 10,
    /// 15
    Planner = 15,
    /// 20
    Reporter = 20,
    /// 30
    Developer = 30,
    /// 40
    Maintainer = 40,
    /// 50
    Owner = 50,
}

impl AccessLevel {
    /// Every level, lowest first.
    pub const ALL: [AccessLevel; 6] = [
        AccessLevel::Guest,
        AccessLevel::Planner,
        AccessLevel::Reporter,
        AccessLevel::Developer,
        AccessLevel::Maintainer,
        AccessLevel::Owner,
    ];

    /// The numeric value GitLab stores (10, 15, 20, 30, 40, 50).
    pub fn value(self) -> u16 {
        self as u16
    }

    /// Parses a numeric level; anything but GitLab's six values is an error.
    pub fn from_value(value: u32) -> Result<Self, RbacError> {
        Self::ALL
            .into_iter()
            .find(|level| u32::from(level.value()) == value)
            .ok_or(RbacError::UnknownAccessLevel(value))
    }

    /// Parses a level name (`"reporter"`, case-insensitive) or a number
    /// (`"20"`), the two ways a definition map may spell a level.
    pub fn parse(text: &str) -> Result<Self, RbacError> {
        let trimmed = text.trim();
        if let Ok(number) = trimmed.parse::<u32>() {
            return Self::from_value(number);
        }
        Self::ALL
            .into_iter()
            .find(|level| level.name().eq_ignore_ascii_case(trimmed))
            .ok_or_else(|| RbacError::UnknownAccessLevelName(text.to_owned()))
    }

    /// Lower-case name, as GitLab's `Gitlab::Access.sym_options` spells it.
    pub fn name(self) -> &'static str {
        match self {
            AccessLevel::Guest => "guest",
            AccessLevel::Planner => "planner",
            AccessLevel::Reporter => "reporter",
            AccessLevel::Developer => "developer",
            AccessLevel::Maintainer => "maintainer",
            AccessLevel::Owner => "owner",
        }
    }

    /// Position in [`AccessLevel::ALL`], used to index per-level tables.
    pub(crate) fn index(self) -> usize {
        match self {
            AccessLevel::Guest => 0,
            AccessLevel::Planner => 1,
            AccessLevel::Reporter => 2,
            AccessLevel::Developer => 3,
            AccessLevel::Maintainer => 4,
            AccessLevel::Owner => 5,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_and_numbers() {
        assert_eq!(AccessLevel::parse("Reporter"), Ok(AccessLevel::Reporter));
        assert_eq!(AccessLevel::parse("40"), Ok(AccessLevel::Maintainer));
        assert_eq!(
            AccessLevel::parse("25"),
            Err(RbacError::UnknownAccessLevel(25))
        );
        assert!(AccessLevel::parse("admin").is_err());
        assert!(AccessLevel::Owner > AccessLevel::Maintainer);
        for (i, level) in AccessLevel::ALL.into_iter().enumerate() {
            assert_eq!(level.index(), i);
        }
    }
}
