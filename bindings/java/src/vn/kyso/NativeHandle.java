package vn.kyso;

import com.sun.jna.Pointer;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A native object shared between threads: read under a shared lock (many verifications at
 * once), changed and freed under an exclusive one, refused once closed. Package-private.
 */
abstract class NativeHandle implements AutoCloseable {
    private Pointer handle;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Consumer<Pointer> free;
    private final String what;

    NativeHandle(Pointer handle, Consumer<Pointer> free, String what) {
        this.handle = handle;
        this.free = free;
        this.what = what;
    }

    /** Run {@code use} with the native object, shared with other readers. */
    <T> T read(Function<Pointer, T> use) {
        lock.readLock().lock();
        try {
            return use.apply(live());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Run {@code use} with the native object, alone. */
    <T> T write(Function<Pointer, T> use) {
        lock.writeLock().lock();
        try {
            return use.apply(live());
        } finally {
            lock.writeLock().unlock();
        }
    }

    private Pointer live() {
        if (handle == null) {
            throw new IllegalStateException("the " + what + " is closed");
        }
        return handle;
    }

    /** Free the native object (again: nothing). */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (handle != null) {
                free.accept(handle);
                handle = null;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
