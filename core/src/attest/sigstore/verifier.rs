//! Bundle verification: the order of checks follows the Sigstore client
//! specification (and sigstore-python's verifier): establish a verified
//! time, the certificate chain at that time, SCT, profile and identity
//! policy, transparency log proofs, then the signature and the log entry's
//! consistency with the bundle.
use std::sync::Arc;

use serde_json::Value;

use super::bundle::{Bundle, Content};
use super::certificate::ParsedCert;
use super::entry_body::{self, Signer};
use super::error::{fail, SigstoreError};
use super::keys::{Hash, PublicKey};
use super::statement::{self, Artifact, IN_TOTO_PAYLOAD_TYPE};
use super::trusted_root::TrustedRoot;
use super::{rekor, sct, timestamp, ManagedKey};

/// Who must have signed.
#[derive(Debug)]
pub enum Identity {
    /// The certificate's SAN equals this string.
    Exact(String),
    /// The certificate's SAN matches this regex (anchored by the caller).
    Regex(regex::Regex),
}

impl Identity {
    /// An unanchored regex in Rust `regex` syntax (as cosign's
    /// `--certificate-identity-regexp` is an unanchored Go regexp); size
    /// limited so a hostile pattern cannot cost much.
    pub fn regex(pattern: &str) -> Result<Identity, SigstoreError> {
        regex::RegexBuilder::new(pattern)
            .size_limit(1 << 20)
            .build()
            .map(Identity::Regex)
            .map_err(|e| SigstoreError::Argument(format!("identity_regex does not compile: {e}")))
    }

    fn matches(&self, san: &str) -> bool {
        match self {
            Identity::Exact(want) => {
                crate::crypto::compare::secure_compare(want.as_bytes(), san.as_bytes())
            }
            Identity::Regex(re) => re.is_match(san),
        }
    }
}

/// What the signature must prove beyond the artifact.
#[derive(Debug)]
pub enum Policy {
    /// Keyless: a Fulcio certificate for this identity from this OIDC issuer.
    Keyless { identity: Identity, issuer: String },
    /// A managed key.
    Key(ManagedKey),
}

/// What a verified bundle says.
#[derive(Debug, Clone, Default)]
pub struct Verified {
    /// The in-toto statement of a DSSE bundle, as JSON text.
    pub statement: Option<String>,
    pub payload_type: Option<String>,
    pub certificate_identity: Option<String>,
    pub certificate_issuer: Option<String>,
    pub certificate_extensions: Vec<(String, String)>,
    pub integrated_time: Option<i64>,
    pub log_index: i64,
    /// Hex SHA-256 of the managed key's SPKI (as Rekor names keys).
    pub key_id: Option<String>,
}

/// Verifies bundles against one trusted root; cheap to clone and share
/// across threads.
#[derive(Debug, Clone)]
pub struct Verifier {
    root: Arc<TrustedRoot>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Verifier {
    pub fn new(root: Arc<TrustedRoot>) -> Verifier {
        Verifier { root }
    }

    /// Verifies a batch in parallel (rayon); results in input order.
    pub fn verify_many(
        &self,
        items: &[(&[u8], Artifact)],
        policy: &Policy,
    ) -> Vec<Result<Verified, SigstoreError>> {
        use rayon::prelude::*;
        items
            .par_iter()
            .map(|(bundle, artifact)| self.verify(bundle, artifact, policy))
            .collect()
    }

    pub fn verify(
        &self,
        bundle_json: &[u8],
        artifact: &Artifact,
        policy: &Policy,
    ) -> Result<Verified, SigstoreError> {
        let bundle = Bundle::from_json(bundle_json)?;
        let entry = rekor::verify_entry(&bundle.tlog_entry, &self.root)?;
        let mut out = Verified {
            log_index: entry.log_index,
            integrated_time: entry.integrated_time,
            ..Verified::default()
        };
        // Verified signing times: the log's signed integrated time and each
        // RFC 3161 timestamp that verifies (see timestamp.rs).
        let mut times: Vec<i64> = entry.integrated_time.into_iter().collect();
        if !bundle.timestamps.is_empty() {
            let signature = match &bundle.content {
                Content::Message(m) => m.signature.0.as_slice(),
                Content::Dsse(env) => match env.signatures.as_slice() {
                    [one] => one.sig.0.as_slice(),
                    _ => return fail("DSSE envelope must hold exactly one signature"),
                },
            };
            for ts in &bundle.timestamps {
                times.extend(timestamp::verify(ts, signature, &self.root)?);
            }
        }
        if times.is_empty() {
            return fail("no verified signing time (needs a signed entry timestamp or an RFC 3161 timestamp)");
        }
        // Without a SET (Rekor v2) the log key must be valid at the
        // timestamps' times instead.
        if entry.integrated_time.is_none() && !times.iter().all(|&t| entry.log.valid.contains(t)) {
            return fail("transparency log key was not valid at the signing time");
        }

        let leaf;
        let (key, signer): (&PublicKey, Signer) = match policy {
            Policy::Keyless { identity, issuer } => {
                let Some(der) = bundle.leaf_der.as_deref() else {
                    return fail(
                        "bundle has no certificate but a certificate identity was expected",
                    );
                };
                leaf = ParsedCert::from_der(der).map_err(SigstoreError::verify)?;
                self.check_certificate(&leaf, &times)?;
                let sans = leaf.san_identities().map_err(SigstoreError::verify)?;
                let Some(san) = sans.iter().find(|s| identity.matches(s)) else {
                    return fail(format!(
                        "certificate identity {} does not match the expected identity",
                        sans.first().map_or("(none)", String::as_str)
                    ));
                };
                let cert_issuer = leaf.oidc_issuer();
                if !leaf.has_oidc_issuer(issuer) {
                    return fail(format!(
                        "certificate OIDC issuer {} does not match the expected issuer",
                        cert_issuer.as_deref().unwrap_or("(none)")
                    ));
                }
                out.certificate_identity = Some(san.clone());
                out.certificate_issuer = cert_issuer;
                out.certificate_extensions = leaf.fulcio_extensions();
                (&leaf.key, Signer::Certificate(der))
            }
            Policy::Key(ManagedKey(key)) => {
                if bundle.leaf_der.is_some() {
                    return fail("bundle carries a certificate but a managed key was expected");
                }
                out.key_id = Some(hex(&key.key_id()));
                (key, Signer::Key(key.spki_der()))
            }
        };

        let tlog = &bundle.tlog_entry;
        match &bundle.content {
            Content::Message(m) => {
                if key.message_hash().is_none() {
                    return fail("message signatures need an ECDSA or RSA key");
                }
                // The digest algorithm the bundle names (SHA-256 when it names
                // none); the artifact is hashed with it and the log entry must
                // record the same algorithm and digest.
                let hash = match &m.message_digest {
                    Some(md) => match Hash::from_name(&md.algorithm) {
                        Some(h) => h,
                        None => {
                            return fail(format!(
                                "unsupported message digest algorithm {:?}",
                                md.algorithm
                            ))
                        }
                    },
                    None => Hash::Sha256,
                };
                let Some(digest) = artifact.digest(hash) else {
                    return fail(format!(
                        "the artifact digest must be {} for this bundle",
                        hash.name()
                    ));
                };
                if let Some(md) = &m.message_digest {
                    if md.digest.0 != digest {
                        return fail("bundle message digest differs from the artifact's");
                    }
                }
                if !key.verify_prehashed(hash, &digest, &m.signature.0) {
                    return fail("signature does not verify over the artifact");
                }
                if tlog.kind_version.kind != "hashedrekord" {
                    return fail("message signature bundles need a hashedrekord log entry");
                }
                if tlog.kind_version.version == "0.0.2" {
                    entry_body::check_hashedrekord_v002(
                        &tlog.canonicalized_body.0,
                        &m.signature.0,
                        &signer,
                        hash,
                        &digest,
                    )?;
                } else {
                    entry_body::check_hashedrekord(
                        &tlog.canonicalized_body.0,
                        &tlog.kind_version.version,
                        &m.signature.0,
                        &signer,
                        hash,
                        &digest,
                    )?;
                }
            }
            Content::Dsse(env) => {
                if env.signatures.len() != 1 {
                    return fail("DSSE envelope must hold exactly one signature");
                }
                let sig = &env.signatures[0].sig.0;
                if !key.verify(&crate::attest::pae(&env.payload_type, &env.payload.0), sig) {
                    return fail("DSSE signature does not verify");
                }
                if (
                    tlog.kind_version.kind.as_str(),
                    tlog.kind_version.version.as_str(),
                ) == ("hashedrekord", "0.0.2")
                {
                    // Rekor v2 logs the digest of the PAE, with the key's hash.
                    let Some(hash) = key.message_hash() else {
                        return fail("Rekor v2 DSSE entries need an ECDSA or RSA key");
                    };
                    let pae = crate::attest::pae(&env.payload_type, &env.payload.0);
                    let digest = aws_lc_rs::digest::digest(hash.digest_alg(), &pae);
                    entry_body::check_hashedrekord_v002(
                        &tlog.canonicalized_body.0,
                        sig,
                        &signer,
                        hash,
                        digest.as_ref(),
                    )?;
                } else {
                    entry_body::check_dsse(
                        &tlog.canonicalized_body.0,
                        &tlog.kind_version.kind,
                        &tlog.kind_version.version,
                        &env.payload_type,
                        &env.payload.0,
                        &[sig.as_slice()],
                        &signer,
                    )?;
                }
                if env.payload_type != IN_TOTO_PAYLOAD_TYPE {
                    return fail(format!(
                        "DSSE payload type {:?} is not an in-toto statement",
                        env.payload_type
                    ));
                }
                let st: Value = statement::check(&env.payload.0, artifact)?;
                out.statement = Some(st.to_string());
                out.payload_type = Some(env.payload_type.clone());
            }
        }
        Ok(out)
    }

    /// Chain to a trusted CA valid at every verified time, SCT, profile.
    fn check_certificate(&self, leaf: &ParsedCert, times: &[i64]) -> Result<(), SigstoreError> {
        for &t in times {
            if !leaf.valid_at(t) {
                return fail("signing certificate was not valid at the signing time");
            }
        }
        let mut issuer = None;
        'cas: for ca in &self.root.cas {
            if !times.iter().all(|&t| ca.valid.contains(t)) {
                continue;
            }
            for (i, cert) in ca.chain.iter().enumerate() {
                if leaf.issued_by(cert) {
                    let path = &ca.chain[i..];
                    if times.iter().all(|&t| path.iter().all(|c| c.valid_at(t))) {
                        issuer = Some(cert);
                        break 'cas;
                    }
                }
            }
        }
        let Some(issuer) = issuer else {
            return fail("signing certificate does not chain to a trusted certificate authority valid at the signing time");
        };
        leaf.check_leaf_profile().map_err(SigstoreError::verify)?;
        sct::verify(leaf, issuer, &self.root)
    }
}
