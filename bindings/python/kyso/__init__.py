"""kyso: verify and make digital signatures across Vietnam's two PKI hierarchies.

A ctypes binding over libkyso (the C API in ffi/include/kyso.h). The wheel that
``pip install ./bindings/python`` builds (maturin) carries the library, in ``kyso/_native``;
the KYSO_LIBRARY environment variable points elsewhere (a development build), and without
either the system's loader looks for ``libkyso.so`` / ``libkyso.dylib`` / ``kyso.dll``.
ctypes releases the GIL during every call into the library, so threads verify in parallel.
Inputs are ``bytes`` (or any buffer), a ``pathlib.Path`` (or other path object) to read, or a
binary file object.
"""

import ctypes
import ctypes.util
import json
import os
import sys

# The release this package belongs to: the crate's and libkyso's version (tests/versions.rs).
__version__ = "0.1.0"

__all__ = [
    "TrustStore", "Report", "verify_cms", "verify_chain", "sign_cms_pkcs12", "sign_cms_pkcs11",
    "version", "Verifier", "KysoError", "NullPointer", "InvalidArgument", "BadInput", "BadSignature",
    "ContentMissing", "WrongPassword", "KeyError_", "CertificateRefused", "SignerError",
    "Pkcs11ModuleError", "NoToken", "WrongPin", "PinLocked", "PinFinalTry", "NoKey",
    "TokenRemoved", "Pkcs11Error", "IoError", "InternalError", "Unsupported", "TimestampError",
    "GOVERNMENT", "PUBLIC", "CUSTOM", "HARD_FAIL", "NO_REVOCATION", "LEGACY", "ONLINE", "STRICT",
    "auth_challenge", "Authenticator", "Login", "auth_respond_pkcs12", "auth_respond_pkcs11",
]

# Hierarchies, verify flags and verdicts: the numbers of kyso.h.
GOVERNMENT, PUBLIC, CUSTOM = 1, 2, 3
HARD_FAIL, NO_REVOCATION, LEGACY, ONLINE, STRICT = 1, 2, 4, 8, 16
_SIGN_DETACHED, _SIGN_PSS, _SIGN_FORCE = 1, 2, 4
_VERDICTS = {0: "valid", 1: "invalid", 2: "indeterminate"}
# Login refusals (KYSO_AUTH_*) and response forms (KYSO_AUTH_FORM_*).
_REFUSALS = {0: None, 1: "wrong_audience", 2: "expired", 3: "replayed", 4: "other_challenge",
             5: "bad_signature", 6: "key_usage", 7: "certificate_refused"}
_FORMS = {"raw": 1, "cms": 2, "jws": 3}


class KysoError(Exception):
    """A libkyso call failed. ``code`` is the KYSO_ERR_* number, ``detail`` the library's."""

    code = None

    def __init__(self, code, detail):
        super().__init__(detail or _message(code))
        self.code = code
        self.detail = detail


def _error(name, code, doc):
    cls = type(name, (KysoError,), {"__doc__": doc})
    cls.code = code
    return cls


NullPointer = _error("NullPointer", 1, "A required value was missing.")
InvalidArgument = _error("InvalidArgument", 2, "An argument is out of range.")
BadInput = _error("BadInput", 3, "Certificate input that cannot be read.")
BadSignature = _error("BadSignature", 4, "Not a well-formed CMS SignedData.")
ContentMissing = _error("ContentMissing", 5, "A detached signature was given no content.")
WrongPassword = _error("WrongPassword", 7, "The PKCS#12 password is wrong.")
KeyError_ = _error("KeyError_", 8, "The key cannot be used.")
CertificateRefused = _error("CertificateRefused", 9, "The signer's certificate fails the pre-signing check.")
SignerError = _error("SignerError", 10, "The signer failed.")
Pkcs11ModuleError = _error("Pkcs11ModuleError", 11, "The PKCS#11 module cannot be loaded.")
NoToken = _error("NoToken", 12, "No such token.")
WrongPin = _error("WrongPin", 13, "The token refused the PIN.")
PinLocked = _error("PinLocked", 14, "The PIN is locked.")
PinFinalTry = _error("PinFinalTry", 15, "The token is at its final PIN try; kyso did not try the PIN.")
NoKey = _error("NoKey", 16, "No such key, or no certificate for it, on the token.")
TokenRemoved = _error("TokenRemoved", 17, "The token was removed.")
Pkcs11Error = _error("Pkcs11Error", 18, "Another PKCS#11 error.")
IoError = _error("IoError", 19, "Reading the content failed.")
InternalError = _error("InternalError", 20, "An internal fault in libkyso.")
Unsupported = _error("Unsupported", 21, "A format this version of kyso recognises but does not verify yet.")
TimestampError = _error("TimestampError", 22, "The time-stamping authority failed.")
_BY_CODE = {c.code: c for c in KysoError.__subclasses__()}


def _load():
    path = os.environ.get("KYSO_LIBRARY")
    if not path:
        bundled = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_native", "lib_native.so")
        if os.path.exists(bundled):
            path = bundled
    if not path:
        path = ctypes.util.find_library("kyso") or {
            "darwin": "libkyso.dylib", "win32": "kyso.dll"}.get(sys.platform, "libkyso.so")
    return ctypes.CDLL(path)


_lib = _load()
_u8p = ctypes.POINTER(ctypes.c_uint8)
_size = ctypes.c_size_t
_lib.kyso_version.restype = ctypes.c_char_p
_lib.kyso_version.argtypes = []
for _name in ("kyso_error_message",):
    getattr(_lib, _name).restype = _size
    getattr(_lib, _name).argtypes = [ctypes.c_uint32, ctypes.c_char_p, _size]
_lib.kyso_last_error_message.restype = _size
_lib.kyso_last_error_message.argtypes = [ctypes.c_char_p, _size]
_SIGS = {
    "kyso_trust_store_new": [ctypes.POINTER(ctypes.c_void_p)],
    "kyso_trust_store_new_vietnam": [ctypes.POINTER(ctypes.c_void_p)],
    "kyso_trust_store_add": [ctypes.c_void_p, ctypes.c_char_p, _size, ctypes.c_uint32],
    "kyso_trust_store_add_intermediates": [ctypes.c_void_p, ctypes.c_char_p, _size, ctypes.c_uint32],
    "kyso_verify_chain_ex": [ctypes.c_void_p, ctypes.c_char_p, _size, ctypes.c_char_p, _size,
                             ctypes.c_int64, ctypes.c_uint32, ctypes.POINTER(ctypes.c_void_p)],
    "kyso_verify_cms_ex": [ctypes.c_void_p, ctypes.c_char_p, _size, ctypes.c_char_p, _size,
                           ctypes.c_int64, ctypes.c_uint32, ctypes.POINTER(ctypes.c_void_p)],
    "kyso_verifier_new": [ctypes.c_void_p, ctypes.c_uint32, ctypes.POINTER(ctypes.c_void_p)],
    "kyso_verifier_add_evidence": [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_char_p, _size],
    "kyso_verifier_verify": [ctypes.c_void_p, ctypes.c_char_p, _size, ctypes.c_char_p, _size,
                             ctypes.c_int64, ctypes.POINTER(ctypes.c_void_p)],
    "kyso_verifier_verify_pdf_file": [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int64,
                                      ctypes.POINTER(ctypes.c_void_p)],
    "kyso_verifier_verify_chain": [ctypes.c_void_p, ctypes.c_char_p, _size, ctypes.c_char_p, _size,
                                   ctypes.c_int64, ctypes.POINTER(ctypes.c_void_p)],
    "kyso_report_verdict": [ctypes.c_void_p],
    "kyso_report_json": [ctypes.c_void_p, ctypes.c_char_p, _size, ctypes.POINTER(_size)],
    "kyso_report_validation_json": [ctypes.c_void_p, ctypes.c_char_p, _size, ctypes.POINTER(_size)],
    "kyso_report_text": [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_char_p, _size, ctypes.POINTER(_size)],
    "kyso_sign_cms_pkcs12_ex": [ctypes.c_char_p, _size, ctypes.c_char_p, ctypes.c_char_p, _size,
                                ctypes.c_uint32, ctypes.c_void_p, ctypes.POINTER(_u8p),
                                ctypes.POINTER(_size)],
    "kyso_sign_cms_pkcs11": [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
                             _size, ctypes.c_char_p, _size, ctypes.c_int, ctypes.POINTER(_u8p),
                             ctypes.POINTER(_size)],
    "kyso_auth_challenge": [ctypes.c_char_p, ctypes.c_int64, ctypes.c_char_p, ctypes.c_int64,
                            ctypes.POINTER(_u8p), ctypes.POINTER(_size)],
    "kyso_authenticator_new": [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)],
    "kyso_auth_verify": [ctypes.c_void_p, ctypes.c_char_p, _size, ctypes.c_char_p, _size,
                         ctypes.c_int64, ctypes.POINTER(ctypes.c_void_p)],
    "kyso_auth_result_refusal": [ctypes.c_void_p],
    "kyso_auth_result_json": [ctypes.c_void_p, ctypes.c_char_p, _size, ctypes.POINTER(_size)],
    "kyso_auth_respond_pkcs12": [ctypes.c_char_p, _size, ctypes.c_char_p, _size, ctypes.c_char_p,
                                 ctypes.c_uint32, ctypes.POINTER(_u8p), ctypes.POINTER(_size)],
    "kyso_auth_respond_pkcs11": [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
                                 _size, ctypes.c_char_p, _size, ctypes.c_uint32,
                                 ctypes.POINTER(_u8p), ctypes.POINTER(_size)],
}
for _name, _args in _SIGS.items():
    getattr(_lib, _name).restype = ctypes.c_uint32
    getattr(_lib, _name).argtypes = _args
for _name, _args in {"kyso_trust_store_free": [ctypes.c_void_p],
                     "kyso_verifier_free": [ctypes.c_void_p],
                     "kyso_report_free": [ctypes.c_void_p],
                     "kyso_authenticator_free": [ctypes.c_void_p],
                     "kyso_auth_result_free": [ctypes.c_void_p],
                     "kyso_bytes_free": [_u8p, _size]}.items():
    getattr(_lib, _name).restype = None
    getattr(_lib, _name).argtypes = _args


def _message(code):
    buf = ctypes.create_string_buffer(256)
    _lib.kyso_error_message(code, buf, len(buf))
    return buf.value.decode()


def _check(code):
    if code != 0:
        buf = ctypes.create_string_buffer(1024)
        _lib.kyso_last_error_message(buf, len(buf))
        raise _BY_CODE.get(code, KysoError)(code, buf.value.decode("utf-8", "replace"))


def _bytes(data, what):
    """``data`` as bytes: bytes or a buffer as it is, a path object read, a binary file read."""
    if isinstance(data, str):
        raise TypeError(f"{what} must be bytes, a path object or a binary file, not str "
                        f"(for a file name use pathlib.Path({data!r}))")
    if isinstance(data, os.PathLike):
        with open(data, "rb") as f:
            return f.read()
    read = getattr(data, "read", None)
    if callable(read):
        got = read()
        if isinstance(got, str):
            raise TypeError(f"{what}: the file is open in text mode; open it with 'rb'")
        return bytes(got)
    return bytes(data)


def version():
    """The library's version."""
    return _lib.kyso_version().decode()


class _Handle:
    """A libkyso handle freed by ``_free`` on close, on leaving a ``with`` block, or when
    garbage-collected."""

    _free = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        """Free the handle now (also done when the object is garbage-collected)."""
        if getattr(self, "_handle", None):
            type(self)._free(self._handle)
            self._handle = None

    def __del__(self):
        self.close()


class TrustStore(_Handle):
    """Trusted anchors (and known intermediates) that chains must end at."""

    _free = staticmethod(_lib.kyso_trust_store_free)

    def __init__(self, _vietnam=False):
        handle = ctypes.c_void_p()
        _check((_lib.kyso_trust_store_new_vietnam if _vietnam else _lib.kyso_trust_store_new)(
            ctypes.byref(handle)))
        self._handle = handle

    @classmethod
    def vietnam(cls):
        """Both Vietnamese hierarchies, from the bundle embedded in libkyso (pinned by SHA-256)."""
        return cls(_vietnam=True)

    def add(self, data, hierarchy=CUSTOM):
        """Trust every certificate in ``data`` (DER, PEM, base64 or .p7b) as an anchor."""
        data = _bytes(data, "data")
        _check(_lib.kyso_trust_store_add(self._handle, data, len(data), hierarchy))
        return self

    def add_intermediates(self, data, hierarchy=CUSTOM):
        """Know every certificate in ``data`` as an intermediate: not trusted by itself, used to
        complete paths."""
        data = _bytes(data, "data")
        _check(_lib.kyso_trust_store_add_intermediates(self._handle, data, len(data), hierarchy))
        return self


class Verifier(_Handle):
    """A trust store, a policy and revocation evidence, built once and used for many
    verifications (its store's cache of verified certificate signatures is shared by all of
    them). ``flags`` and ``profile`` as for ``verify_cms``; ``crls`` CRLs (DER or PEM) and
    ``ocsp`` OCSP responses (DER) as bytes, used as revocation evidence by every call."""

    _free = staticmethod(_lib.kyso_verifier_free)

    def __init__(self, store, flags=0, profile="vietnam", crls=(), ocsp=()):
        handle = ctypes.c_void_p()
        _check(_lib.kyso_verifier_new(store._handle, _flags(flags, profile), ctypes.byref(handle)))
        self._handle = handle
        for kind, items in ((1, crls), (2, ocsp)):
            for item in items:
                item = _bytes(item, "evidence")
                _check(_lib.kyso_verifier_add_evidence(self._handle, kind, item, len(item)))

    def verify(self, signature, content=None, at=None):
        """Verify a signed input (CMS / CAdES, XML or PDF: the format is detected);
        ``content`` for a detached signature; ``at`` (datetime or Unix seconds) judges the
        chains then."""
        signature = _bytes(signature, "signature")
        c = _bytes(content, "content") if content is not None else None
        out = ctypes.c_void_p()
        _check(_lib.kyso_verifier_verify(self._handle, signature, len(signature), c,
                                         len(c) if c else 0, _at(at), ctypes.byref(out)))
        return Report(out)

    def verify_pdf_file(self, path, at=None):
        """Verify the PDF file at ``path`` (str or path-like) without holding its large
        streams in memory (they are read back from the file); the report is ``verify``'s on
        the file's bytes."""
        out = ctypes.c_void_p()
        _check(_lib.kyso_verifier_verify_pdf_file(self._handle, os.fsencode(path), _at(at),
                                                  ctypes.byref(out)))
        return Report(out)

    def verify_chain(self, certificate, pool=None, at=None):
        """Validate a certificate's path; ``pool`` bytes of untrusted certificates."""
        certificate = _bytes(certificate, "certificate")
        p = _bytes(pool, "pool") if pool is not None else None
        out = ctypes.c_void_p()
        _check(_lib.kyso_verifier_verify_chain(self._handle, certificate, len(certificate), p,
                                               len(p) if p else 0, _at(at), ctypes.byref(out)))
        return Report(out)



def _challenge_bytes(challenge):
    """A challenge's JSON as the bytes a response signs (str is encoded as UTF-8)."""
    if isinstance(challenge, str):
        return challenge.encode()
    return _bytes(challenge, "challenge")


def auth_challenge(audience, ttl=300, purpose=None, now=None):
    """A login challenge for ``audience`` (the relying party's origin), valid ``ttl`` seconds
    (1 to 3600) from ``now`` (datetime or Unix seconds; default now), with an optional
    ``purpose`` shown to the user. Returns its JSON (str): send it to the user's signing
    software as it is; the response signs exactly these bytes."""
    out, n = _u8p(), _size(0)
    _check(_lib.kyso_auth_challenge(audience.encode(), int(ttl),
                                    purpose.encode() if purpose is not None else None, _at(now),
                                    ctypes.byref(out), ctypes.byref(n)))
    return _take(out, n).decode()


class Login:
    """The outcome of a login: ``accepted``, ``refusal`` (None, or "wrong_audience",
    "expired", "replayed", "other_challenge", "bad_signature", "key_usage",
    "certificate_refused") and the kyso.auth/1 JSON (``to_dict()``, the document of ``kyso
    auth verify --json``): who it is (name, CCCD / MST / CMND / passport, organisation), the
    hierarchy and the CA; or why not."""

    def __init__(self, handle):
        try:
            self.refusal = _REFUSALS.get(_lib.kyso_auth_result_refusal(handle), "certificate_refused")
            needed = _size(0)
            _lib.kyso_auth_result_json(handle, None, 0, ctypes.byref(needed))
            buf = ctypes.create_string_buffer(needed.value)
            _check(_lib.kyso_auth_result_json(handle, buf, needed.value, ctypes.byref(needed)))
            self.json = buf.value.decode()
        finally:
            _lib.kyso_auth_result_free(handle)

    @property
    def accepted(self):
        """True when the response was accepted."""
        return self.refusal is None

    def to_dict(self):
        """The kyso.auth/1 JSON as a dict."""
        return json.loads(self.json)

    def __repr__(self):
        return "<kyso.Login accepted>" if self.accepted else f"<kyso.Login refused: {self.refusal}>"


class Authenticator(_Handle):
    """Checks login responses for one relying party (``audience``) with a ``Verifier`` (trust
    in both hierarchies, policy, evidence); remembers the nonces used, so a challenge logs in
    once."""

    _free = staticmethod(_lib.kyso_authenticator_free)

    def __init__(self, verifier, audience):
        handle = ctypes.c_void_p()
        _check(_lib.kyso_authenticator_new(verifier._handle, audience.encode(), ctypes.byref(handle)))
        self._handle = handle

    def verify(self, challenge, response, at=None):
        """Check ``response`` (raw JSON, CMS or compact JWS; bytes, str or a path) to
        ``challenge`` (its JSON, str or bytes). Returns a ``Login``; raises ``BadInput`` when
        either cannot be read."""
        ch = _challenge_bytes(challenge)
        resp = response.encode() if isinstance(response, str) else _bytes(response, "response")
        out = ctypes.c_void_p()
        _check(_lib.kyso_auth_verify(self._handle, ch, len(ch), resp, len(resp), _at(at),
                                     ctypes.byref(out)))
        return Login(out)



def _form(form):
    if form not in _FORMS:
        raise ValueError(f"form {form!r}: use 'raw', 'cms' or 'jws'")
    return _FORMS[form]


def auth_respond_pkcs12(challenge, p12, password, form="raw"):
    """The client side: ``challenge`` signed with a PKCS#12 file's key in ``form`` ("raw",
    "cms" or "jws"). Returns the response (bytes: text for raw and JWS, DER for CMS)."""
    ch = _challenge_bytes(challenge)
    p12 = _bytes(p12, "p12")
    out, n = _u8p(), _size(0)
    _check(_lib.kyso_auth_respond_pkcs12(ch, len(ch), p12, len(p12),
                                         None if password is None else password.encode(),
                                         _form(form), ctypes.byref(out), ctypes.byref(n)))
    return _take(out, n)


def auth_respond_pkcs11(challenge, pin, form="raw", module=None, token=None, key_id=None):
    """``challenge`` signed on a PKCS#11 token in ``form``; ``module``, ``token`` and
    ``key_id`` as for ``sign_cms_pkcs11``."""
    ch = _challenge_bytes(challenge)
    kid = _bytes(key_id, "key_id") if key_id is not None else None
    out, n = _u8p(), _size(0)
    _check(_lib.kyso_auth_respond_pkcs11(
        module.encode() if module else None, token.encode() if token else None, pin.encode(),
        kid, len(kid) if kid else 0, ch, len(ch), _form(form), ctypes.byref(out), ctypes.byref(n)))
    return _take(out, n)


class Report:
    """A verification result: ``verdict`` ("valid", "invalid", "indeterminate") and the JSON
    report (``to_dict()``), the same document as ``kyso verify --json``."""

    def __init__(self, handle):
        def fetch(fn, *args):
            needed = _size(0)
            fn(handle, *args, None, 0, ctypes.byref(needed))
            buf = ctypes.create_string_buffer(needed.value)
            _check(fn(handle, *args, buf, needed.value, ctypes.byref(needed)))
            return buf.value.decode()

        try:
            self.verdict = _VERDICTS[_lib.kyso_report_verdict(handle)]
            self.json = fetch(_lib.kyso_report_json)
            self.validation_json = fetch(_lib.kyso_report_validation_json)
            self._text = {"en": fetch(_lib.kyso_report_text, 0), "vi": fetch(_lib.kyso_report_text, 1)}
        finally:
            _lib.kyso_report_free(handle)

    def to_dict(self):
        """The report as a dict (schema kyso.report/1, the same document as ``kyso verify
        --json``); the same as ``validation()``."""
        return json.loads(self.json)

    def validation(self):
        """The validation report as a dict (schema kyso.report/1): ``indication``
        (TOTAL_PASSED, TOTAL_FAILED, INDETERMINATE), ``sub_indication``, and per signature
        the signer, managing organisation, issuing CA, hierarchy, signing time, integrity,
        validity at signing time, path, checks, warnings and evidence."""
        return json.loads(self.validation_json)

    def text(self, lang="en"):
        """The report as text for people: ``lang`` "vi" (tiếng Việt) or "en"."""
        if lang not in self._text:
            raise ValueError(f"lang {lang!r}: use 'vi' or 'en'")
        return self._text[lang]

    @property
    def valid(self):
        """True when the verdict is "valid"."""
        return self.verdict == "valid"

    def __repr__(self):
        return f"<kyso.Report {self.verdict}>"


def _at(at):
    if at is None:
        return 0
    if hasattr(at, "timestamp"):
        return int(at.timestamp())
    return int(at)


def _flags(flags, profile):
    if profile not in ("vietnam", "strict"):
        raise ValueError(f"profile {profile!r}: use 'vietnam' or 'strict'")
    return flags | (STRICT if profile == "strict" else 0)


def verify_cms(store, signature, content=None, at=None, flags=0, profile="vietnam"):
    """Verify a CMS / CAdES signature; ``content`` for a detached one. ``at`` (datetime or
    Unix seconds) judges the chains then, instead of at each signing time. ``flags``:
    HARD_FAIL, NO_REVOCATION, LEGACY, ONLINE, STRICT. ``profile``: "vietnam" (the named
    Vietnamese tolerances, the default) or "strict" (RFC 5280 as written)."""
    flags = _flags(flags, profile)
    signature = _bytes(signature, "signature")
    out = ctypes.c_void_p()
    if content is None:
        c, n = None, 0
    else:
        c = _bytes(content, "content")
        n = len(c)
    _check(_lib.kyso_verify_cms_ex(store._handle, signature, len(signature), c, n, _at(at), flags,
                                   ctypes.byref(out)))
    return Report(out)


def verify_chain(store, certificate, pool=None, at=None, flags=0, profile="vietnam"):
    """Validate a certificate's path (RFC 5280); ``pool`` bytes of untrusted certificates;
    ``flags`` and ``profile`` as for ``verify_cms``."""
    flags = _flags(flags, profile)
    certificate = _bytes(certificate, "certificate")
    p = _bytes(pool, "pool") if pool is not None else None
    out = ctypes.c_void_p()
    _check(_lib.kyso_verify_chain_ex(store._handle, certificate, len(certificate), p,
                                     len(p) if p else 0, _at(at), flags, ctypes.byref(out)))
    return Report(out)


def _take(ptr, n):
    try:
        return ctypes.string_at(ptr, n.value)
    finally:
        _lib.kyso_bytes_free(ptr, n)


def sign_cms_pkcs12(p12, password, content, detached=True, pss=False, check=None, force=False):
    """Sign ``content`` as CAdES B-B with a PKCS#12 file's key; returns the DER signature.
    ``check``: a TrustStore the certificate must chain to before signing (``force`` skips)."""
    p12 = _bytes(p12, "p12")
    content = _bytes(content, "content")
    flags = (_SIGN_DETACHED if detached else 0) | (_SIGN_PSS if pss else 0) | (_SIGN_FORCE if force else 0)
    out, n = _u8p(), _size(0)
    pw = None if password is None else password.encode()
    _check(_lib.kyso_sign_cms_pkcs12_ex(p12, len(p12), pw, content, len(content), flags,
                                        check._handle if check else None, ctypes.byref(out),
                                        ctypes.byref(n)))
    return _take(out, n)


def sign_cms_pkcs11(content, pin, module=None, token=None, key_id=None, detached=True):
    """Sign ``content`` as CAdES B-B on a PKCS#11 token; returns the DER signature. ``module``
    defaults to the first known module found, ``token`` to the first token, ``key_id``
    (bytes) to the first key with a certificate."""
    content = _bytes(content, "content")
    kid = _bytes(key_id, "key_id") if key_id is not None else None
    out, n = _u8p(), _size(0)
    _check(_lib.kyso_sign_cms_pkcs11(
        module.encode() if module else None, token.encode() if token else None, pin.encode(),
        kid, len(kid) if kid else 0, content, len(content), 1 if detached else 0,
        ctypes.byref(out), ctypes.byref(n)))
    return _take(out, n)
