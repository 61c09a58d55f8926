#!/usr/bin/env bash
# Run fuzz targets for a while each and print execs/s and coverage growth.
#   scripts/fuzz.sh [SECONDS] [TARGET...]     (default: 60 seconds, every target)
# Uses the nightly toolchain when installed, else stable with RUSTC_BOOTSTRAP=1. New corpus
# entries land in fuzz/corpus/<target>/ and crashes in fuzz/artifacts/<target>/; minimise a
# crash (cargo fuzz tmin) into fuzz/regressions/<target>/ so tests/fuzz_replay.rs guards it.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"; shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(certificate bundle crl ocsp cms tsp identity path cms_verify capi xml_c14n xml_verify pdf_reader pdf_byterange pdf_verify pdf_sparse)
command -v cargo-fuzz >/dev/null 2>&1 || cargo install --locked cargo-fuzz --version 0.13.2
if rustup toolchain list 2>/dev/null | grep -q nightly; then
  fuzz=(cargo +nightly fuzz)
else
  export RUSTC_BOOTSTRAP=1
  rm -f fuzz/target/.rustc_info.json
  fuzz=(cargo fuzz)
fi
shared="${KYSO_SHARED:-../shared}"
seeds=("$shared/vectors/cms" "$shared/vectors/crl" "$shared/vectors/ocsp" "$shared/vectors/tsp" "$shared/vn-trust/raw-p7b")
# XML targets start from the W3C/xmlsec suite and the real Vietnamese documents.
xml_seeds=("$shared/vectors/xmldsig/merlin-xmldsig-twenty-three" "$shared/vectors/xmldsig/aleksey-xmldsig-01" "$shared/vectors/xmldsig/merlin-c14n-three" "$shared/vectors/xmldsig/merlin-exc-c14n-one" "$shared/vectors/xmldsig/c14n" "test-vectors/xml/vn")
# PDF targets start from pyHanko's corpus and the real Vietnamese PDFs.
pdf_seeds=("$shared/vectors/pdf/pyhanko/pdf" "$shared/vectors/pdf/pyhanko/pdf/coverage-anomalies" "$shared/vectors/pdf/vn")
failed=0
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  before=$(ls "fuzz/corpus/$t" | wc -l)
  echo "== $t: ${secs}s"
  log=$(mktemp)
  status=0
  case "$t" in xml_*) use=("${xml_seeds[@]}") ;; pdf_*) use=("${pdf_seeds[@]}") ;; *) use=("${seeds[@]}") ;; esac
  existing=()
  for d in "${use[@]}"; do [ -d "$d" ] && existing+=("$d"); done
  "${fuzz[@]}" run "$t" "fuzz/corpus/$t" "${existing[@]}" -- -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 >"$log" 2>&1 || status=$?
  # Coverage at start (INITED) and at the end (DONE), execs/s, and any finding.
  grep -E "^#[0-9]+.*INITED" "$log" | head -1 || true
  grep -E "^#[0-9]+.*DONE|Done [0-9]+ runs|SUMMARY|ERROR|panicked" "$log" | tail -3 || true
  if [ "$status" -eq 0 ]; then
    rm -f "$log"
  else
    mkdir -p "fuzz/artifacts/$t" && mv "$log" "fuzz/artifacts/$t/run.log"
    echo "   $t stopped with status $status: fuzz/artifacts/$t/ (log in run.log)"
    failed=1
  fi
  after=$(ls "fuzz/corpus/$t" | wc -l)
  echo "   corpus $before -> $after files"
done
exit "$failed"
