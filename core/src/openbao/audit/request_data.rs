//! The part of a request's `data` GitLab reads: whether
//! `custom_metadata` is an object with an `update_completed_at` key (the
//! mark of the one metadata write that completes a secret update).
//! Everything else in `data` (HMAC'd values, or clear ones with
//! `log_raw`) is skipped, never kept.
use std::fmt;

use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RequestData {
    pub update_completed: bool,
}

impl<'de> Deserialize<'de> for RequestData {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(DataVisitor)
    }
}

struct DataVisitor;

impl<'de> Visitor<'de> for DataVisitor {
    type Value = RequestData;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RequestData, A::Error> {
        let mut out = RequestData::default();
        while let Some(key) = map.next_key::<KeyName>()? {
            if key.0 {
                // A repeated key: the last one counts, as in Ruby's JSON.
                out.update_completed = map.next_value::<CustomMetadata>()?.0;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(out)
    }
}

/// `true` for the key `custom_metadata` (compared without keeping it).
struct KeyName(bool);

impl<'de> Deserialize<'de> for KeyName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_str(KeyVisitor("custom_metadata"))
            .map(KeyName)
    }
}

struct KeyVisitor(&'static str);

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<bool, E> {
        Ok(v == self.0)
    }
}

/// Any JSON value; `true` when it is an object with `update_completed_at`
/// (GitLab: `custom_metadata.is_a?(Hash) && custom_metadata.key?(...)`).
struct CustomMetadata(bool);

impl<'de> Deserialize<'de> for CustomMetadata {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(CustomMetadataVisitor)
            .map(CustomMetadata)
    }
}

struct CustomMetadataVisitor;

impl<'de> Visitor<'de> for CustomMetadataVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut found = false;
        while let Some(key) = map.next_key::<KeyWith>()? {
            found |= key.0;
            map.next_value::<IgnoredAny>()?;
        }
        Ok(found)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(false)
    }

    fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_str<E>(self, _: &str) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_unit<E>(self) -> Result<bool, E> {
        Ok(false)
    }
}

/// `true` for the key `update_completed_at`.
struct KeyWith(bool);

impl<'de> Deserialize<'de> for KeyWith {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_str(KeyVisitor("update_completed_at"))
            .map(KeyWith)
    }
}
