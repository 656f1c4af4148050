//! acl (in progress)
