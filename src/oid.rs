//! Object identifiers kyso compares against, as their DER content octets.
//!
//! Generated from the dotted forms in the doc comments; comparing bytes avoids
//! decoding an OID on every lookup.

// Hash and signature algorithms (RFC 3279, RFC 4055, RFC 5758, RFC 8017)

/// `1.3.14.3.2.26` — id-sha1.
pub const SHA1: &[u8] = &[0x2b, 0x0e, 0x03, 0x02, 0x1a];
/// `2.16.840.1.101.3.4.2.4` — id-sha224.
pub const SHA224: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04];
/// `2.16.840.1.101.3.4.2.1` — id-sha256.
pub const SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
/// `2.16.840.1.101.3.4.2.2` — id-sha384.
pub const SHA384: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02];
/// `2.16.840.1.101.3.4.2.3` — id-sha512.
pub const SHA512: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03];
/// `1.2.840.113549.1.1.1` — rsaEncryption.
pub const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
/// `1.2.840.113549.1.1.10` — id-RSASSA-PSS.
pub const RSASSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
/// `1.2.840.113549.1.1.8` — id-mgf1.
pub const MGF1: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08];
/// `1.2.840.113549.1.1.5` — sha1WithRSAEncryption.
pub const SHA1_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05];
/// `1.3.14.3.2.29` — sha-1WithRSAEncryption (OIW, seen in old files).
pub const SHA1_WITH_RSA_OIW: &[u8] = &[0x2b, 0x0e, 0x03, 0x02, 0x1d];
/// `1.2.840.113549.1.1.14` — sha224WithRSAEncryption.
pub const SHA224_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0e];
/// `1.2.840.113549.1.1.11` — sha256WithRSAEncryption.
pub const SHA256_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
/// `1.2.840.113549.1.1.12` — sha384WithRSAEncryption.
pub const SHA384_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c];
/// `1.2.840.113549.1.1.13` — sha512WithRSAEncryption.
pub const SHA512_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d];
/// `1.2.840.113549.1.1.4` — md5WithRSAEncryption (never accepted).
pub const MD5_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04];
/// `1.2.840.10045.2.1` — id-ecPublicKey.
pub const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// `1.2.840.10045.3.1.7` — secp256r1 (P-256).
pub const SECP256R1: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
/// `1.3.132.0.34` — secp384r1 (P-384).
pub const SECP384R1: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
/// `1.2.840.10045.4.1` — ecdsa-with-SHA1.
pub const ECDSA_WITH_SHA1: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01];
/// `1.2.840.10045.4.3.1` — ecdsa-with-SHA224.
pub const ECDSA_WITH_SHA224: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x01];
/// `1.2.840.10045.4.3.2` — ecdsa-with-SHA256.
pub const ECDSA_WITH_SHA256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
/// `1.2.840.10045.4.3.3` — ecdsa-with-SHA384.
pub const ECDSA_WITH_SHA384: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03];
/// `1.2.840.10045.4.3.4` — ecdsa-with-SHA512.
pub const ECDSA_WITH_SHA512: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04];

// Certificate extensions (RFC 5280 §4.2)

/// `2.5.29.14` — id-ce-subjectKeyIdentifier.
pub const SUBJECT_KEY_IDENTIFIER: &[u8] = &[0x55, 0x1d, 0x0e];
/// `2.5.29.15` — id-ce-keyUsage.
pub const KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x0f];
/// `2.5.29.17` — id-ce-subjectAltName.
pub const SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1d, 0x11];
/// `2.5.29.18` — id-ce-issuerAltName.
pub const ISSUER_ALT_NAME: &[u8] = &[0x55, 0x1d, 0x12];
/// `2.5.29.19` — id-ce-basicConstraints.
pub const BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x13];
/// `2.5.29.30` — id-ce-nameConstraints.
pub const NAME_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x1e];
/// `2.5.29.31` — id-ce-cRLDistributionPoints.
pub const CRL_DISTRIBUTION_POINTS: &[u8] = &[0x55, 0x1d, 0x1f];
/// `2.5.29.32` — id-ce-certificatePolicies.
pub const CERTIFICATE_POLICIES: &[u8] = &[0x55, 0x1d, 0x20];
/// `2.5.29.32.0` — anyPolicy.
pub const ANY_POLICY: &[u8] = &[0x55, 0x1d, 0x20, 0x00];
/// `2.5.29.33` — id-ce-policyMappings.
pub const POLICY_MAPPINGS: &[u8] = &[0x55, 0x1d, 0x21];
/// `2.5.29.35` — id-ce-authorityKeyIdentifier.
pub const AUTHORITY_KEY_IDENTIFIER: &[u8] = &[0x55, 0x1d, 0x23];
/// `2.5.29.36` — id-ce-policyConstraints.
pub const POLICY_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x24];
/// `2.5.29.37` — id-ce-extKeyUsage.
pub const EXT_KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x25];
/// `2.5.29.46` — id-ce-freshestCRL.
pub const FRESHEST_CRL: &[u8] = &[0x55, 0x1d, 0x2e];
/// `2.5.29.54` — id-ce-inhibitAnyPolicy.
pub const INHIBIT_ANY_POLICY: &[u8] = &[0x55, 0x1d, 0x36];
/// `1.3.6.1.5.5.7.1.1` — id-pe-authorityInfoAccess.
pub const AUTHORITY_INFO_ACCESS: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01];
/// `1.3.6.1.5.5.7.1.11` — id-pe-subjectInfoAccess.
pub const SUBJECT_INFO_ACCESS: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x0b];
/// `1.3.6.1.5.5.7.48.1.5` — id-pkix-ocsp-nocheck.
pub const OCSP_NOCHECK: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x05];

// Access methods and key purposes

/// `1.3.6.1.5.5.7.48.1` — id-ad-ocsp.
pub const AD_OCSP: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01];
/// `1.3.6.1.5.5.7.48.2` — id-ad-caIssuers.
pub const AD_CA_ISSUERS: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02];
/// `1.3.6.1.5.5.7.3.1` — id-kp-serverAuth.
pub const KP_SERVER_AUTH: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01];
/// `1.3.6.1.5.5.7.3.2` — id-kp-clientAuth.
pub const KP_CLIENT_AUTH: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02];
/// `1.3.6.1.5.5.7.3.3` — id-kp-codeSigning.
pub const KP_CODE_SIGNING: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x03];
/// `1.3.6.1.5.5.7.3.4` — id-kp-emailProtection.
pub const KP_EMAIL_PROTECTION: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x04];
/// `1.3.6.1.5.5.7.3.8` — id-kp-timeStamping.
pub const KP_TIME_STAMPING: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08];
/// `1.3.6.1.5.5.7.3.9` — id-kp-OCSPSigning.
pub const KP_OCSP_SIGNING: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x09];
/// `2.5.29.37.0` — anyExtendedKeyUsage.
pub const KP_ANY: &[u8] = &[0x55, 0x1d, 0x25, 0x00];
/// `1.3.6.1.4.1.311.10.3.12` — Microsoft document signing.
pub const KP_MS_DOCUMENT_SIGNING: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x0a, 0x03, 0x0c];

// Name attributes (X.520, RFC 4519, PKCS#9)

/// `2.5.4.3` — CN.
pub const AT_COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];
/// `2.5.4.4` — SN.
pub const AT_SURNAME: &[u8] = &[0x55, 0x04, 0x04];
/// `2.5.4.5` — serialNumber.
pub const AT_SERIAL_NUMBER: &[u8] = &[0x55, 0x04, 0x05];
/// `2.5.4.6` — C.
pub const AT_COUNTRY: &[u8] = &[0x55, 0x04, 0x06];
/// `2.5.4.7` — L.
pub const AT_LOCALITY: &[u8] = &[0x55, 0x04, 0x07];
/// `2.5.4.8` — ST.
pub const AT_STATE: &[u8] = &[0x55, 0x04, 0x08];
/// `2.5.4.9` — street.
pub const AT_STREET: &[u8] = &[0x55, 0x04, 0x09];
/// `2.5.4.10` — O.
pub const AT_ORGANIZATION: &[u8] = &[0x55, 0x04, 0x0a];
/// `2.5.4.11` — OU.
pub const AT_ORGANIZATIONAL_UNIT: &[u8] = &[0x55, 0x04, 0x0b];
/// `2.5.4.12` — title.
pub const AT_TITLE: &[u8] = &[0x55, 0x04, 0x0c];
/// `2.5.4.42` — GN.
pub const AT_GIVEN_NAME: &[u8] = &[0x55, 0x04, 0x2a];
/// `2.5.4.46` — dnQualifier.
pub const AT_DN_QUALIFIER: &[u8] = &[0x55, 0x04, 0x2e];
/// `2.5.4.97` — organizationIdentifier.
pub const AT_ORGANIZATION_IDENTIFIER: &[u8] = &[0x55, 0x04, 0x61];
/// `0.9.2342.19200300.100.1.1` — UID.
pub const AT_UID: &[u8] = &[0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01];
/// `0.9.2342.19200300.100.1.25` — DC.
pub const AT_DOMAIN_COMPONENT: &[u8] = &[0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19];
/// `1.2.840.113549.1.9.1` — emailAddress.
pub const AT_EMAIL: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01];

// CRL and CRL entry extensions (RFC 5280 §5.2, §5.3)

/// `2.5.29.20` — id-ce-cRLNumber.
pub const CRL_NUMBER: &[u8] = &[0x55, 0x1d, 0x14];
/// `2.5.29.21` — id-ce-cRLReasons.
pub const REASON_CODE: &[u8] = &[0x55, 0x1d, 0x15];
/// `2.5.29.23` — id-ce-holdInstructionCode.
pub const HOLD_INSTRUCTION_CODE: &[u8] = &[0x55, 0x1d, 0x17];
/// `2.5.29.24` — id-ce-invalidityDate.
pub const INVALIDITY_DATE: &[u8] = &[0x55, 0x1d, 0x18];
/// `2.5.29.27` — id-ce-deltaCRLIndicator.
pub const DELTA_CRL_INDICATOR: &[u8] = &[0x55, 0x1d, 0x1b];
/// `2.5.29.28` — id-ce-issuingDistributionPoint.
pub const ISSUING_DISTRIBUTION_POINT: &[u8] = &[0x55, 0x1d, 0x1c];
/// `2.5.29.29` — id-ce-certificateIssuer.
pub const CERTIFICATE_ISSUER: &[u8] = &[0x55, 0x1d, 0x1d];

// CMS attributes (RFC 5652 §11, RFC 5035, RFC 3161)

/// `1.2.840.113549.1.9.3` — id-contentType.
pub const AA_CONTENT_TYPE: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x03];
/// `1.2.840.113549.1.9.4` — id-messageDigest.
pub const AA_MESSAGE_DIGEST: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04];
/// `1.2.840.113549.1.9.5` — id-signingTime.
pub const AA_SIGNING_TIME: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x05];
/// `1.2.840.113549.1.9.6` — id-countersignature.
pub const AA_COUNTER_SIGNATURE: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x06];
/// `1.2.840.113549.1.9.16.2.12` — id-aa-signingCertificate.
pub const AA_SIGNING_CERTIFICATE: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x02, 0x0c];
/// `1.2.840.113549.1.9.16.2.47` — id-aa-signingCertificateV2.
pub const AA_SIGNING_CERTIFICATE_V2: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x02, 0x2f];
/// `1.2.840.113549.1.9.16.2.14` — id-aa-signatureTimeStampToken.
pub const AA_TIMESTAMP_TOKEN: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x02, 0x0e];
/// `1.3.6.1.5.5.7.16.2` — id-ri-ocsp-response (RFC 5940).
pub const RI_OCSP_RESPONSE: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x10, 0x02];
/// `1.2.840.113549.1.9.16.1.4` — id-ct-TSTInfo.
pub const CT_TST_INFO: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x04];

// PKCS#7 / CMS content types (RFC 5652)

/// `1.2.840.113549.1.7.1` — id-data.
pub const CT_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
/// `1.2.840.113549.1.7.2` — id-signedData.
pub const CT_SIGNED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];

/// Short name for an OID kyso knows (`CN`, `id-ce-keyUsage`, `sha256WithRSAEncryption`, …).
pub fn name(oid: &[u8]) -> Option<&'static str> {
    // Name attribute types (2.5.4.x) are looked up for every RDN a report shows: answer them
    // without scanning the whole table.
    if let [0x55, 0x04, _] = oid {
        return ATTRIBUTE_TYPES
            .iter()
            .find(|(bytes, _)| *bytes == oid)
            .map(|(_, name)| *name);
    }
    KNOWN.iter().find(|(bytes, _)| *bytes == oid).map(|(_, name)| *name)
}

/// The 2.5.4.x entries of [`KNOWN`].
const ATTRIBUTE_TYPES: &[(&[u8], &str)] = &[
    (AT_COMMON_NAME, "CN"),
    (AT_COUNTRY, "C"),
    (AT_ORGANIZATION, "O"),
    (AT_ORGANIZATIONAL_UNIT, "OU"),
    (AT_LOCALITY, "L"),
    (AT_STATE, "ST"),
    (AT_SURNAME, "SN"),
    (AT_SERIAL_NUMBER, "serialNumber"),
    (AT_STREET, "street"),
    (AT_TITLE, "title"),
    (AT_GIVEN_NAME, "GN"),
    (AT_DN_QUALIFIER, "dnQualifier"),
    (AT_ORGANIZATION_IDENTIFIER, "organizationIdentifier"),
];

const KNOWN: &[(&[u8], &str)] = &[
    (AA_CONTENT_TYPE, "id-contentType"),
    (AA_MESSAGE_DIGEST, "id-messageDigest"),
    (AA_SIGNING_TIME, "id-signingTime"),
    (AA_COUNTER_SIGNATURE, "id-countersignature"),
    (AA_SIGNING_CERTIFICATE, "id-aa-signingCertificate"),
    (AA_SIGNING_CERTIFICATE_V2, "id-aa-signingCertificateV2"),
    (AA_TIMESTAMP_TOKEN, "id-aa-signatureTimeStampToken"),
    (CT_TST_INFO, "id-ct-TSTInfo"),
    (CRL_NUMBER, "id-ce-cRLNumber"),
    (REASON_CODE, "id-ce-cRLReasons"),
    (HOLD_INSTRUCTION_CODE, "id-ce-holdInstructionCode"),
    (INVALIDITY_DATE, "id-ce-invalidityDate"),
    (DELTA_CRL_INDICATOR, "id-ce-deltaCRLIndicator"),
    (ISSUING_DISTRIBUTION_POINT, "id-ce-issuingDistributionPoint"),
    (CERTIFICATE_ISSUER, "id-ce-certificateIssuer"),
    (SHA1, "id-sha1"),
    (SHA224, "id-sha224"),
    (SHA256, "id-sha256"),
    (SHA384, "id-sha384"),
    (SHA512, "id-sha512"),
    (RSA_ENCRYPTION, "rsaEncryption"),
    (RSASSA_PSS, "id-RSASSA-PSS"),
    (MGF1, "id-mgf1"),
    (SHA1_WITH_RSA, "sha1WithRSAEncryption"),
    (SHA1_WITH_RSA_OIW, "sha-1WithRSAEncryption"),
    (SHA224_WITH_RSA, "sha224WithRSAEncryption"),
    (SHA256_WITH_RSA, "sha256WithRSAEncryption"),
    (SHA384_WITH_RSA, "sha384WithRSAEncryption"),
    (SHA512_WITH_RSA, "sha512WithRSAEncryption"),
    (MD5_WITH_RSA, "md5WithRSAEncryption"),
    (EC_PUBLIC_KEY, "id-ecPublicKey"),
    (SECP256R1, "secp256r1"),
    (SECP384R1, "secp384r1"),
    (ECDSA_WITH_SHA1, "ecdsa-with-SHA1"),
    (ECDSA_WITH_SHA224, "ecdsa-with-SHA224"),
    (ECDSA_WITH_SHA256, "ecdsa-with-SHA256"),
    (ECDSA_WITH_SHA384, "ecdsa-with-SHA384"),
    (ECDSA_WITH_SHA512, "ecdsa-with-SHA512"),
    (SUBJECT_KEY_IDENTIFIER, "id-ce-subjectKeyIdentifier"),
    (KEY_USAGE, "id-ce-keyUsage"),
    (SUBJECT_ALT_NAME, "id-ce-subjectAltName"),
    (ISSUER_ALT_NAME, "id-ce-issuerAltName"),
    (BASIC_CONSTRAINTS, "id-ce-basicConstraints"),
    (NAME_CONSTRAINTS, "id-ce-nameConstraints"),
    (CRL_DISTRIBUTION_POINTS, "id-ce-cRLDistributionPoints"),
    (CERTIFICATE_POLICIES, "id-ce-certificatePolicies"),
    (ANY_POLICY, "anyPolicy"),
    (POLICY_MAPPINGS, "id-ce-policyMappings"),
    (AUTHORITY_KEY_IDENTIFIER, "id-ce-authorityKeyIdentifier"),
    (POLICY_CONSTRAINTS, "id-ce-policyConstraints"),
    (EXT_KEY_USAGE, "id-ce-extKeyUsage"),
    (FRESHEST_CRL, "id-ce-freshestCRL"),
    (INHIBIT_ANY_POLICY, "id-ce-inhibitAnyPolicy"),
    (AUTHORITY_INFO_ACCESS, "id-pe-authorityInfoAccess"),
    (SUBJECT_INFO_ACCESS, "id-pe-subjectInfoAccess"),
    (OCSP_NOCHECK, "id-pkix-ocsp-nocheck"),
    (AD_OCSP, "id-ad-ocsp"),
    (AD_CA_ISSUERS, "id-ad-caIssuers"),
    (KP_SERVER_AUTH, "id-kp-serverAuth"),
    (KP_CLIENT_AUTH, "id-kp-clientAuth"),
    (KP_CODE_SIGNING, "id-kp-codeSigning"),
    (KP_EMAIL_PROTECTION, "id-kp-emailProtection"),
    (KP_TIME_STAMPING, "id-kp-timeStamping"),
    (KP_OCSP_SIGNING, "id-kp-OCSPSigning"),
    (KP_ANY, "anyExtendedKeyUsage"),
    (KP_MS_DOCUMENT_SIGNING, "Microsoft document signing"),
    (AT_COMMON_NAME, "CN"),
    (AT_SURNAME, "SN"),
    (AT_SERIAL_NUMBER, "serialNumber"),
    (AT_COUNTRY, "C"),
    (AT_LOCALITY, "L"),
    (AT_STATE, "ST"),
    (AT_STREET, "street"),
    (AT_ORGANIZATION, "O"),
    (AT_ORGANIZATIONAL_UNIT, "OU"),
    (AT_TITLE, "title"),
    (AT_GIVEN_NAME, "GN"),
    (AT_DN_QUALIFIER, "dnQualifier"),
    (AT_ORGANIZATION_IDENTIFIER, "organizationIdentifier"),
    (AT_UID, "UID"),
    (AT_DOMAIN_COMPONENT, "DC"),
    (AT_EMAIL, "emailAddress"),
    (CT_DATA, "id-data"),
    (CT_SIGNED_DATA, "id-signedData"),
];

/// An object identifier as it was encoded (its DER content octets), shown in dotted form.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Oid(Vec<u8>);

impl Oid {
    /// An OID from its DER content octets (without tag and length).
    pub fn from_der_contents(bytes: &[u8]) -> Self {
        Oid(bytes.to_vec())
    }

    /// The OID kyso knows by this short name ([`Oid::name`]), compared ignoring ASCII case:
    /// `id-kp-timeStamping`, `CN`, `sha256WithRSAEncryption`.
    pub fn from_name(name: &str) -> Option<Self> {
        KNOWN
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(name))
            .map(|(bytes, _)| Oid::from_der_contents(bytes))
    }

    /// Parse the dotted form (`2.16.704.1.1.1.1.1`). Returns `None` when it is not an OID.
    pub fn from_dotted(text: &str) -> Option<Self> {
        let arcs: Vec<u64> = text.split('.').map(|a| a.parse::<u64>().ok()).collect::<Option<_>>()?;
        let (first, second) = (*arcs.first()?, *arcs.get(1)?);
        if first > 2 || (first < 2 && second >= 40) {
            return None;
        }
        let mut out = Vec::new();
        let head = first.checked_mul(40)?.checked_add(second)?;
        for arc in std::iter::once(head).chain(arcs.iter().skip(2).copied()) {
            let mut groups = vec![(arc & 0x7F) as u8];
            let mut v = arc >> 7;
            while v > 0 {
                groups.push(0x80 | (v & 0x7F) as u8);
                v >>= 7;
            }
            out.extend(groups.iter().rev());
        }
        Some(Oid(out))
    }

    /// The DER content octets.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The short name kyso knows for this OID, if any.
    pub fn name(&self) -> Option<&'static str> {
        name(&self.0)
    }

    /// The dotted form.
    pub fn dotted(&self) -> String {
        dotted(&self.0)
    }
}

/// The dotted form of DER OID content octets (`?` for a malformed encoding).
pub fn dotted(bytes: &[u8]) -> String {
    let mut arcs: Vec<u128> = Vec::new();
    let mut acc: u128 = 0;
    for (i, b) in bytes.iter().enumerate() {
        acc = match acc.checked_mul(128) {
            Some(v) => v | u128::from(b & 0x7F),
            None => return "?".into(),
        };
        if b & 0x80 == 0 {
            if arcs.is_empty() {
                let (first, second) = if acc < 40 {
                    (0, acc)
                } else if acc < 80 {
                    (1, acc - 40)
                } else {
                    (2, acc - 80)
                };
                arcs.push(first);
                arcs.push(second);
            } else {
                arcs.push(acc);
            }
            acc = 0;
        } else if i + 1 == bytes.len() {
            return "?".into();
        }
    }
    arcs.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(".")
}

impl std::fmt::Display for Oid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.dotted())
    }
}

impl std::fmt::Debug for Oid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.name() {
            Some(n) => write!(f, "{} ({n})", self.dotted()),
            None => f.write_str(&self.dotted()),
        }
    }
}

impl serde::Serialize for Oid {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.dotted())
    }
}

impl PartialEq<&[u8]> for Oid {
    fn eq(&self, other: &&[u8]) -> bool {
        self.0 == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_round_trip() {
        for d in [
            "2.16.704.1.1.1.1.1",
            "0.9.2342.19200300.100.1.1",
            "1.3.6.1.4.1.30339.1.1",
            "2.5.29.32.0",
        ] {
            let oid = Oid::from_dotted(d).unwrap();
            assert_eq!(oid.dotted(), d);
        }
        assert_eq!(Oid::from_dotted("0.9.2342.19200300.100.1.1").unwrap(), AT_UID);
        assert_eq!(dotted(ANY_POLICY), "2.5.29.32.0");
        assert!(Oid::from_dotted("3.1").is_none());
        assert!(Oid::from_dotted("1.x").is_none());
        assert_eq!(dotted(&[0x2a, 0x86]), "?");
    }
}
