//! DSSE Pre-Authentication Encoding (protocol.md): what a DSSE signature
//! actually covers. Binding the payload type into the signed bytes is what
//! stops a signature over one kind of payload being replayed as another.

/// `PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`,
/// lengths as ASCII decimal without leading zeros.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let type_len = payload_type.len().to_string();
    let body_len = payload.len().to_string();
    let mut out = Vec::with_capacity(
        b"DSSEv1 ".len()
            + type_len.len()
            + 1
            + payload_type.len()
            + 1
            + body_len.len()
            + 1
            + payload.len(),
    );
    out.extend_from_slice(b"DSSEv1 ");
    out.extend_from_slice(type_len.as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload_type.as_bytes());
    out.push(b' ');
    out.extend_from_slice(body_len.as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload);
    out
}

#[cfg(test)]
mod tests {
    use super::pae;

    #[test]
    fn protocol_md_example() {
        // The worked example of the DSSE protocol (protocol.md, "Test Vectors").
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec()
        );
    }

    #[test]
    fn empty_type_and_body() {
        assert_eq!(pae("", b""), b"DSSEv1 0  0 ".to_vec());
    }

    #[test]
    fn lengths_are_bytes_not_chars() {
        // "é" is two UTF-8 bytes.
        assert_eq!(
            pae("é", b"\x00\xff"),
            b"DSSEv1 2 \xc3\xa9 2 \x00\xff".to_vec()
        );
    }
}
