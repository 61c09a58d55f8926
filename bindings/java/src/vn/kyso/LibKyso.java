package vn.kyso;

import com.sun.jna.IntegerType;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/** The C API of libkyso ({@code ffi/include/kyso.h}) as JNA sees it. Package-private. */
interface LibKyso extends Library {
    /** C's {@code size_t}. */
    final class SizeT extends IntegerType {
        private static final long serialVersionUID = 1L;

        public SizeT() {
            this(0);
        }

        public SizeT(long value) {
            super(Native.SIZE_T_SIZE, value, true);
        }
    }

    /** A writable {@code size_t *}. */
    final class SizeTByReference extends com.sun.jna.ptr.ByReference {
        public SizeTByReference() {
            super(Native.SIZE_T_SIZE);
        }

        public long value() {
            return Native.SIZE_T_SIZE == 8 ? getPointer().getLong(0) : getPointer().getInt(0) & 0xFFFFFFFFL;
        }
    }

    /** Loaded once: from {@code jna.library.path}, the system's loader, or the jar itself. */
    LibKyso INSTANCE = Native.load("kyso", LibKyso.class);

    String kyso_version();

    SizeT kyso_last_error_message(byte[] buf, SizeT len);

    SizeT kyso_error_message(int code, byte[] buf, SizeT len);

    int kyso_trust_store_new(PointerByReference out);

    int kyso_trust_store_new_vietnam(PointerByReference out);

    int kyso_trust_store_add(Pointer ts, byte[] data, SizeT len, int hierarchy);

    int kyso_trust_store_add_intermediates(Pointer ts, byte[] data, SizeT len, int hierarchy);

    void kyso_trust_store_free(Pointer ts);

    int kyso_verify_cms_ex(Pointer ts, byte[] sig, SizeT sigLen, byte[] content, SizeT contentLen, long atUnix,
            int flags, PointerByReference out);

    int kyso_verify_chain_ex(Pointer ts, byte[] leaf, SizeT leafLen, byte[] pool, SizeT poolLen, long atUnix,
            int flags, PointerByReference out);

    int kyso_verifier_new(Pointer ts, int flags, PointerByReference out);

    int kyso_verifier_add_evidence(Pointer v, int kind, byte[] data, SizeT len);

    int kyso_verifier_verify(Pointer v, byte[] sig, SizeT sigLen, byte[] content, SizeT contentLen, long atUnix,
            PointerByReference out);

    void kyso_verifier_free(Pointer v);

    int kyso_report_verdict(Pointer r);

    int kyso_report_json(Pointer r, byte[] buf, SizeT len, SizeTByReference written);

    int kyso_report_text(Pointer r, int lang, byte[] buf, SizeT len, SizeTByReference written);

    void kyso_report_free(Pointer r);

    int kyso_sign_cms_pkcs12_ex(byte[] p12, SizeT p12Len, String password, byte[] content, SizeT contentLen,
            int flags, Pointer check, PointerByReference out, SizeTByReference outLen);

    int kyso_sign_cms_pkcs11(String module, String token, String pin, byte[] keyId, SizeT keyIdLen, byte[] content,
            SizeT contentLen, int detached, PointerByReference out, SizeTByReference outLen);

    void kyso_bytes_free(Pointer p, SizeT len);
}
