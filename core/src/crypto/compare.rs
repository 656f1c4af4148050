use subtle::ConstantTimeEq;

/// Compares two byte strings in time that depends only on their lengths, so
/// MACs and tokens can be checked without leaking where they differ.
pub fn secure_compare(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

#[cfg(test)]
mod tests {
    use super::secure_compare;

    #[test]
    fn equal_and_unequal() {
        assert!(secure_compare(b"abc", b"abc"));
        assert!(secure_compare(b"", b""));
        assert!(!secure_compare(b"abc", b"abd"));
        assert!(!secure_compare(b"abc", b"ab"));
    }
}
