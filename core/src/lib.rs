//! Pure-Rust core of `pipeline_guard`. Nothing here knows about Ruby: the
//! binding crate under `ext/pipeline_guard` converts types and maps errors.
#![forbid(unsafe_code)]

#[cfg(not(any(feature = "aws-lc", feature = "rustcrypto")))]
compile_error!("pipeline_guard_core needs a crypto provider: enable `aws-lc` or `rustcrypto`");

pub mod acl;
// DSSE signatures use the JWT module's aws-lc-rs keys.
#[cfg(feature = "aws-lc")]
pub mod attest;
mod calendar;
pub mod crypto;
mod gocompat;
// JWS algorithms (RSA, ECDSA, Ed25519, HMAC) come from aws-lc-rs only.
#[cfg(feature = "aws-lc")]
pub mod jwt;
pub mod openbao;
pub mod parallel;
pub mod rbac;
mod rfc3339;
pub mod secrets;
