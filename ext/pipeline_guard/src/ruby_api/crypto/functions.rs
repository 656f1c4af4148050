//! `PipelineGuard::Crypto` module functions: constant-time comparison,
//! HKDF-SHA256 and HMAC-SHA256 for interop and test vectors.
use magnus::{function, prelude::*, Error, RModule, RString, Ruby};
use pipeline_guard_core::crypto::kdf::{hkdf_sha256, hmac_sha256, HKDF_SHA256_MAX};
use pipeline_guard_core::crypto::secure_compare;

use crate::helpers::errors::invalid_input;
use crate::helpers::guard::guard;

fn compare(a: RString, b: RString) -> bool {
    // SAFETY: both slices are read with the GVL held and no Ruby call in
    // between.
    unsafe { secure_compare(a.as_slice(), b.as_slice()) }
}

fn hkdf(
    ruby: &Ruby,
    ikm: RString,
    salt: Option<RString>,
    info: RString,
    length: usize,
) -> Result<RString, Error> {
    guard(ruby, || {
        // SAFETY: see `compare`.
        let okm = unsafe {
            hkdf_sha256(
                ikm.as_slice(),
                salt.as_ref().map(|s| s.as_slice()),
                info.as_slice(),
                length,
            )
        };
        okm.map(|k| ruby.str_from_slice(&k)).ok_or_else(|| {
            invalid_input(
                ruby,
                format!("HKDF-SHA256 length must be at most {HKDF_SHA256_MAX} bytes"),
            )
        })
    })
}

fn hmac(ruby: &Ruby, key: RString, message: RString) -> RString {
    // SAFETY: see `compare`.
    let tag = unsafe { hmac_sha256(key.as_slice(), message.as_slice()) };
    ruby.str_from_slice(&tag)
}

pub fn init(_ruby: &Ruby, root: RModule) -> Result<(), Error> {
    let module = root.define_module("Crypto")?;
    module.define_module_function("secure_compare", function!(compare, 2))?;
    module.define_module_function("_hkdf_sha256", function!(hkdf, 4))?;
    module.define_module_function("hmac_sha256", function!(hmac, 2))?;
    Ok(())
}
