//! The DSSE JSON envelope (envelope.md): parse and serialize, strictly.
//!
//! Parsing follows the spec's rules: `payload`, `payloadType`, `signatures`
//! and every `sig` are required (the list may be empty here; verification
//! refuses it); `keyid` is optional and an empty one counts as unset;
//! unknown fields are ignored, as consumers MUST. Base64 may be standard or
//! URL-safe, padded or not (verifiers MUST accept either), but never mixed
//! alphabets, whitespace or non-canonical trailing bits. Serialization
//! writes standard padded base64, as cosign and Sigstore bundles do.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use super::pae::pae;

/// Media type of in-toto statements carried in DSSE.
pub const IN_TOTO_PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";

/// A DSSE envelope: the payload bytes, their type, and signatures over
/// [`pae`]`(payload_type, payload)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// What the payload is (authenticated: part of the signed bytes).
    #[serde(rename = "payloadType")]
    pub payload_type: String,
    /// The serialized body, raw bytes (base64 in JSON).
    #[serde(with = "b64")]
    pub payload: Vec<u8>,
    /// Signatures; each is independent (envelope.md, "Multiple signatures").
    pub signatures: Vec<Signature>,
}

/// One signature of an [`Envelope`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// Unauthenticated hint naming the key; only narrows which keys to try.
    #[serde(
        default,
        deserialize_with = "empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub keyid: Option<String>,
    /// The signature bytes (base64 in JSON). ECDSA signatures are ASN.1 DER.
    #[serde(with = "b64")]
    pub sig: Vec<u8>,
}

/// Why an envelope could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid DSSE envelope: {0}")]
pub struct EnvelopeError(pub String);

impl Envelope {
    /// Parses the JSON envelope.
    pub fn from_json(json: &[u8]) -> Result<Self, EnvelopeError> {
        serde_json::from_slice(json).map_err(|e| EnvelopeError(e.to_string()))
    }

    /// Parses an envelope already decoded as a JSON value (for example the
    /// `dsseEnvelope` member of a Sigstore bundle).
    pub fn from_value(value: serde_json::Value) -> Result<Self, EnvelopeError> {
        serde_json::from_value(value).map_err(|e| EnvelopeError(e.to_string()))
    }

    /// Serializes as compact JSON (`payload`, `payloadType`, `signatures`).
    pub fn to_json(&self) -> String {
        // Serializing strings and byte vectors cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The bytes every signature of this envelope covers.
    pub fn pae(&self) -> Vec<u8> {
        pae(&self.payload_type, &self.payload)
    }
}

fn empty_as_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.filter(|s| !s.is_empty()))
}

/// Base64 as DSSE allows it: standard or URL-safe, padding optional.
pub(crate) mod b64 {
    use super::*;

    use base64_simd::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};

    /// Decodes one alphabet or the other (chosen by the characters present),
    /// padded or not; whitespace and non-canonical trailing bits are refused.
    pub(crate) fn decode(text: &str) -> Result<Vec<u8>, base64_simd::Error> {
        let url = text.bytes().any(|b| b == b'-' || b == b'_');
        let engine = match (url, text.ends_with('=')) {
            (true, true) => URL_SAFE,
            (true, false) => URL_SAFE_NO_PAD,
            (false, true) => STANDARD,
            (false, false) => STANDARD_NO_PAD,
        };
        engine.decode_to_vec(text)
    }

    pub(crate) fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode_to_string(bytes))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        decode(&text).map_err(|e| serde::de::Error::custom(format!("invalid base64: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The envelope of DSSE's protocol.md test vector.
    const VECTOR: &str = r#"{"payload": "aGVsbG8gd29ybGQ=",
 "payloadType": "http://example.com/HelloWorld",
 "signatures": [{"sig": "A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA=="}]}"#;

    #[test]
    fn base64_either_alphabet_padded_or_not_but_strict() {
        assert_eq!(b64::decode("+/8=").unwrap(), [0xfb, 0xff]);
        assert_eq!(b64::decode("+/8").unwrap(), [0xfb, 0xff]);
        assert_eq!(b64::decode("-_8=").unwrap(), [0xfb, 0xff]);
        assert_eq!(b64::decode("-_8").unwrap(), [0xfb, 0xff]);
        assert!(b64::decode("+_8=").is_err(), "mixed alphabets");
        assert!(b64::decode("+/8 ").is_err(), "whitespace");
        assert!(b64::decode("+/9=").is_err(), "non-canonical trailing bits");
        assert!(
            b64::decode("YR").is_err(),
            "non-canonical trailing bits, one byte"
        );
    }

    #[test]
    fn parses_the_protocol_vector() {
        let env = Envelope::from_json(VECTOR.as_bytes()).unwrap();
        assert_eq!(env.payload, b"hello world");
        assert_eq!(env.payload_type, "http://example.com/HelloWorld");
        assert_eq!(env.signatures.len(), 1);
        assert_eq!(env.signatures[0].keyid, None);
        assert_eq!(env.signatures[0].sig.len(), 64);
        assert_eq!(
            env.pae(),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
        );
    }

    #[test]
    fn serializes_standard_padded_and_round_trips() {
        let env = Envelope {
            payload_type: "t".into(),
            payload: vec![0xfb, 0xff],
            signatures: vec![Signature {
                keyid: Some("k".into()),
                sig: vec![0xfe],
            }],
        };
        let json = env.to_json();
        assert_eq!(
            json,
            r#"{"payloadType":"t","payload":"+/8=","signatures":[{"keyid":"k","sig":"/g=="}]}"#
        );
        assert_eq!(Envelope::from_json(json.as_bytes()).unwrap(), env);
    }

    #[test]
    fn accepts_both_alphabets_and_optional_padding() {
        for p in ["+/8=", "+/8", "-_8=", "-_8"] {
            let json = format!(r#"{{"payloadType":"t","payload":"{p}","signatures":[]}}"#);
            assert_eq!(
                Envelope::from_json(json.as_bytes()).unwrap().payload,
                [0xfb, 0xff],
                "{p}"
            );
        }
    }

    #[test]
    fn empty_or_null_keyid_is_unset_and_unknown_fields_are_ignored() {
        let json = r#"{"payloadType":"t","payload":"","x":1,"signatures":[{"keyid":"","sig":""},{"keyid":null,"sig":"","y":[]}]}"#;
        let env = Envelope::from_json(json.as_bytes()).unwrap();
        assert!(env.signatures.iter().all(|s| s.keyid.is_none()));
    }

    #[test]
    fn rejects_malformed_envelopes() {
        let bad = [
            r#"{"payloadType":"t","signatures":[]}"#,
            r#"{"payload":"","signatures":[]}"#,
            r#"{"payloadType":"t","payload":""}"#,
            r#"{"payloadType":"t","payload":"","signatures":[{"keyid":"k"}]}"#,
            r#"{"payloadType":1,"payload":"","signatures":[]}"#,
            r#"{"payloadType":"t","payload":null,"signatures":[]}"#,
            r#"{"payloadType":"t","payload":"","signatures":{}}"#,
            r#"{"payloadType":"t","payload":"","signatures":[{"sig":"","keyid":5}]}"#,
            r#"{"payloadType":"t","payload":"+_8=","signatures":[]}"#,
            r#"{"payloadType":"t","payload":"YW I=","signatures":[]}"#,
            r#"{"payloadType":"t","payload":"YWJ=","signatures":[]}"#,
            r#"{"payloadType":"t","payload":"Y","signatures":[]}"#,
            r#"{"payloadType":"t","payloadType":"u","payload":"","signatures":[]}"#,
            r#"[]"#,
            r#"{"payloadType":"t","payload":"","signatures":[]} x"#,
            "",
        ];
        for b in bad {
            assert!(Envelope::from_json(b.as_bytes()).is_err(), "{b}");
        }
    }
}
