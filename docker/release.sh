#!/usr/bin/env bash
# Cross-build static matcalc release binaries into dist/.
#
#   docker/release.sh            # version from `git describe --tags --always --dirty`
#   VERSION=v1.2.3 docker/release.sh
#
# Produces dist/matcalc-VERSION-OS-ARCH[.exe] for linux/amd64, linux/arm64,
# darwin/arm64 and windows/amd64, plus dist/SHA256SUMS. Every binary is built
# with CGO_ENABLED=0 -trimpath -ldflags "-s -w -X main.version=VERSION", the
# same flags as docker/Dockerfile. Checks: the linux/amd64 binary prints
# "matcalc VERSION" from `matcalc version` and is statically linked; every binary carries VERSION;
# the linux/arm64 one is run too when qemu-aarch64 is installed.
set -euo pipefail

export PATH="$PATH:/usr/local/go/bin"
die() { echo "release.sh: $*" >&2; exit 1; }

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
version=${VERSION:-$(git describe --tags --always --dirty)}
[ -n "$version" ] || die "empty version"
targets=(linux/amd64 linux/arm64 darwin/arm64 windows/amd64)
dist="$root/dist"
mkdir -p "$dist"
rm -f "$dist"/matcalc-* "$dist/SHA256SUMS"

for t in "${targets[@]}"; do
	os=${t%/*} arch=${t#*/}
	ext=""
	[ "$os" = windows ] && ext=.exe
	out="$dist/matcalc-$version-$os-$arch$ext"
	CGO_ENABLED=0 GOOS=$os GOARCH=$arch \
		go build -trimpath -ldflags "-s -w -X main.version=$version" -o "$out" . ||
		die "build for $t failed"
	grep -qaF -- "$version" "$out" || die "$out does not carry the version string $version"
done

linux="$dist/matcalc-$version-linux-amd64"
got=$("$linux" version) || die "$linux version failed"
[ "$got" = "matcalc $version" ] || die "$linux version printed '$got', want 'matcalc $version'"
if readelf -l "$linux" | grep -q INTERP; then
	die "$linux is dynamically linked (has an ELF interpreter)"
fi
if command -v qemu-aarch64 >/dev/null; then
	got=$(qemu-aarch64 "$dist/matcalc-$version-linux-arm64" version) || die "linux/arm64 version failed under qemu"
	[ "$got" = "matcalc $version" ] || die "linux/arm64 version printed '$got', want 'matcalc $version'"
fi

(cd "$dist" && sha256sum matcalc-"$version"-* >SHA256SUMS)
echo "release.sh: version $version"
for t in "${targets[@]}"; do
	os=${t%/*} arch=${t#*/}
	ext=""
	[ "$os" = windows ] && ext=.exe
	f="$dist/matcalc-$version-$os-$arch$ext"
	printf '  %-15s %9d bytes  %s\n' "$t" "$(stat -c %s "$f")" "${f#"$root"/}"
done
