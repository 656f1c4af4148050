//! A versioned AES-256-GCM keyring that reads and writes exactly what
//! OpenBao's transit engine does for `aes256-gcm96` keys.
//!
//! Decryption checks run in OpenBao's order (prefix, fields, version, too
//! new, too old, base64, context, length, tag) so the first error reported
//! for a bad input is the one OpenBao would report.
use std::collections::BTreeMap;
use std::fmt;

use base64_simd::STANDARD;
use serde_json::Value;
use zeroize::{Zeroize, Zeroizing};

use super::aead::{default_provider, AeadProvider, AesGcmKey, NONCE_LEN, TAG_LEN};
use super::kdf::hmac_sha256;
use super::random::{random_bytes, random_key};
use super::transit;
use super::wiped::WipedVec;
use super::CryptoError;

/// Derivation settings that transit stores with the key (the export does not
/// carry them, so callers state them when importing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeyringOptions {
    /// Per-request keys: HKDF-SHA256(key, no salt, info = context).
    pub derived: bool,
    /// Deterministic nonces (requires `derived`): equal plaintext and
    /// context give equal ciphertext.
    pub convergent: bool,
    /// Lets a convergent keyring encrypt with associated data, as OpenBao
    /// does. Off by default: the convergent nonce depends on the plaintext
    /// only, so one plaintext sealed under two associated data values reuses
    /// a GCM nonce with two different tags, which reveals the GHASH key and
    /// lets anyone forge ciphertexts under that derived key. Decryption with
    /// associated data is always allowed.
    pub openbao_compatible_convergent_aad: bool,
}

struct KeyVersion {
    key: Zeroizing<[u8; 32]>,
    /// Expanded key for non-derived keyrings, built once.
    cipher: Option<Box<dyn AesGcmKey>>,
}

/// Transit-compatible keyring. Immutable operations take `&self` and are
/// safe to call from many threads; `rotate`/`set_min_decryption_version`
/// take `&mut self`.
pub struct Keyring {
    versions: BTreeMap<u32, KeyVersion>,
    latest: u32,
    min_decryption_version: u32,
    options: KeyringOptions,
    provider: &'static dyn AeadProvider,
}

impl fmt::Debug for Keyring {
    // Never prints key material.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keyring")
            .field("latest_version", &self.latest)
            .field("min_decryption_version", &self.min_decryption_version)
            .field("derived", &self.options.derived)
            .field("convergent", &self.options.convergent)
            .field("provider", &self.provider.name())
            .finish()
    }
}

/// A per-request cipher and, for convergent keyrings, the nonce key.
type DerivedKey = (Box<dyn AesGcmKey>, Option<Zeroizing<Vec<u8>>>);

/// Batches at least this long are spread over the rayon pool.
pub const PARALLEL_THRESHOLD: usize = 64;

/// Messages whose `nonce || ciphertext || tag` fits here are sealed on the
/// stack by [`Keyring::encrypt_into`].
const STACK_RAW: usize = 512;

impl Keyring {
    /// A new keyring with one random version-1 key.
    pub fn generate(options: KeyringOptions) -> Result<Self, CryptoError> {
        Self::from_versions(vec![(1, random_key()?)], options)
    }

    /// Builds a keyring from `(version, key)` pairs. The lowest version given
    /// becomes `min_decryption_version`, as in an export taken after
    /// `min_decryption_version` was raised.
    pub fn from_versions(
        keys: Vec<(u32, Zeroizing<[u8; 32]>)>,
        options: KeyringOptions,
    ) -> Result<Self, CryptoError> {
        Self::with_provider(keys, options, default_provider())
    }

    /// Same as [`Keyring::from_versions`] with an explicit AEAD provider.
    pub fn with_provider(
        keys: Vec<(u32, Zeroizing<[u8; 32]>)>,
        options: KeyringOptions,
        provider: &'static dyn AeadProvider,
    ) -> Result<Self, CryptoError> {
        if options.convergent && !options.derived {
            return Err(CryptoError::ConvergentRequiresDerived);
        }
        let mut versions = BTreeMap::new();
        for (version, key) in keys {
            if version == 0 {
                return Err(CryptoError::InvalidExport("key versions start at 1".into()));
            }
            if versions.contains_key(&version) {
                return Err(CryptoError::InvalidExport(format!(
                    "key version {version} given twice"
                )));
            }
            let cipher = if options.derived {
                None
            } else {
                Some(provider.aes_gcm(key.as_ref())?)
            };
            versions.insert(version, KeyVersion { key, cipher });
        }
        let latest = *versions
            .keys()
            .next_back()
            .ok_or_else(|| CryptoError::InvalidExport("no keys".into()))?;
        let min = *versions.keys().next().unwrap_or(&1);
        Ok(Self {
            versions,
            latest,
            min_decryption_version: min,
            options,
            provider,
        })
    }

    /// Reads the JSON that `GET transit/export/encryption-key/<name>`
    /// returns: the whole response, its `data`, or `{"keys": {"1": b64}}`.
    pub fn from_transit_export(
        export: &Value,
        options: KeyringOptions,
    ) -> Result<Self, CryptoError> {
        let data = export
            .get("data")
            .filter(|d| d.is_object())
            .unwrap_or(export);
        if let Some(kind) = data.get("type").and_then(Value::as_str) {
            if kind != "aes256-gcm96" {
                return Err(CryptoError::InvalidExport(format!(
                    "key type {kind:?} is not aes256-gcm96"
                )));
            }
        }
        let keys = data
            .get("keys")
            .and_then(Value::as_object)
            .ok_or_else(|| CryptoError::InvalidExport("missing \"keys\" object".into()))?;
        let mut out = Vec::with_capacity(keys.len());
        for (version, encoded) in keys {
            let version = parse_version(version)?;
            let encoded = encoded.as_str().ok_or_else(|| {
                CryptoError::InvalidExport(format!("key version {version} is not a string"))
            })?;
            let raw = Zeroizing::new(STANDARD.decode_to_vec(encoded).map_err(|_| {
                CryptoError::InvalidExport(format!("key version {version} is not base64"))
            })?);
            let key: [u8; 32] =
                raw.as_slice()
                    .try_into()
                    .map_err(|_| CryptoError::InvalidKeyLength {
                        expected: "32",
                        actual: raw.len(),
                    })?;
            out.push((version, Zeroizing::new(key)));
        }
        Self::from_versions(out, options)
    }

    /// The export shape OpenBao uses (`{"name","type","keys"}`), so a key
    /// made here can be stored or re-imported. It contains the key bytes:
    /// callers decide where it goes.
    pub fn to_transit_export(&self, name: &str) -> Value {
        let keys: serde_json::Map<String, Value> = self
            .versions
            .iter()
            .filter(|(v, _)| **v >= self.min_decryption_version)
            .map(|(v, k)| {
                (
                    v.to_string(),
                    Value::String(STANDARD.encode_to_string(k.key.as_ref())),
                )
            })
            .collect();
        serde_json::json!({ "name": name, "type": "aes256-gcm96", "keys": keys })
    }

    pub fn options(&self) -> KeyringOptions {
        self.options
    }
    pub fn latest_version(&self) -> u32 {
        self.latest
    }
    pub fn min_decryption_version(&self) -> u32 {
        self.min_decryption_version
    }
    pub fn provider_name(&self) -> &'static str {
        self.provider.name()
    }

    /// Versions whose keys are held (including ones below the minimum).
    pub fn versions(&self) -> Vec<u32> {
        self.versions.keys().copied().collect()
    }

    /// Raw key of one version, for wrapping into an OpenBao import.
    pub fn key_bytes(&self, version: u32) -> Option<&[u8; 32]> {
        self.versions.get(&version).map(|k| &*k.key)
    }

    /// Adds a new random key and makes it the encryption key.
    pub fn rotate(&mut self) -> Result<u32, CryptoError> {
        // Versions are u32 here; wrapping would reuse version numbers.
        let next = self
            .latest
            .checked_add(1)
            .ok_or(CryptoError::KeyVersionLimit)?;
        let key = random_key()?;
        let cipher = if self.options.derived {
            None
        } else {
            Some(self.provider.aes_gcm(key.as_ref())?)
        };
        self.versions.insert(next, KeyVersion { key, cipher });
        self.latest = next;
        Ok(next)
    }

    /// Versions below this refuse to decrypt (OpenBao's "too old").
    pub fn set_min_decryption_version(&mut self, version: i64) -> Result<(), CryptoError> {
        let invalid = CryptoError::InvalidMinDecryptionVersion {
            requested: version,
            latest: self.latest,
        };
        let v = u32::try_from(version).map_err(|_| invalid.clone())?;
        if v == 0 || v > self.latest || !self.versions.contains_key(&v) {
            return Err(invalid);
        }
        self.min_decryption_version = v;
        Ok(())
    }

    /// Encrypts with the latest version.
    pub fn encrypt(
        &self,
        plaintext: &[u8],
        context: Option<&[u8]>,
        aad: Option<&[u8]>,
    ) -> Result<String, CryptoError> {
        let mut out = vec![0u8; self.encrypted_len(plaintext.len())];
        let len = self.encrypt_into(plaintext, context, aad, &mut out)?;
        out.truncate(len);
        // Base64 and the prefix are ASCII.
        String::from_utf8(out).map_err(|_| CryptoError::EncryptionFailed)
    }

    /// [`Keyring::encrypt`] before the transit formatting: the key version
    /// and `nonce || ciphertext || tag` (for [`transit::format_into`]).
    pub fn encrypt_raw(
        &self,
        plaintext: &[u8],
        context: Option<&[u8]>,
        aad: Option<&[u8]>,
    ) -> Result<(u32, Vec<u8>), CryptoError> {
        let mut buf = vec![0u8; NONCE_LEN + plaintext.len() + TAG_LEN];
        match self.seal_raw(plaintext, context, aad, &mut buf) {
            Ok(version) => Ok((version, buf)),
            Err(e) => {
                // The buffer may still hold the plaintext.
                buf.zeroize();
                Err(e)
            }
        }
    }

    /// The length of [`Keyring::encrypt`]'s result for `plaintext_len`
    /// bytes (with the latest version): the room [`Keyring::encrypt_into`]
    /// needs.
    pub fn encrypted_len(&self, plaintext_len: usize) -> usize {
        transit::formatted_len(self.latest, NONCE_LEN + plaintext_len + TAG_LEN)
    }

    /// [`Keyring::encrypt`] into `out` (at least [`Keyring::encrypted_len`]
    /// bytes), for callers that own the output memory; returns the length
    /// written. Small messages are sealed in a stack buffer, so this
    /// allocates nothing.
    pub fn encrypt_into(
        &self,
        plaintext: &[u8],
        context: Option<&[u8]>,
        aad: Option<&[u8]>,
        out: &mut [u8],
    ) -> Result<usize, CryptoError> {
        let raw_len = NONCE_LEN + plaintext.len() + TAG_LEN;
        if raw_len > STACK_RAW {
            let (version, raw) = self.encrypt_raw(plaintext, context, aad)?;
            return transit::format_into(version, &raw, out).ok_or(CryptoError::EncryptionFailed);
        }
        let mut stack = [0u8; STACK_RAW];
        let raw = &mut stack[..raw_len];
        let result = self
            .seal_raw(plaintext, context, aad, raw)
            .and_then(|version| {
                transit::format_into(version, raw, out).ok_or(CryptoError::EncryptionFailed)
            });
        if result.is_err() {
            // The buffer may still hold the plaintext.
            stack.zeroize();
        }
        result
    }

    /// Seals with the latest version into `raw` (exactly `nonce ||
    /// ciphertext || tag` long); returns the version.
    fn seal_raw(
        &self,
        plaintext: &[u8],
        context: Option<&[u8]>,
        aad: Option<&[u8]>,
        raw: &mut [u8],
    ) -> Result<u32, CryptoError> {
        self.check_associated_data(aad)?;
        let version = self.latest;
        let entry = self
            .versions
            .get(&version)
            .ok_or(CryptoError::VersionTooOld)?;
        let aad = aad.unwrap_or_default();
        let derived;
        let (cipher, nonce) = match &entry.cipher {
            Some(cipher) => (cipher.as_ref(), random_bytes::<NONCE_LEN>()?),
            None => {
                derived = self.derive(entry, context)?;
                let nonce = match &derived.1 {
                    Some(k) => convergent_nonce(k, plaintext),
                    None => random_bytes::<NONCE_LEN>()?,
                };
                (derived.0.as_ref(), nonce)
            }
        };
        if raw.len() != NONCE_LEN + plaintext.len() + TAG_LEN {
            return Err(CryptoError::EncryptionFailed);
        }
        // One buffer: the nonce, then the plaintext sealed in place, then the tag.
        let (head, rest) = raw.split_at_mut(NONCE_LEN);
        head.copy_from_slice(&nonce);
        let (body, tag_out) = rest.split_at_mut(plaintext.len());
        body.copy_from_slice(plaintext);
        let tag = cipher.seal_detached(&nonce, aad, body)?;
        tag_out.copy_from_slice(&tag);
        Ok(version)
    }

    /// Decrypts a `vault:v<N>:` ciphertext. The plaintext is wiped when the
    /// caller drops it (after copying it where it is needed).
    pub fn decrypt(
        &self,
        ciphertext: impl AsRef<[u8]>,
        context: Option<&[u8]>,
        aad: Option<&[u8]>,
    ) -> Result<WipedVec, CryptoError> {
        let ciphertext = ciphertext.as_ref();
        let bound = transit::decoded_len_bound(ciphertext.len());
        let mut buf = WipedVec::with_capacity(bound);
        buf.resize(bound, 0);
        let len = self.decrypt_into(ciphertext, context, aad, &mut buf)?;
        buf.copy_within(NONCE_LEN..NONCE_LEN + len, 0);
        buf.truncate(len);
        Ok(buf)
    }

    /// [`Keyring::decrypt`] into `out` (at least
    /// [`transit::decoded_len_bound`] of the ciphertext's length), for
    /// callers that own the output memory: the plaintext is
    /// `out[NONCE_LEN..NONCE_LEN + n]`; returns `n`. Same checks, same
    /// order, same errors. On an error `out` may hold unauthenticated
    /// bytes: the caller wipes it.
    pub fn decrypt_into(
        &self,
        ciphertext: &[u8],
        context: Option<&[u8]>,
        aad: Option<&[u8]>,
        out: &mut [u8],
    ) -> Result<usize, CryptoError> {
        let (version, raw_len) = transit::parse_into(ciphertext, out)?;
        if version > i64::from(self.latest) {
            return Err(CryptoError::VersionTooNew);
        }
        if version < i64::from(self.min_decryption_version) {
            return Err(CryptoError::VersionTooOld);
        }
        let version = u32::try_from(version).map_err(|_| CryptoError::VersionTooOld)?;
        let entry = self
            .versions
            .get(&version)
            .ok_or(CryptoError::VersionTooOld)?;
        let aad = aad.unwrap_or_default();
        let (nonce, body) = out[..raw_len].split_at_mut(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = (&*nonce).try_into().map_err(|_| CryptoError::BadLength)?;
        match &entry.cipher {
            Some(cipher) => cipher.open_detached(&nonce, aad, body),
            None => self
                .derive(entry, context)?
                .0
                .open_detached(&nonce, aad, body),
        }
    }

    /// Decrypts and re-encrypts with the latest version (same context/AAD).
    pub fn rewrap(
        &self,
        ciphertext: impl AsRef<[u8]>,
        context: Option<&[u8]>,
        aad: Option<&[u8]>,
    ) -> Result<String, CryptoError> {
        self.rewrap_with(ciphertext, context, aad, aad)
    }

    /// Decrypts with `aad` and re-encrypts with the latest version under
    /// `new_aad`: moves a value to a new binding without handing out the
    /// plaintext.
    pub fn rewrap_with(
        &self,
        ciphertext: impl AsRef<[u8]>,
        context: Option<&[u8]>,
        aad: Option<&[u8]>,
        new_aad: Option<&[u8]>,
    ) -> Result<String, CryptoError> {
        // Refused before decrypting: the re-encryption would be refused.
        self.check_associated_data(new_aad)?;
        let plain = self.decrypt(ciphertext, context, aad)?;
        self.encrypt(&plain, context, new_aad)
    }

    /// Encrypts many plaintexts; large batches run on all cores.
    pub fn encrypt_many<P: AsRef<[u8]> + Sync>(
        &self,
        plaintexts: &[P],
        context: Option<&[u8]>,
    ) -> Vec<Result<String, CryptoError>> {
        crate::parallel::map(plaintexts, PARALLEL_THRESHOLD, |p| {
            self.encrypt(p.as_ref(), context, None)
        })
    }

    /// Decrypts many ciphertexts; large batches run on all cores.
    pub fn decrypt_many<C: AsRef<[u8]> + Sync>(
        &self,
        ciphertexts: &[C],
        context: Option<&[u8]>,
    ) -> Vec<Result<WipedVec, CryptoError>> {
        crate::parallel::map(ciphertexts, PARALLEL_THRESHOLD, |c| {
            self.decrypt(c.as_ref(), context, None)
        })
    }

    /// [`Keyring::encrypt_many`] into one buffer: `out` gets
    /// [`Keyring::encrypted_len`] bytes per plaintext, in order, and each
    /// result is the ciphertext's range in it. No allocation per item in
    /// the parallel part.
    pub fn encrypt_many_into<P: AsRef<[u8]> + Sync>(
        &self,
        plaintexts: &[P],
        context: Option<&[u8]>,
        out: &mut Vec<u8>,
    ) -> Vec<Result<std::ops::Range<usize>, CryptoError>> {
        let total = plaintexts
            .iter()
            .map(|p| self.encrypted_len(p.as_ref().len()))
            .sum();
        out.clear();
        out.resize(total, 0);
        let mut items = Vec::with_capacity(plaintexts.len());
        let mut rest: &mut [u8] = out;
        let mut start = 0;
        for p in plaintexts {
            let room = self.encrypted_len(p.as_ref().len());
            let (slot, tail) = std::mem::take(&mut rest).split_at_mut(room);
            rest = tail;
            items.push((p.as_ref(), slot, start));
            start += room;
        }
        crate::parallel::map_mut(&mut items, PARALLEL_THRESHOLD, |(p, slot, start)| {
            self.encrypt_into(p, context, None, slot)
                .map(|len| *start..*start + len)
        })
    }

    /// [`Keyring::decrypt_many`] into one buffer: `out` gets
    /// [`transit::decoded_len_bound`] bytes per ciphertext, in order, and
    /// each result is the plaintext's range in it. No allocation per item
    /// (the parallel part only decodes and decrypts); failed items' room
    /// is wiped.
    pub fn decrypt_many_into<C: AsRef<[u8]> + Sync>(
        &self,
        ciphertexts: &[C],
        context: Option<&[u8]>,
        out: &mut WipedVec,
    ) -> Vec<Result<std::ops::Range<usize>, CryptoError>> {
        let total = ciphertexts
            .iter()
            .map(|c| transit::decoded_len_bound(c.as_ref().len()))
            .sum();
        out.clear();
        out.resize(total, 0);
        let mut items = Vec::with_capacity(ciphertexts.len());
        let mut rest: &mut [u8] = out;
        let mut start = 0;
        for c in ciphertexts {
            let room = transit::decoded_len_bound(c.as_ref().len());
            let (slot, tail) = std::mem::take(&mut rest).split_at_mut(room);
            rest = tail;
            items.push((c.as_ref(), slot, start));
            start += room;
        }
        crate::parallel::map_mut(
            &mut items,
            PARALLEL_THRESHOLD,
            |(c, slot, start)| match self.decrypt_into(c, context, None, slot) {
                Ok(len) => Ok(*start + NONCE_LEN..*start + NONCE_LEN + len),
                Err(e) => {
                    slot.zeroize();
                    Err(e)
                }
            },
        )
    }

    /// Convergent nonces ignore the associated data, so encrypting with it
    /// is refused unless the keyring opted into OpenBao's behaviour (see
    /// [`KeyringOptions::openbao_compatible_convergent_aad`]). Empty
    /// associated data is the same as none in GCM and is allowed.
    fn check_associated_data(&self, aad: Option<&[u8]>) -> Result<(), CryptoError> {
        let has_aad = aad.is_some_and(|a| !a.is_empty());
        if has_aad && self.options.convergent && !self.options.openbao_compatible_convergent_aad {
            return Err(CryptoError::ConvergentAssociatedData);
        }
        Ok(())
    }

    /// Per-request key (and, for convergent keyrings, the nonce key).
    fn derive(
        &self,
        entry: &KeyVersion,
        context: Option<&[u8]>,
    ) -> Result<DerivedKey, CryptoError> {
        let context = context
            .filter(|c| !c.is_empty())
            .ok_or(CryptoError::MissingContext)?;
        let len = if self.options.convergent { 64 } else { 32 };
        let okm = self
            .provider
            .hkdf_sha256(entry.key.as_ref(), None, context, len)
            .ok_or(CryptoError::EncryptionFailed)?;
        let cipher = self.provider.aes_gcm(&okm[..32])?;
        let nonce_key = self
            .options
            .convergent
            .then(|| Zeroizing::new(okm[32..].to_vec()));
        Ok((cipher, nonce_key))
    }
}

/// A key version from an export: canonical decimal (as OpenBao writes
/// them, so "1" and "01" cannot name the same version twice) that fits the
/// u32 versions used here.
fn parse_version(version: &str) -> Result<u32, CryptoError> {
    let canonical = !version.is_empty()
        && version.bytes().all(|b| b.is_ascii_digit())
        && (version == "0" || !version.starts_with('0'));
    if !canonical {
        return Err(CryptoError::InvalidExport(format!(
            "key version {version:?} is not a number"
        )));
    }
    version.parse().map_err(|_| {
        CryptoError::InvalidExport(format!(
            "key version {version} is out of range (at most {})",
            u32::MAX
        ))
    })
}

/// Transit's convergent nonce (convergent version 3): the first 12 bytes of
/// HMAC-SHA256 over the plaintext, keyed with the second half of the
/// derived key material.
fn convergent_nonce(nonce_key: &[u8], plaintext: &[u8]) -> [u8; NONCE_LEN] {
    let mac = hmac_sha256(nonce_key, plaintext);
    let mut nonce = [0u8; NONCE_LEN];
    nonce.copy_from_slice(&mac[..NONCE_LEN]);
    nonce
}
