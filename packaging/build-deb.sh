#!/usr/bin/env bash
# Builds the Debian package myvpn_<version>_<arch>.deb from this source tree, with dpkg-deb alone
# (no debhelper): the NativeAOT executable at /usr/bin/myvpn, the systemd units of packaging/systemd/
# in /lib/systemd/system/, the example configs in /usr/share/doc/myvpn/examples/, the man page
# myvpn(8), the copyright file and the maintainer scripts of packaging/debian/.
# The version is the one Directory.Build.props sets (and `myvpn --version` prints).
# Usage: packaging/build-deb.sh [OUTDIR]      (default: the current directory)
# Needs dotnet; installs clang, zlib1g-dev and binutils if missing (as root), as the build needs them.
set -euo pipefail
outdir=$(realpath "${1:-.}")
cd "$(dirname "$0")/.."

die() { echo "build-deb.sh: $*" >&2; exit 1; }

command -v dotnet >/dev/null || die "dotnet is not installed (the .NET 10 SDK builds the executable)"
command -v dpkg-deb >/dev/null || die "dpkg-deb is missing (apt-get install dpkg)"
# Debian package for each tool the build uses; only the missing ones are installed.
declare -A needed=([clang]=clang [objdump]=binutils)
missing=()
for tool in "${!needed[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${needed[$tool]}")
done
[ -f /usr/include/zlib.h ] || missing+=(zlib1g-dev) # clang and zlib: the NativeAOT publish links with them
if [ "${#missing[@]}" -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || die "missing Debian packages ${missing[*]} (install them as root: apt-get install ${missing[*]})"
  echo "build-deb.sh: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "Directory.Build.props: <Version> '$version' is not N.N.N"
arch=$(dpkg --print-architecture)
mkdir -p "$outdir"
deb="$outdir/myvpn_${version}_${arch}.deb"

work=$(mktemp -d -t myvpn-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT
umask 022

# The executable: NativeAOT, the same publish run-netns-tests.sh tests (restores by itself; a
# second publish of an unchanged tree reuses obj/ and takes seconds).
echo "build-deb.sh: publishing src/MyVpn (NativeAOT)"
dotnet publish src/MyVpn -c Release -o "$work/publish" -nologo -v quiet
printed=$("$work/publish/myvpn" --version)
[ "$printed" = "$version" ] || die "the executable says version '$printed', Directory.Build.props '$version'"

root="$work/root"
install -D -m 0755 "$work/publish/myvpn" "$root/usr/bin/myvpn"
units=(packaging/systemd/*.service)
if [ -e "${units[0]}" ]; then
  install -d "$root/lib/systemd/system"
  install -m 0644 "${units[@]}" "$root/lib/systemd/system/"
else
  echo "build-deb.sh: no units in packaging/systemd/; the package has none" >&2
fi
doc="$root/usr/share/doc/myvpn"
install -D -m 0644 examples/server.toml "$doc/examples/server.toml"
install -m 0644 examples/client.toml "$doc/examples/client.toml"
install -m 0644 packaging/debian/copyright "$doc/copyright"
gzip -9n -c docs/operations.md > "$doc/operations.md.gz"
install -d "$root/usr/share/man/man8"
gzip -9n -c packaging/man/myvpn.8 > "$root/usr/share/man/man8/myvpn.8.gz"

# The changelog Debian policy asks for, dated by the last commit so that a rebuild is identical.
when=$(git log -1 --format=%ct 2>/dev/null || date +%s)
maintainer="MyVpn maintainers <myvpn@example.org>"
{
  echo "myvpn ($version) unstable; urgency=medium"
  echo
  echo "  * Built from the MyVpn source tree$(git rev-parse --short HEAD 2>/dev/null | sed 's/^/ at commit /')."
  echo
  echo " -- $maintainer  $(date -R -u -d "@$when")"
} | gzip -9n > "$doc/changelog.gz"
chmod 0644 "$doc"/*.gz "$root/usr/share/man/man8/myvpn.8.gz"

# What the executable links: libc (the newest symbol version it uses) and libcrypto.so.3 (libssl3),
# bound at link time. It runs ip (iproute2) and nft (nftables); `myvpn pcap` loads libpcap.
glibc=$(objdump -T "$root/usr/bin/myvpn" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -Vu | tail -1)
[ -n "$glibc" ] || die "objdump found no glibc symbol version in the executable"
install -d "$root/DEBIAN"
install -m 0755 packaging/debian/postinst packaging/debian/prerm packaging/debian/postrm "$root/DEBIAN/"
cat > "$root/DEBIAN/control" <<EOF
Package: myvpn
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: libc6 (>= $glibc), libssl3 (>= 3.0.0), iproute2, nftables
Recommends: libpcap0.8
Suggests: tcpdump
Section: net
Priority: optional
Description: small VPN for Linux: AES-256-GCM over UDP, TCP handshake with pre-shared keys
 MyVpn carries IP packets between tun devices, each encrypted with AES-256-GCM and sent over UDP;
 a TCP handshake authenticates each client with its pre-shared 256-bit key, mixed with an
 ephemeral P-256 exchange for forward secrecy. One native executable, myvpn: genkey, server,
 client, and pcap to inspect or decrypt captures.
 .
 The systemd units myvpn-server and myvpn-client@NAME read /etc/myvpn/server.toml and
 /etc/myvpn/NAME.toml; commented examples are in /usr/share/doc/myvpn/examples/.
EOF
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) > "$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"

SOURCE_DATE_EPOCH=$when dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
