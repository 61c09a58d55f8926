package vn.kyso;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A store, a policy ({@code Kyso.HARD_FAIL}, {@code LEGACY}, …) and revocation evidence (CRLs,
 * OCSP responses) kept for many verifications; threads may verify with one verifier at once.
 * Close it when done (it is {@link AutoCloseable}).
 */
public final class Verifier implements AutoCloseable {
    private Pointer handle;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    /** A verifier over {@code store} (which may be closed afterwards) with {@code flags}. */
    public Verifier(TrustStore store, int flags) {
        PointerByReference out = new PointerByReference();
        KysoException.check(store.read(ts -> LibKyso.INSTANCE.kyso_verifier_new(ts, flags, out)));
        handle = out.getValue();
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
        lock.writeLock().lock();
        try {
            KysoException.check(LibKyso.INSTANCE.kyso_verifier_add_evidence(live(), kind, data,
                    new LibKyso.SizeT(data.length)));
        } finally {
            lock.writeLock().unlock();
        }
        return this;
    }

    /**
     * Verify a signature as {@link Kyso#verify(TrustStore, byte[], byte[])}, under this
     * verifier's policy and evidence; {@code atUnix} 0 judges each chain at its signing time.
     */
    public Report verify(byte[] signature, byte[] content, long atUnix) {
        PointerByReference out = new PointerByReference();
        lock.readLock().lock();
        try {
            KysoException.check(LibKyso.INSTANCE.kyso_verifier_verify(live(), signature,
                    new LibKyso.SizeT(signature.length), content,
                    new LibKyso.SizeT(content == null ? 0 : content.length), atUnix, out));
        } finally {
            lock.readLock().unlock();
        }
        return new Report(out.getValue());
    }

    private Pointer live() {
        if (handle == null) {
            throw new IllegalStateException("the Verifier is closed");
        }
        return handle;
    }

    /** Free the native verifier (again: nothing). */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (handle != null) {
                LibKyso.INSTANCE.kyso_verifier_free(handle);
                handle = null;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
