//! Wycheproof AES-GCM, HKDF-SHA256 and HMAC-SHA256 vectors through every
//! compiled-in AEAD provider.
mod support;

use pipeline_guard_core::crypto::aead::{all_providers, nonce_from_slice};
use pipeline_guard_core::crypto::kdf::{hkdf_sha256, hmac_sha256};
use pipeline_guard_core::crypto::secure_compare;
use support::{load_vectors, unhex};

#[test]
fn aes_gcm_96_bit_nonce_128_bit_tag() {
    let Some(doc) = load_vectors("wycheproof/aes_gcm_test.json") else {
        return;
    };
    for provider in all_providers() {
        let (mut valid, mut invalid) = (0, 0);
        for group in doc["testGroups"].as_array().unwrap() {
            if group["ivSize"] != 96 || group["tagSize"] != 128 {
                continue;
            }
            for t in group["tests"].as_array().unwrap() {
                let key = provider
                    .aes_gcm(&unhex(t["key"].as_str().unwrap()))
                    .expect("key size");
                let nonce_bytes = unhex(t["iv"].as_str().unwrap());
                let nonce = nonce_from_slice(&nonce_bytes).unwrap();
                let aad = unhex(t["aad"].as_str().unwrap());
                let msg = unhex(t["msg"].as_str().unwrap());
                let mut sealed = unhex(t["ct"].as_str().unwrap());
                sealed.extend(unhex(t["tag"].as_str().unwrap()));
                let id = t["tcId"].as_i64().unwrap();
                match t["result"].as_str().unwrap() {
                    "valid" => {
                        assert_eq!(
                            key.seal(nonce, &aad, &msg).unwrap(),
                            sealed,
                            "{} seal tc {id}",
                            provider.name()
                        );
                        assert_eq!(
                            key.open(nonce, &aad, &sealed).unwrap(),
                            msg,
                            "{} open tc {id}",
                            provider.name()
                        );
                        // The in-place forms over caller-owned slices.
                        let mut body = msg.clone();
                        let tag = key.seal_detached(nonce, &aad, &mut body).unwrap();
                        body.extend_from_slice(&tag);
                        assert_eq!(body, sealed, "{} seal_detached tc {id}", provider.name());
                        let n = key.open_detached(nonce, &aad, &mut body).unwrap();
                        assert_eq!(&body[..n], msg, "{} open_detached tc {id}", provider.name());
                        valid += 1;
                    }
                    _ => {
                        assert!(
                            key.open(nonce, &aad, &sealed).is_err(),
                            "{} accepted invalid tc {id}",
                            provider.name()
                        );
                        assert!(
                            key.open_detached(nonce, &aad, &mut sealed.clone()).is_err(),
                            "{} open_detached accepted invalid tc {id}",
                            provider.name()
                        );
                        invalid += 1;
                    }
                }
            }
        }
        eprintln!(
            "{}: {valid} valid, {invalid} invalid AES-GCM vectors",
            provider.name()
        );
        // 128/192/256-bit keys with 96-bit nonces and 128-bit tags.
        assert!(
            valid >= 100 && invalid >= 40,
            "too few vectors ran: {valid}/{invalid}"
        );
    }
}

#[test]
fn aes_gcm_rejects_other_nonce_sizes() {
    for bad in [0usize, 8, 16] {
        assert!(nonce_from_slice(&vec![0u8; bad]).is_err());
    }
}

#[test]
fn hkdf_sha256_vectors() {
    let Some(doc) = load_vectors("wycheproof/hkdf_sha256_test.json") else {
        return;
    };
    let mut checked = 0;
    for group in doc["testGroups"].as_array().unwrap() {
        for t in group["tests"].as_array().unwrap() {
            let ikm = unhex(t["ikm"].as_str().unwrap());
            let salt = unhex(t["salt"].as_str().unwrap());
            let info = unhex(t["info"].as_str().unwrap());
            let size = t["size"].as_u64().unwrap() as usize;
            // The default provider's function, then every provider built in.
            let mut outs = vec![("default", hkdf_sha256(&ikm, Some(&salt), &info, size))];
            for provider in all_providers() {
                outs.push((
                    provider.name(),
                    provider.hkdf_sha256(&ikm, Some(&salt), &info, size),
                ));
            }
            for (name, out) in outs {
                match t["result"].as_str().unwrap() {
                    "valid" => assert_eq!(
                        out.unwrap().as_slice(),
                        unhex(t["okm"].as_str().unwrap()),
                        "{name} tc {}",
                        t["tcId"]
                    ),
                    _ => assert!(out.is_none(), "{name} tc {} should be refused", t["tcId"]),
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 86);
}

#[test]
fn hmac_sha256_vectors() {
    let Some(doc) = load_vectors("wycheproof/hmac_sha256_test.json") else {
        return;
    };
    let mut checked = 0;
    for group in doc["testGroups"].as_array().unwrap() {
        if group["tagSize"] != 256 {
            continue;
        }
        for t in group["tests"].as_array().unwrap() {
            let mac = hmac_sha256(
                &unhex(t["key"].as_str().unwrap()),
                &unhex(t["msg"].as_str().unwrap()),
            );
            let same = secure_compare(&mac, &unhex(t["tag"].as_str().unwrap()));
            assert_eq!(same, t["result"] == "valid", "tc {}", t["tcId"]);
            checked += 1;
        }
    }
    assert_eq!(checked, 87);
}
