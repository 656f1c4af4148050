use super::CryptoError;
use zeroize::Zeroizing;

/// Fills a fresh buffer from the OS RNG (the `getrandom` syscall, which stays
/// correct in a forked child where a user-space RNG state could repeat).
pub fn random_bytes<const N: usize>() -> Result<[u8; N], CryptoError> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).map_err(|_| CryptoError::Random)?;
    Ok(out)
}

/// A fresh 256-bit key in a buffer that is wiped on drop.
pub fn random_key() -> Result<Zeroizing<[u8; 32]>, CryptoError> {
    let mut key = Zeroizing::new([0u8; 32]);
    getrandom::fill(key.as_mut()).map_err(|_| CryptoError::Random)?;
    Ok(key)
}
