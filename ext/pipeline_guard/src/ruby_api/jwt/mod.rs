//! `PipelineGuard::JWT`: the jwt-gem-compatible functions, keys, signers
//! and verifiers.
use magnus::{Error, RModule, Ruby};

pub mod claims;
pub mod convert;
pub mod decode_options;
pub mod error_text;
pub mod errors;
pub mod functions;
pub mod id_token;
pub mod key_source;
pub mod signer;
pub mod signer_set;
pub mod signing_key;
pub mod verifier;
pub mod verifying_key;

pub fn init(ruby: &Ruby, root: RModule) -> Result<(), Error> {
    functions::init(ruby, root)?;
    claims::init(ruby, root)?;
    verifying_key::init(ruby, root)?;
    signing_key::init(ruby, root)?;
    id_token::init(ruby, root)?;
    signer::init(ruby, root)?;
    signer_set::init(ruby, root)?;
    verifier::init(ruby, root)?;
    Ok(())
}
