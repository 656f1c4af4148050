//! `PipelineGuard::Sigstore::Verifier`: keyword handling and the Result
//! object live in lib/pipeline_guard/sigstore.rb; here the options arrive
//! already checked, and one bundle or a batch is verified (a batch without
//! the GVL on the fork-safe pool).
use magnus::{function, method, prelude::*, Error, RArray, RHash, RModule, RString, Ruby, Value};
use pipeline_guard_core::attest::sigstore::{
    managed_key, parse_digest, Artifact, Identity, Policy, SigstoreError, Verified, Verifier,
};
use pipeline_guard_core::parallel;

use super::sigstore_errors::{instance, raise};
use super::sigstore_trusted_root::RbTrustedRoot;
use crate::helpers::guard::guard;
use crate::helpers::nogvl::without_gvl;
use crate::helpers::rstring::to_vec;

#[magnus::wrap(class = "PipelineGuard::Sigstore::Verifier", free_immediately, size)]
pub struct RbVerifier(Verifier);

/// The artifact as given: bytes, or `"<alg>:<hex>"`.
enum Given {
    Bytes(Vec<u8>),
    Digest(String),
}

impl Given {
    fn from(artifact: Option<RString>, digest: Option<RString>) -> Result<Given, SigstoreError> {
        match (artifact, digest) {
            (Some(a), None) => Ok(Given::Bytes(to_vec(a))),
            (None, Some(d)) => Ok(Given::Digest(
                String::from_utf8_lossy(&to_vec(d)).into_owned(),
            )),
            _ => Err(SigstoreError::Argument(
                "pass exactly one of artifact: and artifact_digest:".into(),
            )),
        }
    }

    fn artifact(&self) -> Result<Artifact<'_>, SigstoreError> {
        match self {
            Given::Bytes(b) => Ok(Artifact::Bytes(b)),
            Given::Digest(d) => parse_digest(d).map(|(hash, bytes)| Artifact::Digest(hash, bytes)),
        }
    }

    fn verify(
        &self,
        v: &Verifier,
        bundle: &[u8],
        policy: &Policy,
    ) -> Result<Verified, SigstoreError> {
        v.verify(bundle, &self.artifact()?, policy)
    }
}

fn policy(
    identity: Option<RString>,
    identity_regex: Option<RString>,
    issuer: Option<RString>,
    key: Option<RString>,
) -> Result<Policy, SigstoreError> {
    let text = |s: RString| String::from_utf8_lossy(&to_vec(s)).into_owned();
    match (identity, identity_regex, issuer, key) {
        (None, None, None, Some(key)) => Ok(Policy::Key(managed_key(&to_vec(key))?)),
        (Some(id), None, Some(iss), None) => Ok(Policy::Keyless {
            identity: Identity::Exact(text(id)),
            issuer: text(iss),
        }),
        (None, Some(re), Some(iss), None) => Ok(Policy::Keyless {
            identity: Identity::regex(&text(re))?,
            issuer: text(iss),
        }),
        _ => Err(SigstoreError::Argument(
            "pass identity: (or identity_regex:) with issuer:, or key: alone".into(),
        )),
    }
}

fn to_hash(ruby: &Ruby, v: Verified) -> Result<RHash, Error> {
    let h = ruby.hash_new();
    h.aset("statement", v.statement)?;
    h.aset("payload_type", v.payload_type)?;
    h.aset("certificate_identity", v.certificate_identity)?;
    h.aset("certificate_issuer", v.certificate_issuer)?;
    let ext = ruby.hash_new();
    for (k, val) in v.certificate_extensions {
        ext.aset(k, val)?;
    }
    h.aset("certificate_extensions", ext)?;
    h.aset("integrated_time", v.integrated_time)?;
    h.aset("log_index", v.log_index)?;
    h.aset("key_id", v.key_id)?;
    Ok(h)
}

impl RbVerifier {
    fn build(root: &RbTrustedRoot) -> Self {
        Self(Verifier::new(root.0.clone()))
    }

    /// `_verify(bundle, artifact, artifact_digest, identity, identity_regex,
    /// issuer, key)`: a Hash of the verified facts, or raises.
    #[allow(clippy::too_many_arguments)]
    fn verify(
        ruby: &Ruby,
        rb_self: &Self,
        bundle: RString,
        artifact: Option<RString>,
        artifact_digest: Option<RString>,
        identity: Option<RString>,
        identity_regex: Option<RString>,
        issuer: Option<RString>,
        key: Option<RString>,
    ) -> Result<RHash, Error> {
        guard(ruby, || {
            let given = Given::from(artifact, artifact_digest).map_err(|e| raise(ruby, e))?;
            let policy =
                policy(identity, identity_regex, issuer, key).map_err(|e| raise(ruby, e))?;
            let bundle = to_vec(bundle);
            let verifier = &rb_self.0;
            let result = if bundle.len() + given_len(&given) > 64 * 1024 {
                without_gvl(|| given.verify(verifier, &bundle, &policy))
            } else {
                given.verify(verifier, &bundle, &policy)
            };
            to_hash(ruby, result.map_err(|e| raise(ruby, e))?)
        })
    }

    /// `_verify_many(bundles, artifacts, artifact_digests, identity,
    /// identity_regex, issuer, key)`: per bundle a Hash or an exception
    /// instance (not raised).
    #[allow(clippy::too_many_arguments)]
    fn verify_many(
        ruby: &Ruby,
        rb_self: &Self,
        bundles: RArray,
        artifacts: Option<RArray>,
        artifact_digests: Option<RArray>,
        identity: Option<RString>,
        identity_regex: Option<RString>,
        issuer: Option<RString>,
        key: Option<RString>,
    ) -> Result<RArray, Error> {
        guard(ruby, || {
            let policy =
                policy(identity, identity_regex, issuer, key).map_err(|e| raise(ruby, e))?;
            let n = bundles.len();
            let nth = |list: Option<RArray>, i: usize| -> Result<Option<RString>, Error> {
                match list {
                    None => Ok(None),
                    Some(l) => Ok(Some(RString::try_convert(l.entry::<Value>(i as isize)?)?)),
                }
            };
            for list in [artifacts, artifact_digests].into_iter().flatten() {
                if list.len() != n {
                    return Err(raise(
                        ruby,
                        SigstoreError::Argument("artifacts must be as many as bundles".into()),
                    ));
                }
            }
            let mut bundles_owned = Vec::with_capacity(n);
            let mut givens = Vec::with_capacity(n);
            for i in 0..n {
                let bundle = RString::try_convert(bundles.entry::<Value>(i as isize)?)?;
                bundles_owned.push(to_vec(bundle));
                givens.push(
                    Given::from(nth(artifacts, i)?, nth(artifact_digests, i)?)
                        .map_err(|e| raise(ruby, e))?,
                );
            }
            // A malformed digest is an argument error for the whole call.
            let artifacts = givens
                .iter()
                .map(Given::artifact)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| raise(ruby, e))?;
            let items: Vec<(&[u8], Artifact)> = bundles_owned
                .iter()
                .map(Vec::as_slice)
                .zip(artifacts)
                .collect();
            let verifier = &rb_self.0;
            let policy = &policy;
            let results: Vec<Result<Verified, SigstoreError>> =
                without_gvl(|| parallel::install(|| verifier.verify_many(&items, policy)));
            let out = ruby.ary_new_capa(n);
            for r in results {
                match r {
                    Ok(v) => out.push(to_hash(ruby, v)?)?,
                    Err(e) => out.push(instance(ruby, e)?)?,
                }
            }
            Ok(out)
        })
    }

    fn inspect(&self) -> String {
        "#<PipelineGuard::Sigstore::Verifier>".to_owned()
    }
}

fn given_len(g: &Given) -> usize {
    match g {
        Given::Bytes(b) => b.len(),
        Given::Digest(_) => 0,
    }
}

pub fn init(ruby: &Ruby, root: RModule) -> Result<(), Error> {
    let module = root.define_module("Sigstore")?;
    let class = module.define_class("Verifier", ruby.class_object())?;
    class.define_singleton_method("_build", function!(RbVerifier::build, 1))?;
    class.define_method("_verify", method!(RbVerifier::verify, 7))?;
    class.define_method("_verify_many", method!(RbVerifier::verify_many, 7))?;
    class.define_method("inspect", method!(RbVerifier::inspect, 0))?;
    class.define_method("to_s", method!(RbVerifier::inspect, 0))?;
    Ok(())
}
