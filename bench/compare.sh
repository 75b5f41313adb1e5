#!/usr/bin/env bash
# compare.sh — MyVpn next to bare veth, wireguard-go and OpenVPN, in ONE run, on one pair of
# network namespaces (bench/README.md describes it).
#
#   sudo bench/compare.sh [-t SECONDS] [-r ROUNDS] [-q PING-ROUNDS] [-c GIT-REF] [-o DIR] [-p] [-s SECONDS] [-P CPU] [-m CLIENTS] STEP
#
# Builds MyVpn in Release from this checkout, runs its real CLI (`myvpn server` in one namespace,
# `myvpn client` in the other, key from `myvpn genkey`), and measures every path with iperf3
# (TCP, 1 and 4 streams, client -> server) and ping. With -r N each path's throughput is measured
# N times (round-robin, one tunnel up at a time, so all paths see the same background load) and the
# table shows medians.
# Ping is measured first, in -q N rounds (default 12, at least -r): each round brings every tunnel up
# at once, sends 200 pings 5 ms apart through each path in turn (the order rotated every round) and
# stops them all, so each pair of paths is compared under the same load, seconds apart, and every
# round is a fresh set-up; the file gives each path's median and, for MyVpn against each other path,
# the median of the per-round ratios and in how many rounds MyVpn was lower.
# With -c REF it also builds MyVpn as of REF (from `git archive`, no checkout) and measures it in
# the same run, as row "myvpn REF": the honest before/after of an optimisation step.
# -p measures ping only.
# -s N waits N more seconds after every tunnel of a ping round answers before pinging (default 0).
# -P CPU pins every thread of every VPN daemon, and ping, to that CPU for the ping rounds: no wake-up
# crosses CPUs, so the rounds compare what the daemons do per packet, not where the scheduler put them
# (a diagnostic for optimisation steps; the default, unpinned, is what users get).
# Writes the markdown table plus ratio lines to DIR/<YYYY-MM-DD>-<STEP>.md (DIR: bench/results).
# -m N measures N clients at once instead (bench/README.md, "Many clients at once"): N client
# namespaces on one bridge to the server's namespace; per path (bare link, wireguard-go with N peers,
# MyVpn with N clients on the shared key) every client runs iperf3 (TCP, 1 stream) to the server at the
# same time and the throughputs are summed; -r N rounds, medians. Ping and the one-client paths are skipped.
# The machine is shared and noisy: compare the ratios within one file, never numbers across files.
set -euo pipefail
T=8; R=1; Q=; OUT=; BASE=; BASE_COMMIT=; PING_ONLY=; SETTLE=0; PIN=; MULTI=
while getopts "t:r:q:c:o:ps:P:m:" o; do case $o in t) T=$OPTARG;; r) R=$OPTARG;; q) Q=$OPTARG;; c) BASE=$OPTARG;; o) OUT=$OPTARG;; p) PING_ONLY=1;; s) SETTLE=$OPTARG;; P) PIN=$OPTARG;; m) MULTI=$OPTARG;; *) exit 2;; esac; done
shift $((OPTIND-1))
[ $# -eq 1 ] || { echo "usage: $0 [-t SECONDS] [-r ROUNDS] [-q PING-ROUNDS] [-c GIT-REF] [-o DIR] [-p] [-s SECONDS] [-P CPU] [-m CLIENTS] STEP   (e.g. baseline)" >&2; exit 2; }
[[ -z $MULTI || ( $MULTI =~ ^[1-9][0-9]?$ && $MULTI -le 50 ) ]] || { echo "compare.sh: -m takes a number of clients from 1 to 50" >&2; exit 2; }
[[ -z $PIN || ( $PIN =~ ^[0-9]+$ && $PIN -lt $(nproc) ) ]] || { echo "compare.sh: -P takes a CPU number below $(nproc)" >&2; exit 2; }
[[ $SETTLE =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "compare.sh: -s takes seconds (e.g. 2 or 0.5)" >&2; exit 2; }
[[ $R =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: -r takes a number of rounds (1 or more)" >&2; exit 2; }
[[ ${Q:-1} =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: -q takes a number of ping rounds (1 or more)" >&2; exit 2; }
Q=${Q:-$(( R > 12 ? R : 12 ))}
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
stop_pids() { # TERM, wait up to 5 s (myvpn undoes its changes on SIGTERM), then KILL; forget them afterwards
  local p q keep=()
  for p in "$@"; do kill "$p" 2>/dev/null || true; done
  for _ in $(seq 1 50); do
    local alive=0
    for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break; sleep 0.1
  done
  [ $alive = 0 ] || for p in "$@"; do kill -9 "$p" 2>/dev/null || true; done
  # a stopped PID may be reused by someone else's process: the cleanup must not signal it again
  for q in "${PIDS[@]}"; do for p in "$@"; do [ "$q" = "$p" ] && continue 2; done; keep+=("$q"); done
  PIDS=("${keep[@]}")
}
cleanup() {
  [ ${#PIDS[@]} -gt 0 ] && stop_pids "${PIDS[@]}"
  ip netns del "$S" 2>/dev/null || true; ip netns del "$C" 2>/dev/null || true
  local i; for i in $(seq 1 "${MULTI:-0}"); do ip netns del "$C$i" 2>/dev/null || true; done
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

if [ -z "$MULTI" ]; then # -m builds its own network (bench/compare-multi.sh)
ip netns add "$S"; ip netns add "$C"
ip link add "$P-s" type veth peer name "$P-c"
ip link set "$P-s" netns "$S"; ip link set "$P-c" netns "$C"
ip -n "$S" addr add 198.18.77.1/24 dev "$P-s"; ip -n "$C" addr add 198.18.77.2/24 dev "$P-c"
for n in "$S" "$C"; do ip -n "$n" link set lo up; done
ip -n "$S" link set "$P-s" up; ip -n "$C" link set "$P-c" up
fi

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

# Each path: start_KEY brings its tunnel up (its daemons' PIDs in UP_PIDS, its server's inner
# address in UP_ADDR); every path has its own addresses, ports and interfaces, so all can be up at once.
UP_PIDS=(); UP_ADDR=

start_direct() { UP_PIDS=(); UP_ADDR=198.18.77.1; }

start_wireguard-go() {
  export WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1
  local ks kc ws wc; ks=$(wg genkey); kc=$(wg genkey)
  ip netns exec "$S" wireguard-go -f "${P}ws" >>"$W/wgs.log" 2>&1 & ws=$!; PIDS+=($ws)
  ip netns exec "$C" wireguard-go -f "${P}wc" >>"$W/wgc.log" 2>&1 & wc=$!; PIDS+=($wc)
  sleep 1
  ip netns exec "$S" wg set "${P}ws" private-key <(echo "$ks") listen-port 51820 peer "$(echo "$kc" | wg pubkey)" allowed-ips 10.77.1.2/32
  ip netns exec "$C" wg set "${P}wc" private-key <(echo "$kc") peer "$(echo "$ks" | wg pubkey)" allowed-ips 10.77.1.0/24 endpoint 198.18.77.1:51820
  ip -n "$S" addr add 10.77.1.1/24 dev "${P}ws"; ip -n "$S" link set "${P}ws" mtu 1420 up
  ip -n "$C" addr add 10.77.1.2/24 dev "${P}wc"; ip -n "$C" link set "${P}wc" mtu 1420 up
  UP_PIDS=($ws $wc); UP_ADDR=10.77.1.1
}

start_openvpn() {
  local h os oc
  if [ ! -f "$W/s.crt" ]; then
    for h in s c; do
      openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=$h" \
        -keyout "$W/$h.key" -out "$W/$h.crt" >/dev/null 2>&1
    done
  fi
  fp() { openssl x509 -in "$1" -noout -fingerprint -sha256 | cut -d= -f2; }
  local common=(--dev-type tun --tun-mtu 1420 --proto udp --topology p2p --data-ciphers AES-256-GCM --disable-dco --verb 1 --dh none --ping 5)
  ip netns exec "$S" openvpn "${common[@]}" --dev "${P}os" --tls-server --local 198.18.77.1 --port 1194 --cert "$W/s.crt" --key "$W/s.key" \
    --peer-fingerprint "$(fp "$W/c.crt")" --ifconfig 10.77.2.1 10.77.2.2 >>"$W/ovs.log" 2>&1 & os=$!; PIDS+=($os)
  ip netns exec "$C" openvpn "${common[@]}" --dev "${P}oc" --tls-client --remote 198.18.77.1 1194 --nobind --cert "$W/c.crt" --key "$W/c.key" \
    --peer-fingerprint "$(fp "$W/s.crt")" --ifconfig 10.77.2.2 10.77.2.1 >>"$W/ovc.log" 2>&1 & oc=$!; PIDS+=($oc)
  UP_PIDS=($os $oc); UP_ADDR=10.77.2.1
}

# MyVpn as built from this checkout (n=1) or from -c REF (n=2): TCP port 9524+n, subnet 10.77.(2+n).0/24,
# session ports 4n000-4n099; the daemons' default MTU is 1420, the same as the other tunnels'
start_myvpn_n() { # KEY BINARY N
  local key=$1 bin=$2 n=$3 ms mc
  [ -f "$W/psk.key" ] || { "$MYVPN" genkey -o "$W/psk.key" >/dev/null; chmod 600 "$W/psk.key"; }
  ip netns exec "$S" "$bin" server --listen 198.18.77.1:$((9524 + n)) --subnet 10.77.$((2 + n)).0/24 --ports "4${n}000-4${n}099" \
    --tun "${P}m${n}s" --key-file "$W/psk.key" --log-level information >>"$W/$key-server.log" 2>&1 & ms=$!; PIDS+=($ms)
  sleep 1
  ip netns exec "$C" "$bin" client --server 198.18.77.1:$((9524 + n)) --key-file "$W/psk.key" --name bench --tun "${P}m${n}c" \
    --log-level information >>"$W/$key-client.log" 2>&1 & mc=$!; PIDS+=($mc)
  UP_PIDS=($ms $mc); UP_ADDR=10.77.$((2 + n)).1
}
start_myvpn() { start_myvpn_n myvpn "$MYVPN" 1; }
start_myvpn-base() { start_myvpn_n myvpn-base "$W/base-bin/myvpn" 2; }

# throughput KEY: one tunnel up, iperf3 with 1 and 4 streams -> appends "tcp1 tcp4 cpu_per_gb" to $W/KEY.tcp
throughput() {
  local key=$1; "start_$key"; local addr=$UP_ADDR pids=("${UP_PIDS[@]}")
  if ! wait_ping "$addr"; then
    echo "$key: tunnel did not come up" >&2; echo "- - -" >>"$W/$key.tcp"
  else
    ip netns exec "$S" iperf3 -s -1 -B "$addr" -p 5201 >/dev/null 2>&1 & local sp=$!; sleep 0.4
    local c0; c0=$(cpu_of "${pids[@]}"); status_of "$key" "${pids[@]}"
    local j; j=$(ip netns exec "$C" iperf3 -c "$addr" -p 5201 -t "$T" -J 2>/dev/null || true)
    local c1; c1=$(cpu_of "${pids[@]}"); status_of "$key" "${pids[@]}"; wait $sp 2>/dev/null || true
    ip netns exec "$S" iperf3 -s -1 -B "$addr" -p 5202 >/dev/null 2>&1 & sp=$!; sleep 0.4
    local j4; j4=$(ip netns exec "$C" iperf3 -c "$addr" -p 5202 -t "$T" -P 4 -J 2>/dev/null || true); wait $sp 2>/dev/null || true
    local bps bytes bps4; bps=$(json_sum "$j" bits_per_second); bytes=$(json_sum "$j" bytes); bps4=$(json_sum "$j4" bits_per_second)
    awk -v a="${bps:-0}" -v b="${bps4:-0}" -v c=$((c1-c0)) -v hz="$(getconf CLK_TCK)" -v n=${#pids[@]} -v by="${bytes:-0}" \
      'BEGIN{ cpg = (n > 0 && by > 0) ? sprintf("%.2f", (c/hz)/(by/1e9)) : "-";
              printf "%.2f %.2f %s\n", a/1e9, b/1e9, cpg }' >>"$W/$key.tcp"
    echo "measured $key: $(tail -1 "$W/$key.tcp") (Gbit/s 1 and 4 streams, CPU s/GB)" >&2
    if [ "$key" = myvpn ]; then
      for _ in $(seq 1 20); do [ "$(grep -c 'status: gc' "$W/$key-client.log")" -ge $((2 * round)) ] && break; sleep 0.1; done
      echo "server $(gc_of "$W/$key-server.log"), client $(gc_of "$W/$key-client.log")" >>"$W/$key.gc"
    fi
  fi
  [ ${#pids[@]} -eq 0 ] || stop_pids "${pids[@]}"
}

# pages_of PID: 4 KB pages of the process's own memory (its executable's code and data, heap, stacks;
# shared libraries and the kernel's vdso left out, since their page flags are shared with every other
# process) referenced since the last `echo 1 > /proc/PID/clear_refs`
pages_of() {
  awk '/^[0-9a-f]+-[0-9a-f]+ / { lib = ($6 ~ /\.so/ || $6 ~ /^\[v/) } /^Referenced:/ { if (!lib) kb += $2 } END { print kb / 4 }' "/proc/$1/smaps" 2>/dev/null || echo -
}

# footprint KEY ADDR PIDS...: clears the daemons' referenced bits, sends one ping and appends the pages each
# daemon touched for it ("server client") to $W/KEY.pages: the memory one round trip wakes up, which decides
# how much a busy host's caches cost it; unlike a ping time it barely moves with the load.
footprint() {
  local key=$1 addr=$2 p line=; shift 2
  [ $# -gt 0 ] && [ -n "$addr" ] || return 0
  for p in "$@"; do echo 1 >"/proc/$p/clear_refs" 2>/dev/null || true; done
  ip netns exec "$C" ping -q -c 1 -W 1 "$addr" >/dev/null 2>&1 || true
  for p in "$@"; do line="$line $(pages_of "$p")"; done
  echo "${line# }" >>"$W/$key.pages"
}

# ping_round Q: every tunnel brought up at once, then 200 pings (5 ms apart) through each path in turn,
# the order rotated by Q; then all stopped -> appends one average per path to $W/KEY.ping ("-": tunnel down).
# Every round starts its tunnels afresh: where the scheduler first puts a daemon's threads tends to stay
# for the tunnel's life, so one set-up is one draw, and the rounds average over many.
ping_round() {
  local q=$1 key i all_pids=() line="ping round $1 of $Q:"
  declare -A addr_of pids_of
  for key in "${KEYS[@]}"; do "start_$key"; addr_of[$key]=$UP_ADDR; pids_of[$key]="${UP_PIDS[*]}"; all_pids+=("${UP_PIDS[@]}"); done
  for key in "${KEYS[@]}"; do
    wait_ping "${addr_of[$key]}" || { echo "$key: tunnel did not come up" >&2; addr_of[$key]=; }
  done
  sleep "$SETTLE"
  local pin=()
  if [ -n "$PIN" ]; then
    local p t; pin=(taskset -c "$PIN")
    for p in "${all_pids[@]}"; do for t in /proc/"$p"/task/*; do taskset -pc "$PIN" "${t##*/}" >/dev/null 2>&1 || true; done; done
  fi
  for i in "${!KEYS[@]}"; do
    key=${KEYS[$(( (i + q - 1) % ${#KEYS[@]} ))]}
    local rtt=-
    [ -z "${addr_of[$key]}" ] || rtt=$(ip netns exec "$C" "${pin[@]}" ping -q -c 200 -i 0.005 "${addr_of[$key]}" | awk -F/ '/rtt/{print $5}')
    echo "${rtt:--}" >>"$W/$key.ping"; line="$line $key ${rtt:--}"
    # shellcheck disable=SC2086 # a list of PIDs
    [ -z "${addr_of[$key]}" ] || footprint "$key" "${addr_of[$key]}" ${pids_of[$key]}
  done
  echo "$line" >&2
  [ ${#all_pids[@]} -eq 0 ] || stop_pids "${all_pids[@]}"
}

# -m CLIENTS: the many-clients measurement, with the helpers above, instead of the one-client comparison
[ -z "$MULTI" ] || { . "$ROOT/bench/compare-multi.sh"; exit 0; }

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
for q in $(seq 1 "$Q"); do ping_round "$q"; done
if [ -z "$PING_ONLY" ]; then
  for round in $(seq 1 "$R"); do
    echo "throughput round $round of $R" >&2
    for k in "${KEYS[@]}"; do throughput "$k"; done
  done
fi
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

# median of a column over the rounds ("-" entries ignored); a missing file counts as no rounds
med() { [ -f "$1" ] || { echo -; return; }; awk -v col="$2" '$col != "-" {print $col}' "$1" | sort -g | awk '{v[NR]=$1} END{ if (NR==0) print "-"; else if (NR%2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2 }'; }
declare -A V
for k in "${KEYS[@]}"; do
  V[$k.1]=$(med "$W/$k.tcp" 1); V[$k.2]=$(med "$W/$k.tcp" 2); V[$k.3]=$(med "$W/$k.ping" 1); V[$k.4]=$(med "$W/$k.tcp" 3)
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a=="-" || b=="-" || b+0==0) print "n/a"; else printf "%.2f×", a/b }'; }
delta() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a=="-" || b=="-") print "n/a"; else printf "%+.3f ms", a-b }'; }
# paired KEY: MyVpn's ping over KEY's, round by round -> "median ratio R×, MyVpn lower in L of N rounds"
paired() {
  paste "$W/myvpn.ping" "$W/$1.ping" | awk '$1 != "-" && $2 != "-" && $2+0 > 0 {print $1/$2, ($1 < $2)}' | sort -g |
    awk '{v[NR]=$1; l+=$2} END{ if (NR==0) print "n/a"; else printf "median of per-round ratios %.2f×, MyVpn lower in %d of %d rounds", (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2, l, NR }'
}

WG_VER=$(wireguard-go --version 2>/dev/null | awk 'NR==1{print $2}')
OV_VER=$(openvpn --version 2>/dev/null | awk 'NR==1{print $2}')
{
  echo "# compare.sh — $STEP"
  echo
  echo "$(date -u +%F\ %H:%MZ), myvpn $COMMIT (Release), $(nproc) cores, kernel $(uname -r), $([ -n "$PING_ONLY" ] && echo "ping only" || echo "iperf3 -t $T, $R throughput round(s)"), $Q ping rounds, medians,"
  echo "one veth pair between two namespaces, TCP client -> server, MTU 1420 in every tunnel; ping: every tunnel up at once,"
  echo "started afresh every round, 200 pings 5 ms apart through each path in turn, the order rotated each round$([ "$SETTLE" != 0 ] && echo ", from $SETTLE s after all answered")$([ -n "$PIN" ] && echo "; daemons and ping pinned to CPU $PIN (-P: a diagnostic, not what users get)")."
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
      "CPU per GB $(ratio "${V[myvpn.4]}" "${V[$o.4]}"); ping $(delta "${V[myvpn.3]}" "${V[$o.3]}") ($(ratio "${V[myvpn.3]}" "${V[$o.3]}")); ping paired: $(paired "$o")"
  done
  echo
  if [ -z "$PING_ONLY" ]; then
    echo "Allocated by each MyVpn daemon during the 1-stream transfer (SIGUSR1 status lines before and after; per round):"
    echo
    [ -f "$W/myvpn.gc" ] && echo "- myvpn $COMMIT: $(paste -sd'|' "$W/myvpn.gc" | sed 's/|/ · /g')"
    echo
    echo "Every throughput round (TCP 1, TCP 4, CPU/GB):"
    echo
    for k in "${KEYS[@]}"; do [ -f "$W/$k.tcp" ] && echo "- $k: $(paste -sd'|' "$W/$k.tcp" | sed 's/|/ · /g')"; done
    echo
  fi
  echo "Pages of its own memory each daemon touched for one ping (server, client; 4 KB pages of the executable's"
  echo "code and data, heap and stacks, shared libraries left out; \`clear_refs\` + \`smaps\` after each path's pings;"
  echo "median over the rounds):"
  echo
  for k in "${KEYS[@]}"; do
    [ -s "$W/$k.pages" ] && echo "- $k: server $(med "$W/$k.pages" 1), client $(med "$W/$k.pages" 2)"
  done
  echo
  echo "Every ping round (ms, in round order):"
  echo
  for k in "${KEYS[@]}"; do echo "- $k: $(paste -sd' ' "$W/$k.ping")"; done
} >"$W/result.md"
mkdir -p "$OUT"
cp "$W/result.md" "$RESULT"
cat "$RESULT"
echo >&2; echo "written to $RESULT" >&2
