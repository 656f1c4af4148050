//! Pure-Rust core of `pipeline_guard`. Nothing here knows about Ruby: the
//! binding crate under `ext/pipeline_guard` converts types and maps errors.
#![forbid(unsafe_code)]

pub mod acl;
mod calendar;
pub mod crypto;
mod gocompat;
pub mod jwt;
pub mod parallel;
pub mod rbac;
mod rfc3339;
pub mod secrets;
