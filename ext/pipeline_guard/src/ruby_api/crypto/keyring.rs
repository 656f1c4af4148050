//! `PipelineGuard::Keyring`: OpenBao transit-compatible AES-256-GCM keyring.
//! Keyword arguments are unpacked in `lib/pipeline_guard/keyring.rb`; the
//! native methods take positional arguments.
use std::sync::{RwLock, RwLockReadGuard};

use zeroize::Zeroize;

use magnus::{function, method, prelude::*, Error, RArray, RModule, RString, Ruby, Value};
use pipeline_guard_core::crypto::aead::NONCE_LEN;
use pipeline_guard_core::crypto::byok::wrap_for_transit_import;
use pipeline_guard_core::crypto::keyring::KeyringOptions;
use pipeline_guard_core::crypto::{transit, CryptoError, Keyring, WipedVec};

use crate::helpers::errors::{self, invalid_input, Class};
use crate::helpers::guard::guard;
use crate::helpers::json;
use crate::helpers::nogvl::without_gvl;
use crate::helpers::packed::PackedStrings;
use crate::helpers::rstring::{self, with_bytes};
use crate::helpers::rstring_out::{filled, filled_with, filled_without_gvl};

/// Inputs at least this large are processed without the GVL.
const LARGE_INPUT: usize = 256 * 1024;

#[magnus::wrap(class = "PipelineGuard::Keyring", free_immediately, size)]
pub struct RbKeyring(RwLock<Keyring>);

fn bytes(s: &RString) -> Vec<u8> {
    rstring::to_vec(*s)
}

/// Runs `op` on the bytes of `input`: in place with the GVL held for small
/// inputs, on a private copy without the GVL from `LARGE_INPUT` up (another
/// thread could change the String while the GVL is released).
fn on_bytes<T: Send>(input: &RString, op: impl Fn(&[u8]) -> T + Sync) -> T {
    // May be plaintext: wiped when dropped.
    let copy = with_bytes(*input, |s| {
        (s.len() >= LARGE_INPUT).then(|| WipedVec::from(s.to_vec()))
    });
    match copy {
        Some(copy) => without_gvl(|| op(&copy)),
        None => with_bytes(*input, op),
    }
}

fn opt_bytes(s: &Option<RString>) -> Option<Vec<u8>> {
    s.as_ref().map(bytes)
}

impl RbKeyring {
    fn read(&self) -> RwLockReadGuard<'_, Keyring> {
        self.0
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn wrap(ruby: &Ruby, kr: Result<Keyring, CryptoError>) -> Result<Self, Error> {
        kr.map(|k| Self(RwLock::new(k)))
            .map_err(|e| errors::crypto(ruby, e))
    }

    fn generate(
        ruby: &Ruby,
        derived: bool,
        convergent: bool,
        openbao_compatible_convergent_aad: bool,
    ) -> Result<Self, Error> {
        guard(ruby, || {
            Self::wrap(
                ruby,
                Keyring::generate(KeyringOptions {
                    derived,
                    convergent,
                    openbao_compatible_convergent_aad,
                }),
            )
        })
    }

    fn from_transit_export(
        ruby: &Ruby,
        export: Value,
        derived: bool,
        convergent: bool,
        openbao_compatible_convergent_aad: bool,
    ) -> Result<Self, Error> {
        guard(ruby, || {
            let value = json::text_or_value(ruby, export)?.map_err(|e| {
                errors::error(
                    ruby,
                    Class::InvalidKeyError,
                    format!("invalid transit export: {}", e.0),
                )
            })?;
            Self::wrap(
                ruby,
                Keyring::from_transit_export(
                    &value,
                    KeyringOptions {
                        derived,
                        convergent,
                        openbao_compatible_convergent_aad,
                    },
                ),
            )
        })
    }

    fn encrypt(
        ruby: &Ruby,
        rb_self: &Self,
        plaintext: RString,
        context: Option<RString>,
        aad: Option<RString>,
    ) -> Result<RString, Error> {
        guard(ruby, || {
            let (ctx, aad) = (opt_bytes(&context), opt_bytes(&aad));
            let ct = if plaintext.len() >= LARGE_INPUT {
                let (version, raw) = on_bytes(&plaintext, |pt| {
                    rb_self
                        .read()
                        .encrypt_raw(pt, ctx.as_deref(), aad.as_deref())
                })
                .map_err(|e| errors::crypto(ruby, e))?;
                // Base64 straight into the result String (no second buffer).
                filled(
                    ruby,
                    transit::formatted_len(version, raw.len()),
                    |_| {},
                    |out| transit::format_into(version, &raw, out).ok_or(()),
                )
                .map_err(|()| errors::crypto(ruby, CryptoError::EncryptionFailed))?
            } else {
                // Sealed and encoded straight into the result String, GVL held.
                let kr = rb_self.read();
                filled_with(ruby, kr.encrypted_len(plaintext.len()), |out| {
                    with_bytes(plaintext, |pt| {
                        kr.encrypt_into(pt, ctx.as_deref(), aad.as_deref(), out)
                    })
                })
                .map_err(|e| errors::crypto(ruby, e))?
            };
            // Text, as `str_new` made it.
            ct.enc_associate(ruby.utf8_encindex())?;
            Ok(ct)
        })
    }

    fn decrypt(
        ruby: &Ruby,
        rb_self: &Self,
        ciphertext: RString,
        context: Option<RString>,
        aad: Option<RString>,
    ) -> Result<RString, Error> {
        guard(ruby, || {
            let (ctx, aad) = (opt_bytes(&context), opt_bytes(&aad));
            // Decoded and opened in the result String itself: large inputs
            // from a private copy without the GVL (another thread could
            // change the String meanwhile), small ones in place, GVL held.
            let bound = transit::decoded_len_bound(ciphertext.len());
            let open = |ct: &[u8], out: &mut [u8]| {
                let len = rb_self
                    .read()
                    .decrypt_into(ct, ctx.as_deref(), aad.as_deref(), out)?;
                out.copy_within(NONCE_LEN..NONCE_LEN + len, 0);
                out[len..].zeroize();
                Ok(len)
            };
            if ciphertext.len() >= LARGE_INPUT {
                let copy = bytes(&ciphertext);
                filled_without_gvl(ruby, bound, |out| open(&copy, out))
            } else {
                filled_with(ruby, bound, |out| {
                    with_bytes(ciphertext, |ct| open(ct, out))
                })
            }
            .map_err(|e| errors::decryption(ruby, e))
        })
    }

    fn rewrap(
        ruby: &Ruby,
        rb_self: &Self,
        ciphertext: RString,
        context: Option<RString>,
        aad: Option<RString>,
        new_aad: Option<RString>,
    ) -> Result<RString, Error> {
        guard(ruby, || {
            let (ctx, aad, new_aad) = (opt_bytes(&context), opt_bytes(&aad), opt_bytes(&new_aad));
            on_bytes(&ciphertext, |ct| {
                rb_self
                    .read()
                    .rewrap_with(ct, ctx.as_deref(), aad.as_deref(), new_aad.as_deref())
            })
            .map(|out| ruby.str_new(&out))
            .map_err(|e| errors::decryption(ruby, e))
        })
    }

    fn encrypt_many(
        ruby: &Ruby,
        rb_self: &Self,
        plaintexts: RArray,
        context: Option<RString>,
    ) -> Result<RArray, Error> {
        guard(ruby, || {
            let items = PackedStrings::from_array(plaintexts)?;
            let ctx = opt_bytes(&context);
            // Every ciphertext lands in one buffer: no allocation per item
            // in the parallel part.
            let mut cts = Vec::new();
            let results = without_gvl(|| {
                rb_self
                    .read()
                    .encrypt_many_into(&items.slices(), ctx.as_deref(), &mut cts)
            });
            let out = ruby.ary_new_capa(results.len());
            for (i, r) in results.into_iter().enumerate() {
                let ct = r
                    .and_then(|range| {
                        std::str::from_utf8(&cts[range]).map_err(|_| CryptoError::EncryptionFailed)
                    })
                    .map_err(|e| {
                        errors::error(ruby, Class::EncryptionError, format!("item {i}: {e}"))
                    })?;
                out.push(ruby.str_new(ct))?;
            }
            Ok(out)
        })
    }

    fn decrypt_many(
        ruby: &Ruby,
        rb_self: &Self,
        ciphertexts: RArray,
        context: Option<RString>,
    ) -> Result<RArray, Error> {
        guard(ruby, || {
            let items = PackedStrings::from_array(ciphertexts)?;
            let ctx = opt_bytes(&context);
            // Every plaintext lands in one buffer: no allocation per item
            // in the parallel part, one wipe and free at the end.
            let mut plain = WipedVec::default();
            let results = without_gvl(|| {
                rb_self
                    .read()
                    .decrypt_many_into(&items.slices(), ctx.as_deref(), &mut plain)
            });
            let out = ruby.ary_new_capa(results.len());
            for (i, r) in results.into_iter().enumerate() {
                let range = r.map_err(|e| {
                    errors::error(ruby, Class::DecryptionError, format!("item {i}: {e}"))
                })?;
                out.push(ruby.str_from_slice(&plain[range]))?;
            }
            Ok(out)
        })
    }

    fn rotate(ruby: &Ruby, rb_self: &Self) -> Result<u32, Error> {
        guard(ruby, || {
            let mut kr = rb_self
                .0
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            kr.rotate().map_err(|e| errors::crypto(ruby, e))
        })
    }

    fn set_min_decryption_version(ruby: &Ruby, rb_self: &Self, version: i64) -> Result<i64, Error> {
        guard(ruby, || {
            let mut kr = rb_self
                .0
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            kr.set_min_decryption_version(version)
                .map_err(|e| errors::crypto(ruby, e))?;
            Ok(version)
        })
    }

    fn to_transit_import(
        ruby: &Ruby,
        rb_self: &Self,
        wrapping_key_pem: String,
        version: Option<u32>,
    ) -> Result<String, Error> {
        guard(ruby, || {
            let kr = rb_self.read();
            let version = version.unwrap_or_else(|| kr.latest_version());
            let key = kr
                .key_bytes(version)
                .ok_or_else(|| invalid_input(ruby, format!("no key version {version}")))?;
            wrap_for_transit_import(key, &wrapping_key_pem).map_err(|e| errors::crypto(ruby, e))
        })
    }

    fn export_transit(ruby: &Ruby, rb_self: &Self, name: String) -> Result<Value, Error> {
        json::to_ruby(ruby, &rb_self.read().to_transit_export(&name))
    }

    fn latest_version(&self) -> u32 {
        self.read().latest_version()
    }
    fn min_decryption_version(&self) -> u32 {
        self.read().min_decryption_version()
    }
    fn versions(&self) -> Vec<u32> {
        self.read().versions()
    }
    fn derived(&self) -> bool {
        self.read().options().derived
    }
    fn convergent(&self) -> bool {
        self.read().options().convergent
    }
    fn openbao_compatible_convergent_aad(&self) -> bool {
        self.read().options().openbao_compatible_convergent_aad
    }
    fn provider(&self) -> &'static str {
        self.read().provider_name()
    }

    fn inspect(&self) -> String {
        let kr = self.read();
        let o = kr.options();
        format!(
            "#<PipelineGuard::Keyring latest_version={} min_decryption_version={} derived={} convergent={}>",
            kr.latest_version(),
            kr.min_decryption_version(),
            o.derived,
            o.convergent
        )
    }
}

pub fn init(ruby: &Ruby, root: RModule) -> Result<(), Error> {
    let class = root.define_class("Keyring", ruby.class_object())?;
    class.define_singleton_method("_generate", function!(RbKeyring::generate, 3))?;
    class.define_singleton_method(
        "_from_transit_export",
        function!(RbKeyring::from_transit_export, 4),
    )?;
    class.define_method("_encrypt", method!(RbKeyring::encrypt, 3))?;
    class.define_method("_decrypt", method!(RbKeyring::decrypt, 3))?;
    class.define_method("_rewrap", method!(RbKeyring::rewrap, 4))?;
    class.define_method("_encrypt_many", method!(RbKeyring::encrypt_many, 2))?;
    class.define_method("_decrypt_many", method!(RbKeyring::decrypt_many, 2))?;
    class.define_method(
        "_to_transit_import",
        method!(RbKeyring::to_transit_import, 2),
    )?;
    class.define_method("_export_transit", method!(RbKeyring::export_transit, 1))?;
    class.define_method("rotate!", method!(RbKeyring::rotate, 0))?;
    class.define_method(
        "min_decryption_version=",
        method!(RbKeyring::set_min_decryption_version, 1),
    )?;
    class.define_method("latest_version", method!(RbKeyring::latest_version, 0))?;
    class.define_method(
        "min_decryption_version",
        method!(RbKeyring::min_decryption_version, 0),
    )?;
    class.define_method("versions", method!(RbKeyring::versions, 0))?;
    class.define_method("derived?", method!(RbKeyring::derived, 0))?;
    class.define_method("convergent?", method!(RbKeyring::convergent, 0))?;
    class.define_method(
        "openbao_compatible_convergent_aad?",
        method!(RbKeyring::openbao_compatible_convergent_aad, 0),
    )?;
    class.define_method("provider", method!(RbKeyring::provider, 0))?;
    class.define_method("inspect", method!(RbKeyring::inspect, 0))?;
    class.define_method("to_s", method!(RbKeyring::inspect, 0))?;
    Ok(())
}
