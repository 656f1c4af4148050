//! DSSE envelopes and the provenance they carry: any bytes either parse
//! to an envelope that re-serializes to the same envelope, or are refused;
//! verification against the fixed P-256 key only ever accepts what that
//! key signed, and the in-toto payload of an accepted envelope goes
//! through the SLSA policy check without a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pipeline_guard_core::attest::dsse::Envelope;
use pipeline_guard_core::attest::provenance_policy::{check_statement, ProvenancePolicy};
use pipeline_guard_core::attest::{pae, DsseVerifier, TrustedKey};
use pipeline_guard_fuzz::keys;

fuzz_target!(|data: &[u8]| {
    let Ok(env) = Envelope::from_json(data) else {
        return;
    };
    let again = Envelope::from_json(env.to_json().as_bytes()).expect("own JSON parses");
    assert_eq!(again, env);
    assert_eq!(env.pae(), pae(&env.payload_type, &env.payload));

    let trusted = TrustedKey::new(&keys().ec_verify, None, None).expect("P-256 key");
    let verifier = DsseVerifier::new(vec![trusted], 1, None).expect("verifier");
    if let Ok(verified) = verifier.verify(&env) {
        assert_eq!(verified.payload, env.payload);
        if let Ok(statement) = serde_json::from_slice(&verified.payload) {
            let policy = ProvenancePolicy::gitlab(
                vec![("sha256".into(), "00".repeat(32))],
                "https://gitlab.example.com/g/p",
                vec!["https://gitlab.example.com/groups/g/-/runners/1".into()],
            );
            let _ = check_statement(&statement, &policy);
        }
    }
});
