//! The OpenBao transit keys recorded in the shared vectors (public test
//! keys), as keyrings, so seeds holding OpenBao's own ciphertexts decrypt.

use pipeline_guard_core::crypto::keyring::KeyringOptions;
use pipeline_guard_core::crypto::Keyring;

/// `(export, derived, convergent)` for the recorded keys plain, derived,
/// convergent and rotated (exported after min_decryption_version = 2).
pub const RECORDED_KEYS: [(&str, bool, bool); 4] = [
    (
        r#"{"type":"aes256-gcm96","keys":{"1":"24JdeO52Dt7NjRA/fCetdy4wRtYKxcn+d4+I+BxHPJs="}}"#,
        false,
        false,
    ),
    (
        r#"{"type":"aes256-gcm96","keys":{"1":"VC/Brj7bfPRIKnB2X0CDfhJnc9jJInTrEssVpKAmzXQ="}}"#,
        true,
        false,
    ),
    (
        r#"{"type":"aes256-gcm96","keys":{"1":"kUnsZaEHHWgcoHjhiWvXjV6QBr0MZZckmOlVjWkbbxw="}}"#,
        true,
        true,
    ),
    (
        r#"{"type":"aes256-gcm96","keys":{"2":"8poUhd47ZtI5aoPkzmYM50edHXTJg/QWRX5uH7hUESs=","3":"7tPFrLVpbSrKmcSW64rQeJ15c8L8ROV2+M/dcE8Wy58="}}"#,
        false,
        false,
    ),
];

pub fn recorded_keyrings() -> &'static [Keyring] {
    static RINGS: std::sync::OnceLock<Vec<Keyring>> = std::sync::OnceLock::new();
    RINGS.get_or_init(|| {
        RECORDED_KEYS
            .iter()
            .map(|(export, derived, convergent)| {
                let value: serde_json::Value = serde_json::from_str(export).expect("json");
                let options = KeyringOptions {
                    derived: *derived,
                    convergent: *convergent,
                    // Keys recorded from OpenBao behave as OpenBao's.
                    openbao_compatible_convergent_aad: true,
                };
                Keyring::from_transit_export(&value, options).expect("recorded key")
            })
            .collect()
    })
}
