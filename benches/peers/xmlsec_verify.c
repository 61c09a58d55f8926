/* The libxmlsec1 side of benches/xml.rs: verify every ds:Signature of an XML document, the
 * document parsed each time (as kyso does), N times in one process; print the mean time per
 * document in nanoseconds. With a trusted root the signer's certificate chain is verified
 * (at the time given); without one, only References and SignatureValue
 * (XMLSEC_KEYINFO_FLAGS_X509DATA_DONT_VERIFY_CERTS).
 *
 *   xmlsec_verify FILE ITERATIONS [ROOT.pem UNIX-TIME]
 *   xmlsec_verify @LIST ITERATIONS [ROOT.pem UNIX-TIME]
 *
 * With @LIST (a file of paths, one per line), each pass reads and verifies every file listed
 * once (the batch case); the time printed is still per document.
 *
 * Exit 0 when every signature of every run verified. Built by the bench with
 * `gcc -O2 $(pkg-config --cflags --libs xmlsec1-openssl)`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/keysmngr.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>

static char *slurp(const char *path, long *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc(*len);
    if (fread(buf, 1, *len, f) != (size_t)*len) { fclose(f); free(buf); return NULL; }
    fclose(f);
    return buf;
}

/* xmlsec reports every error it meets on stderr (for the real invoices, an X509SubjectName
 * with "S=" it cannot parse before it falls back to the certificate itself); kept quiet so
 * the run measures verification, not printing. */
static void quiet(const char *file, int line, const char *func, const char *obj, const char *subj,
                  int reason, const char *msg) {
    (void)file; (void)line; (void)func; (void)obj; (void)subj; (void)reason; (void)msg;
}

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

/* Verify every Signature of one parsed copy of the document; the number that verified. */
static int verify_all(const char *buf, long len, xmlSecKeysMngrPtr mngr, int chain, time_t at) {
    static const xmlChar *ids[] = { BAD_CAST "Id", NULL };
    xmlDocPtr doc = xmlReadMemory(buf, (int)len, NULL, NULL, XML_PARSE_NONET);
    if (!doc) return -1;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlSecAddIDs(doc, root, ids);
    int ok = 0, seen = 0;
    for (xmlNodePtr n = xmlSecFindNode(root, xmlSecNodeSignature, xmlSecDSigNs); n; ) {
        seen++;
        xmlSecDSigCtxPtr ctx = xmlSecDSigCtxCreate(mngr);
        if (chain) ctx->keyInfoReadCtx.certsVerificationTime = at;
        else ctx->keyInfoReadCtx.flags |= XMLSEC_KEYINFO_FLAGS_X509DATA_DONT_VERIFY_CERTS;
        if (xmlSecDSigCtxVerify(ctx, n) == 0 && ctx->status == xmlSecDSigStatusSucceeded) ok++;
        xmlSecDSigCtxDestroy(ctx);
        /* The next Signature in document order, outside this one. */
        xmlNodePtr next = NULL;
        for (xmlNodePtr up = n; up && !next; up = up->parent) {
            for (xmlNodePtr s = up->next; s && !next; s = s->next) {
                if (s->type != XML_ELEMENT_NODE) continue;
                next = xmlSecCheckNodeName(s, xmlSecNodeSignature, xmlSecDSigNs)
                           ? s : xmlSecFindNode(s, xmlSecNodeSignature, xmlSecDSigNs);
            }
        }
        n = next;
    }
    xmlFreeDoc(doc);
    return ok == seen ? ok : -ok - 1;
}

int main(int argc, char **argv) {
    if (argc != 3 && argc != 5) {
        fprintf(stderr, "usage: %s FILE ITERATIONS [ROOT.pem UNIX-TIME]\n", argv[0]);
        return 2;
    }
    /* The documents: one file, or every file of a list. */
    long count = 0, cap = 16;
    char **paths = malloc(cap * sizeof *paths);
    if (argv[1][0] == '@') {
        FILE *l = fopen(argv[1] + 1, "r");
        if (!l) { perror(argv[1] + 1); return 2; }
        char line[4096];
        while (fgets(line, sizeof line, l)) {
            line[strcspn(line, "\r\n")] = 0;
            if (!*line) continue;
            if (count == cap) paths = realloc(paths, (cap *= 2) * sizeof *paths);
            paths[count++] = strdup(line);
        }
        fclose(l);
    } else {
        paths[count++] = argv[1];
    }
    long iters = atol(argv[2]);
    int chain = argc == 5;
    time_t at = chain ? (time_t)atoll(argv[4]) : 0;
    xmlInitParser();
    if (xmlSecInit() < 0 || xmlSecCryptoAppInit(NULL) < 0 || xmlSecCryptoInit() < 0) return 2;
    xmlSecErrorsSetCallback(quiet);
    xmlSecKeysMngrPtr mngr = xmlSecKeysMngrCreate();
    if (!mngr || xmlSecCryptoAppDefaultKeysMngrInit(mngr) < 0) return 2;
    if (chain && xmlSecCryptoAppKeysMngrCertLoad(mngr, argv[3], xmlSecKeyDataFormatPem,
                                                 xmlSecKeyDataTypeTrusted) < 0) return 2;
    long len;
    char *buf = slurp(paths[0], &len);
    if (!buf) { perror(paths[0]); return 2; }
    int first = verify_all(buf, len, mngr, chain, at);
    free(buf);
    if (first <= 0) { fprintf(stderr, "xmlsec: not every signature verified (%d)\n", first); return 1; }
    /* A single file is read once; a batch reads each file as it verifies it. */
    char *one = count == 1 ? slurp(paths[0], &len) : NULL;
    double t0 = now_ns();
    for (long i = 0; i < iters; i++) {
        for (long k = 0; k < count; k++) {
            long l = len;
            char *b = one ? one : slurp(paths[k], &l);
            if (!b) { perror(paths[k]); return 2; }
            int got = verify_all(b, l, mngr, chain, at);
            if (!one) free(b);
            if (got != first) { fprintf(stderr, "xmlsec: %s failed\n", paths[k]); return 1; }
        }
    }
    double per = (now_ns() - t0) / (double)(iters * count);
    printf("%.0f %d\n", per, first);
    xmlSecKeysMngrDestroy(mngr);
    xmlSecCryptoShutdown();
    xmlSecCryptoAppShutdown();
    xmlSecShutdown();
    return 0;
}
