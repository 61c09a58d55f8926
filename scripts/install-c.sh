#!/usr/bin/env bash
# Install the C library: scripts/install-c.sh PREFIX
#   PREFIX/lib/libkyso.so.VERSION, libkyso.so.0 (the soname) and libkyso.so, libkyso.a,
#   PREFIX/include/kyso/kyso.h, PREFIX/lib/pkgconfig/kyso.pc (pointing at PREFIX), so a
#   program builds with `pkg-config --cflags --libs kyso` and `#include <kyso.h>`.
# Builds libkyso in release (KYSO_BUILD_PROFILE=debug reuses a debug build, as the tests do).
#
# This is what cargo-c's `cargo cinstall` does; cargo-c itself is not used because it is
# built from source here (it compiles cargo: 13 minutes on this machine's two cores).
set -euo pipefail
prefix="${1:?usage: scripts/install-c.sh PREFIX}"
root="$(cd "$(dirname "$0")/.." && pwd)"
profile="${KYSO_BUILD_PROFILE:-release}"
case "$profile" in
  release) (cd "$root" && cargo build --locked --release -p kyso-ffi) ;;
  debug) (cd "$root" && cargo build --locked -p kyso-ffi) ;;
  *) echo "KYSO_BUILD_PROFILE is release or debug" >&2; exit 2 ;;
esac
target="${CARGO_TARGET_DIR:-$root/target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac
built="$target/$profile"
version="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' "$root/Cargo.toml")"
mkdir -p "$prefix"
prefix="$(cd "$prefix" && pwd)"
install -d "$prefix/lib/pkgconfig" "$prefix/include/kyso"
install -m 755 "$built/libkyso.so" "$prefix/lib/libkyso.so.$version"
ln -sf "libkyso.so.$version" "$prefix/lib/libkyso.so.0"
ln -sf "libkyso.so.0" "$prefix/lib/libkyso.so"
install -m 644 "$built/libkyso.a" "$prefix/lib/libkyso.a"
install -m 644 "$root/ffi/include/kyso.h" "$prefix/include/kyso/kyso.h"
cat > "$prefix/lib/pkgconfig/kyso.pc" <<PC
prefix=$prefix
libdir=\${prefix}/lib
includedir=\${prefix}/include/kyso

Name: kyso
Description: Digital signatures across Vietnam's VGCA and NEAC PKIs (C API)
Version: $version
Cflags: -I\${includedir}
Libs: -L\${libdir} -lkyso
Libs.private: -lpthread -ldl -lm
PC
echo "installed libkyso $version into $prefix"
