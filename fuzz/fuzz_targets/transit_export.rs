//! Transit key exports (the JSON of `transit/export/encryption-key`, its
//! `data`, or a bare `keys` map) imported as keyrings. An imported keyring
//! must encrypt and decrypt, and survive its own export.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pipeline_guard_core::crypto::keyring::KeyringOptions;
use pipeline_guard_core::crypto::Keyring;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, json)) = data.split_first() else {
        return;
    };
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(json) else {
        return;
    };
    let options = KeyringOptions {
        derived: flags & 1 != 0,
        convergent: flags & 2 != 0,
        openbao_compatible_convergent_aad: false,
    };
    let Ok(ring) = Keyring::from_transit_export(&value, options) else {
        return;
    };
    let context: Option<&[u8]> = options.derived.then_some(b"ctx");
    let ct = ring.encrypt(b"plaintext", context, None).expect("encrypt");
    assert_eq!(
        ring.decrypt(&ct, context, None)
            .expect("decrypt")
            .as_slice(),
        b"plaintext"
    );
    let exported = ring.to_transit_export("k");
    let again = Keyring::from_transit_export(&exported, options).expect("own export imports");
    assert_eq!(ring.versions(), again.versions());
    for v in ring.versions() {
        assert_eq!(ring.key_bytes(v), again.key_bytes(v));
    }
    assert_eq!(
        again
            .decrypt(&ct, context, None)
            .expect("decrypt")
            .as_slice(),
        b"plaintext"
    );
});
