//! The two AES-GCM providers (aws-lc-rs and RustCrypto) must agree: same
//! ciphertext for the same key, nonce, AAD and plaintext; same verdict when
//! opening arbitrary (also tampered) input; in-place calls equal the others.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use pipeline_guard_core::crypto::aead::all_providers;

#[derive(Arbitrary, Debug)]
struct Input {
    key_len: u8,
    key: [u8; 32],
    nonce: [u8; 12],
    aad: Vec<u8>,
    plaintext: Vec<u8>,
    sealed: Vec<u8>,
    flip: Option<(u16, u8)>,
}

fuzz_target!(|input: Input| {
    let len = [16, 24, 32][usize::from(input.key_len % 3)];
    let key = &input.key[..len];
    let providers = all_providers();
    assert_eq!(providers.len(), 2, "both providers are compiled in");
    let ciphers: Vec<_> = providers
        .iter()
        .map(|p| p.aes_gcm(key).expect("valid key length"))
        .collect();
    let sealed: Vec<Vec<u8>> = ciphers
        .iter()
        .map(|c| {
            c.seal(&input.nonce, &input.aad, &input.plaintext)
                .expect("seal")
        })
        .collect();
    assert_eq!(sealed[0], sealed[1], "providers seal differently");
    let mut in_place = input.nonce.to_vec();
    in_place.extend_from_slice(&input.plaintext);
    ciphers[1]
        .seal_in_place(&input.nonce, &input.aad, &mut in_place, 12)
        .expect("seal in place");
    assert_eq!(&in_place[12..], sealed[0].as_slice());
    for c in &ciphers {
        assert_eq!(
            c.open(&input.nonce, &input.aad, &sealed[0]).expect("open"),
            input.plaintext
        );
        let mut buf = in_place.clone();
        c.open_in_place(&input.nonce, &input.aad, &mut buf, 12)
            .expect("open in place");
        assert_eq!(buf, input.plaintext);
    }
    let mut tampered = sealed[0].clone();
    if let Some((i, mask)) = input.flip.filter(|(_, m)| *m != 0) {
        let i = usize::from(i) % tampered.len();
        tampered[i] ^= mask;
        for c in &ciphers {
            assert!(
                c.open(&input.nonce, &input.aad, &tampered).is_err(),
                "tampering accepted"
            );
        }
    }
    let verdicts: Vec<_> = ciphers
        .iter()
        .map(|c| c.open(&input.nonce, &input.aad, &input.sealed))
        .collect();
    assert_eq!(
        verdicts[0], verdicts[1],
        "providers open arbitrary input differently"
    );
});
