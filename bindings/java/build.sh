#!/usr/bin/env bash
# Build bindings/java/kyso.jar offline, from the sources here and Debian's JNA (libjna-java,
# /usr/share/java/jna.jar; JNA_JAR overrides). `--bundle PATH/libkyso.so [OUT.jar]` puts the
# library in the jar (linux-x86-64/), where JNA finds it without jna.library.path, and writes
# OUT.jar instead when given. The jar's manifest carries the workspace version, which tests
# check against kyso_version().
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bundle=""
out="$here/kyso.jar"
if [ "${1:-}" = "--bundle" ]; then
  bundle="$(realpath "${2:?--bundle needs the path of libkyso.so}")"
  if [ -n "${3:-}" ]; then out="$(realpath -m "$3")"; fi
fi
cd "$here"
jna="${JNA_JAR:-/usr/share/java/jna.jar}"
[ -f "$jna" ] || { echo "JNA is required: $jna (Debian: apt-get install libjna-java)" >&2; exit 1; }
version="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' ../../Cargo.toml)"
[ -n "$version" ] || { echo "no workspace version in Cargo.toml" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/classes"
javac --release 17 -Xlint:all -Werror -encoding UTF-8 -cp "$jna" -d "$work/classes" $(find src -name '*.java' | sort)
if [ -n "$bundle" ]; then
  mkdir -p "$work/classes/linux-x86-64"
  cp "$bundle" "$work/classes/linux-x86-64/libkyso.so"
fi
cat > "$work/manifest" <<MF
Implementation-Title: kyso
Implementation-Version: $version
Automatic-Module-Name: vn.kyso
MF
jar --create --file "$out" --manifest "$work/manifest" -C "$work/classes" .
echo "$out (kyso $version${bundle:+, libkyso bundled})"
