//! Sigstore bundle verification against its floor: the five raw signature
//! verifications the bundle needs (leaf certificate by the Fulcio
//! intermediate, SCT, SET, checkpoint, artifact signature), done directly
//! with aws-lc-rs on keys parsed once. Bundle: the public-good GitHub Actions
//! release in spec/fixtures/sigstore/public_good. The ratio verify / floor
//! is the overhead of parsing, DER work, hashing and the policy checks.
use std::sync::Arc;

use aws_lc_rs::digest;
use aws_lc_rs::signature::{self, ParsedPublicKey};
use base64_simd::STANDARD;
use criterion::{criterion_group, criterion_main, Criterion};
use der::{Decode, Encode};
use pipeline_guard_core::attest::sigstore::{Artifact, Identity, Policy, TrustedRoot, Verifier};
use serde_json::Value;
use x509_cert::ext::pkix::sct::SignedCertificateTimestampList;
use x509_cert::Certificate;

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../spec/fixtures/sigstore/public_good/"
);
const SCT_OID: &str = "1.3.6.1.4.1.11129.2.4.2";

fn read(name: &str) -> Vec<u8> {
    std::fs::read(format!("{DIR}{name}")).expect(name)
}

fn b64(v: &Value) -> Vec<u8> {
    STANDARD
        .decode_to_vec(v.as_str().expect("string"))
        .expect("base64")
}

fn raw_key(spki_der: &[u8]) -> Vec<u8> {
    let spki = spki::SubjectPublicKeyInfoRef::from_der(spki_der).expect("spki");
    spki.subject_public_key.raw_bytes().to_vec()
}

fn sigstore(c: &mut Criterion) {
    let bundle_text = read("rfc8785-0.1.2-py3-none-any.whl.sigstore.json");
    let artifact = read("rfc8785-0.1.2-py3-none-any.whl");
    let root_text = read("trusted_root.json");
    let verifier = Verifier::new(Arc::new(TrustedRoot::from_json(&root_text).expect("root")));
    let policy = Policy::Keyless {
        identity: Identity::Exact(
            "https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2".into(),
        ),
        issuer: "https://token.actions.githubusercontent.com".into(),
    };
    verifier
        .verify(&bundle_text, &Artifact::Bytes(&artifact), &policy)
        .expect("verifies");

    // --- the floor's inputs, from the bundle's own bytes ---------------------
    let bundle: Value = serde_json::from_slice(&bundle_text).unwrap();
    let root: Value = serde_json::from_slice(&root_text).unwrap();
    let entry = &bundle["verificationMaterial"]["tlogEntries"][0];
    let leaf_der =
        b64(&bundle["verificationMaterial"]["x509CertificateChain"]["certificates"][0]["rawBytes"]);
    let leaf = Certificate::from_der(&leaf_der).unwrap();
    let issuer = root["certificateAuthorities"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|ca| ca["certChain"]["certificates"].as_array().unwrap())
        .map(|c| Certificate::from_der(&b64(&c["rawBytes"])).unwrap())
        .find(|c| c.tbs_certificate.subject == leaf.tbs_certificate.issuer)
        .expect("issuer");
    let issuer_spki = issuer
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .unwrap();
    let issuer_key =
        ParsedPublicKey::new(&signature::ECDSA_P384_SHA384_ASN1, raw_key(&issuer_spki)).unwrap();
    let tbs = leaf.tbs_certificate.to_der().unwrap();
    let cert_sig = leaf.signature.raw_bytes().to_vec();

    let mut precert = leaf.tbs_certificate.clone();
    let exts = precert.extensions.as_mut().unwrap();
    let sct_ext = exts
        .iter()
        .position(|e| e.extn_id.to_string() == SCT_OID)
        .unwrap();
    let sct_value = exts.remove(sct_ext).extn_value;
    let precert_tbs = precert.to_der().unwrap();
    let sct = SignedCertificateTimestampList::from_der(sct_value.as_bytes())
        .unwrap()
        .parse_timestamps()
        .unwrap()[0]
        .parse_timestamp()
        .unwrap();
    let mut sct_signed = vec![0u8, 0];
    sct_signed.extend_from_slice(&sct.timestamp.to_be_bytes());
    sct_signed.extend_from_slice(&1u16.to_be_bytes());
    sct_signed.extend_from_slice(digest::digest(&digest::SHA256, &issuer_spki).as_ref());
    sct_signed.extend_from_slice(&(precert_tbs.len() as u32).to_be_bytes()[1..]);
    sct_signed.extend_from_slice(&precert_tbs);
    sct_signed.extend_from_slice(&(sct.extensions.as_slice().len() as u16).to_be_bytes());
    sct_signed.extend_from_slice(sct.extensions.as_slice());
    let sct_sig = sct.signature.signature.as_slice().to_vec();
    let log_key = |list: &str, id: &[u8]| {
        let log = root[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| b64(&l["logId"]["keyId"]) == id)
            .expect("log");
        ParsedPublicKey::new(
            &signature::ECDSA_P256_SHA256_ASN1,
            raw_key(&b64(&log["publicKey"]["rawBytes"])),
        )
        .unwrap()
    };
    let ct_key = log_key("ctlogs", &sct.log_id.key_id);
    let log_id = b64(&entry["logId"]["keyId"]);
    let rekor_key = log_key("tlogs", &log_id);
    let set_payload = format!(
        "{{\"body\":\"{}\",\"integratedTime\":{},\"logID\":\"{}\",\"logIndex\":{}}}",
        entry["canonicalizedBody"].as_str().unwrap(),
        entry["integratedTime"].as_str().unwrap(),
        log_id
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>(),
        entry["logIndex"].as_str().unwrap()
    );
    let set_sig = b64(&entry["inclusionPromise"]["signedEntryTimestamp"]);
    let envelope = entry["inclusionProof"]["checkpoint"]["envelope"]
        .as_str()
        .unwrap();
    let (note, sigs) = envelope.split_once("\n\n").unwrap();
    let note = format!("{note}\n");
    let cp_sig = STANDARD
        .decode_to_vec(sigs.trim_end().rsplit(' ').next().unwrap())
        .unwrap()[4..]
        .to_vec();
    let leaf_spki = leaf
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .unwrap();
    let leaf_key =
        ParsedPublicKey::new(&signature::ECDSA_P256_SHA256_ASN1, raw_key(&leaf_spki)).unwrap();
    let art_sig = b64(&bundle["messageSignature"]["signature"]);

    let floor = || {
        issuer_key.verify_sig(&tbs, &cert_sig).is_ok()
            && ct_key.verify_sig(&sct_signed, &sct_sig).is_ok()
            && rekor_key
                .verify_sig(set_payload.as_bytes(), &set_sig)
                .is_ok()
            && rekor_key.verify_sig(note.as_bytes(), &cp_sig).is_ok()
            && leaf_key.verify_sig(&artifact, &art_sig).is_ok()
    };
    assert!(floor(), "the floor's five checks must all verify");

    let mut group = c.benchmark_group("sigstore_public_good_bundle");
    group.bench_function("verify", |b| {
        b.iter(|| {
            verifier
                .verify(&bundle_text, &Artifact::Bytes(&artifact), &policy)
                .unwrap()
        })
    });
    group.bench_function("floor_5_raw_verifies", |b| b.iter(|| assert!(floor())));
    group.finish();
}

criterion_group!(benches, sigstore);
criterion_main!(benches);
