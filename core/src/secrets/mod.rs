//! secrets (in progress)
