//! OpenBao transit ciphertext format: `vault:v<N>:` + standard base64 of
//! `nonce(12) || ciphertext || tag(16)`. Parsing follows OpenBao's quirks
//! (Go `strconv.Atoi` versions, `v0` meaning v1, CR/LF skipped in base64) so
//! that every string OpenBao accepts is accepted here and vice versa.
use super::aead::NONCE_LEN;
use super::CryptoError;
use base64_simd::STANDARD;

pub const PREFIX: &str = "vault:v";

/// A parsed transit ciphertext.
#[derive(Debug, PartialEq, Eq)]
pub struct Envelope {
    /// Key version (already mapped: `v0` becomes 1). May be negative when the
    /// input said so (`v-1`); such versions are always too old.
    pub version: i64,
    /// `nonce || ciphertext || tag`, at least a nonce long. Kept in one
    /// buffer so decryption can run in place.
    pub raw: Vec<u8>,
}

impl Envelope {
    pub fn nonce(&self) -> [u8; NONCE_LEN] {
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&self.raw[..NONCE_LEN]);
        nonce
    }

    /// `ciphertext || tag`
    pub fn sealed(&self) -> &[u8] {
        &self.raw[NONCE_LEN..]
    }
}

/// Formats `nonce || ciphertext || tag` the way OpenBao's encrypt endpoint
/// does.
pub fn format(version: u32, raw: &[u8]) -> String {
    let mut out = String::with_capacity(PREFIX.len() + 12 + raw.len().div_ceil(3) * 4);
    out.push_str(PREFIX);
    out.push_str(&version.to_string());
    out.push(':');
    STANDARD.encode_append(raw, &mut out);
    out
}

/// The length of [`format`]'s result for `raw_len` bytes.
pub fn formatted_len(version: u32, raw_len: usize) -> usize {
    PREFIX.len() + decimal_len(version) + 1 + STANDARD.encoded_length(raw_len)
}

/// [`format`] into `out` (at least [`formatted_len`] bytes, else `None`),
/// for callers that own the output memory; returns the length written.
pub fn format_into(version: u32, raw: &[u8], out: &mut [u8]) -> Option<usize> {
    let len = formatted_len(version, raw.len());
    let out = out.get_mut(..len)?;
    let (prefix, rest) = out.split_at_mut(PREFIX.len());
    prefix.copy_from_slice(PREFIX.as_bytes());
    let (digits, rest) = rest.split_at_mut(decimal_len(version));
    let mut v = version;
    for d in digits.iter_mut().rev() {
        *d = b'0' + (v % 10) as u8;
        v /= 10;
    }
    rest[0] = b':';
    let _ = STANDARD.encode(raw, base64_simd::Out::from_slice(&mut rest[1..]));
    Some(len)
}

fn decimal_len(mut v: u32) -> usize {
    let mut n = 1;
    while v >= 10 {
        v /= 10;
        n += 1;
    }
    n
}

/// Parses a ciphertext (any bytes; only ASCII can be valid); errors carry
/// OpenBao's wording.
pub fn parse(ciphertext: &[u8]) -> Result<Envelope, CryptoError> {
    let (version, body) = split(ciphertext)?;
    let raw = decode_go_base64(body)?;
    if raw.len() < NONCE_LEN {
        return Err(CryptoError::BadLength);
    }
    Ok(Envelope { version, raw })
}

/// An upper bound of the decoded length of `ciphertext_len` bytes of
/// ciphertext: the room [`parse_into`] needs.
pub fn decoded_len_bound(ciphertext_len: usize) -> usize {
    ciphertext_len / 4 * 3 + 3
}

/// [`parse`] decoding `nonce || ciphertext || tag` into `out` (at least
/// [`decoded_len_bound`] bytes), for callers that own the output memory:
/// the same checks in the same order; returns the version and the decoded
/// length.
pub fn parse_into(ciphertext: &[u8], out: &mut [u8]) -> Result<(i64, usize), CryptoError> {
    let (version, body) = split(ciphertext)?;
    let len = if memchr::memchr2(b'\r', b'\n', body).is_some() {
        decode_into(&strip_newlines(body), out)?
    } else {
        decode_into(body, out)?
    };
    if len < NONCE_LEN {
        return Err(CryptoError::BadLength);
    }
    Ok((version, len))
}

/// The version and the base64 body (prefix, fields and version checked).
fn split(ciphertext: &[u8]) -> Result<(i64, &[u8]), CryptoError> {
    let rest = ciphertext
        .strip_prefix(PREFIX.as_bytes())
        .ok_or(CryptoError::NoPrefix)?;
    let colon = memchr::memchr(b':', rest).ok_or(CryptoError::WrongNumberOfFields)?;
    let (ver, body) = (&rest[..colon], &rest[colon + 1..]);
    let version = match go_atoi(ver).ok_or(CryptoError::BadVersion)? {
        0 => 1,
        v => v,
    };
    Ok((version, body))
}

fn decode_into(body: &[u8], out: &mut [u8]) -> Result<usize, CryptoError> {
    let len = STANDARD
        .decoded_length(body)
        .map_err(|_| CryptoError::BadBase64)?;
    let out = out.get_mut(..len).ok_or(CryptoError::BadBase64)?;
    STANDARD
        .decode(body, base64_simd::Out::from_slice(out))
        .map(|decoded| decoded.len())
        .map_err(|_| CryptoError::BadBase64)
}

fn strip_newlines(body: &[u8]) -> Vec<u8> {
    body.iter()
        .copied()
        .filter(|c| *c != b'\r' && *c != b'\n')
        .collect()
}

/// Go's `strconv.Atoi` on a 64-bit platform: optional sign, ASCII digits,
/// leading zeros allowed, int64 range.
fn go_atoi(s: &[u8]) -> Option<i64> {
    let (negative, digits) = match s.first()? {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let magnitude: i128 = digits.iter().try_fold(0i128, |acc, b| {
        let next = acc * 10 + i128::from(b - b'0');
        (next <= i128::from(i64::MAX) + 1).then_some(next)
    })?;
    let value = if negative { -magnitude } else { magnitude };
    i64::try_from(value).ok()
}

/// Go's `base64.StdEncoding.DecodeString`: padded standard alphabet, with
/// `\r` and `\n` ignored anywhere.
fn decode_go_base64(body: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let decoded = if memchr::memchr2(b'\r', b'\n', body).is_some() {
        STANDARD.decode_to_vec(strip_newlines(body))
    } else {
        STANDARD.decode_to_vec(body)
    };
    decoded.map_err(|_| CryptoError::BadBase64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atoi_matches_go() {
        assert_eq!(go_atoi(b"1"), Some(1));
        assert_eq!(go_atoi(b"+1"), Some(1));
        assert_eq!(go_atoi(b"01"), Some(1));
        assert_eq!(go_atoi(b"-3"), Some(-3));
        assert_eq!(go_atoi(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(go_atoi(b"-9223372036854775808"), Some(i64::MIN));
        assert_eq!(go_atoi(b"9223372036854775808"), None);
        assert_eq!(go_atoi(b"99999999999999999999"), None);
        assert_eq!(go_atoi(b""), None);
        assert_eq!(go_atoi(b"+"), None);
        assert_eq!(go_atoi(b" 1"), None);
        assert_eq!(go_atoi(b"x"), None);
    }

    #[test]
    fn round_trip() {
        let mut raw = vec![1u8; 12];
        raw.extend_from_slice(b"sealed-bytes-and-tag");
        let s = format(7, &raw);
        let env = parse(s.as_bytes()).expect("parses");
        assert_eq!(env.version, 7);
        assert_eq!(env.nonce(), [1u8; 12]);
        assert_eq!(env.sealed(), b"sealed-bytes-and-tag");
    }

    #[test]
    fn format_into_matches_format() {
        for (version, len) in [(1, 0), (9, 28), (10, 29), (4_294_967_295, 30), (123, 1000)] {
            let raw: Vec<u8> = (0..len).map(|i| (i * 7) as u8).collect();
            let expected = format(version, &raw);
            assert_eq!(formatted_len(version, raw.len()), expected.len());
            let mut out = vec![0u8; expected.len() + 3];
            assert_eq!(format_into(version, &raw, &mut out), Some(expected.len()));
            assert_eq!(&out[..expected.len()], expected.as_bytes());
            assert_eq!(
                format_into(version, &raw, &mut out[..expected.len() - 1]),
                None
            );
        }
    }

    /// `parse_into` agrees with `parse` on good and bad inputs.
    #[test]
    fn parse_into_matches_parse() {
        let mut raw = vec![3u8; 12];
        raw.extend_from_slice(b"body and tag bytes");
        let good = format(12, &raw);
        let crlf = format!("{}\r\n{}", &good[..20], &good[20..]);
        let inputs: Vec<&[u8]> = vec![
            good.as_bytes(),
            crlf.as_bytes(),
            b"v1:AAAA",
            b"vault:vx:AAAA",
            b"vault:v1",
            b"vault:v1:",
            b"vault:v1:AAAA",
            b"vault:v1:AAAA:",
            b"vault:v1:AAA",
            b"vault:v1:AAAAAAAAAAAAAAAA",
            b"vault:v-2:AAAAAAAAAAAAAAAA",
        ];
        for input in inputs {
            let mut out = vec![0u8; decoded_len_bound(input.len())];
            let got = parse_into(input, &mut out).map(|(v, n)| (v, out[..n].to_vec()));
            let want = parse(input).map(|e| (e.version, e.raw));
            assert_eq!(got, want, "{:?}", String::from_utf8_lossy(input));
        }
    }

    #[test]
    fn errors() {
        assert_eq!(parse(b"v1:AAAA"), Err(CryptoError::NoPrefix));
        assert_eq!(parse(b"vault:V1:AAAA"), Err(CryptoError::NoPrefix));
        assert_eq!(parse(b"vault:v1"), Err(CryptoError::WrongNumberOfFields));
        assert_eq!(parse(b"vault:vx:AAAA"), Err(CryptoError::BadVersion));
        assert_eq!(parse(b"vault:v1:"), Err(CryptoError::BadLength));
        assert_eq!(parse(b"vault:v1:AAAA:"), Err(CryptoError::BadBase64));
        assert_eq!(
            parse(b"vault:v0:AAAAAAAAAAAAAAAA").map(|e| e.version),
            Ok(1)
        );
    }
}
