//! JWS algorithm identifiers (RFC 7518 §3.1, RFC 8037). `none` is not an
//! algorithm here: it cannot be parsed, so it cannot be allowed by mistake.

use std::fmt;
use std::str::FromStr;

use super::error::JwtError;

/// A JWS signature algorithm this crate can sign and verify with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(clippy::upper_case_acronyms)]
pub enum Algorithm {
    HS256,
    HS384,
    HS512,
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
    ES256,
    ES384,
    ES512,
    /// ECDSA on secp256k1 with SHA-256 (RFC 8812).
    ES256K,
    /// Ed25519 only (RFC 8037); Ed448 is not supported.
    EdDSA,
}

/// The kind of key an algorithm needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlgorithmFamily {
    /// HMAC with a shared secret.
    Hmac,
    /// RSA, PKCS#1 v1.5 or PSS.
    Rsa,
    /// ECDSA on a NIST curve or secp256k1.
    Ecdsa,
    /// EdDSA (Ed25519).
    EdDsa,
}

/// Hash function used by an algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HashAlg {
    Sha256,
    Sha384,
    Sha512,
}

impl HashAlg {
    /// Output length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            HashAlg::Sha256 => 32,
            HashAlg::Sha384 => 48,
            HashAlg::Sha512 => 64,
        }
    }
}

impl Algorithm {
    /// Every supported algorithm, in a stable order.
    pub const ALL: [Algorithm; 14] = [
        Algorithm::HS256,
        Algorithm::HS384,
        Algorithm::HS512,
        Algorithm::RS256,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::PS256,
        Algorithm::PS384,
        Algorithm::PS512,
        Algorithm::ES256,
        Algorithm::ES384,
        Algorithm::ES512,
        Algorithm::ES256K,
        Algorithm::EdDSA,
    ];

    /// Parses the exact JOSE name (case-sensitive). `none`, in any spelling,
    /// and unknown names are `IncorrectAlgorithm` errors.
    pub fn from_name(name: &str) -> Result<Self, JwtError> {
        Self::ALL
            .iter()
            .copied()
            .find(|alg| alg.name() == name)
            .ok_or_else(|| {
                if name.eq_ignore_ascii_case("none") {
                    JwtError::IncorrectAlgorithm("Algorithm \"none\" is not allowed".to_owned())
                } else {
                    JwtError::IncorrectAlgorithm("Unsupported algorithm".to_owned())
                }
            })
    }

    /// The JOSE name, e.g. `"RS256"`.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::HS256 => "HS256",
            Algorithm::HS384 => "HS384",
            Algorithm::HS512 => "HS512",
            Algorithm::RS256 => "RS256",
            Algorithm::RS384 => "RS384",
            Algorithm::RS512 => "RS512",
            Algorithm::PS256 => "PS256",
            Algorithm::PS384 => "PS384",
            Algorithm::PS512 => "PS512",
            Algorithm::ES256 => "ES256",
            Algorithm::ES384 => "ES384",
            Algorithm::ES512 => "ES512",
            Algorithm::ES256K => "ES256K",
            Algorithm::EdDSA => "EdDSA",
        }
    }

    /// Which kind of key the algorithm needs.
    pub fn family(self) -> AlgorithmFamily {
        match self {
            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => AlgorithmFamily::Hmac,
            Algorithm::RS256
            | Algorithm::RS384
            | Algorithm::RS512
            | Algorithm::PS256
            | Algorithm::PS384
            | Algorithm::PS512 => AlgorithmFamily::Rsa,
            Algorithm::ES256 | Algorithm::ES384 | Algorithm::ES512 | Algorithm::ES256K => {
                AlgorithmFamily::Ecdsa
            }
            Algorithm::EdDSA => AlgorithmFamily::EdDsa,
        }
    }

    /// The hash the algorithm uses (EdDSA hashes internally with SHA-512).
    pub fn hash(self) -> HashAlg {
        match self {
            Algorithm::HS256
            | Algorithm::RS256
            | Algorithm::PS256
            | Algorithm::ES256
            | Algorithm::ES256K => HashAlg::Sha256,
            Algorithm::HS384 | Algorithm::RS384 | Algorithm::PS384 | Algorithm::ES384 => {
                HashAlg::Sha384
            }
            Algorithm::HS512
            | Algorithm::RS512
            | Algorithm::PS512
            | Algorithm::ES512
            | Algorithm::EdDSA => HashAlg::Sha512,
        }
    }
}

impl FromStr for Algorithm {
    type Err = JwtError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Algorithm::from_name(s)
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::ErrorKind;

    #[test]
    fn round_trips_every_name() {
        for alg in Algorithm::ALL {
            assert_eq!(Algorithm::from_name(alg.name()), Ok(alg));
        }
    }

    #[test]
    fn rejects_none_and_unknown_and_wrong_case() {
        for name in [
            "none", "None", "NONE", "nOnE", "", "hs256", "RS1", "Ed25519", "es256k", "ES256k",
        ] {
            let err = Algorithm::from_name(name).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::IncorrectAlgorithm, "{name}");
        }
    }
}
