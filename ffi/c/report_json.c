/* Prints the kyso.report/1 JSON of one verification through the C API's kyso_verifier:
 *   report_json ANCHORS SIG CONTENT|- AT_UNIX FLAGS [CRL]
 * ANCHORS: certificates trusted as KYSO_HIERARCHY_CUSTOM; CONTENT "-" for an attached
 * signature; AT_UNIX 0 for each signature's own time; FLAGS KYSO_VERIFY_*; CRL optional
 * revocation evidence. Exit status 0 when a report was printed. Used by ffi/tests/c.rs to
 * check that C, Rust, the CLI and Python give the same report. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kyso.h>

static uint8_t *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "%s: read failed\n", path);
        exit(2);
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void check(uint32_t rc, const char *what) {
    if (rc != KYSO_OK) {
        char m[512];
        kyso_last_error_message(m, sizeof m);
        fprintf(stderr, "%s: error %" PRIu32 ": %s\n", what, rc, m);
        exit(3);
    }
}

int main(int argc, char **argv) {
    if (argc != 6 && argc != 7) {
        fprintf(stderr, "usage: %s ANCHORS SIG CONTENT|- AT_UNIX FLAGS [CRL]\n", argv[0]);
        return 2;
    }
    size_t anchors_len, sig_len, content_len = 0;
    uint8_t *anchors = slurp(argv[1], &anchors_len);
    uint8_t *sig = slurp(argv[2], &sig_len);
    uint8_t *content = strcmp(argv[3], "-") == 0 ? NULL : slurp(argv[3], &content_len);
    int64_t at = strtoll(argv[4], NULL, 10);
    uint32_t flags = (uint32_t)strtoul(argv[5], NULL, 10);

    kyso_trust_store *ts = NULL;
    check(kyso_trust_store_new(&ts), "kyso_trust_store_new");
    check(kyso_trust_store_add(ts, anchors, anchors_len, KYSO_HIERARCHY_CUSTOM), "kyso_trust_store_add");
    kyso_verifier *v = NULL;
    check(kyso_verifier_new(ts, flags, &v), "kyso_verifier_new");
    kyso_trust_store_free(ts); /* the verifier keeps what it needs */
    if (argc == 7) {
        size_t crl_len;
        uint8_t *crl = slurp(argv[6], &crl_len);
        check(kyso_verifier_add_evidence(v, KYSO_EVIDENCE_CRL, crl, crl_len), "kyso_verifier_add_evidence");
        free(crl);
    }
    kyso_report *r = NULL;
    check(kyso_verifier_verify(v, sig, sig_len, content, content_len, at, &r), "kyso_verifier_verify");
    size_t n = 0;
    kyso_report_json(r, NULL, 0, &n);
    char *json = malloc(n);
    check(kyso_report_json(r, json, n, &n), "kyso_report_json");
    puts(json);
    free(json);
    kyso_report_free(r);
    kyso_verifier_free(v);
    free(anchors);
    free(sig);
    free(content);
    return 0;
}
