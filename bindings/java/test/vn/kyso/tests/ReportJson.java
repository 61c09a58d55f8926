package vn.kyso.tests;

import vn.kyso.Hierarchy;
import vn.kyso.Kyso;
import vn.kyso.KysoException;
import vn.kyso.Report;
import vn.kyso.TrustStore;
import vn.kyso.Verdict;
import vn.kyso.Verifier;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One case of ffi/tests/c.rs's parity table through the Java binding: arguments anchors,
 * signature, content ("-": attached), at (unix, 0: the signing time), flags, CRL ("-": none);
 * prints the report's JSON.
 */
public final class ReportJson {
    public static void main(String[] a) throws Exception {
        byte[] content = a[2].equals("-") ? null : Files.readAllBytes(Path.of(a[2]));
        try (TrustStore store = TrustStore.empty().add(Files.readAllBytes(Path.of(a[0])), Hierarchy.CUSTOM);
                Verifier v = new Verifier(store, Integer.parseInt(a[4]))) {
            if (!a[5].equals("-")) {
                v.addCrl(Files.readAllBytes(Path.of(a[5])));
            }
            try (Report r = v.verify(Files.readAllBytes(Path.of(a[1])), content, Long.parseLong(a[3]))) {
                System.out.print(r.json());
            }
        }
    }
}
