//! `PipelineGuard::Crypto::AesGcm`: AES-GCM with an explicit 96-bit nonce,
//! for test vectors and interop. Use `Keyring` for real data: it picks
//! nonces itself.
use magnus::{function, method, prelude::*, Error, RModule, RString, Ruby};
use pipeline_guard_core::crypto::aead::{default_provider, nonce_from_slice, AesGcmKey, TAG_LEN};

use crate::helpers::errors::{self, Class};
use crate::helpers::guard::guard;
use crate::helpers::rstring::{self, with_bytes};
use crate::helpers::rstring_out::filled;

#[magnus::wrap(class = "PipelineGuard::Crypto::AesGcm", free_immediately, size)]
pub struct RbAesGcm(Box<dyn AesGcmKey>);

/// The 96-bit nonce, copied.
fn nonce_of(ruby: &Ruby, nonce: RString) -> Result<[u8; 12], Error> {
    with_bytes(nonce, |n| nonce_from_slice(n).copied()).map_err(|e| errors::crypto(ruby, e))
}

impl RbAesGcm {
    fn new(ruby: &Ruby, key: RString) -> Result<Self, Error> {
        guard(ruby, || {
            with_bytes(key, |key| default_provider().aes_gcm(key))
                .map(Self)
                .map_err(|e| errors::error(ruby, Class::InvalidKeyError, e.to_string()))
        })
    }

    /// `ciphertext || tag`, sealed in place in the result String.
    fn seal(
        ruby: &Ruby,
        rb_self: &Self,
        nonce: RString,
        plaintext: RString,
        aad: Option<RString>,
    ) -> Result<RString, Error> {
        guard(ruby, || {
            let nonce = nonce_of(ruby, nonce)?;
            let len = plaintext.len();
            // Copied: the work may run without the GVL.
            let aad = aad.map(rstring::to_vec).unwrap_or_default();
            let key = &rb_self.0;
            filled(
                ruby,
                len + TAG_LEN,
                |buf| with_bytes(plaintext, |p| buf[..len].copy_from_slice(p)),
                |buf| {
                    let (body, tag_out) = buf.split_at_mut(len);
                    let tag = key.seal_detached(&nonce, &aad, body)?;
                    tag_out.copy_from_slice(&tag);
                    Ok(len + TAG_LEN)
                },
            )
            .map_err(|e| errors::crypto(ruby, e))
        })
    }

    /// The plaintext, opened in place in the result String.
    fn open(
        ruby: &Ruby,
        rb_self: &Self,
        nonce: RString,
        sealed: RString,
        aad: Option<RString>,
    ) -> Result<RString, Error> {
        guard(ruby, || {
            let nonce = nonce_of(ruby, nonce)?;
            let len = sealed.len();
            // Copied: the work may run without the GVL.
            let aad = aad.map(rstring::to_vec).unwrap_or_default();
            let key = &rb_self.0;
            filled(
                ruby,
                len,
                |buf| with_bytes(sealed, |s| buf.copy_from_slice(s)),
                |buf| key.open_detached(&nonce, &aad, buf),
            )
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
