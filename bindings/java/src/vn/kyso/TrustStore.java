package vn.kyso;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The anchors (and known intermediates) signatures are verified against. Many threads may
 * verify with one store at once; {@link #add} waits for them. Close it when done (it is
 * {@link AutoCloseable}).
 */
public final class TrustStore implements AutoCloseable {
    private Pointer handle;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    private TrustStore(Pointer handle) {
        this.handle = handle;
    }

    /** A store with no anchor. */
    public static TrustStore empty() {
        PointerByReference out = new PointerByReference();
        KysoException.check(LibKyso.INSTANCE.kyso_trust_store_new(out));
        return new TrustStore(out.getValue());
    }

    /**
     * Both Vietnamese hierarchies, from kyso's embedded and pinned bundle: the VGCA and NEAC
     * roots as anchors, the licensed CAs as intermediates.
     */
    public static TrustStore vietnam() {
        PointerByReference out = new PointerByReference();
        KysoException.check(LibKyso.INSTANCE.kyso_trust_store_new_vietnam(out));
        return new TrustStore(out.getValue());
    }

    /** Trust every certificate in {@code pemOrDer} (DER, PEM, base64 or .p7b) as an anchor. */
    public TrustStore add(byte[] pemOrDer, Hierarchy hierarchy) {
        lock.writeLock().lock();
        try {
            KysoException.check(LibKyso.INSTANCE.kyso_trust_store_add(live(), pemOrDer,
                    new LibKyso.SizeT(pemOrDer.length), hierarchy.code));
        } finally {
            lock.writeLock().unlock();
        }
        return this;
    }

    /** Know every certificate in {@code pemOrDer} as an intermediate (not trusted by itself). */
    public TrustStore addIntermediates(byte[] pemOrDer, Hierarchy hierarchy) {
        lock.writeLock().lock();
        try {
            KysoException.check(LibKyso.INSTANCE.kyso_trust_store_add_intermediates(live(), pemOrDer,
                    new LibKyso.SizeT(pemOrDer.length), hierarchy.code));
        } finally {
            lock.writeLock().unlock();
        }
        return this;
    }

    /** Run {@code use} with the native store, shared with other readers. */
    <T> T read(java.util.function.Function<Pointer, T> use) {
        lock.readLock().lock();
        try {
            return use.apply(live());
        } finally {
            lock.readLock().unlock();
        }
    }

    private Pointer live() {
        if (handle == null) {
            throw new IllegalStateException("the TrustStore is closed");
        }
        return handle;
    }

    /** Free the native store (again: nothing). */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (handle != null) {
                LibKyso.INSTANCE.kyso_trust_store_free(handle);
                handle = null;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
