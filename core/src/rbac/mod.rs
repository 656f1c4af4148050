//! rbac (in progress)
