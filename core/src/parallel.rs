//! A rayon pool that survives `fork`.
//!
//! Rayon's global pool is created once per process; after a `fork` (Puma,
//! Sidekiq, Resque) the child inherits the pool's bookkeeping but not its
//! threads, so the first parallel call would wait forever. This pool
//! remembers the process id it was built in and builds a fresh one in a
//! child. The stale pool is leaked on purpose: dropping it would try to
//! signal threads that do not exist in this process.
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rayon::{ThreadPool, ThreadPoolBuilder};

static POOL: Mutex<Option<(u32, Arc<ThreadPool>)>> = Mutex::new(None);

fn pool() -> Option<Arc<ThreadPool>> {
    let pid = std::process::id();
    let mut slot = POOL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((owner, pool)) = slot.as_ref() {
        if *owner == pid {
            return Some(Arc::clone(pool));
        }
    }
    if let Some((_, stale)) = slot.take() {
        std::mem::forget(stale);
    }
    let built = Arc::new(
        ThreadPoolBuilder::new()
            .thread_name(|i| format!("pipeline_guard-{i}"))
            .build()
            .ok()?,
    );
    *slot = Some((pid, Arc::clone(&built)));
    Some(built)
}

/// Runs `f` inside the fork-safe pool, so any rayon parallel iterator used
/// by `f` runs there instead of on rayon's global pool. Falls back to the
/// calling thread if no pool can be built.
pub fn install<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    match pool() {
        Some(p) => p.install(f),
        None => f(),
    }
}

/// Maps `items` in order; in parallel when there are at least `threshold`.
pub fn map<T: Sync, R: Send>(
    items: &[T],
    threshold: usize,
    f: impl Fn(&T) -> R + Sync + Send,
) -> Vec<R> {
    if items.len() < threshold {
        return items.iter().map(f).collect();
    }
    install(|| items.par_iter().map(f).collect())
}

/// [`map`] over mutable items (each worker owns its items, e.g. disjoint
/// output slices), in order.
pub fn map_mut<T: Send, R: Send>(
    items: &mut [T],
    threshold: usize,
    f: impl Fn(&mut T) -> R + Sync + Send,
) -> Vec<R> {
    if items.len() < threshold {
        return items.iter_mut().map(f).collect();
    }
    install(|| items.par_iter_mut().map(f).collect())
}
