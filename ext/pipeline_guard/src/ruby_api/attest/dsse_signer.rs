//! `PipelineGuard::DSSE::Signer` (a private key parsed once, with its
//! scheme and keyid) and `PipelineGuard::DSSE._sign`.
use magnus::{
    function, method, prelude::*, typed_data::Obj, Error, RArray, RModule, RString, Ruby, Value,
};
use pipeline_guard_core::attest::{sign, DsseSigner};
use pipeline_guard_core::jwt::Algorithm;

use crate::helpers::guard::guard;
use crate::helpers::json;
use crate::helpers::rstring::with_bytes;
use crate::ruby_api::attest::dsse_errors::dsse_error;
use crate::ruby_api::jwt::signing_key::RbSigningKey;

#[magnus::wrap(class = "PipelineGuard::DSSE::Signer", free_immediately, size)]
pub struct RbDsseSigner(DsseSigner);

/// A JWS algorithm name, or InvalidKeyError naming it.
pub fn algorithm(ruby: &Ruby, name: Option<String>) -> Result<Option<Algorithm>, Error> {
    name.map(|n| {
        Algorithm::from_name(&n).map_err(|_| {
            crate::helpers::errors::error(
                ruby,
                crate::helpers::errors::Class::InvalidKeyError,
                format!("unknown DSSE signature algorithm {n:?}"),
            )
        })
    })
    .transpose()
}

impl RbDsseSigner {
    fn new(
        ruby: &Ruby,
        key: &RbSigningKey,
        alg: Option<String>,
        keyid: Option<String>,
    ) -> Result<Self, Error> {
        guard(ruby, || {
            DsseSigner::new(key.key(), algorithm(ruby, alg)?, keyid)
                .map(Self)
                .map_err(|e| dsse_error(ruby, e))
        })
    }

    fn algorithm(&self) -> &'static str {
        self.0.algorithm().name()
    }

    fn keyid(&self) -> Option<String> {
        self.0.keyid().map(str::to_owned)
    }

    fn inspect(&self) -> String {
        match self.0.keyid() {
            Some(k) => format!(
                "#<PipelineGuard::DSSE::Signer {} keyid={k:?}>",
                self.0.algorithm().name()
            ),
            None => format!(
                "#<PipelineGuard::DSSE::Signer {}>",
                self.0.algorithm().name()
            ),
        }
    }
}

/// `DSSE._sign(payload, payload_type, signers)`: the envelope as a Hash.
fn sign_envelope(
    ruby: &Ruby,
    payload: RString,
    payload_type: RString,
    signers: RArray,
) -> Result<Value, Error> {
    guard(ruby, || {
        let payload_type = payload_type.to_string()?;
        let objs = signers
            .into_iter()
            .map(Obj::<RbDsseSigner>::try_convert)
            .collect::<Result<Vec<_>, Error>>()?;
        let refs: Vec<&DsseSigner> = objs.iter().map(|o| &o.0).collect();
        let env = with_bytes(payload, |p| sign(&payload_type, p, &refs))
            .map_err(|e| dsse_error(ruby, e))?;
        let value = serde_json::to_value(&env)
            .map_err(|e| Error::new(ruby.exception_runtime_error(), e.to_string()))?;
        json::to_ruby(ruby, &value)
    })
}

pub fn init(ruby: &Ruby, root: RModule) -> Result<(), Error> {
    let dsse = root.define_module("DSSE")?;
    dsse.define_singleton_method("_sign", function!(sign_envelope, 3))?;
    let class = dsse.define_class("Signer", ruby.class_object())?;
    class.define_singleton_method("_new", function!(RbDsseSigner::new, 3))?;
    class.define_method("algorithm", method!(RbDsseSigner::algorithm, 0))?;
    class.define_method("keyid", method!(RbDsseSigner::keyid, 0))?;
    class.define_method("inspect", method!(RbDsseSigner::inspect, 0))?;
    class.define_method("to_s", method!(RbDsseSigner::inspect, 0))?;
    Ok(())
}
