//! PKCS#11 tokens and HSMs (feature `pkcs11`, through the `cryptoki` crate).
//!
//! - One PKCS#11 context per module per process (C_Initialize once), shared by every user.
//! - The PIN state (count low, final try, locked) is read before every login, and kyso refuses
//!   to try a PIN on a token at its final try unless the caller forces it: a wrong PIN typed
//!   into kyso must never lock a user's token.
//! - Private keys are paired with their certificates by CKA_ID, then by public key.
//! - [`TokenSigner`] implements the [`Signer`] trait, so CAdES signing
//!   works on a token unchanged. The PIN lives in a zeroizing type that never prints.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as PkError, RvError};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;
use zeroize::Zeroizing;

use crate::cert::Certificate;
use crate::crypto::{self, Curve, HashAlgorithm, PublicKey, SignatureAlgorithm};
use crate::sign::{SignError, Signer};
use crate::vn::Identity;

pub use crate::error::TokenError;

fn pk(during: &'static str) -> impl Fn(PkError) -> TokenError {
    move |e| match e {
        PkError::Pkcs11(
            RvError::TokenNotPresent | RvError::DeviceRemoved | RvError::SessionHandleInvalid | RvError::SessionClosed,
            _,
        ) => TokenError::TokenRemoved,
        PkError::Pkcs11(RvError::PinLocked, _) => TokenError::PinLocked,
        other => TokenError::Pkcs11 {
            during,
            reason: other.to_string(),
        },
    }
}

/// A PIN: zeroized when dropped, never shown by `Debug`.
pub struct Pin(Zeroizing<String>);

impl Pin {
    /// A PIN from its text.
    pub fn new(pin: impl Into<String>) -> Pin {
        Pin(Zeroizing::new(pin.into()))
    }
}

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin(***)")
    }
}

/// What the token says about its user PIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PinState {
    /// Nothing to report.
    Ok,
    /// A wrong PIN was entered since the last good one (CKF_USER_PIN_COUNT_LOW).
    CountLow,
    /// One more wrong PIN locks it (CKF_USER_PIN_FINAL_TRY).
    FinalTry,
    /// Locked (CKF_USER_PIN_LOCKED).
    Locked,
    /// The user PIN was never set.
    NotInitialized,
}

impl PinState {
    /// From the token flags, most serious first.
    pub fn from_flags(initialized: bool, locked: bool, final_try: bool, count_low: bool) -> PinState {
        if !initialized {
            PinState::NotInitialized
        } else if locked {
            PinState::Locked
        } else if final_try {
            PinState::FinalTry
        } else if count_low {
            PinState::CountLow
        } else {
            PinState::Ok
        }
    }

    /// Whether kyso may try a PIN in this state (`force`: the caller accepts the risk of the
    /// final try).
    pub fn may_try(self, force: bool) -> Result<(), TokenError> {
        match self {
            PinState::Locked => Err(TokenError::PinLocked),
            PinState::FinalTry if !force => Err(TokenError::PinFinalTry),
            _ => Ok(()),
        }
    }
}

/// A token in a slot.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TokenInfo {
    /// The slot number.
    pub slot: u64,
    /// Token label.
    pub label: String,
    /// Serial number.
    pub serial: String,
    /// Manufacturer.
    pub manufacturer: String,
    /// Model.
    pub model: String,
    /// The user PIN's state.
    pub pin_state: PinState,
    /// Whether a login is needed to use its keys.
    pub login_required: bool,
    /// The token's other flags that matter to a signer, by name: `rng`, `write_protected`,
    /// `protected_authentication_path` (PIN pad), `token_initialized`,
    /// `user_pin_to_be_changed`, `so_pin_locked`.
    pub flags: Vec<&'static str>,
}

/// A private key and its certificate on a token.
#[derive(Debug, Clone, serde::Serialize)]
pub struct KeyPair {
    /// CKA_ID, hex.
    pub id: String,
    /// CKA_LABEL of the key.
    pub label: String,
    /// The certificate's subject.
    pub subject: Option<String>,
    /// The certificate's identity (MST, CCCD…).
    pub identity: Option<Identity>,
    /// The hierarchy the certificate chains to in the Vietnamese bundle, if any.
    pub hierarchy: Option<String>,
    /// The certificate's SHA-256.
    pub sha256: Option<String>,
    /// `RSA-2048`, `EC P-256`…
    pub key: String,
    #[serde(skip)]
    certificate: Option<Certificate>,
    #[serde(skip)]
    handle: Option<ObjectHandle>,
}

/// A loaded PKCS#11 module.
#[derive(Clone)]
pub struct Module {
    path: PathBuf,
    ctx: Arc<Pkcs11>,
}

impl std::fmt::Debug for Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Module").field("path", &self.path).finish()
    }
}

fn registry() -> &'static Mutex<HashMap<PathBuf, Arc<Pkcs11>>> {
    static R: OnceLock<Mutex<HashMap<PathBuf, Arc<Pkcs11>>>> = OnceLock::new();
    R.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Module file names Vietnamese CAs and common tokens ship (VIETNAM-PKI.md), plus SoftHSM2
/// and OpenSC.
pub const KNOWN_MODULES: &[&str] = &[
    "libsofthsm2.so",
    "opensc-pkcs11.so",
    "libeTPkcs11.so",
    "libeToken.so",
    "libcastle.so.1.0.0",
    "libshuttle_p11v220.so.1.0.0",
    "vnpt-ca_csp11.so",
    "viettel-ca_v5.so",
    "fptca_v4.so",
    "libBkavCA.so",
    "libCA2_csp11.so",
    "libbit4ipki.so",
    "libbit4xpki.so",
    "libeps2003csp11.so",
    "vnpt-ca_csp11.dll",
    "viettel-ca_v5.dll",
    "BkavCA.dll",
    "CA2_csp11.dll",
    "eTPKCS11.dll",
    "eps2003csp11.dll",
    "bit4ipki.dll",
    "softhsm2-x64.dll",
    "opensc-pkcs11.dll",
];

/// Folders searched for modules.
pub const MODULE_DIRS: &[&str] = &[
    "/usr/lib",
    "/usr/lib64",
    "/usr/local/lib",
    "/usr/lib/x86_64-linux-gnu",
    "/usr/lib/softhsm",
    "/usr/lib/x86_64-linux-gnu/softhsm",
    "/usr/lib/x86_64-linux-gnu/pkcs11",
    "/usr/local/lib/softhsm",
    "/opt/homebrew/lib",
    "/Library/OpenSC/lib",
    "C:\\Windows\\System32",
];

/// The known modules present on this machine.
pub fn discover() -> Vec<PathBuf> {
    let mut found = Vec::new();
    for dir in MODULE_DIRS {
        for name in KNOWN_MODULES {
            let p = Path::new(dir).join(name);
            if p.is_file() && !found.iter().any(|f: &PathBuf| f.file_name() == p.file_name()) {
                found.push(p);
            }
        }
    }
    found
}

impl Module {
    /// Load (or reuse) the module at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Module, TokenError> {
        let path = path.as_ref().to_path_buf();
        let err = |reason: String| TokenError::Module {
            path: path.display().to_string(),
            reason,
        };
        let mut reg = registry().lock().map_err(|_| err("registry poisoned".into()))?;
        if let Some(ctx) = reg.get(&path) {
            return Ok(Module { path, ctx: ctx.clone() });
        }
        if !path.is_file() {
            return Err(err("no such file".into()));
        }
        let ctx = Pkcs11::new(&path).map_err(|e| err(e.to_string()))?;
        match ctx.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
            Ok(()) => {}
            Err(PkError::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
            Err(e) => return Err(err(e.to_string())),
        }
        let ctx = Arc::new(ctx);
        reg.insert(path.clone(), ctx.clone());
        Ok(Module { path, ctx })
    }

    /// The module's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every token present (a slot whose token does not answer is left out).
    pub fn tokens(&self) -> Result<Vec<TokenInfo>, TokenError> {
        let slots = self.ctx.get_slots_with_token().map_err(pk("listing slots"))?;
        // A slot whose token cannot answer (pulled out between the two calls, or broken) is
        // left out rather than hiding every other token.
        Ok(slots.into_iter().filter_map(|s| self.token_info(s).ok()).collect())
    }

    fn token_info(&self, slot: Slot) -> Result<TokenInfo, TokenError> {
        let t = self.ctx.get_token_info(slot).map_err(pk("reading token info"))?;
        Ok(TokenInfo {
            slot: slot.id(),
            label: t.label().trim().to_string(),
            serial: t.serial_number().trim().to_string(),
            manufacturer: t.manufacturer_id().trim().to_string(),
            model: t.model().trim().to_string(),
            pin_state: PinState::from_flags(
                t.user_pin_initialized(),
                t.user_pin_locked(),
                t.user_pin_final_try(),
                t.user_pin_count_low(),
            ),
            login_required: t.login_required(),
            flags: [
                (t.rng(), "rng"),
                (t.write_protected(), "write_protected"),
                (t.protected_authentication_path(), "protected_authentication_path"),
                (t.token_initialized(), "token_initialized"),
                (t.user_pin_to_be_changed(), "user_pin_to_be_changed"),
                (t.so_pin_locked(), "so_pin_locked"),
            ]
            .into_iter()
            .filter_map(|(on, name)| on.then_some(name))
            .collect(),
        })
    }

    fn slot_for(&self, label: Option<&str>) -> Result<Slot, TokenError> {
        let slots = self.ctx.get_slots_with_token().map_err(pk("listing slots"))?;
        for s in slots {
            let Ok(t) = self.ctx.get_token_info(s) else { continue };
            if label.is_none_or(|l| t.label().trim() == l) {
                return Ok(s);
            }
        }
        Err(TokenError::NoToken {
            label: label.map(str::to_string),
        })
    }

    /// Open a session on the token and log in, after reading its PIN state.
    fn login(&self, slot: Slot, pin: &Pin, force: bool) -> Result<Session, TokenError> {
        let info = self.token_info(slot)?;
        info.pin_state.may_try(force)?;
        let session = self.ctx.open_ro_session(slot).map_err(pk("opening a session"))?;
        if info.login_required {
            let secret = cryptoki::types::AuthPin::from(pin.0.as_str().to_string());
            match session.login(UserType::User, Some(&secret)) {
                Ok(()) | Err(PkError::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => {}
                Err(PkError::Pkcs11(RvError::PinIncorrect | RvError::PinInvalid | RvError::PinLenRange, _)) => {
                    let after = self.token_info(slot).map(|t| t.pin_state).unwrap_or(PinState::Ok);
                    return Err(TokenError::WrongPin {
                        count_low: matches!(after, PinState::CountLow | PinState::FinalTry),
                    });
                }
                Err(e) => return Err(pk("logging in")(e)),
            }
        }
        Ok(session)
    }

    /// The private keys of a token and their certificates (login with `pin` when given; some
    /// tokens show their keys only after login).
    pub fn pairs(&self, label: Option<&str>, pin: Option<&Pin>, force: bool) -> Result<Vec<KeyPair>, TokenError> {
        let slot = self.slot_for(label)?;
        let session = match pin {
            Some(p) => self.login(slot, p, force)?,
            None => self.ctx.open_ro_session(slot).map_err(pk("opening a session"))?,
        };
        // No explicit C_Logout: login state is shared by every session of the application on
        // this token, so logging out here would pull the keys from under a live TokenSigner.
        // The token logs the application out when its last session closes.
        find_pairs(&session)
    }
}

fn attr_bytes(session: &Session, obj: ObjectHandle, t: AttributeType) -> Option<Vec<u8>> {
    session
        .get_attributes(obj, &[t])
        .ok()?
        .into_iter()
        .find_map(|a| match a {
            Attribute::Id(v)
            | Attribute::Value(v)
            | Attribute::Modulus(v)
            | Attribute::PublicExponent(v)
            | Attribute::EcPoint(v) => Some(v),
            Attribute::Label(v) => Some(v),
            _ => None,
        })
}

/// Pair each private key with a certificate: same CKA_ID first, then the same public key.
fn find_pairs(session: &Session) -> Result<Vec<KeyPair>, TokenError> {
    let keys = session
        .find_objects(&[Attribute::Class(ObjectClass::PRIVATE_KEY)])
        .map_err(pk("finding keys"))?;
    let cert_objs = session
        .find_objects(&[Attribute::Class(ObjectClass::CERTIFICATE)])
        .map_err(pk("finding certificates"))?;
    let certs: Vec<(Vec<u8>, Certificate)> = cert_objs
        .into_iter()
        .filter_map(|o| {
            let der = attr_bytes(session, o, AttributeType::Value)?;
            let c = Certificate::from_der(&der).ok()?;
            Some((attr_bytes(session, o, AttributeType::Id).unwrap_or_default(), c))
        })
        .collect();
    let store = crate::trust::TrustStore::vietnam();
    let mut out = Vec::new();
    for k in keys {
        let id = attr_bytes(session, k, AttributeType::Id).unwrap_or_default();
        let label =
            String::from_utf8_lossy(&attr_bytes(session, k, AttributeType::Label).unwrap_or_default()).into_owned();
        let modulus = attr_bytes(session, k, AttributeType::Modulus);
        let cert = certs
            .iter()
            .find(|(cid, _)| !id.is_empty() && *cid == id)
            .or_else(|| {
                certs.iter().find(|(_, c)| match (c.public_key(), &modulus) {
                    (Ok(PublicKey::Rsa(r)), Some(m)) => {
                        let m: Vec<u8> = m.iter().copied().skip_while(|b| *b == 0).collect();
                        r.n == m
                    }
                    _ => false,
                })
            })
            .map(|(_, c)| c.clone());
        out.push(KeyPair {
            id: hex::encode_upper(&id),
            label,
            subject: cert.as_ref().map(|c| c.subject().display()),
            identity: cert.as_ref().map(Identity::of),
            hierarchy: cert
                .as_ref()
                .and_then(|c| store.identify(c, crypto::default_provider()))
                .map(|i| i.hierarchy.id()),
            sha256: cert.as_ref().map(Certificate::sha256_hex),
            key: cert
                .as_ref()
                .and_then(|c| c.public_key().ok().map(PublicKey::describe))
                .unwrap_or_else(|| "unknown".into()),
            certificate: cert,
            handle: Some(k),
        });
    }
    Ok(out)
}

/// How the token is asked to sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// CKM_SHA256_RSA_PKCS (the token hashes).
    RsaHashing,
    /// CKM_RSA_PKCS over a DigestInfo (tokens that cannot hash).
    RsaRaw,
    /// CKM_SHA256_RSA_PKCS_PSS.
    RsaPss,
    /// CKM_ECDSA over the hash; r || s converted to DER.
    Ecdsa(Curve),
}

/// A private key on a token, signing through PKCS#11. The session closes when the signer is
/// dropped; the token logs the application out once its last session is closed.
pub struct TokenSigner {
    session: Mutex<Session>,
    slot: Slot,
    serial: String,
    key: ObjectHandle,
    cert: Certificate,
    mode: Mutex<Mode>,
    alg: SignatureAlgorithm,
    _module: Module,
}

impl std::fmt::Debug for TokenSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSigner")
            .field("certificate", &self.cert.subject().display())
            .finish()
    }
}

impl TokenSigner {
    /// Log in to the token (`label`, or the first one) and pick the key (`key_id`, or the
    /// first key with a certificate). RSA keys sign PKCS#1 v1.5 with SHA-256 (`pss` for
    /// RSA-PSS), EC keys ECDSA with SHA-256/384.
    ///
    /// PKCS#11 login belongs to the process, not the session: while another session of this
    /// process is logged in to the same token, the token does not check `pin` again.
    pub fn open(
        module: &Module,
        label: Option<&str>,
        key_id: Option<&[u8]>,
        pin: &Pin,
        force: bool,
        pss: bool,
    ) -> Result<TokenSigner, TokenError> {
        let slot = module.slot_for(label)?;
        let session = module.login(slot, pin, force)?;
        let pairs = find_pairs(&session)?;
        let want = key_id.map(hex::encode_upper);
        let pair = pairs
            .into_iter()
            .filter(|p| want.as_ref().is_none_or(|w| &p.id == w))
            .find(|p| p.certificate.is_some() || want.is_some())
            .ok_or(TokenError::NoKey)?;
        let cert = pair.certificate.ok_or(TokenError::NoCertificate)?;
        let key = pair.handle.ok_or(TokenError::NoKey)?;
        let (mode, alg) = match cert.public_key() {
            Ok(PublicKey::Rsa(_)) if pss => (
                Mode::RsaPss,
                SignatureAlgorithm::RsaPss {
                    hash: HashAlgorithm::Sha256,
                    mgf1_hash: HashAlgorithm::Sha256,
                    salt_len: 32,
                },
            ),
            Ok(PublicKey::Rsa(_)) => {
                // A token that lists its mechanisms without CKM_SHA256_RSA_PKCS gets the
                // DigestInfo from kyso; the first CKR_MECHANISM_INVALID does the same later.
                let hashes = module
                    .ctx
                    .get_mechanism_list(slot)
                    .map(|l| l.contains(&cryptoki::mechanism::MechanismType::SHA256_RSA_PKCS))
                    .unwrap_or(true);
                let mode = if hashes { Mode::RsaHashing } else { Mode::RsaRaw };
                (
                    mode,
                    SignatureAlgorithm::RsaPkcs1 {
                        hash: HashAlgorithm::Sha256,
                    },
                )
            }
            Ok(PublicKey::Ec { curve, .. }) => {
                let hash = if *curve == Curve::P384 {
                    HashAlgorithm::Sha384
                } else {
                    HashAlgorithm::Sha256
                };
                (Mode::Ecdsa(*curve), SignatureAlgorithm::Ecdsa { hash })
            }
            Err(e) => {
                return Err(TokenError::Pkcs11 {
                    during: "reading the certificate's key",
                    reason: e.to_string(),
                })
            }
        };
        // The key's type must agree with the certificate's.
        let key_type = session
            .get_attributes(key, &[AttributeType::KeyType])
            .ok()
            .and_then(|v| {
                v.into_iter()
                    .find_map(|a| if let Attribute::KeyType(t) = a { Some(t) } else { None })
            });
        let ok = matches!(
            (key_type, mode),
            (Some(KeyType::RSA), Mode::RsaHashing | Mode::RsaRaw | Mode::RsaPss)
                | (Some(KeyType::EC), Mode::Ecdsa(_))
                | (None, _)
        );
        if !ok {
            return Err(TokenError::NoCertificate);
        }
        let serial = module.token_info(slot)?.serial;
        Ok(TokenSigner {
            session: Mutex::new(session),
            slot,
            serial,
            key,
            cert,
            mode: Mutex::new(mode),
            alg,
            _module: module.clone(),
        })
    }

    /// Hash in kyso and ask the token only for CKM_RSA_PKCS over the DigestInfo, for tokens
    /// whose CKM_SHA256_RSA_PKCS is missing or broken (kyso also switches by itself when the
    /// token lists no such mechanism or refuses it). No effect on PSS or EC keys.
    pub fn with_raw_rsa(self) -> TokenSigner {
        if let Ok(mut m) = self.mode.lock() {
            if *m == Mode::RsaHashing {
                *m = Mode::RsaRaw;
            }
        }
        self
    }

    /// Whether the token this signer logged in to is still in its slot.
    fn still_present(&self) -> bool {
        self._module
            .ctx
            .get_token_info(self.slot)
            .is_ok_and(|t| t.token_initialized() && t.serial_number().trim() == self.serial)
    }

    fn sign_with(&self, session: &Session, mode: Mode, data: &[u8]) -> Result<Vec<u8>, PkError> {
        let provider = crypto::default_provider();
        match mode {
            Mode::RsaHashing => session.sign(&Mechanism::Sha256RsaPkcs, self.key, data),
            Mode::RsaRaw => {
                let digest = provider.digest(HashAlgorithm::Sha256, data);
                session.sign(
                    &Mechanism::RsaPkcs,
                    self.key,
                    &crate::crypto::digest_info(HashAlgorithm::Sha256, &digest),
                )
            }
            Mode::RsaPss => {
                use cryptoki::mechanism::rsa::{PkcsMgfType, PkcsPssParams};
                use cryptoki::mechanism::MechanismType;
                let params = PkcsPssParams {
                    hash_alg: MechanismType::SHA256,
                    mgf: PkcsMgfType::MGF1_SHA256,
                    s_len: 32u64.into(),
                };
                session.sign(&Mechanism::Sha256RsaPkcsPss(params), self.key, data)
            }
            Mode::Ecdsa(curve) => {
                let digest = provider.digest(self.alg.hash(), data);
                let raw = session.sign(&Mechanism::Ecdsa, self.key, &digest)?;
                // The token returns r || s; CMS carries the DER Ecdsa-Sig-Value.
                Ok(crate::crypto::ecdsa_p1363_to_der(&raw, curve).unwrap_or(raw))
            }
        }
    }
}

impl Signer for TokenSigner {
    fn certificate(&self) -> &Certificate {
        &self.cert
    }

    fn algorithm(&self) -> SignatureAlgorithm {
        self.alg
    }

    fn sign(&self, data: &[u8]) -> Result<Vec<u8>, SignError> {
        let session = self
            .session
            .lock()
            .map_err(|_| SignError::Signer(crate::sign::SignerFailure::Poisoned))?;
        let mut mode = self
            .mode
            .lock()
            .map_err(|_| SignError::Signer(crate::sign::SignerFailure::Poisoned))?;
        let first = self.sign_with(&session, *mode, data);
        let result = match first {
            // Tokens that cannot hash: CKM_RSA_PKCS over a DigestInfo, remembered.
            Err(PkError::Pkcs11(RvError::MechanismInvalid, _)) if *mode == Mode::RsaHashing => {
                *mode = Mode::RsaRaw;
                self.sign_with(&session, Mode::RsaRaw, data)
            }
            other => other,
        };
        result.map_err(|e| {
            let stale = matches!(
                e,
                PkError::Pkcs11(
                    RvError::ObjectHandleInvalid | RvError::KeyHandleInvalid | RvError::UserNotLoggedIn,
                    _
                )
            );
            let mut err = pk("signing")(e);
            // A key handle that stopped being valid: is the token still the one we logged in to?
            if stale && !self.still_present() {
                err = TokenError::TokenRemoved;
            }
            SignError::Token(err)
        })
    }
}
