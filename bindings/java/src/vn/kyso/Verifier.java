package vn.kyso;

import com.sun.jna.ptr.PointerByReference;

/**
 * A store, a policy ({@code Kyso.HARD_FAIL}, {@code LEGACY}, …) and revocation evidence (CRLs,
 * OCSP responses) kept for many verifications; threads may verify with one verifier at once.
 * Close it when done (it is {@link AutoCloseable}).
 */
public final class Verifier extends NativeHandle {
    /** A verifier over {@code store} (which may be closed afterwards) with {@code flags}. */
    public Verifier(TrustStore store, int flags) {
        super(create(store, flags), LibKyso.INSTANCE::kyso_verifier_free, "Verifier");
    }

    private static com.sun.jna.Pointer create(TrustStore store, int flags) {
        PointerByReference out = new PointerByReference();
        KysoException.check(store.read(ts -> LibKyso.INSTANCE.kyso_verifier_new(ts, flags, out)));
        return out.getValue();
    }

    /** Add a CRL (DER or PEM) as evidence. */
    public Verifier addCrl(byte[] crl) {
        return evidence(1, crl);
    }

    /** Add a DER OCSP response as evidence. */
    public Verifier addOcspResponse(byte[] response) {
        return evidence(2, response);
    }

    private Verifier evidence(int kind, byte[] data) {
        KysoException.check(write(v -> LibKyso.INSTANCE.kyso_verifier_add_evidence(v, kind, data,
                new LibKyso.SizeT(data.length))));
        return this;
    }

    /**
     * Verify a signature as {@link Kyso#verify(TrustStore, byte[], byte[])}, under this
     * verifier's policy and evidence; {@code atUnix} 0 judges each chain at its signing time.
     */
    public Report verify(byte[] signature, byte[] content, long atUnix) {
        PointerByReference out = new PointerByReference();
        KysoException.check(read(v -> LibKyso.INSTANCE.kyso_verifier_verify(v, signature,
                new LibKyso.SizeT(signature.length), content,
                new LibKyso.SizeT(content == null ? 0 : content.length), atUnix, out)));
        return new Report(out.getValue());
    }
}
