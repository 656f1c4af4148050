//! `PipelineGuard::DSSE::Verifier`: trusted keys (parsed once), a
//! threshold and the accepted payload types.
use magnus::{
    function, method, prelude::*, typed_data::Obj, Error, RArray, RHash, RModule, RString, Ruby,
    Value,
};
use pipeline_guard_core::attest::dsse::Envelope;
use pipeline_guard_core::attest::{DsseError, DsseVerifier, TrustedKey};

use crate::helpers::errors::{error, Class};
use crate::helpers::guard::guard;
use crate::helpers::json;
use crate::helpers::rstring::with_bytes;
use crate::ruby_api::attest::dsse_errors::dsse_error;
use crate::ruby_api::attest::dsse_signer::algorithm;
use crate::ruby_api::jwt::verifying_key::RbVerifyingKey;

#[magnus::wrap(class = "PipelineGuard::DSSE::Verifier", free_immediately, size)]
pub struct RbDsseVerifier(DsseVerifier);

/// A JSON envelope (String) or its Hash, parsed; failures are
/// VerificationErrors.
pub fn envelope_from(ruby: &Ruby, envelope: Value) -> Result<Envelope, Error> {
    let parsed = match RString::from_value(envelope) {
        Some(text) => with_bytes(text, Envelope::from_json).map_err(DsseError::from),
        None => match json::to_json(ruby, envelope)? {
            Ok(value) => Envelope::from_value(value).map_err(DsseError::from),
            Err(e) => {
                return Err(error(
                    ruby,
                    Class::DsseVerificationError,
                    format!("invalid DSSE envelope: {}", e.0),
                ))
            }
        },
    };
    parsed.map_err(|e| dsse_error(ruby, e))
}

impl RbDsseVerifier {
    /// `keys`: Array of `[VerifyingKey, algorithm or nil, keyid or nil]`.
    fn new(
        ruby: &Ruby,
        keys: RArray,
        threshold: usize,
        payload_types: Option<Vec<String>>,
    ) -> Result<Self, Error> {
        guard(ruby, || {
            let mut trusted = Vec::with_capacity(keys.len());
            for entry in keys.into_iter() {
                let (key, alg, keyid): (Obj<RbVerifyingKey>, Option<String>, Option<String>) =
                    magnus::TryConvert::try_convert(entry)?;
                trusted.push(
                    TrustedKey::new(key.key(), algorithm(ruby, alg)?, keyid)
                        .map_err(|e| dsse_error(ruby, e))?,
                );
            }
            DsseVerifier::new(trusted, threshold, payload_types)
                .map(Self)
                .map_err(|e| match e {
                    DsseError::Key(m) => Error::new(ruby.exception_arg_error(), m),
                    other => dsse_error(ruby, other),
                })
        })
    }

    /// `{"payload_type", "payload", "keyids" (of the keys that verified)}`.
    fn verify(ruby: &Ruby, rb_self: &Self, envelope: Value) -> Result<RHash, Error> {
        guard(ruby, || {
            let env = envelope_from(ruby, envelope)?;
            let ok = rb_self.0.verify(&env).map_err(|e| dsse_error(ruby, e))?;
            let out = ruby.hash_new();
            out.aset("payload_type", ok.payload_type)?;
            out.aset("payload", ruby.str_from_slice(&ok.payload))?;
            let keyids = ruby.ary_new();
            for i in ok.key_indexes {
                keyids.push(
                    rb_self
                        .0
                        .keys()
                        .get(i)
                        .and_then(|k| k.keyid())
                        .map(str::to_owned),
                )?;
            }
            out.aset("keyids", keyids)?;
            Ok(out)
        })
    }

    fn inspect(&self) -> String {
        format!(
            "#<PipelineGuard::DSSE::Verifier keys={}>",
            self.0.keys().len()
        )
    }
}

pub fn init(ruby: &Ruby, root: RModule) -> Result<(), Error> {
    let dsse = root.define_module("DSSE")?;
    let class = dsse.define_class("Verifier", ruby.class_object())?;
    class.define_singleton_method("_new", function!(RbDsseVerifier::new, 3))?;
    class.define_method("_verify", method!(RbDsseVerifier::verify, 1))?;
    class.define_method("inspect", method!(RbDsseVerifier::inspect, 0))?;
    class.define_method("to_s", method!(RbDsseVerifier::inspect, 0))?;
    Ok(())
}
