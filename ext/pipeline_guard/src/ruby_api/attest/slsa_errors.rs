//! SLSA errors for Ruby: bad job facts are `SLSA::ProvenanceError`, an
//! artifact above the limit `SLSA::ArtifactTooLarge` (a ProvenanceError),
//! an unreadable artifact a ProvenanceError naming the OS error.
use magnus::{Error, Ruby};
use pipeline_guard_core::attest::digest::DigestError;
use pipeline_guard_core::attest::provenance::ProvenanceError;

use crate::helpers::errors::{error, Class};

pub fn digest_error(ruby: &Ruby, err: DigestError) -> Error {
    match err {
        DigestError::TooLarge { .. } => error(ruby, Class::SlsaArtifactTooLarge, err.to_string()),
        DigestError::Algorithms(m) => Error::new(ruby.exception_arg_error(), m),
        other => error(ruby, Class::SlsaProvenanceError, other.to_string()),
    }
}

pub fn provenance_error(ruby: &Ruby, err: ProvenanceError) -> Error {
    error(ruby, Class::SlsaProvenanceError, err.to_string())
}
