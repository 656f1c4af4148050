//! Subject digests of build artifacts: SHA-256/384/512 through aws-lc-rs,
//! streamed (the artifact is never held in memory), refusing artifacts
//! above GitLab's provenance limit.

use std::fmt;
use std::fs::File;
use std::io::{ErrorKind, Read};
use std::path::Path;

use aws_lc_rs::digest;

/// GitLab attests artifacts of at most 100 MB (doc/ci/pipeline_security/
/// slsa/level_3/_index.md); Rails' `100.megabytes`, in bytes. Larger
/// artifacts are refused, never truncated.
pub const MAX_ARTIFACT_BYTES: u64 = 100 * 1024 * 1024;

/// Read size: large enough that per-call overhead vanishes, small enough
/// to stay in cache.
const CHUNK: usize = 256 * 1024;

/// A digest algorithm for in-toto subjects (DigestSet names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DigestAlg {
    Sha256,
    Sha384,
    Sha512,
}

impl DigestAlg {
    /// Every supported algorithm.
    pub const ALL: [DigestAlg; 3] = [DigestAlg::Sha256, DigestAlg::Sha384, DigestAlg::Sha512];

    /// The in-toto DigestSet name: "sha256", "sha384", "sha512".
    pub fn name(self) -> &'static str {
        match self {
            DigestAlg::Sha256 => "sha256",
            DigestAlg::Sha384 => "sha384",
            DigestAlg::Sha512 => "sha512",
        }
    }

    /// From a DigestSet name (exact, lowercase).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Length of the digest in bytes.
    pub fn byte_len(self) -> usize {
        match self {
            DigestAlg::Sha256 => 32,
            DigestAlg::Sha384 => 48,
            DigestAlg::Sha512 => 64,
        }
    }

    fn aws(self) -> &'static digest::Algorithm {
        match self {
            DigestAlg::Sha256 => &digest::SHA256,
            DigestAlg::Sha384 => &digest::SHA384,
            DigestAlg::Sha512 => &digest::SHA512,
        }
    }
}

/// Why an artifact could not be digested.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DigestError {
    /// The artifact is larger than the limit.
    #[error("artifact is larger than {limit} bytes (the 100 MB provenance limit)")]
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// Reading failed (the message names the OS error, not the content).
    #[error("cannot read artifact: {0}")]
    Io(String),
    /// No algorithm, or one listed twice.
    #[error("{0}")]
    Algorithms(String),
}

/// Incremental digests of one artifact under several algorithms at once.
pub struct Digester {
    contexts: Vec<(DigestAlg, digest::Context)>,
    total: u64,
    limit: u64,
}

impl Digester {
    /// Digests with every algorithm of `algs` (none repeated, at least
    /// one), refusing more than `limit` bytes in total.
    pub fn new(algs: &[DigestAlg], limit: u64) -> Result<Self, DigestError> {
        if algs.is_empty() {
            return Err(DigestError::Algorithms(
                "no digest algorithm given".to_owned(),
            ));
        }
        let mut contexts: Vec<(DigestAlg, digest::Context)> = Vec::with_capacity(algs.len());
        for &alg in algs {
            if contexts.iter().any(|(a, _)| *a == alg) {
                return Err(DigestError::Algorithms(format!(
                    "digest algorithm {} given twice",
                    alg.name()
                )));
            }
            contexts.push((alg, digest::Context::new(alg.aws())));
        }
        Ok(Digester {
            contexts,
            total: 0,
            limit,
        })
    }

    /// Adds bytes; refuses once the total passes the limit.
    pub fn update(&mut self, bytes: &[u8]) -> Result<(), DigestError> {
        self.total = self.total.saturating_add(bytes.len() as u64);
        if self.total > self.limit {
            return Err(DigestError::TooLarge { limit: self.limit });
        }
        for (_, ctx) in &mut self.contexts {
            ctx.update(bytes);
        }
        Ok(())
    }

    /// Bytes digested so far.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// The digests as `(algorithm, lowercase hex)`, in the order asked.
    pub fn finish(self) -> Vec<(DigestAlg, String)> {
        self.contexts
            .into_iter()
            .map(|(alg, ctx)| (alg, hex(ctx.finish().as_ref())))
            .collect()
    }

    /// Reads `reader` to its end.
    pub fn read_all<R: Read>(&mut self, mut reader: R) -> Result<(), DigestError> {
        let mut buf = vec![0u8; CHUNK];
        loop {
            match reader.read(&mut buf) {
                Ok(0) => return Ok(()),
                Ok(n) => self.update(buf.get(..n).unwrap_or_default())?,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(DigestError::Io(e.kind().to_string())),
            }
        }
    }
}

impl fmt::Debug for Digester {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let algs: Vec<&str> = self.contexts.iter().map(|(a, _)| a.name()).collect();
        f.debug_struct("Digester")
            .field("algorithms", &algs)
            .field("total", &self.total)
            .finish()
    }
}

/// Digests a file; a file already larger than `limit` is refused before
/// any reading (and one that grows past it while read, too).
pub fn digest_file(
    path: &Path,
    algs: &[DigestAlg],
    limit: u64,
) -> Result<Vec<(DigestAlg, String)>, DigestError> {
    let mut digester = Digester::new(algs, limit)?;
    let file = File::open(path).map_err(|e| DigestError::Io(e.kind().to_string()))?;
    let meta = file
        .metadata()
        .map_err(|e| DigestError::Io(e.kind().to_string()))?;
    if meta.is_dir() {
        return Err(DigestError::Io("is a directory".to_owned()));
    }
    if meta.len() > limit {
        return Err(DigestError::TooLarge { limit });
    }
    digester.read_all(file)?;
    Ok(digester.finish())
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answers_and_chunking() {
        let mut d = Digester::new(&[DigestAlg::Sha256, DigestAlg::Sha512], 10).unwrap();
        d.update(b"a").unwrap();
        d.update(b"bc").unwrap();
        let out = d.finish();
        assert_eq!(
            out[0].1,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(out[1].1.starts_with("ddaf35a193617aba"));
        let mut d = Digester::new(&[DigestAlg::Sha384], 0).unwrap();
        d.read_all(&b""[..]).unwrap();
        assert!(d.finish()[0].1.starts_with("38b060a751ac9638"));
    }

    #[test]
    fn limit_is_inclusive_and_refusals() {
        let mut d = Digester::new(&[DigestAlg::Sha256], 3).unwrap();
        d.update(b"abc").unwrap();
        assert_eq!(d.update(b"d"), Err(DigestError::TooLarge { limit: 3 }));
        assert!(Digester::new(&[], 1).is_err());
        assert!(Digester::new(&[DigestAlg::Sha256, DigestAlg::Sha256], 1).is_err());
        assert!(digest_file(Path::new("/nonexistent/x"), &[DigestAlg::Sha256], 1).is_err());
        assert!(digest_file(Path::new("/"), &[DigestAlg::Sha256], 1).is_err());
        assert_eq!(DigestAlg::from_name("SHA256"), None);
        assert_eq!(hex(&[0, 0xab, 0xff]), "00abff");
    }
}
