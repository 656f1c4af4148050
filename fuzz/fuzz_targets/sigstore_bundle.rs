//! Sigstore bundles and trusted roots: any bytes as a bundle verified
//! against the test instance's trusted root (must end in Ok or a
//! Verification error, never a panic or another error kind), and as a
//! trusted root.
#![no_main]
use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use pipeline_guard_core::attest::sigstore::{Artifact, Identity, Policy, SigstoreError, TrustedRoot, Verifier};

static VERIFIER: OnceLock<Verifier> = OnceLock::new();

fn verifier() -> &'static Verifier {
    VERIFIER.get_or_init(|| {
        let root = TrustedRoot::from_json(include_bytes!("../../spec/fixtures/sigstore/trusted_root.json"))
            .expect("test trusted root");
        Verifier::new(Arc::new(root))
    })
}

fuzz_target!(|data: &[u8]| {
    let policy = Policy::Keyless {
        identity: Identity::Exact("https://gitlab.example.com/group/project//.gitlab-ci.yml@refs/heads/main".into()),
        issuer: "https://gitlab.example.com".into(),
    };
    let artifact = include_bytes!("../../spec/fixtures/sigstore/artifact.txt");
    match verifier().verify(data, &Artifact::Bytes(artifact), &policy) {
        Ok(_) | Err(SigstoreError::Verification(_)) => {}
        Err(other) => panic!("bundle input gave a non-verification error: {other:?}"),
    }
    let _ = TrustedRoot::from_json(data);
});
