//! The per-login budget of comprehension steps: cel-rust has no cost
//! limit, so prepared programs call these functions once per step (see
//! `program.rs`), and a login fails once the budget is spent.

use std::cell::Cell;

/// Comprehension iterations one login may run (all variables and the
/// expression together) before it fails; cel-go has no such limit, OpenBao
/// only cancels at the request timeout.
pub const MAX_ITERATIONS: u64 = 100_000;

pub(crate) const BUDGET_FN: &str = "__openbao_budget";
pub(crate) const BUDGET_LEFT_FN: &str = "__openbao_budget_left";

thread_local! {
    static BUDGET: Cell<u64> = const { Cell::new(0) };
}

/// Starts a login's iteration budget on this thread.
pub(crate) fn reset_budget() {
    BUDGET.with(|b| b.set(MAX_ITERATIONS));
}

/// Whether this thread's budget still has iterations.
pub(crate) fn budget_left() -> bool {
    BUDGET.with(|b| b.get() > 0)
}

/// Takes one iteration from this thread's budget; false when it is spent.
pub(crate) fn charge() -> bool {
    BUDGET.with(|b| match b.get() {
        0 => false,
        n => {
            b.set(n - 1);
            true
        }
    })
}
