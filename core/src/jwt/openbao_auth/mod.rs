//! OpenBao JWT auth method semantics (in progress)
