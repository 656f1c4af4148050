//! Protobuf-JSON field types shared by bundles and trusted roots: `bytes`
//! fields are standard base64 (padded or not, as protobuf's JSON mapping
//! allows), 64-bit integers arrive as strings or numbers.
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

/// Decodes protobuf-JSON base64: standard or URL-safe alphabet, padding
/// optional (the same rules as DSSE's, so one decoder serves both).
pub fn b64decode(text: &str) -> Option<Vec<u8>> {
    crate::attest::dsse::b64::decode(text).ok()
}

/// Standard padded base64, as Rekor writes it.
pub fn b64encode(bytes: &[u8]) -> String {
    base64_simd::STANDARD.encode_to_string(bytes)
}

/// A protobuf `bytes` field.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bytes(pub Vec<u8>);

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        b64decode(&text)
            .map(Bytes)
            .ok_or_else(|| de::Error::custom("invalid base64"))
    }
}

/// A protobuf `int64`: a JSON number or a decimal string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Int64(pub i64);

impl<'de> Deserialize<'de> for Int64 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Int64;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an integer or a decimal string")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Int64, E> {
                Ok(Int64(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Int64, E> {
                i64::try_from(v)
                    .map(Int64)
                    .map_err(|_| E::custom("integer out of range"))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Int64, E> {
                let digits = v.strip_prefix('-').unwrap_or(v);
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(E::custom("invalid integer string"));
                }
                v.parse()
                    .map(Int64)
                    .map_err(|_| E::custom("integer out of range"))
            }
        }
        d.deserialize_any(V)
    }
}
