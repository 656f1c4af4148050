//! Keyring encrypt -> decrypt round trips with random keys, versions,
//! derivation, context and AAD: the plaintext comes back, a different AAD
//! or context is refused, convergent encryption is deterministic, and the
//! batch calls agree with the single ones.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use pipeline_guard_core::crypto::keyring::KeyringOptions;
use pipeline_guard_core::crypto::Keyring;
use zeroize::Zeroizing;

#[derive(Arbitrary, Debug)]
struct Input {
    keys: Vec<(u8, [u8; 32])>,
    derived: bool,
    convergent: bool,
    openbao_compatible_convergent_aad: bool,
    min_decryption_version: Option<i8>,
    plaintext: Vec<u8>,
    context: Option<Vec<u8>>,
    aad: Option<Vec<u8>>,
    other: Vec<u8>,
}

fuzz_target!(|input: Input| {
    let versions = input
        .keys
        .iter()
        .take(4)
        .map(|(v, k)| (u32::from(*v % 8), Zeroizing::new(*k)))
        .collect();
    let options = KeyringOptions {
        derived: input.derived,
        convergent: input.convergent,
        openbao_compatible_convergent_aad: input.openbao_compatible_convergent_aad,
    };
    let Ok(mut ring) = Keyring::from_versions(versions, options) else {
        return;
    };
    if let Some(min) = input.min_decryption_version {
        let _ = ring.set_min_decryption_version(i64::from(min));
    }
    let (ctx, aad) = (input.context.as_deref(), input.aad.as_deref());
    let ct = match ring.encrypt(&input.plaintext, ctx, aad) {
        Ok(ct) => ct,
        Err(_) => {
            // Only a derived keyring without (or with an empty) context may
            // refuse, and a convergent one asked to use associated data
            // without the OpenBao-compatibility switch.
            let no_context = input.derived && ctx.is_none_or(<[u8]>::is_empty);
            let convergent_aad = ring.options().convergent
                && !input.openbao_compatible_convergent_aad
                && !aad.unwrap_or_default().is_empty();
            assert!(no_context || convergent_aad);
            return;
        }
    };
    assert!(ct.starts_with(&format!("vault:v{}:", ring.latest_version())));
    assert_eq!(
        ring.decrypt(&ct, ctx, aad).expect("round trip").as_slice(),
        input.plaintext.as_slice()
    );
    if aad.unwrap_or_default() != input.other.as_slice() {
        assert!(
            ring.decrypt(&ct, ctx, Some(&input.other)).is_err(),
            "wrong AAD accepted"
        );
    }
    if input.derived && ctx != Some(input.other.as_slice()) && !input.other.is_empty() {
        assert!(
            ring.decrypt(&ct, Some(&input.other), aad).is_err(),
            "wrong context accepted"
        );
    }
    if input.convergent {
        assert_eq!(ring.encrypt(&input.plaintext, ctx, aad).expect("again"), ct);
    }
    if aad.is_none() {
        let many = ring.encrypt_many(&[input.plaintext.as_slice()], ctx);
        let ct2 = many[0].as_ref().expect("batch encrypt");
        let back = ring.decrypt_many(&[ct2.as_bytes(), ct.as_bytes()], ctx);
        assert_eq!(
            back[0].as_ref().map(|p| p.as_slice()),
            Ok(input.plaintext.as_slice())
        );
        assert_eq!(
            back[1].as_ref().map(|p| p.as_slice()),
            Ok(input.plaintext.as_slice())
        );
    }
    let rewrapped = ring.rewrap(&ct, ctx, aad).expect("rewrap");
    assert_eq!(
        ring.decrypt(&rewrapped, ctx, aad)
            .expect("rewrapped")
            .as_slice(),
        input.plaintext.as_slice()
    );
    let before = ring.latest_version();
    if ring.rotate().is_ok() {
        assert!(ring.latest_version() > before);
        assert_eq!(
            ring.decrypt(&ct, ctx, aad).expect("old version").as_slice(),
            input.plaintext.as_slice()
        );
    }
});
