#!/usr/bin/env bash
# The real-kernel test suite: network namespaces, real tun devices, real NAT (tests/Netns).
# Needs root. Installs the tools it needs when they are missing, builds, runs the tests.
# Extra arguments go to `dotnet test` (e.g. --filter FullyQualifiedName~VpnTests).
# UPDATE_SNAPSHOTS=1 re-records captures/ (review the diff before committing it).
set -euo pipefail
cd "$(dirname "$0")"

if [ "$(id -u)" -ne 0 ]; then
  echo "run-netns-tests.sh must run as root: the tests create network namespaces, tun devices and NAT rules." >&2
  echo "Try: sudo $0 $*" >&2
  exit 1
fi
if [ ! -c /dev/net/tun ]; then
  echo "run-netns-tests.sh: /dev/net/tun is missing (modprobe tun, or give the container the device)." >&2
  exit 1
fi

# Debian package for each tool the tests use; only the missing ones are installed.
declare -A needed=(
  [ip]=iproute2 [nft]=nftables [ping]=iputils-ping [tcpdump]=tcpdump [python3]=python3 [clang]=clang
)
needed[dnsmasq]=dnsmasq-base # the DNS server the pushed-DNS tests run behind the tunnel
missing=()
for tool in "${!needed[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${needed[$tool]}")
done
ldconfig -p | grep -q 'libpcap\.so' || missing+=(libpcap0.8)
[ -f /usr/include/zlib.h ] || missing+=(zlib1g-dev) # clang and zlib: the NativeAOT publish links with them
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

dotnet build tests/Netns/Netns.csproj -c Debug -nologo -v quiet
# The daemons under test are the published NativeAOT executable, the one people install.
published=$(mktemp -d -t myvpn-published.XXXXXX)
trap 'rm -rf "$published"' EXIT
dotnet publish src/MyVpn -c Release -o "$published" -nologo -v quiet
export MYVPN_BINARY="$published/myvpn"
started=$(date +%s)
set +e
dotnet test tests/Netns/Netns.csproj -c Debug --no-build -nologo "$@" 2>&1 | tee /tmp/netns-tests.$$.out
rc=${PIPESTATUS[0]}
set -e
awk '/(Passed|Failed)! +- /{gsub(",","");for(i=1;i<=NF;i++){if($i=="Failed:")f+=$(i+1);if($i=="Passed:")p+=$(i+1);if($i=="Skipped:")s+=$(i+1)}} END{printf "%d passed, %d failed, %d skipped\n",p,f,s}' /tmp/netns-tests.$$.out
rm -f /tmp/netns-tests.$$.out
echo "netns suite took $(( $(date +%s) - started )) s"
exit "$rc"
