//! X.509 certificates (RustCrypto `x509-cert`): parsing, issuer signature
//! checks and the parts of Sigstore's certificate profile that need the
//! extensions (key usage, EKU, SAN identity, Fulcio's OIDC claims, SCTs).
use const_oid::db::{rfc5280, rfc6962};
use const_oid::ObjectIdentifier;
use der::asn1::{Ia5StringRef, Utf8StringRef};
use der::{Decode, Encode};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAltName};
use x509_cert::ext::Extension;
use x509_cert::Certificate;

use super::keys::{self, PublicKey};
use super::limits;

/// A parsed certificate and what verification needs from it.
#[derive(Debug)]
pub struct ParsedCert {
    pub der: Vec<u8>,
    pub cert: Certificate,
    tbs_der: Vec<u8>,
    pub key: PublicKey,
    /// Validity in Unix seconds, both ends inclusive.
    pub not_before: i64,
    pub not_after: i64,
    subject_der: Vec<u8>,
    issuer_der: Vec<u8>,
}

fn unix(t: x509_cert::time::Time) -> i64 {
    i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX)
}

impl ParsedCert {
    pub fn from_der(der: &[u8]) -> Result<ParsedCert, String> {
        if der.len() > limits::MAX_CERT_BYTES {
            return Err("certificate is too large".into());
        }
        let cert =
            Certificate::from_der(der).map_err(|e| format!("certificate does not parse: {e}"))?;
        // Only canonical DER: the bytes signed and the bytes logged are the
        // bytes compared.
        if cert.to_der().ok().as_deref() != Some(der) {
            return Err("certificate is not canonical DER".into());
        }
        if cert.tbs_certificate.signature != cert.signature_algorithm {
            return Err("certificate signature algorithms disagree".into());
        }
        let tbs_der = cert.tbs_certificate.to_der().map_err(|e| e.to_string())?;
        let spki_der = cert
            .tbs_certificate
            .subject_public_key_info
            .to_der()
            .map_err(|e| e.to_string())?;
        let key = PublicKey::from_spki_der(&spki_der)?;
        let validity = cert.tbs_certificate.validity;
        let subject_der = cert
            .tbs_certificate
            .subject
            .to_der()
            .map_err(|e| e.to_string())?;
        let issuer_der = cert
            .tbs_certificate
            .issuer
            .to_der()
            .map_err(|e| e.to_string())?;
        if let Some(exts) = &cert.tbs_certificate.extensions {
            let mut seen: Vec<&ObjectIdentifier> = Vec::with_capacity(exts.len());
            for ext in exts {
                if seen.contains(&&ext.extn_id) {
                    return Err(format!("certificate repeats extension {}", ext.extn_id));
                }
                seen.push(&ext.extn_id);
            }
        }
        Ok(ParsedCert {
            der: der.to_vec(),
            not_before: unix(validity.not_before),
            not_after: unix(validity.not_after),
            cert,
            tbs_der,
            key,
            subject_der,
            issuer_der,
        })
    }

    pub fn valid_at(&self, t: i64) -> bool {
        self.not_before <= t && t <= self.not_after
    }

    fn extension(&self, oid: &ObjectIdentifier) -> Option<&Extension> {
        self.cert
            .tbs_certificate
            .extensions
            .as_ref()?
            .iter()
            .find(|e| &e.extn_id == oid)
    }

    fn extensions(&self) -> &[Extension] {
        self.cert
            .tbs_certificate
            .extensions
            .as_deref()
            .unwrap_or(&[])
    }

    fn decode_ext<'a, T: Decode<'a>>(
        &'a self,
        oid: &ObjectIdentifier,
    ) -> Result<Option<T>, String> {
        match self.extension(oid) {
            None => Ok(None),
            Some(e) => T::from_der(e.extn_value.as_bytes())
                .map(Some)
                .map_err(|_| format!("certificate extension {oid} does not parse")),
        }
    }

    /// Whether `issuer` signed this certificate (names chain, signature
    /// verifies with the issuer's key).
    pub fn issued_by(&self, issuer: &ParsedCert) -> bool {
        if self.issuer_der != issuer.subject_der {
            return false;
        }
        let Some((hash, pss)) = keys::x509_signature_algorithm(&self.cert.signature_algorithm.oid)
        else {
            return false;
        };
        let Some(sig) = self.cert.signature.as_bytes() else {
            return false;
        };
        issuer.key.verify_with(hash, pss, &self.tbs_der, sig)
    }

    /// A CA able to issue certificates: basicConstraints cA and, when key
    /// usage is present, keyCertSign.
    pub fn is_ca(&self) -> bool {
        let bc: Option<BasicConstraints> = self
            .decode_ext(&rfc5280::ID_CE_BASIC_CONSTRAINTS)
            .ok()
            .flatten();
        let ku: Result<Option<KeyUsage>, _> = self.decode_ext(&rfc5280::ID_CE_KEY_USAGE);
        bc.is_some_and(|b| b.ca) && matches!(ku, Ok(None) | Ok(Some(KeyUsage(_)))) && {
            match ku {
                Ok(Some(k)) => k.key_cert_sign(),
                _ => true,
            }
        }
    }

    /// Sigstore's leaf profile: not a CA, digitalSignature, codeSigning EKU,
    /// no precertificate poison, no critical extension we do not check.
    pub fn check_leaf_profile(&self) -> Result<(), String> {
        let bc: Option<BasicConstraints> = self.decode_ext(&rfc5280::ID_CE_BASIC_CONSTRAINTS)?;
        if bc.is_some_and(|b| b.ca) {
            return Err("signing certificate is a CA".into());
        }
        let ku: Option<KeyUsage> = self.decode_ext(&rfc5280::ID_CE_KEY_USAGE)?;
        if !ku.is_some_and(|k| k.digital_signature()) {
            return Err("signing certificate key usage lacks digitalSignature".into());
        }
        let eku: Option<ExtendedKeyUsage> = self.decode_ext(&rfc5280::ID_CE_EXT_KEY_USAGE)?;
        if !eku.is_some_and(|e| e.0.contains(&rfc5280::ID_KP_CODE_SIGNING)) {
            return Err("signing certificate extended key usage lacks codeSigning".into());
        }
        if self.extension(&rfc6962::CT_PRECERT_POISON).is_some() {
            return Err("signing certificate is a precertificate".into());
        }
        const UNDERSTOOD: [ObjectIdentifier; 4] = [
            rfc5280::ID_CE_BASIC_CONSTRAINTS,
            rfc5280::ID_CE_KEY_USAGE,
            rfc5280::ID_CE_EXT_KEY_USAGE,
            rfc5280::ID_CE_SUBJECT_ALT_NAME,
        ];
        for ext in self.extensions() {
            if ext.critical && !UNDERSTOOD.contains(&ext.extn_id) {
                return Err(format!(
                    "signing certificate has unknown critical extension {}",
                    ext.extn_id
                ));
            }
        }
        Ok(())
    }

    /// Every SAN value that can be an identity: URIs, emails and Fulcio's
    /// username otherName.
    pub fn san_identities(&self) -> Result<Vec<String>, String> {
        let Some(san) = self.decode_ext::<SubjectAltName>(&rfc5280::ID_CE_SUBJECT_ALT_NAME)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for name in san.0 {
            match name {
                GeneralName::UniformResourceIdentifier(s) | GeneralName::Rfc822Name(s) => {
                    out.push(s.to_string())
                }
                GeneralName::OtherName(other) if other.type_id == FULCIO_USERNAME => {
                    if let Ok(s) = other.value.decode_as::<Utf8StringRef>() {
                        out.push(s.to_string());
                    }
                }
                _ => {}
            }
        }
        Ok(out)
    }

    /// Fulcio's extensions (OID arc 1.3.6.1.4.1.57264.1) by name, values as
    /// strings. The legacy arcs .1-.6 hold raw UTF-8, the rest DER strings.
    pub fn fulcio_extensions(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for ext in self.extensions() {
            let Some(arc) = fulcio_arc(&ext.extn_id) else {
                continue;
            };
            let raw = ext.extn_value.as_bytes();
            let value = if arc <= 6 {
                std::str::from_utf8(raw).ok().map(str::to_owned)
            } else {
                Utf8StringRef::from_der(raw)
                    .map(|s| s.to_string())
                    .or_else(|_| Ia5StringRef::from_der(raw).map(|s| s.to_string()))
                    .ok()
            };
            if let Some(value) = value {
                out.push((
                    fulcio_name(arc).map_or_else(|| ext.extn_id.to_string(), str::to_owned),
                    value,
                ));
            }
        }
        out
    }

    /// The OIDC issuer: the v2 extension (.8), else the legacy one (.1).
    pub fn oidc_issuer(&self) -> Option<String> {
        let exts = self.fulcio_extensions();
        let find = |name: &str| exts.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        find("issuer").or_else(|| find("issuer_v1"))
    }

    /// Whether the certificate names `issuer` as its OIDC issuer: at least
    /// one issuer extension, and every one present (.8 and the legacy .1,
    /// which verifiers differ in reading) equal to it.
    pub fn has_oidc_issuer(&self, issuer: &str) -> bool {
        let exts = self.fulcio_extensions();
        let found: Vec<&str> = exts
            .iter()
            .filter(|(k, _)| k == "issuer" || k == "issuer_v1")
            .map(|(_, v)| v.as_str())
            .collect();
        !found.is_empty()
            && found
                .iter()
                .all(|v| crate::crypto::compare::secure_compare(v.as_bytes(), issuer.as_bytes()))
    }

    /// The embedded SCT list extension's value (DER OCTET STRING).
    pub fn sct_list(&self) -> Option<&[u8]> {
        Some(
            self.extension(&rfc6962::CT_PRECERT_SCTS)?
                .extn_value
                .as_bytes(),
        )
    }

    /// The precertificate TBS a CT log signed: this TBS without the SCT
    /// list extension (RFC 6962 section 3.2).
    pub fn precert_tbs(&self) -> Result<Vec<u8>, String> {
        let mut tbs = self.cert.tbs_certificate.clone();
        if let Some(exts) = tbs.extensions.as_mut() {
            exts.retain(|e| e.extn_id != rfc6962::CT_PRECERT_SCTS);
        }
        tbs.to_der().map_err(|e| e.to_string())
    }
}

const FULCIO_USERNAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.1.7");
const FULCIO_ARC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.1");

fn fulcio_arc(oid: &ObjectIdentifier) -> Option<u32> {
    let parent = oid.parent()?;
    if parent != FULCIO_ARC {
        return None;
    }
    oid.arcs().last()
}

/// Names as Fulcio's OID registry (docs/oid-info.md) spells them, in snake
/// case; GitLab fills them from its ID token (`build_config_uri` is its
/// `ci_config_ref_uri` claim).
fn fulcio_name(arc: u32) -> Option<&'static str> {
    Some(match arc {
        1 => "issuer_v1",
        2 => "github_workflow_trigger",
        3 => "github_workflow_sha",
        4 => "github_workflow_name",
        5 => "github_workflow_repository",
        6 => "github_workflow_ref",
        8 => "issuer",
        9 => "build_signer_uri",
        10 => "build_signer_digest",
        11 => "runner_environment",
        12 => "source_repository_uri",
        13 => "source_repository_digest",
        14 => "source_repository_ref",
        15 => "source_repository_identifier",
        16 => "source_repository_owner_uri",
        17 => "source_repository_owner_identifier",
        18 => "build_config_uri",
        19 => "build_config_digest",
        20 => "build_trigger",
        21 => "run_invocation_uri",
        22 => "source_repository_visibility_at_signing",
        _ => return None,
    })
}
