package vn.kyso;

/** Which hierarchy an anchor belongs to. */
public enum Hierarchy {
    /** The government-specialised hierarchy (Ban Cơ yếu Chính phủ, VGCA). */
    GOVERNMENT(1),
    /** The public hierarchy under the national root CA (NEAC). */
    PUBLIC(2),
    /** An anchor of your own (a test PKI, a private CA). */
    CUSTOM(3);

    final int code;

    Hierarchy(int code) {
        this.code = code;
    }
}
