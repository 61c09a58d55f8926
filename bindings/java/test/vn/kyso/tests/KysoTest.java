package vn.kyso.tests;

import vn.kyso.Hierarchy;
import vn.kyso.Kyso;
import vn.kyso.KysoException;
import vn.kyso.Report;
import vn.kyso.TrustStore;
import vn.kyso.Verdict;
import vn.kyso.Verifier;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The Java binding on the fixtures ffi/tests/c.rs makes: both hierarchies, a tampered
 * document, an untrusted root, PKCS#12 signing and a wrong password, a SoftHSM2 token and a
 * wrong PIN, 100 verifications on 8 threads sharing one TrustStore. Arguments: the fixture
 * folder, the SoftHSM2 module. Prints "all Java checks passed".
 */
public final class KysoTest {
    private static int checks;

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
        checks++;
    }

    private static <E extends KysoException> void raises(Class<E> type, Runnable r, String what) {
        try {
            r.run();
        } catch (KysoException e) {
            check(type.isInstance(e), what + ": " + e.getClass().getName() + " " + e.getMessage());
            check(e.code() > 0 && !e.getMessage().isEmpty(), what + ": code and message");
            return;
        }
        throw new AssertionError(what + ": no exception");
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String module = args[1];
        byte[] doc = Files.readAllBytes(dir.resolve("doc.txt"));

        check(Kyso.version().equals(Kyso.bindingVersion()), "jar " + Kyso.bindingVersion() + " libkyso " + Kyso.version());

        try (TrustStore pub = TrustStore.empty().add(Files.readAllBytes(dir.resolve("root.der")), Hierarchy.PUBLIC);
                TrustStore gov = TrustStore.empty().add(Files.readAllBytes(dir.resolve("gov_root.der")),
                        Hierarchy.GOVERNMENT)) {
            byte[] valid = Files.readAllBytes(dir.resolve("valid.p7s"));
            try (Report r = Kyso.verify(pub, valid, doc)) {
                check(r.verdict() == Verdict.VALID, "public hierarchy: " + r.text("en"));
                check(r.json().contains("\"schema\":\"kyso.report/1\"") || r.json().contains("kyso.report/1"), "json");
                check(r.json().contains("\"public\""), "the hierarchy named");
                check(r.text("vi").contains("HỢP LỆ") || r.text("vi").contains("hợp lệ"), "Vietnamese text");
            }
            try (Report r = Kyso.verify(gov, Files.readAllBytes(dir.resolve("gov.p7s")), null)) {
                check(r.verdict() == Verdict.VALID, "government hierarchy: " + r.text("en"));
                check(r.json().contains("\"government\""), "the hierarchy named");
            }
            byte[] tampered = (new String(doc, StandardCharsets.UTF_8) + " (sửa)").getBytes(StandardCharsets.UTF_8);
            try (Report r = Kyso.verify(pub, valid, tampered)) {
                check(r.verdict() == Verdict.INVALID, "tampered: " + r.text("en"));
            }
            try (Report r = Kyso.verify(pub, Files.readAllBytes(dir.resolve("rogue.p7s")), doc)) {
                check(r.verdict() == Verdict.INDETERMINATE, "untrusted root");
            }
            raises(KysoException.ContentMissing.class, () -> Kyso.verify(pub, valid, null).close(),
                    "detached without its content");
            raises(KysoException.BadSignature.class, () -> Kyso.verify(pub, "not a signature".getBytes(), null).close(),
                    "garbage");
            raises(KysoException.BadInput.class, () -> pub.add("not a certificate".getBytes(), Hierarchy.CUSTOM),
                    "a bad anchor");

            // PKCS#12: signs, the signature verifies; a wrong password is its own exception.
            byte[] p12 = Files.readAllBytes(dir.resolve("company.p12"));
            byte[] cms = Kyso.signPkcs12(p12, "bí mật", doc, true);
            try (Report r = Kyso.verify(pub, cms, doc)) {
                check(r.verdict() == Verdict.VALID, "PKCS#12 signature: " + r.text("en"));
            }
            raises(KysoException.WrongPassword.class, () -> Kyso.signPkcs12(p12, "sai", doc, true), "wrong password");
            raises(KysoException.CertificateRefused.class,
                    () -> Kyso.signPkcs12(p12, "bí mật", doc, Kyso.SIGN_DETACHED, gov), "pre-signing check");

            // PKCS#11 on SoftHSM2: signs; a wrong PIN is refused, typed. The token holds the
            // leaf alone: the licensed CA is known to the store as an intermediate.
            pub.addIntermediates(Files.readAllBytes(dir.resolve("sub.der")), Hierarchy.PUBLIC);
            byte[] onToken = Kyso.signPkcs11(module, "c-api", "246810", new byte[] {(byte) 0xa1}, doc, true);
            try (Report r = Kyso.verify(pub, onToken, doc)) {
                check(r.verdict() == Verdict.VALID, "PKCS#11 signature: " + r.text("en"));
            }
            raises(KysoException.WrongPin.class,
                    () -> Kyso.signPkcs11(module, "c-api", "000000", null, doc, true), "wrong PIN");
            raises(KysoException.NoToken.class,
                    () -> Kyso.signPkcs11(module, "no-such-token", "246810", null, doc, true), "missing token");

            // 100 verifications on 8 threads sharing one store.
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Verdict>> results = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                results.add(pool.submit(() -> {
                    try (Report r = Kyso.verify(pub, valid, doc)) {
                        return r.verdict();
                    }
                }));
            }
            int ok = 0;
            for (Future<Verdict> f : results) {
                ok += f.get() == Verdict.VALID ? 1 : 0;
            }
            pool.shutdown();
            check(ok == 100, "threads: " + ok + " of 100 valid");
        }

        // A closed store is refused, not a crash.
        TrustStore closed = TrustStore.vietnam();
        closed.close();
        closed.close();
        try {
            Kyso.verify(closed, new byte[] {1}, null);
            throw new AssertionError("a closed store was used");
        } catch (IllegalStateException expected) {
            checks++;
        }
        System.out.println("all Java checks passed (" + checks + ")");
    }
}
