//! RFC 6962 / RFC 9162 Merkle inclusion proofs (SHA-256).
use aws_lc_rs::digest;

use super::error::{fail, SigstoreError};
use super::limits;

pub fn leaf_hash(leaf: &[u8]) -> [u8; 32] {
    let mut ctx = digest::Context::new(&digest::SHA256);
    ctx.update(&[0]);
    ctx.update(leaf);
    to32(ctx.finish())
}

fn node_hash(left: &[u8], right: &[u8]) -> [u8; 32] {
    let mut ctx = digest::Context::new(&digest::SHA256);
    ctx.update(&[1]);
    ctx.update(left);
    ctx.update(right);
    to32(ctx.finish())
}

fn to32(d: digest::Digest) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}

/// Checks that `leaf` is entry `index` of the tree of `size` leaves whose
/// root is `root`, given the audit path `proof` (RFC 9162 section 2.1.3.2).
pub fn verify_inclusion(
    index: u64,
    size: u64,
    leaf: &[u8],
    proof: &[Vec<u8>],
    root: &[u8],
) -> Result<(), SigstoreError> {
    if index >= size {
        return fail("inclusion proof index is outside the tree");
    }
    if proof.len() > limits::MAX_PROOF_HASHES || proof.iter().any(|h| h.len() != 32) {
        return fail("inclusion proof hashes are malformed");
    }
    if root.len() != 32 {
        return fail("inclusion proof root hash is malformed");
    }
    let mut fn_ = index;
    let mut sn = size - 1;
    let mut r = leaf_hash(leaf);
    for p in proof {
        if sn == 0 {
            return fail("inclusion proof is too long");
        }
        if fn_ & 1 == 1 || fn_ == sn {
            r = node_hash(p, &r);
            if fn_ & 1 == 0 {
                while fn_ & 1 == 0 && fn_ != 0 {
                    fn_ >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    if sn != 0 {
        return fail("inclusion proof is too short");
    }
    if !crate::crypto::compare::secure_compare(&r, root) {
        return fail("inclusion proof does not lead to the root hash");
    }
    Ok(())
}
