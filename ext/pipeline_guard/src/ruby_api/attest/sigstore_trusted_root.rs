//! `PipelineGuard::Sigstore::TrustedRoot`: a parsed trusted_root.json,
//! shared (not copied) by every verifier built from it.
use std::sync::Arc;

use magnus::{function, method, prelude::*, Error, RModule, RString, Ruby};
use pipeline_guard_core::attest::sigstore::{TrustedRoot, PRODUCTION_TRUSTED_ROOT};

use super::sigstore_errors::raise;
use crate::helpers::guard::guard;
use crate::helpers::rstring::with_bytes;

#[magnus::wrap(class = "PipelineGuard::Sigstore::TrustedRoot", free_immediately, size)]
pub struct RbTrustedRoot(pub Arc<TrustedRoot>);

impl RbTrustedRoot {
    fn from_json(ruby: &Ruby, text: RString) -> Result<Self, Error> {
        guard(ruby, || {
            with_bytes(text, TrustedRoot::from_json)
                .map(|root| Self(Arc::new(root)))
                .map_err(|e| raise(ruby, e))
        })
    }

    fn production(ruby: &Ruby) -> Result<Self, Error> {
        guard(ruby, || {
            TrustedRoot::from_json(PRODUCTION_TRUSTED_ROOT.as_bytes())
                .map(|root| Self(Arc::new(root)))
                .map_err(|e| raise(ruby, e))
        })
    }

    fn inspect(&self) -> String {
        format!(
            "#<PipelineGuard::Sigstore::TrustedRoot tlogs={} ctlogs={} certificate_authorities={} timestamp_authorities={}>",
            self.0.tlogs.len(),
            self.0.ctlogs.len(),
            self.0.cas.len(),
            self.0.tsas.len()
        )
    }
}

pub fn init(ruby: &Ruby, root: RModule) -> Result<(), Error> {
    let module = root.define_module("Sigstore")?;
    let class = module.define_class("TrustedRoot", ruby.class_object())?;
    class.define_singleton_method("_from_json", function!(RbTrustedRoot::from_json, 1))?;
    class.define_singleton_method("_production", function!(RbTrustedRoot::production, 0))?;
    class.define_method("inspect", method!(RbTrustedRoot::inspect, 0))?;
    class.define_method("to_s", method!(RbTrustedRoot::inspect, 0))?;
    Ok(())
}
