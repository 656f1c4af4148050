//! Transit ciphertext strings (`vault:vN:base64`) with context and AAD,
//! decrypted by the keyrings of the recorded OpenBao keys. Input layout:
//! key selector byte, ciphertext, NUL, context, NUL, associated data.
//! Whatever decrypts must re-encrypt and decrypt to the same plaintext.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pipeline_guard_core::crypto::transit;
use pipeline_guard_fuzz::transit::recorded_keyrings;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let mut parts = rest.splitn(3, |b| *b == 0);
    let ciphertext = parts.next().unwrap_or_default();
    let context = parts.next();
    let aad = parts.next();
    if let Ok(env) = transit::parse(ciphertext) {
        assert!(env.sealed().len() + 12 >= 12);
    }
    let rings = recorded_keyrings();
    let ring = &rings[usize::from(selector) % rings.len()];
    if let Ok(plain) = ring.decrypt(ciphertext, context, aad) {
        let again = ring.encrypt(&plain, context, aad).expect("re-encrypt");
        assert_eq!(
            ring.decrypt(&again, context, aad)
                .expect("round trip")
                .as_slice(),
            plain.as_slice()
        );
        let rewrapped = ring.rewrap(ciphertext, context, aad).expect("rewrap");
        assert_eq!(
            ring.decrypt(&rewrapped, context, aad)
                .expect("rewrapped")
                .as_slice(),
            plain.as_slice()
        );
    }
    let batch = ring.decrypt_many(&[ciphertext], context);
    let single = ring.decrypt(ciphertext, context, None);
    assert_eq!(
        batch[0].as_ref().map(|p| p.as_slice()),
        single.as_ref().map(|p| p.as_slice())
    );
});
