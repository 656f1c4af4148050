//! `PipelineGuard::SLSA::Digester` (incremental subject digests, fed from
//! a Ruby IO in chunks) and `SLSA._digest_file` (a whole file, read and
//! hashed without the GVL).
use std::path::PathBuf;
use std::sync::Mutex;

use magnus::{function, method, prelude::*, Error, RHash, RModule, RString, Ruby};
use pipeline_guard_core::attest::digest::{digest_file, DigestAlg, Digester};

use crate::helpers::guard::guard;
use crate::helpers::nogvl::without_gvl;
use crate::helpers::rstring::with_bytes;
use crate::ruby_api::attest::slsa_errors::digest_error;

/// Chunks at least this large are hashed without the GVL (on a copy).
const LARGE_CHUNK: usize = 64 * 1024;

/// Parses algorithm names ("sha256", "sha384", "sha512").
pub fn algorithms(ruby: &Ruby, names: &[String]) -> Result<Vec<DigestAlg>, Error> {
    names
        .iter()
        .map(|n| {
            DigestAlg::from_name(n).ok_or_else(|| {
                Error::new(
                    ruby.exception_arg_error(),
                    format!("unknown digest algorithm {n:?} (sha256, sha384, sha512)"),
                )
            })
        })
        .collect()
}

fn to_hash(ruby: &Ruby, digests: Vec<(DigestAlg, String)>) -> Result<RHash, Error> {
    let out = ruby.hash_new();
    for (alg, hex) in digests {
        out.aset(alg.name(), hex)?;
    }
    Ok(out)
}

/// Lock poisoning only follows a panic already reported; keep going.
/// Finished digesters refuse further use.
#[magnus::wrap(class = "PipelineGuard::SLSA::Digester", free_immediately, size)]
pub struct RbDigester(Mutex<Option<Digester>>);

impl RbDigester {
    fn new(ruby: &Ruby, names: Vec<String>, limit: u64) -> Result<Self, Error> {
        let algs = algorithms(ruby, &names)?;
        Digester::new(&algs, limit)
            .map(|d| Self(Mutex::new(Some(d))))
            .map_err(|e| digest_error(ruby, e))
    }

    fn with<T>(
        ruby: &Ruby,
        rb_self: &Self,
        f: impl FnOnce(&mut Option<Digester>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        // Never block on the lock: the holder may be hashing without the
        // GVL and would wait for it while we wait for the lock.
        let mut slot = match rb_self.0.try_lock() {
            Ok(slot) => slot,
            Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => {
                return Err(Error::new(
                    ruby.exception_runtime_error(),
                    "digester is in use by another thread",
                ))
            }
        };
        if slot.is_none() {
            return Err(Error::new(
                ruby.exception_runtime_error(),
                "digester already finished",
            ));
        }
        f(&mut slot)
    }

    fn update(ruby: &Ruby, rb_self: &Self, chunk: RString) -> Result<(), Error> {
        guard(ruby, || {
            Self::with(ruby, rb_self, |slot| {
                let Some(d) = slot.as_mut() else {
                    return Ok(());
                };
                let copy = with_bytes(chunk, |b| (b.len() >= LARGE_CHUNK).then(|| b.to_vec()));
                let result = match copy {
                    Some(copy) => without_gvl(|| d.update(&copy)),
                    None => with_bytes(chunk, |b| d.update(b)),
                };
                result.map_err(|e| digest_error(ruby, e))
            })
        })
    }

    fn finish(ruby: &Ruby, rb_self: &Self) -> Result<RHash, Error> {
        guard(ruby, || {
            Self::with(ruby, rb_self, |slot| match slot.take() {
                Some(d) => to_hash(ruby, d.finish()),
                None => Ok(ruby.hash_new()),
            })
        })
    }

    fn total(ruby: &Ruby, rb_self: &Self) -> Result<u64, Error> {
        Self::with(ruby, rb_self, |slot| {
            Ok(slot.as_ref().map_or(0, Digester::total))
        })
    }
}

/// `SLSA._digest_file(path, algorithms, limit)`: `{alg => hex}`.
fn digest_path(ruby: &Ruby, path: String, names: Vec<String>, limit: u64) -> Result<RHash, Error> {
    guard(ruby, || {
        let algs = algorithms(ruby, &names)?;
        let path = PathBuf::from(path);
        let out =
            without_gvl(|| digest_file(&path, &algs, limit)).map_err(|e| digest_error(ruby, e))?;
        to_hash(ruby, out)
    })
}

pub fn init(ruby: &Ruby, root: RModule) -> Result<(), Error> {
    let slsa = root.define_module("SLSA")?;
    slsa.define_singleton_method("_digest_file", function!(digest_path, 3))?;
    let class = slsa.define_class("Digester", ruby.class_object())?;
    class.define_singleton_method("_new", function!(RbDigester::new, 2))?;
    class.define_method("update", method!(RbDigester::update, 1))?;
    class.define_method("finish", method!(RbDigester::finish, 0))?;
    class.define_method("bytesize", method!(RbDigester::total, 0))?;
    Ok(())
}
