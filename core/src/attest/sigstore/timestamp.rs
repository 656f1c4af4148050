//! RFC 3161 signed timestamps from a trusted timestamp authority (TSA): a
//! second source of verified signing time. The token is CMS SignedData
//! (RustCrypto `cms`) around a TSTInfo (`x509-tsp`); it must timestamp the
//! bundle's signature bytes and be signed, through signed attributes, by
//! the leaf of a TSA chain in the trusted root, valid at its genTime.
//!
//! A token that does not parse refuses the bundle; one that parses but does
//! not verify (another message, an unknown TSA, a bad signature) only does
//! not count as a verified time, as in sigstore-python: timestamps can only
//! add constraints, and anyone could strip them, so skipping one gives an
//! attacker nothing.
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use const_oid::db::{rfc5280, rfc5911, rfc5912};
use const_oid::ObjectIdentifier;
use der::asn1::OctetString;
use der::{Decode, Encode};
use x509_cert::ext::pkix::ExtendedKeyUsage;
use x509_tsp::{TimeStampResp, TstInfo};

use super::certificate::ParsedCert;
use super::error::SigstoreError;
use super::keys::{self, Hash};
use super::trusted_root::{CertificateAuthority, TrustedRoot};

const ID_CT_TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");

fn hash_of(oid: &ObjectIdentifier) -> Option<Hash> {
    match *oid {
        rfc5912::ID_SHA_256 => Some(Hash::Sha256),
        rfc5912::ID_SHA_384 => Some(Hash::Sha384),
        rfc5912::ID_SHA_512 => Some(Hash::Sha512),
        _ => None,
    }
}

fn digest(hash: Hash, data: &[u8]) -> Vec<u8> {
    aws_lc_rs::digest::digest(hash.digest_alg(), data)
        .as_ref()
        .to_vec()
}

fn bad(msg: &str) -> SigstoreError {
    SigstoreError::verify(format!("signed timestamp: {msg}"))
}

/// The single value of the signed attribute `oid`.
fn attribute<'a>(info: &'a SignerInfo, oid: &ObjectIdentifier) -> Option<&'a der::Any> {
    let attr = info.signed_attrs.as_ref()?.iter().find(|a| &a.oid == oid)?;
    match attr.values.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

/// Checks one timestamp over `signature`: its genTime (Unix seconds) when it
/// verifies, `None` when it parses but does not verify.
pub fn verify(
    der_bytes: &[u8],
    signature: &[u8],
    root: &TrustedRoot,
) -> Result<Option<i64>, SigstoreError> {
    let resp = TimeStampResp::from_der(der_bytes).map_err(|_| bad("does not parse"))?;
    // granted (0) or grantedWithMods (1)
    if resp.status.status as u8 > 1 {
        return Ok(None);
    }
    let token: ContentInfo = resp.time_stamp_token.ok_or_else(|| bad("has no token"))?;
    if token.content_type != rfc5911::ID_SIGNED_DATA {
        return Err(bad("token is not SignedData"));
    }
    let sd: SignedData = token
        .content
        .decode_as()
        .map_err(|_| bad("SignedData does not parse"))?;
    if sd.encap_content_info.econtent_type != ID_CT_TST_INFO {
        return Err(bad("content is not a TSTInfo"));
    }
    let econtent: OctetString = sd
        .encap_content_info
        .econtent
        .as_ref()
        .ok_or_else(|| bad("has no TSTInfo"))?
        .decode_as()
        .map_err(|_| bad("TSTInfo is not an OCTET STRING"))?;
    let tst = TstInfo::from_der(econtent.as_bytes()).map_err(|_| bad("TSTInfo does not parse"))?;

    // It timestamps this bundle's signature.
    let Some(imprint_hash) = hash_of(&tst.message_imprint.hash_algorithm.oid) else {
        return Ok(None);
    };
    if tst.message_imprint.hashed_message.as_bytes() != digest(imprint_hash, signature).as_slice() {
        return Ok(None);
    }
    let gen_time = i64::try_from(tst.gen_time.to_unix_duration().as_secs())
        .map_err(|_| bad("time out of range"))?;

    // One signer, whose signed attributes bind the TSTInfo.
    let infos = sd.signer_infos.0.as_slice();
    let [info] = infos else {
        return Ok(None);
    };
    let Some(hash) = hash_of(&info.digest_alg.oid) else {
        return Ok(None);
    };
    let content_type: Option<ObjectIdentifier> =
        attribute(info, &rfc5911::ID_CONTENT_TYPE).and_then(|v| v.decode_as().ok());
    let message_digest: Option<OctetString> =
        attribute(info, &rfc5911::ID_MESSAGE_DIGEST).and_then(|v| v.decode_as().ok());
    let binds = content_type == Some(ID_CT_TST_INFO)
        && message_digest
            .is_some_and(|d| d.as_bytes() == digest(hash, econtent.as_bytes()).as_slice());
    if !binds {
        return Ok(None);
    }
    let signed_attrs = info
        .signed_attrs
        .as_ref()
        .ok_or_else(|| bad("has no signed attributes"))?
        .to_der()
        .map_err(|_| bad("signed attributes do not encode"))?;
    let sig_oid = &info.signature_algorithm.oid;
    let (sig_hash, pss) = if *sig_oid == rfc5912::RSA_ENCRYPTION {
        (hash, false)
    } else {
        match keys::x509_signature_algorithm(sig_oid) {
            Some(alg) => alg,
            None => return Ok(None),
        }
    };
    Ok(root
        .tsas
        .iter()
        .any(|tsa| check_tsa(tsa, info, gen_time, sig_hash, pss, &signed_attrs))
        .then_some(gen_time))
}

/// Whether `tsa`'s leaf signed `info` and the chain holds at `t`.
fn check_tsa(
    tsa: &CertificateAuthority,
    info: &SignerInfo,
    t: i64,
    hash: Hash,
    pss: bool,
    signed_attrs: &[u8],
) -> bool {
    let Some(leaf) = tsa.chain.first() else {
        return false;
    };
    tsa.valid.contains(t)
        && tsa.chain.iter().all(|c| c.valid_at(t))
        && names_signer(leaf, &info.sid)
        && is_timestamping(leaf)
        && leaf
            .key
            .verify_with(hash, pss, signed_attrs, info.signature.as_bytes())
}

fn names_signer(leaf: &ParsedCert, sid: &SignerIdentifier) -> bool {
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(ias) => {
            ias.issuer == leaf.cert.tbs_certificate.issuer
                && ias.serial_number == leaf.cert.tbs_certificate.serial_number
        }
        // Matched by the signature itself.
        SignerIdentifier::SubjectKeyIdentifier(_) => true,
    }
}

/// A TSA leaf must be for time stamping only (RFC 3161 section 2.3).
fn is_timestamping(leaf: &ParsedCert) -> bool {
    leaf.cert
        .tbs_certificate
        .extensions
        .as_deref()
        .unwrap_or(&[])
        .iter()
        .find(|e| e.extn_id == rfc5280::ID_CE_EXT_KEY_USAGE)
        .and_then(|e| ExtendedKeyUsage::from_der(e.extn_value.as_bytes()).ok())
        .is_some_and(|eku| eku.0 == [rfc5280::ID_KP_TIME_STAMPING])
}
