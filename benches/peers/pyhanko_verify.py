"""pyHanko's side of benches/pdf.rs: validate every signature of FILE (its CMS, the chain to
ROOT with OTHER certificates, the difference analysis) N times in one process, and print the
mean time per document in nanoseconds, then each signature's summary.

    python3 pyhanko_verify.py FILE N ROOT.pem [OTHER.pem ...]
"""
import sys
import time

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext


def main():
    path, n, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    others = [load_cert_from_pemder(p) for p in sys.argv[4:]]
    roots = [load_cert_from_pemder(root)]
    data = open(path, "rb").read()

    def once():
        import io
        vc = ValidationContext(trust_roots=roots, other_certs=others, allow_fetching=False,
                               revocation_mode="soft-fail")
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        return [validate_pdf_signature(s, vc) for s in reader.embedded_signatures]

    summary = once()
    start = time.perf_counter_ns()
    for _ in range(n):
        once()
    print((time.perf_counter_ns() - start) / n)
    for s in summary:
        print(s.summary())


main()
