package vn.kyso;

import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/**
 * A validation report: its {@link #verdict()}, the {@code kyso.report/1} JSON, the text for
 * people in Vietnamese or English. Close it when done (it is {@link AutoCloseable}).
 */
public final class Report implements AutoCloseable {
    private Pointer handle;

    Report(Pointer handle) {
        this.handle = handle;
    }

    /** The bottom line. */
    public synchronized Verdict verdict() {
        return Verdict.of(LibKyso.INSTANCE.kyso_report_verdict(live()));
    }

    /** The report as JSON (schema {@code kyso.report/1}, what {@code kyso verify --json} prints). */
    public synchronized String json() {
        return copy((buf, len, written) -> LibKyso.INSTANCE.kyso_report_json(live(), buf, len, written));
    }

    /** The report as text, in {@code "vi"} (tiếng Việt) or {@code "en"}. */
    public synchronized String text(String lang) {
        int code;
        if ("vi".equals(lang)) {
            code = 1;
        } else if ("en".equals(lang)) {
            code = 0;
        } else {
            throw new IllegalArgumentException("lang is \"vi\" or \"en\", not " + lang);
        }
        return copy((buf, len, written) -> LibKyso.INSTANCE.kyso_report_text(live(), code, buf, len, written));
    }

    private interface Copy {
        int call(byte[] buf, LibKyso.SizeT len, LibKyso.SizeTByReference written);
    }

    /** Ask for the size, then copy (the C API's two-call pattern). */
    private static String copy(Copy c) {
        LibKyso.SizeTByReference written = new LibKyso.SizeTByReference();
        int rc = c.call(null, new LibKyso.SizeT(0), written);
        if (rc != 0 && rc != 6) {
            throw KysoException.of(rc);
        }
        byte[] buf = new byte[(int) written.value()];
        KysoException.check(c.call(buf, new LibKyso.SizeT(buf.length), written));
        int n = Math.max(0, (int) written.value() - 1);
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    private Pointer live() {
        if (handle == null) {
            throw new IllegalStateException("the Report is closed");
        }
        return handle;
    }

    /** Free the native report (again: nothing). */
    @Override
    public synchronized void close() {
        if (handle != null) {
            LibKyso.INSTANCE.kyso_report_free(handle);
            handle = null;
        }
    }
}
