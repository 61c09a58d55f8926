/* The C API as a C program uses it: trust stores, the three verdicts, signing with PKCS#12
 * and on a SoftHSM2 token, and every error path with bad input. Built by ffi/tests/c.rs with
 * gcc (plain, under valgrind, and with AddressSanitizer).
 *
 * usage: test_kyso FIXTURE_DIR SOFTHSM_MODULE
 * FIXTURE_DIR holds root.der (test public root), gov_root.der, sub.der, company.der,
 * company.p12 (password "bí mật"), doc.txt, valid.p7s (detached, over doc.txt),
 * rogue.p7s (signer under a look-alike root), attached.p7s. The SoftHSM2 token "c-api"
 * (PIN 246810) holds the company key with CKA_ID a1.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kyso.h"

static int failures = 0;
static const char *dir;

#define CHECK(cond)                                                                    \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            char detail_[512];                                                         \
            kyso_last_error_message(detail_, sizeof detail_);                          \
            fprintf(stderr, "%s:%d: CHECK(%s) failed (last error: %s)\n", __FILE__,    \
                    __LINE__, #cond, detail_);                                         \
            failures++;                                                                \
        }                                                                              \
    } while (0)

static uint8_t *slurp(const char *name, size_t *len) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* The report's JSON, asked for its size first; the caller frees it. */
static char *json_of(const kyso_report *r) {
    size_t needed = 0;
    CHECK(kyso_report_json(r, NULL, 0, &needed) == KYSO_ERR_BUFFER_TOO_SMALL);
    CHECK(needed > 2);
    char *buf = malloc(needed);
    size_t written = 0;
    CHECK(kyso_report_json(r, buf, needed, &written) == KYSO_OK);
    CHECK(written == needed && buf[needed - 1] == '\0' && strlen(buf) == needed - 1);
    return buf;
}

static uint32_t verify(const kyso_trust_store *ts, const char *sig_name, const uint8_t *content,
                       size_t content_len, char **json) {
    size_t sig_len;
    uint8_t *sig = slurp(sig_name, &sig_len);
    kyso_report *r = NULL;
    uint32_t rc = kyso_verify_cms(ts, sig, sig_len, content, content_len, 0, &r);
    CHECK(rc == KYSO_OK);
    uint32_t v = kyso_report_verdict(r);
    if (json) *json = json_of(r);
    kyso_report_free(r);
    free(sig);
    return v;
}

static void test_version_and_messages(void) {
    CHECK(strlen(kyso_version()) > 0);
    char small[8];
    size_t need = kyso_error_message(KYSO_ERR_WRONG_PIN, small, sizeof small);
    CHECK(need == strlen("wrong PIN") + 1);
    CHECK(strlen(small) == sizeof small - 1); /* truncated, NUL-terminated */
    CHECK(kyso_error_message(KYSO_OK, NULL, 0) == strlen("success") + 1);
    char big[64];
    kyso_error_message(9999, big, sizeof big);
    CHECK(strcmp(big, "unknown result code") == 0);
}

static void test_trust_stores(void) {
    kyso_trust_store *vn = NULL;
    CHECK(kyso_trust_store_new_vietnam(&vn) == KYSO_OK && vn != NULL);
    /* A real VNPT-CA certificate from the bundle chains to the public hierarchy. */
    size_t len;
    uint8_t *vnpt = slurp("vnpt-ca.p7b", &len);
    kyso_report *r = NULL;
    CHECK(kyso_verify_chain(vn, vnpt, len, NULL, 0, 1795000000 /* 2026-11 */, &r) == KYSO_OK);
    CHECK(kyso_report_verdict(r) == KYSO_VALID);
    char *json = json_of(r);
    CHECK(strstr(json, "\"schema\": \"kyso.report/1\"") != NULL);
    CHECK(strstr(json, "\"hierarchy\": \"public\"") != NULL);
    free(json);
    kyso_report_free(r);
    free(vnpt);
    kyso_trust_store_free(vn);

    kyso_trust_store *ts = NULL;
    CHECK(kyso_trust_store_new(&ts) == KYSO_OK);
    uint8_t *root = slurp("root.der", &len);
    CHECK(kyso_trust_store_add(ts, root, len, KYSO_HIERARCHY_PUBLIC) == KYSO_OK);
    CHECK(kyso_trust_store_add(ts, root, len, 77) == KYSO_ERR_INVALID_ARGUMENT);
    CHECK(kyso_trust_store_add(ts, root, len / 2, KYSO_HIERARCHY_CUSTOM) == KYSO_ERR_BAD_INPUT);
    CHECK(kyso_trust_store_add(NULL, root, len, KYSO_HIERARCHY_PUBLIC) == KYSO_ERR_NULL_POINTER);
    CHECK(kyso_trust_store_add(ts, NULL, len, KYSO_HIERARCHY_PUBLIC) == KYSO_ERR_NULL_POINTER);
    free(root);
    kyso_trust_store_free(ts);
    kyso_trust_store_free(NULL);
    CHECK(kyso_trust_store_new(NULL) == KYSO_ERR_NULL_POINTER);
}

static kyso_trust_store *test_store(void) {
    kyso_trust_store *ts = NULL;
    size_t len;
    uint8_t *root = slurp("root.der", &len);
    CHECK(kyso_trust_store_new(&ts) == KYSO_OK);
    CHECK(kyso_trust_store_add(ts, root, len, KYSO_HIERARCHY_PUBLIC) == KYSO_OK);
    free(root);
    /* The licensed CA as a known intermediate: a token holds only the signer's certificate. */
    uint8_t *sub = slurp("sub.der", &len);
    CHECK(kyso_trust_store_add_intermediates(ts, sub, len, KYSO_HIERARCHY_PUBLIC) == KYSO_OK);
    CHECK(kyso_trust_store_add_intermediates(ts, sub, 3, KYSO_HIERARCHY_PUBLIC) == KYSO_ERR_BAD_INPUT);
    free(sub);
    return ts;
}

static void test_verdicts(kyso_trust_store *ts) {
    size_t doc_len;
    uint8_t *doc = slurp("doc.txt", &doc_len);
    char *json = NULL;
    CHECK(verify(ts, "valid.p7s", doc, doc_len, &json) == KYSO_VALID);
    CHECK(strstr(json, "\"schema\": \"kyso.report/1\"") != NULL);
    CHECK(strstr(json, "0109999999") != NULL); /* the company's MST */
    free(json);
    CHECK(verify(ts, "attached.p7s", NULL, 0, NULL) == KYSO_VALID);
    /* The content changed: invalid. */
    doc[0] ^= 1;
    CHECK(verify(ts, "valid.p7s", doc, doc_len, NULL) == KYSO_INVALID);
    doc[0] ^= 1;
    /* A signer under a look-alike root: indeterminate. */
    CHECK(verify(ts, "rogue.p7s", doc, doc_len, NULL) == KYSO_INDETERMINATE);
    /* Hard-fail revocation without evidence: indeterminate. */
    size_t sig_len;
    uint8_t *sig = slurp("valid.p7s", &sig_len);
    kyso_report *r = NULL;
    CHECK(kyso_verify_cms_ex(ts, sig, sig_len, doc, doc_len, 0, KYSO_VERIFY_HARD_FAIL, &r) == KYSO_OK);
    CHECK(kyso_report_verdict(r) == KYSO_INDETERMINATE);
    kyso_report_free(r);
    r = NULL;
    CHECK(kyso_verify_cms_ex(ts, sig, sig_len, doc, doc_len, 0, KYSO_VERIFY_NO_REVOCATION, &r) == KYSO_OK);
    CHECK(kyso_report_verdict(r) == KYSO_VALID);
    /* The validation report: kyso.report/1 JSON, and text in Vietnamese and English. */
    size_t need = 0;
    CHECK(kyso_report_validation_json(r, NULL, 0, &need) == KYSO_ERR_BUFFER_TOO_SMALL);
    char *vjson = malloc(need);
    CHECK(kyso_report_validation_json(r, vjson, need, &need) == KYSO_OK);
    CHECK(strstr(vjson, "\"schema\": \"kyso.report/1\"") != NULL);
    CHECK(strstr(vjson, "\"indication\": \"TOTAL_PASSED\"") != NULL);
    free(vjson);
    CHECK(kyso_report_text(r, KYSO_LANG_VI, NULL, 0, &need) == KYSO_ERR_BUFFER_TOO_SMALL);
    char *text = malloc(need);
    CHECK(kyso_report_text(r, KYSO_LANG_VI, text, need, &need) == KYSO_OK);
    CHECK(strstr(text, "KẾT QUẢ KIỂM TRA CHỮ KÝ SỐ") != NULL);
    CHECK(strstr(text, "Cơ quan, tổ chức quản lý thuê bao") != NULL);
    free(text);
    CHECK(kyso_report_text(r, KYSO_LANG_EN, NULL, 0, &need) == KYSO_ERR_BUFFER_TOO_SMALL);
    text = malloc(need);
    CHECK(kyso_report_text(r, KYSO_LANG_EN, text, need, &need) == KYSO_OK);
    CHECK(strstr(text, "SIGNATURE VALIDATION REPORT") != NULL);
    free(text);
    CHECK(kyso_report_text(r, 7, NULL, 0, &need) == KYSO_ERR_INVALID_ARGUMENT);
    CHECK(kyso_report_text(NULL, KYSO_LANG_VI, NULL, 0, &need) == KYSO_ERR_NULL_POINTER);
    CHECK(kyso_report_validation_json(r, NULL, 0, NULL) == KYSO_ERR_NULL_POINTER);
    kyso_report_free(r);

    /* Error paths: each leaves `out` untouched. */
    kyso_report *untouched = (kyso_report *)0x1;
    CHECK(kyso_verify_cms(ts, sig, sig_len, NULL, 0, 0, &untouched) == KYSO_ERR_CONTENT_MISSING);
    CHECK(kyso_verify_cms(ts, sig, sig_len / 2, doc, doc_len, 0, &untouched) == KYSO_ERR_BAD_SIGNATURE);
    CHECK(kyso_verify_cms(ts, doc, doc_len, NULL, 0, 0, &untouched) == KYSO_ERR_BAD_SIGNATURE);
    CHECK(kyso_verify_cms(NULL, sig, sig_len, doc, doc_len, 0, &untouched) == KYSO_ERR_NULL_POINTER);
    CHECK(kyso_verify_cms(ts, NULL, sig_len, doc, doc_len, 0, &untouched) == KYSO_ERR_NULL_POINTER);
    CHECK(kyso_verify_cms(ts, sig, sig_len, NULL, 5, 0, &untouched) == KYSO_ERR_NULL_POINTER);
    CHECK(kyso_verify_cms(ts, sig, sig_len, doc, doc_len, 0, NULL) == KYSO_ERR_NULL_POINTER);
    CHECK(kyso_verify_cms_ex(ts, sig, sig_len, doc, doc_len, 0, 0x100, &untouched) == KYSO_ERR_INVALID_ARGUMENT);
    CHECK(kyso_verify_chain(ts, doc, doc_len, NULL, 0, 0, &untouched) == KYSO_ERR_BAD_INPUT);
    CHECK(untouched == (kyso_report *)0x1);
    char detail[256];
    kyso_verify_cms(ts, sig, 10, doc, doc_len, 0, &untouched);
    CHECK(kyso_last_error_message(detail, sizeof detail) > 1);
    CHECK(kyso_report_verdict(NULL) == KYSO_INDETERMINATE);
    size_t w = 0;
    CHECK(kyso_report_json(NULL, NULL, 0, &w) == KYSO_ERR_NULL_POINTER);
    kyso_report_free(NULL);
    free(sig);
    free(doc);
}

static void test_sign_pkcs12(kyso_trust_store *ts) {
    size_t p12_len, doc_len;
    uint8_t *p12 = slurp("company.p12", &p12_len);
    uint8_t *doc = slurp("doc.txt", &doc_len);
    uint8_t *sig = NULL;
    size_t sig_len = 0;
    CHECK(kyso_sign_cms_pkcs12(p12, p12_len, "b\xc3\xad m\xe1\xba\xadt", doc, doc_len, 1, &sig, &sig_len) == KYSO_OK);
    kyso_report *r = NULL;
    CHECK(kyso_verify_cms(ts, sig, sig_len, doc, doc_len, 0, &r) == KYSO_OK);
    CHECK(kyso_report_verdict(r) == KYSO_VALID);
    kyso_report_free(r);
    kyso_bytes_free(sig, sig_len);
    /* Attached, checked against the store before signing. */
    sig = NULL;
    CHECK(kyso_sign_cms_pkcs12_ex(p12, p12_len, "b\xc3\xad m\xe1\xba\xadt", doc, doc_len, KYSO_SIGN_PSS, ts, &sig, &sig_len) == KYSO_OK);
    r = NULL;
    CHECK(kyso_verify_cms(ts, sig, sig_len, NULL, 0, 0, &r) == KYSO_OK);
    CHECK(kyso_report_verdict(r) == KYSO_VALID);
    kyso_report_free(r);
    kyso_bytes_free(sig, sig_len);
    /* The pre-signing check refuses a certificate that does not chain to the store. */
    kyso_trust_store *empty = NULL;
    kyso_trust_store_new(&empty);
    uint8_t *untouched = (uint8_t *)0x1;
    CHECK(kyso_sign_cms_pkcs12_ex(p12, p12_len, "b\xc3\xad m\xe1\xba\xadt", doc, doc_len, 0, empty, &untouched, &sig_len) == KYSO_ERR_CERTIFICATE_REFUSED);
    kyso_trust_store_free(empty);
    /* Wrong password, truncated file, bad flags, NULLs. */
    CHECK(kyso_sign_cms_pkcs12(p12, p12_len, "wrong", doc, doc_len, 1, &untouched, &sig_len) == KYSO_ERR_WRONG_PASSWORD);
    CHECK(kyso_sign_cms_pkcs12(p12, p12_len / 3, "x", doc, doc_len, 1, &untouched, &sig_len) == KYSO_ERR_KEY);
    CHECK(kyso_sign_cms_pkcs12_ex(p12, p12_len, "x", doc, doc_len, 0x80, NULL, &untouched, &sig_len) == KYSO_ERR_INVALID_ARGUMENT);
    CHECK(kyso_sign_cms_pkcs12(NULL, 0, "x", doc, doc_len, 1, &untouched, &sig_len) == KYSO_ERR_NULL_POINTER);
    CHECK(kyso_sign_cms_pkcs12(p12, p12_len, "x", doc, doc_len, 1, NULL, &sig_len) == KYSO_ERR_NULL_POINTER);
    CHECK(kyso_sign_cms_pkcs12(p12, p12_len, "\xff\xfe", doc, doc_len, 1, &untouched, &sig_len) == KYSO_ERR_INVALID_ARGUMENT);
    CHECK(untouched == (uint8_t *)0x1);
    kyso_bytes_free(NULL, 0);
    free(p12);
    free(doc);
}

static void test_sign_pkcs11(kyso_trust_store *ts, const char *module) {
    size_t doc_len;
    uint8_t *doc = slurp("doc.txt", &doc_len);
    const uint8_t id[] = {0xa1};
    uint8_t *sig = NULL;
    size_t sig_len = 0;
    CHECK(kyso_sign_cms_pkcs11(module, "c-api", "246810", id, sizeof id, doc, doc_len, 1, &sig, &sig_len) == KYSO_OK);
    kyso_report *r = NULL;
    CHECK(kyso_verify_cms(ts, sig, sig_len, doc, doc_len, 0, &r) == KYSO_OK);
    CHECK(kyso_report_verdict(r) == KYSO_VALID);
    kyso_report_free(r);
    kyso_bytes_free(sig, sig_len);
    uint8_t *untouched = (uint8_t *)0x1;
    CHECK(kyso_sign_cms_pkcs11(module, "c-api", "000000", id, sizeof id, doc, doc_len, 1, &untouched, &sig_len) == KYSO_ERR_WRONG_PIN);
    CHECK(kyso_sign_cms_pkcs11(module, "no-such-token", "246810", NULL, 0, doc, doc_len, 1, &untouched, &sig_len) == KYSO_ERR_NO_TOKEN);
    const uint8_t other[] = {0x09};
    CHECK(kyso_sign_cms_pkcs11(module, "c-api", "246810", other, 1, doc, doc_len, 1, &untouched, &sig_len) == KYSO_ERR_NO_KEY);
    CHECK(kyso_sign_cms_pkcs11("/nonexistent/libnothing.so", NULL, "1", NULL, 0, doc, doc_len, 1, &untouched, &sig_len) == KYSO_ERR_PKCS11_MODULE);
    CHECK(kyso_sign_cms_pkcs11(module, "c-api", NULL, id, 1, doc, doc_len, 1, &untouched, &sig_len) == KYSO_ERR_NULL_POINTER);
    CHECK(untouched == (uint8_t *)0x1);
    free(doc);
}

/* One trust store shared read-only by several threads, each with its own reports. */
struct job {
    const kyso_trust_store *ts;
    const uint8_t *sig, *doc;
    size_t sig_len, doc_len;
    int valid;
};

static void *verify_many(void *arg) {
    struct job *j = arg;
    for (int i = 0; i < 10; i++) {
        kyso_report *r = NULL;
        if (kyso_verify_cms(j->ts, j->sig, j->sig_len, j->doc, j->doc_len, 0, &r) == KYSO_OK &&
            kyso_report_verdict(r) == KYSO_VALID)
            j->valid++;
        kyso_report_free(r);
    }
    return NULL;
}

/* The kyso.auth/1 JSON of a login result, malloc'ed. */
static char *auth_json(const kyso_auth_result *r) {
    size_t needed = 0, written = 0;
    CHECK(kyso_auth_result_json(r, NULL, 0, &needed) == KYSO_ERR_BUFFER_TOO_SMALL);
    char *buf = malloc(needed);
    CHECK(kyso_auth_result_json(r, buf, needed, &written) == KYSO_OK && written == needed);
    return buf;
}

/* Login by certificate: a challenge, a response in each form (PKCS#12 and the SoftHSM2
 * token), checked once; a replay, another audience, another challenge, an unreadable one. */
static void test_auth(kyso_trust_store *ts, const char *module) {
    const char *aud = "https://dichvucong.example.vn";
    kyso_verifier *v = NULL;
    CHECK(kyso_verifier_new(ts, 0, &v) == KYSO_OK);
    kyso_authenticator *a = NULL;
    CHECK(kyso_authenticator_new(v, aud, &a) == KYSO_OK);
    kyso_verifier_free(v); /* the authenticator keeps its own */
    size_t p12_len;
    uint8_t *p12 = slurp("company.p12", &p12_len);
    const uint32_t forms[] = {KYSO_AUTH_FORM_RAW, KYSO_AUTH_FORM_CMS, KYSO_AUTH_FORM_JWS};
    for (int i = 0; i < 4; i++) {
        uint8_t *ch = NULL, *resp = NULL;
        size_t ch_len = 0, resp_len = 0;
        CHECK(kyso_auth_challenge(aud, 300, "\u0110\u0103ng nh\u1eadp", 0, &ch, &ch_len) == KYSO_OK);
        CHECK(ch_len > 0 && memcmp(ch, "{\"schema\":\"kyso.auth-challenge/1\"", 33) == 0);
        if (i < 3) {
            CHECK(kyso_auth_respond_pkcs12(ch, ch_len, p12, p12_len, "b\xc3\xad m\xe1\xba\xadt", forms[i], &resp, &resp_len) == KYSO_OK);
        } else {
            const uint8_t id[] = {0xa1};
            CHECK(kyso_auth_respond_pkcs11(module, "c-api", "246810", id, sizeof id, ch, ch_len, KYSO_AUTH_FORM_JWS, &resp, &resp_len) == KYSO_OK);
        }
        kyso_auth_result *r = NULL;
        CHECK(kyso_auth_verify(a, ch, ch_len, resp, resp_len, 0, &r) == KYSO_OK);
        CHECK(kyso_auth_result_refusal(r) == KYSO_AUTH_ACCEPTED);
        char *json = auth_json(r);
        CHECK(strstr(json, "\"accepted\": true") != NULL);
        CHECK(strstr(json, "0109999999") != NULL);
        CHECK(strstr(json, "\"hierarchy\": \"public\"") != NULL);
        free(json);
        kyso_auth_result_free(r);
        /* Used once: the same response again is a replay. */
        CHECK(kyso_auth_verify(a, ch, ch_len, resp, resp_len, 0, &r) == KYSO_OK);
        CHECK(kyso_auth_result_refusal(r) == KYSO_AUTH_REPLAYED);
        json = auth_json(r);
        CHECK(strstr(json, "\"error\": \"replayed\"") != NULL);
        free(json);
        kyso_auth_result_free(r);
        /* A response to this challenge offered for another one. */
        uint8_t *other = NULL;
        size_t other_len = 0;
        CHECK(kyso_auth_challenge(aud, 300, NULL, 0, &other, &other_len) == KYSO_OK);
        CHECK(kyso_auth_verify(a, other, other_len, resp, resp_len, 0, &r) == KYSO_OK);
        CHECK(kyso_auth_result_refusal(r) == (forms[i < 3 ? i : 2] == KYSO_AUTH_FORM_RAW ? KYSO_AUTH_BAD_SIGNATURE : KYSO_AUTH_OTHER_CHALLENGE));
        kyso_auth_result_free(r);
        kyso_bytes_free(other, other_len);
        kyso_bytes_free(resp, resp_len);
        kyso_bytes_free(ch, ch_len);
    }
    /* Another relying party's challenge; an expired one; unreadable input; bad arguments. */
    uint8_t *ch = NULL, *resp = NULL;
    size_t ch_len = 0, resp_len = 0;
    CHECK(kyso_auth_challenge("https://other.example.vn", 300, NULL, 0, &ch, &ch_len) == KYSO_OK);
    CHECK(kyso_auth_respond_pkcs12(ch, ch_len, p12, p12_len, "b\xc3\xad m\xe1\xba\xadt", KYSO_AUTH_FORM_RAW, &resp, &resp_len) == KYSO_OK);
    kyso_auth_result *r = NULL;
    CHECK(kyso_auth_verify(a, ch, ch_len, resp, resp_len, 0, &r) == KYSO_OK);
    CHECK(kyso_auth_result_refusal(r) == KYSO_AUTH_WRONG_AUDIENCE);
    kyso_auth_result_free(r);
    kyso_bytes_free(resp, resp_len);
    kyso_bytes_free(ch, ch_len);
    CHECK(kyso_auth_challenge(aud, 60, NULL, 1767225600 /* 2026-01-01 */, &ch, &ch_len) == KYSO_OK);
    CHECK(kyso_auth_respond_pkcs12(ch, ch_len, p12, p12_len, "b\xc3\xad m\xe1\xba\xadt", KYSO_AUTH_FORM_CMS, &resp, &resp_len) == KYSO_OK);
    CHECK(kyso_auth_verify(a, ch, ch_len, resp, resp_len, 0, &r) == KYSO_OK);
    CHECK(kyso_auth_result_refusal(r) == KYSO_AUTH_EXPIRED);
    kyso_auth_result_free(r);
    kyso_auth_result *untouched = (kyso_auth_result *)0x1;
    uint8_t *live = NULL;
    size_t live_len = 0;
    CHECK(kyso_auth_challenge(aud, 60, NULL, 0, &live, &live_len) == KYSO_OK);
    CHECK(kyso_auth_verify(a, live, live_len, (const uint8_t *)"not a response", 14, 0, &untouched) == KYSO_ERR_BAD_INPUT);
    kyso_bytes_free(live, live_len);
    CHECK(kyso_auth_verify(a, (const uint8_t *)"{}", 2, resp, resp_len, 0, &untouched) == KYSO_ERR_BAD_INPUT);
    CHECK(kyso_auth_verify(NULL, ch, ch_len, resp, resp_len, 0, &untouched) == KYSO_ERR_NULL_POINTER);
    CHECK(untouched == (kyso_auth_result *)0x1);
    uint8_t *none = (uint8_t *)0x1;
    size_t none_len = 0;
    CHECK(kyso_auth_respond_pkcs12(ch, ch_len, p12, p12_len, "b\xc3\xad m\xe1\xba\xadt", 9, &none, &none_len) == KYSO_ERR_INVALID_ARGUMENT);
    CHECK(kyso_auth_respond_pkcs12(ch, ch_len, p12, p12_len, "wrong", KYSO_AUTH_FORM_RAW, &none, &none_len) == KYSO_ERR_WRONG_PASSWORD);
    CHECK(kyso_auth_respond_pkcs11(module, "c-api", "000000", NULL, 0, ch, ch_len, KYSO_AUTH_FORM_RAW, &none, &none_len) == KYSO_ERR_WRONG_PIN);
    CHECK(kyso_auth_challenge(aud, 0, NULL, 0, &none, &none_len) == KYSO_ERR_INVALID_ARGUMENT);
    CHECK(kyso_auth_challenge(NULL, 60, NULL, 0, &none, &none_len) == KYSO_ERR_NULL_POINTER);
    CHECK(none == (uint8_t *)0x1);
    CHECK(kyso_auth_result_refusal(NULL) == KYSO_AUTH_CERTIFICATE_REFUSED);
    kyso_bytes_free(resp, resp_len);
    kyso_bytes_free(ch, ch_len);
    kyso_auth_result_free(NULL);
    kyso_authenticator_free(NULL);
    kyso_authenticator_free(a);
    free(p12);
}

static void test_threads(kyso_trust_store *ts) {
    size_t sig_len, doc_len;
    uint8_t *sig = slurp("valid.p7s", &sig_len);
    uint8_t *doc = slurp("doc.txt", &doc_len);
    pthread_t t[4];
    struct job jobs[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (struct job){ts, sig, doc, sig_len, doc_len, 0};
        CHECK(pthread_create(&t[i], NULL, verify_many, &jobs[i]) == 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        CHECK(jobs[i].valid == 10);
    }
    free(sig);
    free(doc);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s FIXTURE_DIR SOFTHSM_MODULE\n", argv[0]);
        return 2;
    }
    dir = argv[1];
    test_version_and_messages();
    test_trust_stores();
    kyso_trust_store *ts = test_store();
    test_verdicts(ts);
    test_threads(ts);
    test_sign_pkcs12(ts);
    test_sign_pkcs11(ts, argv[2]);
    test_auth(ts, argv[2]);
    kyso_trust_store_free(ts);
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("C API: all checks passed\n");
    return 0;
}
