//! `PipelineGuard::Crypto::AesGcm`: AES-GCM with an explicit 96-bit nonce,
//! for test vectors and interop. Use `Keyring` for real data: it picks
//! nonces itself.
use magnus::{function, method, prelude::*, Error, RModule, RString, Ruby};
use pipeline_guard_core::crypto::aead::{default_provider, nonce_from_slice, AesGcmKey};

use crate::helpers::errors::{self, Class};
use crate::helpers::guard::guard;

#[magnus::wrap(class = "PipelineGuard::Crypto::AesGcm", free_immediately, size)]
pub struct RbAesGcm(Box<dyn AesGcmKey>);

impl RbAesGcm {
    fn new(ruby: &Ruby, key: RString) -> Result<Self, Error> {
        guard(ruby, || {
            // SAFETY: the slice is consumed before any Ruby call.
            let key = unsafe { default_provider().aes_gcm(key.as_slice()) };
            key.map(Self)
                .map_err(|e| errors::error(ruby, Class::InvalidKeyError, e.to_string()))
        })
    }

    fn seal(
        ruby: &Ruby,
        rb_self: &Self,
        nonce: RString,
        plaintext: RString,
        aad: Option<RString>,
    ) -> Result<RString, Error> {
        guard(ruby, || {
            // SAFETY: the slices are read before any Ruby allocation.
            let sealed = unsafe {
                let nonce =
                    nonce_from_slice(nonce.as_slice()).map_err(|e| errors::crypto(ruby, e))?;
                rb_self.0.seal(
                    nonce,
                    aad.as_ref().map(|a| a.as_slice()).unwrap_or_default(),
                    plaintext.as_slice(),
                )
            };
            sealed
                .map(|s| ruby.str_from_slice(&s))
                .map_err(|e| errors::crypto(ruby, e))
        })
    }

    fn open(
        ruby: &Ruby,
        rb_self: &Self,
        nonce: RString,
        sealed: RString,
        aad: Option<RString>,
    ) -> Result<RString, Error> {
        guard(ruby, || {
            // SAFETY: as in `seal`.
            let plain = unsafe {
                let nonce =
                    nonce_from_slice(nonce.as_slice()).map_err(|e| errors::crypto(ruby, e))?;
                rb_self.0.open(
                    nonce,
                    aad.as_ref().map(|a| a.as_slice()).unwrap_or_default(),
                    sealed.as_slice(),
                )
            };
            plain
                .map(|p| ruby.str_from_slice(&p))
                .map_err(|e| errors::decryption(ruby, e))
        })
    }

    fn inspect(&self) -> &'static str {
        "#<PipelineGuard::Crypto::AesGcm>"
    }
}

pub fn init(ruby: &Ruby, root: RModule) -> Result<(), Error> {
    let crypto = root.define_module("Crypto")?;
    let class = crypto.define_class("AesGcm", ruby.class_object())?;
    class.define_singleton_method("new", function!(RbAesGcm::new, 1))?;
    class.define_method("_seal", method!(RbAesGcm::seal, 3))?;
    class.define_method("_open", method!(RbAesGcm::open, 3))?;
    class.define_method("inspect", method!(RbAesGcm::inspect, 0))?;
    class.define_method("to_s", method!(RbAesGcm::inspect, 0))?;
    Ok(())
}
