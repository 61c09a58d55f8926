package vn.kyso;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;

/**
 * kyso from Java: verify CMS / CAdES, XML (XML-DSig, XAdES, edXML) and PDF (PAdES) signatures
 * across Vietnam's two hierarchies, and sign with a PKCS#12 file or a PKCS#11 token. A binding
 * over libkyso through JNA; the library is found through {@code jna.library.path},
 * {@code LD_LIBRARY_PATH} or inside the jar ({@code linux-x86-64/libkyso.so}).
 */
public final class Kyso {
    /** Missing revocation evidence makes a signature INDETERMINATE (default: a warning). */
    public static final int HARD_FAIL = 1;
    /** Revocation is not checked. */
    public static final int NO_REVOCATION = 2;
    /** SHA-1 and RSA keys under 2048 bits are accepted (old documents). */
    public static final int LEGACY = 4;
    /** CRLs and OCSP responses are fetched over HTTP. */
    public static final int ONLINE = 8;
    /** RFC 5280 as written, without the Vietnamese profile's tolerances. */
    public static final int STRICT = 16;

    /** Sign detached (the default of {@link #signPkcs12(byte[], String, byte[], boolean)}'s flag). */
    public static final int SIGN_DETACHED = 1;
    /** RSASSA-PSS rather than PKCS#1 v1.5. */
    public static final int SIGN_PSS = 2;
    /** Sign even when the certificate fails the pre-signing check. */
    public static final int SIGN_FORCE = 4;

    private Kyso() {
    }

    /** {@code java -cp kyso.jar:jna.jar vn.kyso.Kyso}: print libkyso's version. */
    public static void main(String[] args) {
        System.out.println(version());
    }

    /** libkyso's version (the same as the crate's, the jar's and the Python package's). */
    public static String version() {
        return LibKyso.INSTANCE.kyso_version();
    }

    /** The jar's own version (its manifest's Implementation-Version), null outside the jar. */
    public static String bindingVersion() {
        return Kyso.class.getPackage().getImplementationVersion();
    }

    /**
     * Verify a signature (the format is detected: CMS / CAdES, XML, PDF); {@code content} is the
     * detached content, or null when it is attached. Offline, revocation soft-fail, each chain
     * judged at its signing time.
     */
    public static Report verify(TrustStore store, byte[] signature, byte[] content) {
        return verify(store, signature, content, 0, 0);
    }

    /** {@link #verify(TrustStore, byte[], byte[])} at {@code atUnix} (0: the signing time) with flags. */
    public static Report verify(TrustStore store, byte[] signature, byte[] content, long atUnix, int flags) {
        PointerByReference out = new PointerByReference();
        int rc = store.read(ts -> LibKyso.INSTANCE.kyso_verify_cms_ex(ts, signature,
                new LibKyso.SizeT(signature.length), content, new LibKyso.SizeT(content == null ? 0 : content.length),
                atUnix, flags, out));
        KysoException.check(rc);
        return new Report(out.getValue());
    }

    /** Validate a certificate's path (RFC 5280) to the store's anchors; {@code pool} may be null. */
    public static Report verifyChain(TrustStore store, byte[] leaf, byte[] pool, long atUnix, int flags) {
        PointerByReference out = new PointerByReference();
        int rc = store.read(ts -> LibKyso.INSTANCE.kyso_verify_chain_ex(ts, leaf, new LibKyso.SizeT(leaf.length),
                pool, new LibKyso.SizeT(pool == null ? 0 : pool.length), atUnix, flags, out));
        KysoException.check(rc);
        return new Report(out.getValue());
    }

    /** Sign {@code data} as CAdES B-B with a PKCS#12 file's key; the CMS signature (DER). */
    public static byte[] signPkcs12(byte[] p12, String password, byte[] data, boolean detached) {
        return signPkcs12(p12, password, data, detached ? SIGN_DETACHED : 0, null);
    }

    /**
     * Sign with flags ({@code SIGN_*}); when {@code check} is not null the certificate is checked
     * against it first (validity, key usage, a path), and refused unless {@code SIGN_FORCE}.
     */
    public static byte[] signPkcs12(byte[] p12, String password, byte[] data, int flags, TrustStore check) {
        PointerByReference out = new PointerByReference();
        LibKyso.SizeTByReference len = new LibKyso.SizeTByReference();
        int rc;
        if (check == null) {
            rc = LibKyso.INSTANCE.kyso_sign_cms_pkcs12_ex(p12, new LibKyso.SizeT(p12.length), password, data,
                    new LibKyso.SizeT(data.length), flags, null, out, len);
        } else {
            rc = check.read(ts -> LibKyso.INSTANCE.kyso_sign_cms_pkcs12_ex(p12, new LibKyso.SizeT(p12.length),
                    password, data, new LibKyso.SizeT(data.length), flags, ts, out, len));
        }
        KysoException.check(rc);
        return take(out.getValue(), len.value());
    }

    /**
     * Sign {@code data} as CAdES B-B on a PKCS#11 token. {@code module} null: the first known
     * module; {@code token} null: the first token; {@code keyId} null: the first key with a
     * certificate. kyso never tries the PIN on a token at its final try.
     */
    public static byte[] signPkcs11(String module, String token, String pin, byte[] keyId, byte[] data,
            boolean detached) {
        PointerByReference out = new PointerByReference();
        LibKyso.SizeTByReference len = new LibKyso.SizeTByReference();
        KysoException.check(LibKyso.INSTANCE.kyso_sign_cms_pkcs11(module, token, pin, keyId,
                new LibKyso.SizeT(keyId == null ? 0 : keyId.length), data, new LibKyso.SizeT(data.length),
                detached ? 1 : 0, out, len));
        return take(out.getValue(), len.value());
    }

    /** Copy a buffer kyso returned, and free it. */
    private static byte[] take(Pointer p, long len) {
        try {
            return p.getByteArray(0, (int) len);
        } finally {
            LibKyso.INSTANCE.kyso_bytes_free(p, new LibKyso.SizeT(len));
        }
    }

    /** This thread's last error detail, or the code's message. */
    static String lastError(int code) {
        LibKyso lib = LibKyso.INSTANCE;
        int n = (int) lib.kyso_last_error_message(null, new LibKyso.SizeT(0)).longValue();
        byte[] buf;
        if (n > 1) {
            buf = new byte[n];
            lib.kyso_last_error_message(buf, new LibKyso.SizeT(n));
        } else {
            n = (int) lib.kyso_error_message(code, null, new LibKyso.SizeT(0)).longValue();
            buf = new byte[Math.max(n, 1)];
            lib.kyso_error_message(code, buf, new LibKyso.SizeT(buf.length));
        }
        return new String(buf, 0, Math.max(0, n - 1), StandardCharsets.UTF_8);
    }
}
