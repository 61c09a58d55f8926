package vn.kyso;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The anchors (and known intermediates) signatures are verified against. Many threads may
 * verify with one store at once; {@link #add} waits for them. Close it when done (it is
 * {@link AutoCloseable}).
 */
public final class TrustStore extends NativeHandle {
    private TrustStore(Pointer handle) {
        super(handle, LibKyso.INSTANCE::kyso_trust_store_free, "TrustStore");
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
        KysoException.check(write(ts -> LibKyso.INSTANCE.kyso_trust_store_add(ts, pemOrDer,
                new LibKyso.SizeT(pemOrDer.length), hierarchy.code)));
        return this;
    }

    /** Know every certificate in {@code pemOrDer} as an intermediate (not trusted by itself). */
    public TrustStore addIntermediates(byte[] pemOrDer, Hierarchy hierarchy) {
        KysoException.check(write(ts -> LibKyso.INSTANCE.kyso_trust_store_add_intermediates(ts, pemOrDer,
                new LibKyso.SizeT(pemOrDer.length), hierarchy.code)));
        return this;
    }
}
