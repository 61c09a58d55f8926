"""``python -m kyso verify FILE``: as ``kyso verify``, through the Python binding.

    python -m kyso verify SIGNATURE [--content FILE] [--anchor FILE]... [--json] [--lang vi|en]
        [--hard-fail] [--no-revocation] [--legacy] [--online] [--profile vietnam|strict]
    python -m kyso version

Trust: both Vietnamese hierarchies, or only the ``--anchor`` files given. A detached
signature ``doc.pdf.p7s`` finds ``doc.pdf`` beside it unless ``--content`` says otherwise.
Exit status as the command's: 0 valid, 1 invalid, 2 indeterminate or an error.
"""

import argparse
import os
import pathlib
import sys

import kyso


def _lang():
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "vi" if value.startswith("vi") else "en"
    return "en"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kyso", description="kyso through its Python binding")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("version", help="print the library's version")
    v = sub.add_parser("verify", help="verify a CMS / CAdES signature, a signed XML document or a signed PDF")
    v.add_argument("signature", type=pathlib.Path)
    v.add_argument("--content", type=pathlib.Path, help="the detached content")
    v.add_argument("--anchor", type=pathlib.Path, action="append", default=[],
                   help="trust these certificates (instead of both Vietnamese hierarchies)")
    v.add_argument("--json", action="store_true", help="print kyso.report/1 JSON")
    v.add_argument("--lang", choices=("vi", "en"), help="the report's language (default: the locale's)")
    v.add_argument("--hard-fail", action="store_true", help="missing revocation evidence is INDETERMINATE")
    v.add_argument("--no-revocation", action="store_true", help="do not check revocation")
    v.add_argument("--legacy", action="store_true", help="accept SHA-1 and RSA under 2048 bits")
    v.add_argument("--online", action="store_true", help="fetch CRLs and OCSP responses")
    v.add_argument("--profile", choices=("vietnam", "strict"), default="vietnam")
    args = parser.parse_args(argv)
    if args.command == "version":
        print(kyso.version())
        return 0
    try:
        if args.anchor:
            store = kyso.TrustStore()
            for a in args.anchor:
                store.add(a, kyso.CUSTOM)
        else:
            store = kyso.TrustStore.vietnam()
        flags = ((kyso.HARD_FAIL if args.hard_fail else 0) | (kyso.NO_REVOCATION if args.no_revocation else 0)
                 | (kyso.LEGACY if args.legacy else 0) | (kyso.ONLINE if args.online else 0))
        content = args.content
        if content is None and args.signature.suffix in (".p7s", ".p7m", ".sig"):
            beside = args.signature.with_suffix("")
            if beside.is_file():
                content = beside
        with store, kyso.Verifier(store, flags=flags, profile=args.profile) as verifier:
            report = verifier.verify(args.signature, content)
    except (kyso.KysoError, OSError) as e:
        print(f"kyso: {e}", file=sys.stderr)
        return 2
    code = {"valid": 0, "invalid": 1}.get(report.verdict, 2)
    try:
        print(report.json if args.json else report.text(args.lang or _lang()))
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped reading (`| head`, `| grep -q`): the verdict still stands as the
        # exit code, and Python must not complain again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return code


if __name__ == "__main__":
    sys.exit(main())
