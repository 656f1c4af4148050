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

#[cfg(test)]
mod tests {
    use super::*;

    fn mth(leaves: &[Vec<u8>]) -> [u8; 32] {
        if leaves.len() == 1 {
            return leaf_hash(&leaves[0]);
        }
        let k = split(leaves.len());
        node_hash(&mth(&leaves[..k]), &mth(&leaves[k..]))
    }

    fn split(n: usize) -> usize {
        let mut k = 1;
        while k * 2 < n {
            k *= 2;
        }
        k
    }

    /// RFC 6962 section 2.1.1 PATH(m, D[n]).
    fn path(m: usize, leaves: &[Vec<u8>]) -> Vec<Vec<u8>> {
        if leaves.len() == 1 {
            return Vec::new();
        }
        let k = split(leaves.len());
        if m < k {
            let mut p = path(m, &leaves[..k]);
            p.push(mth(&leaves[k..]).to_vec());
            p
        } else {
            let mut p = path(m - k, &leaves[k..]);
            p.push(mth(&leaves[..k]).to_vec());
            p
        }
    }

    #[test]
    fn every_leaf_of_every_small_tree() {
        for n in 1..=33usize {
            let leaves: Vec<Vec<u8>> = (0..n).map(|i| format!("leaf {i}").into_bytes()).collect();
            let root = mth(&leaves);
            for m in 0..n {
                let p = path(m, &leaves);
                verify_inclusion(m as u64, n as u64, &leaves[m], &p, &root).unwrap();
                // Another index, a wrong leaf, a shorter or longer path fail.
                if n > 1 {
                    let other = (m + 1) % n;
                    assert!(
                        verify_inclusion(other as u64, n as u64, &leaves[m], &p, &root).is_err()
                    );
                    assert!(verify_inclusion(m as u64, n as u64, b"other", &p, &root).is_err());
                    assert!(verify_inclusion(
                        m as u64,
                        n as u64,
                        &leaves[m],
                        &p[..p.len() - 1],
                        &root
                    )
                    .is_err());
                }
                let mut longer = p.clone();
                longer.push(vec![0; 32]);
                assert!(verify_inclusion(m as u64, n as u64, &leaves[m], &longer, &root).is_err());
            }
            assert!(verify_inclusion(n as u64, n as u64, &leaves[0], &[], &root).is_err());
        }
    }
}
