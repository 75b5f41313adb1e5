#!/usr/bin/env bash
# compare.sh — MyVpn next to bare veth, wireguard-go and OpenVPN, in ONE run, on one pair of
# network namespaces (adapted from shared/tools/compare-vpns.sh).
#
#   sudo bench/compare.sh [-t SECONDS] [-r ROUNDS] [-c GIT-REF] [-o DIR] [-p] [-s SECONDS] STEP
#
# Builds MyVpn in Release from this checkout, runs its real CLI (`myvpn server` in one namespace,
# `myvpn client` in the other, key from `myvpn genkey`), and measures every path with iperf3
# (TCP, 1 and 4 streams, client -> server) and ping. With -r N each path is measured N times
# (round-robin, so all paths see the same background load) and the table shows medians.
# With -c REF it also builds MyVpn as of REF (from `git archive`, no checkout) and measures it in
# the same run, as row "myvpn REF": the honest before/after of an optimisation step.
# -p measures ping only (many rounds are cheap then: the ping column is the noisy one).
# -s N waits N seconds after a tunnel first answers before measuring it (every path alike; default 0:
# the measurement starts at once, so it includes each tunnel's first second).
# Writes the markdown table plus ratio lines to DIR/<YYYY-MM-DD>-<STEP>.md (DIR: bench/results).
# The machine is shared and noisy: compare the ratios within one file, never numbers across files.
set -euo pipefail
T=8; R=1; OUT=; BASE=; BASE_COMMIT=; PING_ONLY=; SETTLE=0
while getopts "t:r:c:o:ps:" o; do case $o in t) T=$OPTARG;; r) R=$OPTARG;; c) BASE=$OPTARG;; o) OUT=$OPTARG;; p) PING_ONLY=1;; s) SETTLE=$OPTARG;; *) exit 2;; esac; done
shift $((OPTIND-1))
[ $# -eq 1 ] || { echo "usage: $0 [-t SECONDS] [-r ROUNDS] [-c GIT-REF] [-o DIR] [-p] [-s SECONDS] STEP   (e.g. baseline)" >&2; exit 2; }
[[ $SETTLE =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "compare.sh: -s takes seconds (e.g. 2 or 0.5)" >&2; exit 2; }
STEP=$1
[[ $STEP =~ ^[A-Za-z0-9._-]+$ ]] || { echo "compare.sh: STEP must be a plain name (letters, digits, . _ -)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "compare.sh: run as root (namespaces, tun devices)" >&2; exit 2; }
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$ROOT/bench/results}
RESULT="$OUT/$(date -u +%F)-$STEP.md"

need=()
for c in iperf3:iperf3 ping:iputils-ping wireguard-go:wireguard-go wg:wireguard-tools openvpn:openvpn openssl:openssl ip:iproute2 clang:clang; do
  command -v "${c%%:*}" >/dev/null || need+=("${c#*:}")
done
[ -f /usr/include/zlib.h ] || need+=(zlib1g-dev) # clang and zlib: MyVpn publishes as a NativeAOT executable
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

P=mvb$$; S=$P-srv; C=$P-cli; W=$(mktemp -d -t "$P.XXXX")
PIDS=()
stop_pids() { # TERM, wait up to 5 s (myvpn undoes its changes on SIGTERM), then KILL
  local p
  for p in "$@"; do kill "$p" 2>/dev/null || true; done
  for _ in $(seq 1 50); do
    local alive=0
    for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && return 0; sleep 0.1
  done
  for p in "$@"; do kill -9 "$p" 2>/dev/null || true; done
}
cleanup() {
  [ ${#PIDS[@]} -gt 0 ] && stop_pids "${PIDS[@]}"
  ip netns del "$S" 2>/dev/null || true; ip netns del "$C" 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "building myvpn (Release, NativeAOT)…" >&2
dotnet publish "$ROOT/src/MyVpn" -c Release -o "$W/bin" -nologo -v quiet >"$W/build.log" 2>&1 \
  || { cat "$W/build.log" >&2; exit 1; }
MYVPN="$W/bin/myvpn"
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- src 2>/dev/null || echo "+dirty")
KEYS=(direct wireguard-go openvpn myvpn)
if [ -n "$BASE" ]; then
  BASE_COMMIT=$(git -C "$ROOT" rev-parse --short "$BASE^{commit}")
  echo "building myvpn $BASE_COMMIT (Release)…" >&2
  mkdir -p "$W/base-src"
  git -C "$ROOT" archive "$BASE_COMMIT" | tar -x -C "$W/base-src"
  dotnet publish "$W/base-src/src/MyVpn" -c Release -o "$W/base-bin" -nologo -v quiet >"$W/base-build.log" 2>&1 \
    || { cat "$W/base-build.log" >&2; exit 1; }
  KEYS+=(myvpn-base)
fi

ip netns add "$S"; ip netns add "$C"
ip link add "$P-s" type veth peer name "$P-c"
ip link set "$P-s" netns "$S"; ip link set "$P-c" netns "$C"
ip -n "$S" addr add 198.18.77.1/24 dev "$P-s"; ip -n "$C" addr add 198.18.77.2/24 dev "$P-c"
for n in "$S" "$C"; do ip -n "$n" link set lo up; done
ip -n "$S" link set "$P-s" up; ip -n "$C" link set "$P-c" up

cpu_of() { local t=0 p; for p in "$@"; do [ -r /proc/$p/stat ] && t=$((t + $(awk '{print $14+$15}' /proc/$p/stat))); done; echo $t; }
wait_ping() { for _ in $(seq 1 60); do ip netns exec "$C" ping -c1 -W1 "$1" >/dev/null 2>&1 && return 0; sleep 0.5; done; return 1; }
json_sum() { echo "$1" | grep -A8 '"sum_received"' | awk -F'[:,]' -v k="\"$2\"" '$1 ~ k {gsub(/ /,"",$2); print $2; exit}'; }

# status_of KEY PIDS...: MyVpn daemons log a status line (GC counts, bytes allocated) on SIGUSR1.
# Only for this checkout's build: an older -c REF may not handle SIGUSR1, and it would end the process.
status_of() { [ "$1" = myvpn ] || return 0; shift; kill -USR1 "$@" 2>/dev/null || true; }

# gc_of LOG: bytes allocated and gen0 collections between the last two status lines of LOG
gc_of() {
  grep -o 'status: gc gen0 [0-9]* gen1 [0-9]* gen2 [0-9]*, allocated [0-9]*' "$1" | tail -2 |
    awk '{g[NR]=$4; a[NR]=$10} END{ if (NR==2) printf "%d B, %d gen0", a[2]-a[1], g[2]-g[1]; else printf "no status lines" }'
}

# measure KEY SERVER-INNER-ADDRESS PIDS... -> appends "tcp1 tcp4 rtt cpu_per_gb" (Gbit/s, Gbit/s, ms, s/GB) to $W/KEY
measure() {
  local key=$1 addr=$2; shift 2
  if ! wait_ping "$addr"; then echo "$key: tunnel did not come up" >&2; echo "- - - -" >>"$W/$key"; return; fi
  sleep "$SETTLE"
  local rtt; rtt=$(ip netns exec "$C" ping -q -c 200 -i 0.005 "$addr" | awk -F/ '/rtt/{print $5}')
  if [ -n "$PING_ONLY" ]; then echo "- - $rtt -" >>"$W/$key"; echo "measured $key: ping $rtt" >&2; return; fi
  ip netns exec "$S" iperf3 -s -1 -B "$addr" -p 5201 >/dev/null 2>&1 & local sp=$!; sleep 0.4
  local c0; c0=$(cpu_of "$@"); status_of "$key" "$@"
  local j; j=$(ip netns exec "$C" iperf3 -c "$addr" -p 5201 -t "$T" -J 2>/dev/null || true)
  local c1; c1=$(cpu_of "$@"); status_of "$key" "$@"; wait $sp 2>/dev/null || true
  ip netns exec "$S" iperf3 -s -1 -B "$addr" -p 5202 >/dev/null 2>&1 & sp=$!; sleep 0.4
  local j4; j4=$(ip netns exec "$C" iperf3 -c "$addr" -p 5202 -t "$T" -P 4 -J 2>/dev/null || true); wait $sp 2>/dev/null || true
  local bps bytes bps4; bps=$(json_sum "$j" bits_per_second); bytes=$(json_sum "$j" bytes); bps4=$(json_sum "$j4" bits_per_second)
  awk -v a="${bps:-0}" -v b="${bps4:-0}" -v r="${rtt:--}" -v c=$((c1-c0)) -v hz="$(getconf CLK_TCK)" -v n=$# -v by="${bytes:-0}" \
    'BEGIN{ cpg = (n > 0 && by > 0) ? sprintf("%.2f", (c/hz)/(by/1e9)) : "-";
            printf "%.2f %.2f %s %s\n", a/1e9, b/1e9, r, cpg }' >>"$W/$key"
  echo "measured $key: $(tail -1 "$W/$key")" >&2
}

run_direct() { measure direct 198.18.77.1; }

run_wireguard() {
  export WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1
  local ks kc ws wc; ks=$(wg genkey); kc=$(wg genkey)
  ip netns exec "$S" wireguard-go -f "${P}ws" >>"$W/wgs.log" 2>&1 & ws=$!; PIDS+=($ws)
  ip netns exec "$C" wireguard-go -f "${P}wc" >>"$W/wgc.log" 2>&1 & wc=$!; PIDS+=($wc)
  sleep 1
  ip netns exec "$S" wg set "${P}ws" private-key <(echo "$ks") listen-port 51820 peer "$(echo "$kc" | wg pubkey)" allowed-ips 10.77.1.2/32
  ip netns exec "$C" wg set "${P}wc" private-key <(echo "$kc") peer "$(echo "$ks" | wg pubkey)" allowed-ips 10.77.1.0/24 endpoint 198.18.77.1:51820
  ip -n "$S" addr add 10.77.1.1/24 dev "${P}ws"; ip -n "$S" link set "${P}ws" mtu 1420 up
  ip -n "$C" addr add 10.77.1.2/24 dev "${P}wc"; ip -n "$C" link set "${P}wc" mtu 1420 up
  measure wireguard-go 10.77.1.1 $ws $wc
  stop_pids $ws $wc
}

run_openvpn() {
  local h os oc
  if [ ! -f "$W/s.crt" ]; then
    for h in s c; do
      openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=$h" \
        -keyout "$W/$h.key" -out "$W/$h.crt" >/dev/null 2>&1
    done
  fi
  fp() { openssl x509 -in "$1" -noout -fingerprint -sha256 | cut -d= -f2; }
  local common=(--dev tun --proto udp --topology p2p --data-ciphers AES-256-GCM --disable-dco --verb 1 --dh none --ping 5)
  ip netns exec "$S" openvpn "${common[@]}" --tls-server --local 198.18.77.1 --port 1194 --cert "$W/s.crt" --key "$W/s.key" \
    --peer-fingerprint "$(fp "$W/c.crt")" --ifconfig 10.77.2.1 10.77.2.2 >>"$W/ovs.log" 2>&1 & os=$!; PIDS+=($os)
  ip netns exec "$C" openvpn "${common[@]}" --tls-client --remote 198.18.77.1 1194 --nobind --cert "$W/c.crt" --key "$W/c.key" \
    --peer-fingerprint "$(fp "$W/s.crt")" --ifconfig 10.77.2.2 10.77.2.1 >>"$W/ovc.log" 2>&1 & oc=$!; PIDS+=($oc)
  measure openvpn 10.77.2.1 $os $oc
  stop_pids $os $oc
}

run_myvpn() { # KEY BINARY
  local key=$1 bin=$2 ms mc
  [ -f "$W/psk.key" ] || { "$MYVPN" genkey -o "$W/psk.key" >/dev/null; chmod 600 "$W/psk.key"; }
  # the daemons' default MTU is 1420, the same as the wireguard-go interfaces above
  ip netns exec "$S" "$bin" server --listen 198.18.77.1:9525 --subnet 10.77.3.0/24 --tun "${P}ms" \
    --key-file "$W/psk.key" --log-level information >>"$W/$key-server.log" 2>&1 & ms=$!; PIDS+=($ms)
  sleep 1
  ip netns exec "$C" "$bin" client --server 198.18.77.1:9525 --key-file "$W/psk.key" --name bench --tun "${P}mc" \
    --log-level information >>"$W/$key-client.log" 2>&1 & mc=$!; PIDS+=($mc)
  measure "$key" 10.77.3.1 $ms $mc
  if [ "$key" = myvpn ] && [ -z "$PING_ONLY" ]; then
    for _ in $(seq 1 20); do [ "$(grep -c 'status: gc' "$W/$key-client.log")" -ge $((2 * round)) ] && break; sleep 0.1; done
    echo "server $(gc_of "$W/$key-server.log"), client $(gc_of "$W/$key-client.log")" >>"$W/$key.gc"
  fi
  stop_pids $ms $mc
}

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq 1 "$R"); do
  echo "round $round of $R" >&2
  run_direct; run_wireguard; run_openvpn; run_myvpn myvpn "$MYVPN"
  [ -z "$BASE" ] || run_myvpn myvpn-base "$W/base-bin/myvpn"
done
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

# median of each column over the rounds ("-" entries ignored)
med() { awk -v col="$2" '$col != "-" {print $col}' "$W/$1" | sort -g | awk '{v[NR]=$1} END{ if (NR==0) print "-"; else if (NR%2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2 }'; }
declare -A V
for k in "${KEYS[@]}"; do for c in 1 2 3 4; do V[$k.$c]=$(med "$k" "$c"); done; done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a=="-" || b=="-" || b+0==0) print "n/a"; else printf "%.2f×", a/b }'; }
delta() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a=="-" || b=="-") print "n/a"; else printf "%+.3f ms", a-b }'; }

WG_VER=$(wireguard-go --version 2>/dev/null | awk 'NR==1{print $2}')
OV_VER=$(openvpn --version 2>/dev/null | awk 'NR==1{print $2}')
{
  echo "# compare.sh — $STEP"
  echo
  echo "$(date -u +%F\ %H:%MZ), myvpn $COMMIT (Release), $(nproc) cores, kernel $(uname -r), iperf3 -t $T, $R round(s)$([ "$R" -gt 1 ] && echo ", medians")$([ "$SETTLE" != 0 ] && echo ", measured $SETTLE s after each tunnel first answered"),"
  echo "one veth pair between two namespaces, TCP client -> server, MTU 1420 in every tunnel."
  echo "Load average at start $LOAD0, at end $LOAD1 (the machine is shared: read the ratios)."
  echo
  echo "| path | TCP 1 stream Gbit/s | TCP 4 streams Gbit/s | ping avg ms | CPU s per GB (both ends) |"
  echo "|---|---|---|---|---|"
  for k in "${KEYS[@]}"; do
    case $k in wireguard-go) n="wireguard-go $WG_VER";; openvpn) n="openvpn $OV_VER AES-256-GCM";;
      myvpn) n="myvpn $COMMIT";; myvpn-base) n="myvpn $BASE_COMMIT (-c $BASE)";; *) n=$k;; esac
    echo "| $n | ${V[$k.1]} | ${V[$k.2]} | ${V[$k.3]} | ${V[$k.4]} |"
  done
  echo
  others=(wireguard-go openvpn); [ -z "$BASE" ] || others+=(myvpn-base)
  for o in "${others[@]}"; do
    echo "- MyVpn vs ${o/myvpn-base/MyVpn $BASE_COMMIT}: throughput $(ratio "${V[myvpn.1]}" "${V[$o.1]}") (1 stream), $(ratio "${V[myvpn.2]}" "${V[$o.2]}") (4 streams);" \
      "CPU per GB $(ratio "${V[myvpn.4]}" "${V[$o.4]}"); ping $(delta "${V[myvpn.3]}" "${V[$o.3]}") ($(ratio "${V[myvpn.3]}" "${V[$o.3]}"))"
  done
  echo
  echo "Allocated by each MyVpn daemon during the 1-stream transfer (SIGUSR1 status lines before and after; per round):"
  echo
  [ -f "$W/myvpn.gc" ] && echo "- myvpn $COMMIT: $(paste -sd'|' "$W/myvpn.gc" | sed 's/|/ · /g')"
  if [ "$R" -gt 1 ]; then
    echo
    echo "Every round (TCP 1, TCP 4, ping, CPU/GB):"
    echo
    for k in "${KEYS[@]}"; do echo "- $k: $(paste -sd'|' "$W/$k" | sed 's/|/ · /g')"; done
  fi
} >"$W/result.md"
mkdir -p "$OUT"
cp "$W/result.md" "$RESULT"
cat "$RESULT"
echo >&2; echo "written to $RESULT" >&2
