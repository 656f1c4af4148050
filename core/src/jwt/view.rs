//! JSON views of token segments that never build claim Maps: header and
//! payload are checked with a non-allocating pass over their JSON (same
//! strictness as parsing into `serde_json::Value`: UTF-8, escapes, number
//! ranges, unique top-level names, bounded depth), keeping only the members
//! the header rules and claim rules read.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::claims::ClaimLookup;
use super::json::{nesting_depth_exceeds, ObjectError, DUPLICATE_MEMBER, MAX_JSON_DEPTH};

/// Members the header rules read.
pub(crate) const HEADER_MEMBERS: [&str; 3] = ["alg", "kid", "crit"];
/// Members the claim rules read (presence of others is tracked by name).
pub(crate) const CLAIM_MEMBERS: [&str; 7] = ["exp", "nbf", "iat", "iss", "aud", "sub", "jti"];

/// Top-level names seen so far: a short list, a set once there are many.
enum Seen<'de> {
    Few(Vec<Cow<'de, str>>),
    Many(HashSet<Cow<'de, str>>),
}

impl<'de> Seen<'de> {
    const FEW: usize = 16;

    fn contains(&self, name: &str) -> bool {
        match self {
            Seen::Few(list) => list.iter().any(|n| n == name),
            Seen::Many(set) => set.contains(name),
        }
    }

    /// Adds `name`; false if it was already there.
    fn insert(&mut self, name: Cow<'de, str>) -> bool {
        if self.contains(&name) {
            return false;
        }
        match self {
            Seen::Few(list) if list.len() < Self::FEW => list.push(name),
            Seen::Few(list) => {
                let mut set: HashSet<Cow<'de, str>> = list.drain(..).collect();
                set.insert(name);
                *self = Seen::Many(set);
            }
            Seen::Many(set) => {
                set.insert(name);
            }
        }
        true
    }
}

/// The members of one JSON object that a check needs, plus every name.
pub(crate) struct ObjectView<'de> {
    captured: Vec<(&'static str, Value)>,
    seen: Seen<'de>,
}

impl ClaimLookup for ObjectView<'_> {
    fn get(&self, name: &str) -> Option<&Value> {
        self.captured
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }

    fn contains_key(&self, name: &str) -> bool {
        self.seen.contains(name)
    }

    fn full(&self) -> Option<&Map<String, Value>> {
        None
    }
}

impl ObjectView<'_> {
    /// The `kid` header, when it is a string.
    pub(crate) fn kid(&self) -> Option<&str> {
        self.get("kid").and_then(Value::as_str)
    }
}

/// A member name, borrowed from the input unless it contains escapes.
struct Name<'de>(Cow<'de, str>);

/// Seed reading a [`Name`].
struct NameSeed;

impl<'de> DeserializeSeed<'de> for NameSeed {
    type Value = Name<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Name<'de>, D::Error> {
        struct NameVisitor;
        impl<'de> Visitor<'de> for NameVisitor {
            type Value = Name<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(NameVisitor)
    }
}

/// Reads any JSON value and drops it, accepting exactly what parsing into
/// `serde_json::Value` accepts.
struct Skip;

impl<'de> DeserializeSeed<'de> for Skip {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(Skip)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Skip)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key_seed(Skip)?.is_some() {
            map.next_value_seed(Skip)?;
        }
        Ok(())
    }
}

/// Reads a top-level object, keeping the values of `wanted` names.
struct ViewVisitor {
    wanted: &'static [&'static str],
}

impl<'de> Visitor<'de> for ViewVisitor {
    type Value = ObjectView<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<ObjectView<'de>, A::Error> {
        // Sized once: growing both lists member by member cost more than
        // the rest of the pass on a typical token.
        let mut view = ObjectView {
            captured: Vec::with_capacity(self.wanted.len()),
            seen: Seen::Few(Vec::with_capacity(Seen::FEW)),
        };
        while let Some(Name(name)) = access.next_key_seed(NameSeed)? {
            let slot = self.wanted.iter().find(|w| **w == name);
            let value = match slot {
                Some(_) => Some(access.next_value::<Value>()?),
                None => {
                    access.next_value_seed(Skip)?;
                    None
                }
            };
            if let (Some(slot), Some(value)) = (slot, value) {
                if !view.seen.contains(&name) {
                    view.captured.push((slot, value));
                }
            }
            if !view.seen.insert(name) {
                return Err(serde::de::Error::custom(DUPLICATE_MEMBER));
            }
        }
        Ok(view)
    }
}

/// [`parse_object`](super::json::parse_object) without building the object.
pub(crate) fn view_object<'de>(
    bytes: &'de [u8],
    wanted: &'static [&'static str],
) -> Result<ObjectView<'de>, ObjectError> {
    if nesting_depth_exceeds(bytes, MAX_JSON_DEPTH) {
        return Err(ObjectError::TooDeep);
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let view = de
        .deserialize_map(ViewVisitor { wanted })
        .and_then(|view| de.end().map(|()| view));
    match view {
        Ok(view) => Ok(view),
        Err(err) if err.is_data() && err.to_string().starts_with(DUPLICATE_MEMBER) => {
            Err(ObjectError::Duplicate)
        }
        Err(err) if err.is_data() => Err(ObjectError::NotAnObject),
        Err(_) => Err(ObjectError::Invalid),
    }
}
