//! Replays the transit cases recorded from OpenBao 2.7.2: every ciphertext
//! must get OpenBao's verdict and, on failure, OpenBao's error text.
mod support;

use base64_simd::STANDARD;
use pipeline_guard_core::crypto::keyring::KeyringOptions;
use pipeline_guard_core::crypto::{CryptoError, Keyring, WipedVec};
use serde_json::Value;
use support::load_vectors;

fn b64(v: &Value) -> Option<Vec<u8>> {
    v.as_str().map(|s| STANDARD.decode_to_vec(s).unwrap())
}

fn keyring(spec: &Value) -> Keyring {
    keyring_with(spec, false)
}

fn keyring_with(spec: &Value, openbao_compatible_convergent_aad: bool) -> Keyring {
    let options = KeyringOptions {
        derived: spec["derived"].as_bool().unwrap(),
        convergent: spec["convergent_encryption"].as_bool().unwrap(),
        openbao_compatible_convergent_aad,
    };
    let mut kr = Keyring::from_transit_export(spec, options).unwrap();
    kr.set_min_decryption_version(spec["min_decryption_version"].as_i64().unwrap())
        .unwrap();
    kr
}

#[test]
fn recorded_ciphertexts_match_openbao() {
    let Some(doc) = load_vectors("openbao/transit_cases.json") else {
        return;
    };
    let mut checked = 0;
    for case in doc["ciphertexts"].as_array().unwrap() {
        let kr = keyring(&doc["keys"][case["key"].as_str().unwrap()]);
        let context = b64(&case["context_b64"]);
        let aad = b64(&case["associated_data_b64"]);
        let result = kr.decrypt(
            case["ciphertext"].as_str().unwrap(),
            context.as_deref(),
            aad.as_deref(),
        );
        let note = case["note"].as_str().unwrap();
        if case["decrypts"].as_bool().unwrap() {
            let plain = result.unwrap_or_else(|e| panic!("{note}: {e}"));
            assert_eq!(
                plain.as_slice(),
                b64(&case["plaintext_b64"]).unwrap(),
                "{note}"
            );
        } else {
            let err = result.expect_err(note);
            assert_eq!(err.to_string(), case["error"].as_str().unwrap(), "{note}");
        }
        checked += 1;
    }
    assert_eq!(checked, 177);
}

#[test]
fn convergent_encryption_reproduces_openbao_ciphertexts() {
    let Some(doc) = load_vectors("openbao/transit_cases.json") else {
        return;
    };
    // OpenBao seals convergent plaintexts with associated data too.
    let kr = keyring_with(&doc["keys"]["convergent"], true);
    let mut same = 0;
    for case in doc["ciphertexts"].as_array().unwrap() {
        if case["key"] != "convergent"
            || case["origin"] != "openbao"
            || !case["decrypts"].as_bool().unwrap()
        {
            continue;
        }
        let ours = kr
            .encrypt(
                &b64(&case["plaintext_b64"]).unwrap(),
                b64(&case["context_b64"]).as_deref(),
                b64(&case["associated_data_b64"]).as_deref(),
            )
            .unwrap();
        assert_eq!(
            ours,
            case["ciphertext"].as_str().unwrap(),
            "{}",
            case["note"]
        );
        same += 1;
    }
    assert!(same >= 3, "only {same} convergent ciphertexts compared");
}

#[test]
fn export_after_min_decryption_version_is_too_old_below() {
    let Some(doc) = load_vectors("openbao/transit_cases.json") else {
        return;
    };
    let rotated = &doc["keys"]["rotated"];
    let later = serde_json::json!({"keys": rotated["keys_exported_after_config"]});
    let kr = Keyring::from_transit_export(&later, KeyringOptions::default()).unwrap();
    assert_eq!((kr.min_decryption_version(), kr.latest_version()), (2, 3));
    let v1 = doc["ciphertexts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "rotated" && c["note"] == "encrypted as v1")
        .unwrap();
    assert_eq!(
        kr.decrypt(v1["ciphertext"].as_str().unwrap(), None, None)
            .unwrap_err(),
        CryptoError::VersionTooOld
    );
}

#[test]
fn round_trips_and_rotation() {
    for options in [
        KeyringOptions::default(),
        KeyringOptions {
            derived: true,
            ..KeyringOptions::default()
        },
        KeyringOptions {
            derived: true,
            convergent: true,
            ..KeyringOptions::default()
        },
    ] {
        let mut kr = Keyring::generate(options).unwrap();
        let ctx: Option<&[u8]> = options.derived.then_some(b"ctx");
        // Convergent keyrings refuse associated data (tested below).
        let aad: Option<&[u8]> = (!options.convergent).then_some(b"aad");
        for size in [0usize, 1, 100, 4096, 3 << 20] {
            let pt = vec![7u8; size];
            let ct = kr.encrypt(&pt, ctx, aad).unwrap();
            assert!(ct.starts_with("vault:v1:"));
            assert_eq!(kr.decrypt(&ct, ctx, aad).unwrap().as_slice(), pt.as_slice());
            assert_eq!(
                kr.decrypt(&ct, ctx, Some(b"other")).unwrap_err(),
                CryptoError::AuthenticationFailed
            );
        }
        let old = kr.encrypt(b"secret", ctx, None).unwrap();
        assert_eq!(kr.rotate().unwrap(), 2);
        let new = kr.rewrap(&old, ctx, None).unwrap();
        assert!(new.starts_with("vault:v2:"));
        if let Some(aad) = aad {
            let rebound = kr.rewrap_with(&new, ctx, None, Some(aad)).unwrap();
            assert_eq!(
                kr.decrypt(&rebound, ctx, Some(aad)).unwrap().as_slice(),
                b"secret"
            );
            assert!(kr.decrypt(&rebound, ctx, None).is_err());
        }
        kr.set_min_decryption_version(2).unwrap();
        assert_eq!(
            kr.decrypt(&old, ctx, None).unwrap_err(),
            CryptoError::VersionTooOld
        );
        assert_eq!(kr.decrypt(&new, ctx, None).unwrap().as_slice(), b"secret");
        assert!(kr.set_min_decryption_version(3).is_err());
        assert!(kr.set_min_decryption_version(0).is_err());
        if options.derived {
            assert_eq!(
                kr.encrypt(b"x", None, None).unwrap_err(),
                CryptoError::MissingContext
            );
            assert_eq!(
                kr.decrypt(&new, Some(b"other"), None).unwrap_err(),
                CryptoError::AuthenticationFailed
            );
        }
        if options.convergent {
            assert_eq!(
                kr.encrypt(b"same", ctx, None).unwrap(),
                kr.encrypt(b"same", ctx, None).unwrap()
            );
        } else {
            assert_ne!(
                kr.encrypt(b"same", ctx, None).unwrap(),
                kr.encrypt(b"same", ctx, None).unwrap()
            );
        }
    }
}

#[test]
fn batches_keep_order_and_report_each_failure() {
    let kr = Keyring::generate(KeyringOptions::default()).unwrap();
    let plaintexts: Vec<Vec<u8>> = (0..1000u32).map(|i| i.to_le_bytes().to_vec()).collect();
    let cts: Vec<String> = kr
        .encrypt_many(&plaintexts, None)
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let mut inputs = cts.clone();
    inputs[500] = "vault:v1:garbage".into();
    let out = kr.decrypt_many(&inputs, None);
    for (i, r) in out.iter().enumerate() {
        if i == 500 {
            assert_eq!(r.as_ref().unwrap_err(), &CryptoError::BadBase64);
        } else {
            assert_eq!(r.as_ref().unwrap().as_slice(), plaintexts[i].as_slice());
        }
    }
}

/// The one-buffer batch gives what `decrypt` gives item by item (values
/// and errors, for batches below and above the parallel threshold), and
/// wipes the room of failed items.
#[test]
fn batch_into_one_buffer_matches_single_decrypts() {
    let kr = Keyring::generate(KeyringOptions::default()).unwrap();
    for count in [0usize, 3, 1000] {
        let plaintexts: Vec<Vec<u8>> = (0..count).map(|i| vec![i as u8; i % 300]).collect();
        let mut inputs: Vec<String> = plaintexts
            .iter()
            .map(|p| kr.encrypt(p, None, None).unwrap())
            .collect();
        if count > 2 {
            inputs[1] = "vault:v1:garbage".into();
            inputs[2] = kr.encrypt(b"x", None, Some(b"aad")).unwrap();
        }
        let mut buf = WipedVec::default();
        let out = kr.decrypt_many_into(&inputs, None, &mut buf);
        assert_eq!(out.len(), count);
        let mut failed_room = 0;
        for (i, r) in out.into_iter().enumerate() {
            match (r, kr.decrypt(&inputs[i], None, None)) {
                (Ok(range), Ok(single)) => assert_eq!(&buf[range], single.as_slice()),
                (Err(e), Err(single)) => {
                    assert_eq!(e, single);
                    failed_room += 1;
                }
                (got, want) => panic!("item {i}: {got:?} vs {want:?}"),
            }
        }
        if count > 2 {
            assert_eq!(failed_room, 2);
            // Item 2 authenticated under other associated data: its
            // unauthenticated bytes do not stay behind.
            let start: usize = inputs[..2].iter().map(|c| c.len() / 4 * 3 + 3).sum();
            let room = inputs[2].len() / 4 * 3 + 3;
            assert!(buf[start..start + room].iter().all(|b| *b == 0));
        }
    }
}

/// Encrypting into caller-owned memory, on the stack and off it, one item
/// or a batch: every result decrypts, and short room is an error.
#[test]
fn encrypt_into_and_batches_into_one_buffer_decrypt() {
    let kr = Keyring::generate(KeyringOptions::default()).unwrap();
    for len in [0usize, 1, 483, 484, 485, 5000] {
        let plaintext = vec![7u8; len];
        let mut out = vec![0u8; kr.encrypted_len(len)];
        let n = kr
            .encrypt_into(&plaintext, None, Some(b"ad"), &mut out)
            .unwrap();
        assert_eq!(n, out.len());
        let decrypted = kr.decrypt(&out, None, Some(b"ad")).unwrap();
        assert_eq!(decrypted.as_slice(), plaintext.as_slice());
        let mut short = vec![0u8; n - 1];
        assert_eq!(
            kr.encrypt_into(&plaintext, None, None, &mut short),
            Err(CryptoError::EncryptionFailed)
        );
    }
    for count in [0usize, 3, 1000] {
        let plaintexts: Vec<Vec<u8>> = (0..count).map(|i| vec![i as u8; i % 600]).collect();
        let mut buf = Vec::new();
        let ranges = kr.encrypt_many_into(&plaintexts, None, &mut buf);
        assert_eq!(ranges.len(), count);
        for (i, r) in ranges.into_iter().enumerate() {
            let ct = &buf[r.unwrap()];
            assert!(ct.starts_with(b"vault:v1:"));
            assert_eq!(
                kr.decrypt(ct, None, None).unwrap().as_slice(),
                plaintexts[i].as_slice()
            );
        }
    }
}

#[test]
fn rejects_bad_options_and_exports() {
    assert_eq!(
        Keyring::generate(KeyringOptions {
            convergent: true,
            ..KeyringOptions::default()
        })
        .unwrap_err(),
        CryptoError::ConvergentRequiresDerived
    );
    for bad in [
        serde_json::json!({}),
        serde_json::json!({"keys": {}}),
        serde_json::json!({"keys": {"1": "not base64!"}}),
        serde_json::json!({"keys": {"1": "AAAA"}}),
        serde_json::json!({"keys": {"x": "AAAA"}}),
        serde_json::json!({"keys": {"0": STANDARD.encode_to_string([0u8; 32])}}),
        serde_json::json!({"type": "rsa-2048", "keys": {"1": STANDARD.encode_to_string([0u8; 32])}}),
    ] {
        assert!(
            Keyring::from_transit_export(&bad, KeyringOptions::default()).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn debug_output_never_contains_key_bytes() {
    let kr = Keyring::from_transit_export(
        &serde_json::json!({"keys": {"1": STANDARD.encode_to_string([0x41u8; 32])}}),
        KeyringOptions::default(),
    )
    .unwrap();
    let shown = format!("{kr:?}");
    assert!(
        !shown.contains("AAAA") && !shown.contains("65, 65") && !shown.contains("QUFB"),
        "{shown}"
    );
}

fn convergent(openbao_compatible_convergent_aad: bool) -> Keyring {
    Keyring::from_transit_export(
        &serde_json::json!({"keys": {"1": STANDARD.encode_to_string([7u8; 32])}}),
        KeyringOptions {
            derived: true,
            convergent: true,
            openbao_compatible_convergent_aad,
        },
    )
    .unwrap()
}

#[test]
fn convergent_keyrings_refuse_associated_data_unless_opted_in() {
    let strict = convergent(false);
    let ctx = Some(&b"ctx"[..]);
    for aad in [b"table-a".as_slice(), b"table-b".as_slice()] {
        assert_eq!(
            strict.encrypt(b"same", ctx, Some(aad)).unwrap_err(),
            CryptoError::ConvergentAssociatedData
        );
    }
    // Empty associated data is no associated data in GCM.
    assert_eq!(
        strict.encrypt(b"same", ctx, Some(b"")).unwrap(),
        strict.encrypt(b"same", ctx, None).unwrap()
    );
    let plain = strict.encrypt(b"same", ctx, None).unwrap();
    assert_eq!(
        strict.rewrap(&plain, ctx, Some(b"x")).unwrap_err(),
        CryptoError::ConvergentAssociatedData
    );
    assert_eq!(
        strict.encrypt_many(&[b"a"], ctx)[0].as_ref().map(|_| ()),
        Ok(())
    );

    // Opted in, OpenBao's behaviour: the nonce ignores the associated data.
    let compatible = convergent(true);
    let a = compatible.encrypt(b"same", ctx, Some(b"table-a")).unwrap();
    let b = compatible.encrypt(b"same", ctx, Some(b"table-b")).unwrap();
    let nonce = |ct: &str| STANDARD.decode_to_vec(&ct["vault:v1:".len()..]).unwrap()[..12].to_vec();
    assert_eq!(nonce(&a), nonce(&b));
    assert!(compatible.rewrap(&a, ctx, Some(b"table-a")).is_ok());
    // Moving such a value to no associated data is how to leave it behind.
    let moved = strict.rewrap_with(&a, ctx, Some(b"table-a"), None).unwrap();
    assert_eq!(
        strict.decrypt(&moved, ctx, None).unwrap().as_slice(),
        b"same"
    );
    // Decrypting data OpenBao produced that way needs no opt-in.
    assert_eq!(
        strict
            .decrypt(&a, ctx, Some(b"table-a"))
            .unwrap()
            .as_slice(),
        b"same"
    );
}

#[test]
fn rotation_stops_at_the_last_version_instead_of_wrapping() {
    let mut kr = Keyring::from_transit_export(
        &serde_json::json!({"keys": {(u32::MAX - 1).to_string(): STANDARD.encode_to_string([1u8; 32])}}),
        KeyringOptions::default(),
    )
    .unwrap();
    assert_eq!(kr.rotate().unwrap(), u32::MAX);
    assert_eq!(kr.rotate().unwrap_err(), CryptoError::KeyVersionLimit);
    assert_eq!(kr.latest_version(), u32::MAX);
    assert_eq!(kr.versions(), vec![u32::MAX - 1, u32::MAX]);
    let ct = kr.encrypt(b"x", None, None).unwrap();
    assert!(ct.starts_with(&format!("vault:v{}:", u32::MAX)), "{ct}");
    assert_eq!(kr.decrypt(&ct, None, None).unwrap().as_slice(), b"x");
}

#[test]
fn export_versions_must_be_canonical_and_in_range() {
    let key = STANDARD.encode_to_string([2u8; 32]);
    for version in [
        "4294967296",
        "99999999999999999999",
        "-1",
        "+1",
        "01",
        " 1",
        "1.0",
        "",
    ] {
        let err = Keyring::from_transit_export(
            &serde_json::json!({"keys": {version: key}}),
            KeyringOptions::default(),
        )
        .unwrap_err();
        assert!(
            matches!(err, CryptoError::InvalidExport(_)),
            "{version:?}: {err}"
        );
    }
    // "1" and "01" would otherwise both name version 1, the last one winning.
    assert!(Keyring::from_transit_export(
        &serde_json::json!({"keys": {"1": key, "01": STANDARD.encode_to_string([3u8; 32])}}),
        KeyringOptions::default(),
    )
    .is_err());
    let kr = Keyring::from_transit_export(
        &serde_json::json!({"keys": {"4294967295": key}}),
        KeyringOptions::default(),
    )
    .unwrap();
    assert_eq!(kr.latest_version(), u32::MAX);
}
