package vn.kyso;

/** A report's bottom line (ETSI EN 319 102-1: TOTAL_PASSED, TOTAL_FAILED, INDETERMINATE). */
public enum Verdict {
    /** Every signature verifies, with a trusted chain. */
    VALID,
    /** A signature does not verify, or its certificate was revoked. */
    INVALID,
    /** It cannot be decided: no trusted chain, missing evidence, an unsupported format. */
    INDETERMINATE;

    static Verdict of(int code) {
        switch (code) {
            case 0:
                return VALID;
            case 1:
                return INVALID;
            default:
                return INDETERMINATE;
        }
    }
}
