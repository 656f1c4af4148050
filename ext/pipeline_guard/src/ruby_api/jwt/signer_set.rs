//! `PipelineGuard::JWT::SignerSet`: key rotation. The newest signer signs;
//! every live signer's public key is published in `jwks`.
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use magnus::{function, method, prelude::*, Error, RModule, Ruby, Value};
use pipeline_guard_core::jwt::SignerSet;

use crate::helpers::guard::guard;
use crate::helpers::json;
use crate::ruby_api::jwt::errors::{jwt_error, raise};
use crate::ruby_api::jwt::signer::{mint_with, sign_with, RbSigner};

#[magnus::wrap(class = "PipelineGuard::JWT::SignerSet", free_immediately, size)]
pub struct RbSignerSet(RwLock<SignerSet>);

impl RbSignerSet {
    fn read(&self) -> RwLockReadGuard<'_, SignerSet> {
        self.0.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, SignerSet> {
        self.0.write().unwrap_or_else(|p| p.into_inner())
    }

    fn new() -> Self {
        Self(RwLock::new(SignerSet::new()))
    }

    fn rotate(ruby: &Ruby, rb_self: &Self, signer: &RbSigner) -> Result<String, Error> {
        guard(ruby, || {
            let kid = signer.0.kid().to_owned();
            rb_self
                .write()
                .rotate(Arc::clone(&signer.0))
                .map_err(|e| jwt_error(ruby, e))?;
            Ok(kid)
        })
    }

    fn retire(&self, kid: String) -> bool {
        self.write().retire(&kid)
    }

    fn current(&self) -> Option<RbSigner> {
        self.read()
            .signers()
            .last()
            .map(|s| RbSigner(Arc::clone(s)))
    }

    fn kids(&self) -> Vec<String> {
        self.read().kids().into_iter().map(str::to_owned).collect()
    }

    fn size(&self) -> usize {
        self.read().signers().len()
    }

    fn current_signer(
        ruby: &Ruby,
        rb_self: &Self,
    ) -> Result<Arc<pipeline_guard_core::jwt::Signer>, Error> {
        rb_self
            .read()
            .signers()
            .last()
            .cloned()
            .ok_or_else(|| raise(ruby, "EncodeError", "No signing key"))
    }

    fn sign(ruby: &Ruby, rb_self: &Self, claims: Value, header: Value) -> Result<String, Error> {
        guard(ruby, || {
            let signer = Self::current_signer(ruby, rb_self)?;
            sign_with(ruby, &signer, claims, header)
        })
    }

    fn mint_id_token(
        ruby: &Ruby,
        rb_self: &Self,
        job_info: Value,
        jti: Option<String>,
    ) -> Result<String, Error> {
        guard(ruby, || {
            let signer = Self::current_signer(ruby, rb_self)?;
            mint_with(ruby, &signer, job_info, jti)
        })
    }

    fn jwks(ruby: &Ruby, rb_self: &Self) -> Result<Value, Error> {
        let doc = rb_self.read().jwks();
        json::to_ruby(ruby, &doc)
    }

    fn inspect(&self) -> String {
        format!(
            "#<PipelineGuard::JWT::SignerSet kids={:?}>",
            self.read().kids()
        )
    }
}

pub fn init(ruby: &Ruby, root: RModule) -> Result<(), Error> {
    let jwt = root.define_module("JWT")?;
    let class = jwt.define_class("SignerSet", ruby.class_object())?;
    class.define_singleton_method("_new", function!(RbSignerSet::new, 0))?;
    class.define_method("_rotate", method!(RbSignerSet::rotate, 1))?;
    class.define_method("retire", method!(RbSignerSet::retire, 1))?;
    class.define_method("current", method!(RbSignerSet::current, 0))?;
    class.define_method("kids", method!(RbSignerSet::kids, 0))?;
    class.define_method("size", method!(RbSignerSet::size, 0))?;
    class.define_method("_sign", method!(RbSignerSet::sign, 2))?;
    class.define_method("_mint_id_token", method!(RbSignerSet::mint_id_token, 2))?;
    class.define_method("jwks", method!(RbSignerSet::jwks, 0))?;
    class.define_method("inspect", method!(RbSignerSet::inspect, 0))?;
    class.define_method("to_s", method!(RbSignerSet::inspect, 0))?;
    Ok(())
}
