package vn.kyso;

/**
 * An error from libkyso: {@link #code()} is the C API's result code ({@code KYSO_ERR_*}), the
 * message its detail. Each code has its subclass, as the Python binding's exceptions:
 * {@code catch (KysoException.WrongPin e)}.
 */
public class KysoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;

    /** An error with the C API's code and its message. */
    public KysoException(int code, String message) {
        super(message);
        this.code = code;
    }

    /** The C API's result code ({@code KYSO_ERR_*}). */
    public int code() {
        return code;
    }

    /** A required pointer was NULL ({@code 1}). */
    public static class NullPointer extends KysoException {
        private static final long serialVersionUID = 1L;

        NullPointer(int code, String message) {
            super(code, message);
        }
    }

    /** An argument is out of range ({@code 2}). */
    public static class InvalidArgument extends KysoException {
        private static final long serialVersionUID = 1L;

        InvalidArgument(int code, String message) {
            super(code, message);
        }
    }

    /** The input (a certificate, a key, a CRL) cannot be read ({@code 3}). */
    public static class BadInput extends KysoException {
        private static final long serialVersionUID = 1L;

        BadInput(int code, String message) {
            super(code, message);
        }
    }

    /** Not a signature kyso can read ({@code 4}). */
    public static class BadSignature extends KysoException {
        private static final long serialVersionUID = 1L;

        BadSignature(int code, String message) {
            super(code, message);
        }
    }

    /** The signature is detached and no content was given ({@code 5}). */
    public static class ContentMissing extends KysoException {
        private static final long serialVersionUID = 1L;

        ContentMissing(int code, String message) {
            super(code, message);
        }
    }

    /** The PKCS#12 password is wrong ({@code 7}). */
    public static class WrongPassword extends KysoException {
        private static final long serialVersionUID = 1L;

        WrongPassword(int code, String message) {
            super(code, message);
        }
    }

    /** The key cannot be used ({@code 8}). */
    public static class KeyError extends KysoException {
        private static final long serialVersionUID = 1L;

        KeyError(int code, String message) {
            super(code, message);
        }
    }

    /** The signer's certificate failed the pre-signing check ({@code 9}). */
    public static class CertificateRefused extends KysoException {
        private static final long serialVersionUID = 1L;

        CertificateRefused(int code, String message) {
            super(code, message);
        }
    }

    /** The signer failed ({@code 10}). */
    public static class SignerError extends KysoException {
        private static final long serialVersionUID = 1L;

        SignerError(int code, String message) {
            super(code, message);
        }
    }

    /** The PKCS#11 module cannot be loaded ({@code 11}). */
    public static class Pkcs11ModuleError extends KysoException {
        private static final long serialVersionUID = 1L;

        Pkcs11ModuleError(int code, String message) {
            super(code, message);
        }
    }

    /** No token (or not the one asked for) ({@code 12}). */
    public static class NoToken extends KysoException {
        private static final long serialVersionUID = 1L;

        NoToken(int code, String message) {
            super(code, message);
        }
    }

    /** The token refused the PIN ({@code 13}). */
    public static class WrongPin extends KysoException {
        private static final long serialVersionUID = 1L;

        WrongPin(int code, String message) {
            super(code, message);
        }
    }

    /** The token's PIN is locked ({@code 14}). */
    public static class PinLocked extends KysoException {
        private static final long serialVersionUID = 1L;

        PinLocked(int code, String message) {
            super(code, message);
        }
    }

    /** The token is at its final PIN try: kyso does not try ({@code 15}). */
    public static class PinFinalTry extends KysoException {
        private static final long serialVersionUID = 1L;

        PinFinalTry(int code, String message) {
            super(code, message);
        }
    }

    /** No key (with a certificate) on the token ({@code 16}). */
    public static class NoKey extends KysoException {
        private static final long serialVersionUID = 1L;

        NoKey(int code, String message) {
            super(code, message);
        }
    }

    /** The token was removed ({@code 17}). */
    public static class TokenRemoved extends KysoException {
        private static final long serialVersionUID = 1L;

        TokenRemoved(int code, String message) {
            super(code, message);
        }
    }

    /** Another PKCS#11 error ({@code 18}). */
    public static class Pkcs11Error extends KysoException {
        private static final long serialVersionUID = 1L;

        Pkcs11Error(int code, String message) {
            super(code, message);
        }
    }

    /** A file or network error ({@code 19}). */
    public static class IoError extends KysoException {
        private static final long serialVersionUID = 1L;

        IoError(int code, String message) {
            super(code, message);
        }
    }

    /** An internal error ({@code 20}). */
    public static class InternalError extends KysoException {
        private static final long serialVersionUID = 1L;

        InternalError(int code, String message) {
            super(code, message);
        }
    }

    /** Something kyso does not do ({@code 21}). */
    public static class Unsupported extends KysoException {
        private static final long serialVersionUID = 1L;

        Unsupported(int code, String message) {
            super(code, message);
        }
    }

    /** The time-stamp authority failed ({@code 22}). */
    public static class TimestampError extends KysoException {
        private static final long serialVersionUID = 1L;

        TimestampError(int code, String message) {
            super(code, message);
        }
    }

    /** The exception for {@code code}, with the detail of this thread's last error. */
    static KysoException of(int code) {
        String m = Kyso.lastError(code);
        switch (code) {
            case 1:
                return new NullPointer(code, m);
            case 2:
                return new InvalidArgument(code, m);
            case 3:
                return new BadInput(code, m);
            case 4:
                return new BadSignature(code, m);
            case 5:
                return new ContentMissing(code, m);
            case 7:
                return new WrongPassword(code, m);
            case 8:
                return new KeyError(code, m);
            case 9:
                return new CertificateRefused(code, m);
            case 10:
                return new SignerError(code, m);
            case 11:
                return new Pkcs11ModuleError(code, m);
            case 12:
                return new NoToken(code, m);
            case 13:
                return new WrongPin(code, m);
            case 14:
                return new PinLocked(code, m);
            case 15:
                return new PinFinalTry(code, m);
            case 16:
                return new NoKey(code, m);
            case 17:
                return new TokenRemoved(code, m);
            case 18:
                return new Pkcs11Error(code, m);
            case 19:
                return new IoError(code, m);
            case 20:
                return new InternalError(code, m);
            case 21:
                return new Unsupported(code, m);
            case 22:
                return new TimestampError(code, m);
            default:
                return new KysoException(code, m);
        }
    }

    /** Throw the exception for {@code code} unless it is 0 ({@code KYSO_OK}). */
    static void check(int code) {
        if (code != 0) {
            throw of(code);
        }
    }
}
