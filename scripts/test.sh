#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine with Rust stable (run as root, or with
# the tools below already installed). Installs what the tests need, then runs formatting,
# lints, docs and every test. With CI=true a missing tool is a failure, never a skip.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
dpkg -s libssl-dev >/dev/null 2>&1 || need_apt+=(libssl-dev)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
command -v gcc >/dev/null 2>&1 || need_apt+=(gcc)
command -v softhsm2-util >/dev/null 2>&1 || need_apt+=(softhsm2)
command -v pkcs11-tool >/dev/null 2>&1 || need_apt+=(opensc)
command -v valgrind >/dev/null 2>&1 || need_apt+=(valgrind)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3 python3-pip python3-venv)
# A new virtualenv receives the wheel pip builds (Debian's python3 needs python3-venv for it).
command -v python3 >/dev/null 2>&1 && ! python3 -c 'import ensurepip' >/dev/null 2>&1 && need_apt+=(python3-venv)
# XML signature peers: libxmlsec1's command line, and the JDK's own javax.xml.crypto.dsig.
command -v xmlsec1 >/dev/null 2>&1 || need_apt+=(xmlsec1)
command -v javac >/dev/null 2>&1 || need_apt+=(default-jdk-headless)
# The Java binding's JNA (bindings/java/build.sh builds offline against it).
[ -f /usr/share/java/jna.jar ] || need_apt+=(libjna-java)
# PDF peers: poppler's pdfsig and pdftoppm, qpdf.
command -v pdfsig >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v qpdf >/dev/null 2>&1 || need_apt+=(qpdf)
# A TLS client of the client-certificate tests (openssl s_client is the other).
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
# A font with Vietnamese glyphs for visible PDF signatures.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== [${SECONDS}s] installing: ${need_apt[*]}"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  fi
fi
for tool in openssl cargo rustfmt cargo-clippy softhsm2-util pkcs11-tool gcc valgrind python3 xmlsec1 javac java jar pdfsig pdftoppm qpdf curl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "missing tool: $tool" >&2; exit 1; }
done
[ -f /usr/share/java/jna.jar ] || { echo "missing: JNA (/usr/share/java/jna.jar, Debian's libjna-java)" >&2; exit 1; }
# pytest drives the Python binding's suite (run from ffi/tests/c.rs).
if ! python3 -c 'import pytest' >/dev/null 2>&1; then
  echo "== [${SECONDS}s] installing pytest"
  python3 -m pip install --quiet pytest 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages pytest \
    || { [ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pytest >/dev/null; } \
    || true
fi
python3 -c 'import pytest' >/dev/null 2>&1 || { echo "missing tool: pytest" >&2; exit 1; }
# signxml (over lxml and cryptography) is an XML signature peer of tests/xml_sign.rs.
if ! python3 -c 'import signxml' >/dev/null 2>&1; then
  echo "== [${SECONDS}s] installing signxml"
  python3 -m pip install --quiet signxml 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages signxml \
    || true
fi
python3 -c 'import signxml' >/dev/null 2>&1 || { echo "missing tool: signxml (PyPI)" >&2; exit 1; }
# pyHanko (its library and its command line, a separate package) is the PDF peer of tests/pdf.rs.
if ! python3 -c 'import pyhanko.cli' >/dev/null 2>&1; then
  echo "== [${SECONDS}s] installing pyHanko"
  python3 -m pip install --quiet pyhanko pyhanko-cli 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages pyhanko pyhanko-cli \
    || true
fi
python3 -c 'import pyhanko.cli' >/dev/null 2>&1 || { echo "missing tool: pyHanko (PyPI)" >&2; exit 1; }
openssl version | grep -q '^OpenSSL 3' || { echo "OpenSSL 3 is required, found: $(openssl version)" >&2; exit 1; }

# The public test data (PKITS, Wycheproof, the CMS/CRL/OCSP/TSP samples, the Vietnamese CA
# certificates) is read from ../shared; under CI a missing folder is a failure, not a skip.
shared="${KYSO_SHARED:-$PWD/../shared}"
if [ ! -d "$shared/vectors" ] || [ ! -d "$shared/vn-trust" ]; then
  if [ "${CI:-}" = true ]; then
    echo "CI=true: the public test data is missing ($shared/vectors, $shared/vn-trust)" >&2
    exit 1
  fi
  echo "== [${SECONDS}s] $shared is missing: the tests that read the public vectors will say they were skipped"
fi

# Everything cargo needs is downloaded first, so the offline steps below work on a machine
# that has never built the project (an empty CARGO_HOME).
echo "== [${SECONDS}s] cargo fetch (the workspace, locked)"
cargo fetch --locked
# cargo-deny is built from source when missing (minutes on 2 cores): in the background at the
# lowest priority, on the cycles the steps below leave idle; its checks run at the end.
deny_log="$(mktemp)"
deny_pid=
if ! command -v cargo-deny >/dev/null 2>&1; then
  echo "== [${SECONDS}s] building cargo-deny in the background"
  nice -n 19 cargo install --locked --quiet cargo-deny >"$deny_log" 2>&1 &
  deny_pid=$!
  # A failing step ends the run; the background build with it.
  trap '[ -n "$deny_pid" ] && kill "$deny_pid" 2>/dev/null || true' EXIT
fi
echo "== [${SECONDS}s] cargo fmt --check"
cargo fmt --all -- --check
echo "== [${SECONDS}s] cargo clippy (all targets, all features, warnings denied)"
cargo clippy --workspace --all-targets --all-features -- -D warnings
echo "== [${SECONDS}s] cargo doc (warnings denied)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --all-features
echo "== [${SECONDS}s] tests: both crypto providers"
cargo test --workspace --all-features
echo "== [${SECONDS}s] the default kyso binary: no demo, so no test key in it"
cargo test -q -p kyso-cli --test cli without_the_demo_feature
echo "== [${SECONDS}s] tests: pure-Rust provider alone (no aws-lc-rs in the library)"
# The library's and integration tests; the doc examples ran above and do not depend on the
# provider.
cargo test -p kyso --no-default-features --features rustcrypto --lib --tests
echo "== [${SECONDS}s] Python: pip builds a wheel carrying libkyso (maturin) into a new virtualenv"
venv="$(mktemp -d)"
python3 -m venv "$venv"
# The debug profile reuses what the tests built; a user's pip install builds release.
PIP_ROOT_USER_ACTION=ignore MATURIN_PEP517_ARGS="--profile dev" "$venv/bin/pip" install --quiet ./bindings/python
# From another folder, with no KYSO_LIBRARY: the library is the wheel's own.
(cd / && env -u KYSO_LIBRARY VIRTUAL_ENV_DIR="$venv" "$venv/bin/python" -c '
import kyso, os
assert kyso.TrustStore.vietnam()
assert kyso.version() == kyso.__version__
assert os.path.dirname(kyso.__file__).startswith(os.environ["VIRTUAL_ENV_DIR"])
print("kyso", kyso.version(), "from its wheel")')
decree="$(ls "$shared"/vectors/pdf/vn/vn-real-01*.pdf 2>/dev/null | head -1 || true)"
if [ -n "$decree" ]; then
  report="$(cd / && env -u KYSO_LIBRARY "$venv/bin/python" -m kyso verify "$decree" --lang en)"
  grep -q 'VALID (TOTAL_PASSED)' <<<"$report"
  echo "   python -m kyso verify: a real decree is VALID"
fi
rm -rf "$venv"
echo "== [${SECONDS}s] demo"
cargo run -q -p kyso-cli --features demo -- demo >/dev/null
if [ -n "$deny_pid" ] && ! wait "$deny_pid"; then
  cat "$deny_log" >&2
  echo "cargo install cargo-deny failed" >&2
  exit 1
fi
deny_pid=
rm -f "$deny_log"
echo "== [${SECONDS}s] cargo deny: licences, bans, sources (offline); advisories when the database is reachable"
cargo deny --offline check licenses bans sources
if cargo deny fetch db >/dev/null 2>&1; then
  cargo deny check advisories
else
  echo "   advisory database unreachable (offline): advisories NOT checked in this run"
fi
echo "all checks passed in ${SECONDS}s"
