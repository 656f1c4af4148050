//! Randomness for keys and nonces.
//!
//! Keys come straight from the OS (`getrandom`). Nonces are needed on every
//! encryption, where a syscall (or AWS-LC's DRBG, ~0.8 us here) would
//! dominate small messages, so they come from a per-thread ChaCha20 stream
//! seeded from the OS. The stream reseeds in a child after `fork` (Puma,
//! Sidekiq), so a child never repeats its parent's nonces, and periodically.
//!
//! Fork detection: by default the stream records the process id that seeded
//! it and compares on every draw (one `getpid` syscall). A host that can
//! register a fork hook (the Ruby extension uses `pthread_atfork`) calls
//! [`install_fork_hook`] once and [`note_fork`] in the child; draws then
//! compare a counter instead, which costs no syscall.
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use zeroize::Zeroizing;

use super::CryptoError;

/// Outputs drawn from one seed before the stream is reseeded.
const RESEED_AFTER: u32 = 1 << 16;

static FORK_HOOK: AtomicBool = AtomicBool::new(false);
static FORK_GENERATION: AtomicU64 = AtomicU64::new(0);

/// Declares that the host calls [`note_fork`] in every forked child.
pub fn install_fork_hook() {
    FORK_HOOK.store(true, Ordering::SeqCst);
}

/// Called in a forked child (async-signal-safe: one atomic increment).
pub fn note_fork() {
    FORK_GENERATION.fetch_add(1, Ordering::SeqCst);
}

/// Identifies "this process": the fork counter when a hook is installed,
/// the process id otherwise.
fn lineage() -> u64 {
    if FORK_HOOK.load(Ordering::Acquire) {
        (1 << 63) | FORK_GENERATION.load(Ordering::Acquire)
    } else {
        u64::from(std::process::id())
    }
}

struct NonceStream {
    lineage: u64,
    draws: u32,
    rng: ChaCha20Rng,
}

thread_local! {
    static STREAM: RefCell<Option<NonceStream>> = const { RefCell::new(None) };
}

fn os_seed() -> Result<Zeroizing<[u8; 32]>, CryptoError> {
    let mut seed = Zeroizing::new([0u8; 32]);
    getrandom::fill(seed.as_mut()).map_err(|_| CryptoError::Random)?;
    Ok(seed)
}

/// `N` fresh random bytes for nonces: fast, fork-aware, OS-seeded.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], CryptoError> {
    let lineage = lineage();
    STREAM.with(|cell| {
        let mut slot = cell.borrow_mut();
        let stale = slot
            .as_ref()
            .is_none_or(|s| s.lineage != lineage || s.draws >= RESEED_AFTER);
        if stale {
            *slot = Some(NonceStream {
                lineage,
                draws: 0,
                rng: ChaCha20Rng::from_seed(*os_seed()?),
            });
        }
        let stream = slot.as_mut().ok_or(CryptoError::Random)?;
        stream.draws += 1;
        let mut out = [0u8; N];
        stream.rng.fill_bytes(&mut out);
        Ok(out)
    })
}

/// A fresh 256-bit key straight from the OS, wiped on drop.
pub fn random_key() -> Result<Zeroizing<[u8; 32]>, CryptoError> {
    os_seed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_differ() {
        let a = random_bytes::<12>().unwrap();
        let b = random_bytes::<12>().unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn a_noted_fork_reseeds_the_stream() {
        install_fork_hook();
        let before = lineage();
        note_fork();
        assert_ne!(lineage(), before);
    }

    #[test]
    fn reseeds_after_the_limit() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..(RESEED_AFTER + 10) {
            assert!(seen.insert(random_bytes::<12>().unwrap()));
        }
    }
}
