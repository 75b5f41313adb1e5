# compare-multi.sh: `compare.sh -m CLIENTS`, many clients at once (bench/README.md, "Many clients at once").
# Not run on its own: compare.sh sources it after building MyVpn and defining its helpers (stop_pids,
# cpu_of, json_sum), with T, R, MULTI, P, S, C, W, MYVPN, COMMIT, BASE, OUT, RESULT and STEP set, and its
# cleanup trap deletes the namespaces made here ($S and $C1 … $C<CLIENTS>) and stops every PID in PIDS.
#
#   c1 198.18.77.11 ─┐
#   …                ├─ bridge in the server's namespace, 198.18.77.1
#   cN 198.18.77.1N ─┘
#
# Paths: the bare bridge, wireguard-go (one device, a peer per client; each client's device has a name of its
# own, since wireguard-go's control socket in /var/run/wireguard is named after the device, across namespaces) and MyVpn (one server, every client
# on the shared key with its own name), and with -c REF MyVpn as of REF; one path up at a time, round-robin
# over -r rounds. Each client runs iperf3 -c to its own iperf3 server in the server's namespace, all at once.

ip netns add "$S"; ip -n "$S" link set lo up
ip -n "$S" link add "$P-br" type bridge
ip -n "$S" addr add 198.18.77.1/24 dev "$P-br"; ip -n "$S" link set "$P-br" up
for i in $(seq 1 "$MULTI"); do
  ip netns add "$C$i"; ip -n "$C$i" link set lo up
  ip link add "$P-v$i" type veth peer name "$P-c"
  ip link set "$P-v$i" netns "$S"; ip link set "$P-c" netns "$C$i"
  ip -n "$S" link set "$P-v$i" master "$P-br" up
  ip -n "$C$i" addr add "198.18.77.$((10 + i))/24" dev "$P-c"; ip -n "$C$i" link set "$P-c" up
done

# wait_link NS DEV: until a user-space daemon has created its device (up to 20 s: the machine may be busy)
wait_link() { for _ in $(seq 1 200); do ip -n "$1" link show "$2" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "$2 did not appear in $1" >&2; return 1; }

# UP_PIDS: the daemons of the path that is up; UP_ADDR[i]: the server address client i sends to
UP_PIDS=(); UP_ADDR=()

mstart_direct() { UP_PIDS=(); UP_ADDR=(); for i in $(seq 1 "$MULTI"); do UP_ADDR[i]=198.18.77.1; done; }

mstart_wireguard-go() {
  export WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1
  local ks kc ws p; ks=$(wg genkey)
  ip netns exec "$S" wireguard-go -f "${P}ws" >>"$W/wgs.log" 2>&1 & ws=$!; PIDS+=($ws); UP_PIDS=($ws); UP_ADDR=()
  for i in $(seq 1 "$MULTI"); do
    ip netns exec "$C$i" wireguard-go -f "${P}w$i" >>"$W/wgc$i.log" 2>&1 & p=$!; PIDS+=($p); UP_PIDS+=($p)
  done
  wait_link "$S" "${P}ws"; for i in $(seq 1 "$MULTI"); do wait_link "$C$i" "${P}w$i"; done
  ip netns exec "$S" wg set "${P}ws" private-key <(echo "$ks") listen-port 51820
  ip -n "$S" addr add 10.77.1.1/24 dev "${P}ws"; ip -n "$S" link set "${P}ws" mtu 1420 up
  for i in $(seq 1 "$MULTI"); do
    kc=$(wg genkey)
    ip netns exec "$S" wg set "${P}ws" peer "$(echo "$kc" | wg pubkey)" allowed-ips "10.77.1.$((1 + i))/32"
    ip netns exec "$C$i" wg set "${P}w$i" private-key <(echo "$kc") peer "$(echo "$ks" | wg pubkey)" allowed-ips 10.77.1.0/24 endpoint 198.18.77.1:51820
    ip -n "$C$i" addr add "10.77.1.$((1 + i))/24" dev "${P}w$i"; ip -n "$C$i" link set "${P}w$i" mtu 1420 up
    UP_ADDR[i]=10.77.1.1
  done
}

# MyVpn from this checkout (n=1) or from -c REF (n=2), as in compare.sh: TCP port 9524+n, subnet 10.77.(2+n).0/24
mstart_myvpn_n() { # BINARY N
  local bin=$1 n=$2 ms p
  [ -f "$W/psk.key" ] || { "$MYVPN" genkey -o "$W/psk.key" >/dev/null; chmod 600 "$W/psk.key"; }
  ip netns exec "$S" "$bin" server --listen 198.18.77.1:$((9524 + n)) --subnet 10.77.$((2 + n)).0/24 --ports "4${n}000-4${n}099" \
    --tun "${P}m${n}s" --key-file "$W/psk.key" --log-level information >>"$W/multi-m$n-server.log" 2>&1 & ms=$!; PIDS+=($ms)
  UP_PIDS=($ms); UP_ADDR=()
  sleep 1
  for i in $(seq 1 "$MULTI"); do
    ip netns exec "$C$i" "$bin" client --server 198.18.77.1:$((9524 + n)) --key-file "$W/psk.key" --name "bench$i" --tun "${P}m${n}c" \
      --log-level information >>"$W/multi-m$n-client$i.log" 2>&1 & p=$!; PIDS+=($p); UP_PIDS+=($p)
    UP_ADDR[i]=10.77.$((2 + n)).1
  done
}
mstart_myvpn() { mstart_myvpn_n "$MYVPN" 1; }
mstart_myvpn-base() { mstart_myvpn_n "$W/base-bin/myvpn" 2; }

# mthroughput KEY: the path up, every client's iperf3 at once -> appends "sum slowest fastest cpu_per_gb" to $W/KEY.multi
mthroughput() {
  local key=$1 i up=1; "mstart_$key"; local pids=("${UP_PIDS[@]}")
  for i in $(seq 1 "$MULTI"); do
    local ok=
    for _ in $(seq 1 60); do ip netns exec "$C$i" ping -c1 -W1 "${UP_ADDR[i]}" >/dev/null 2>&1 && { ok=1; break; }; sleep 0.5; done
    [ -n "$ok" ] || { echo "$key: client $i's tunnel did not come up" >&2; up=; break; }
  done
  if [ -z "$up" ]; then
    echo "- - - -" >>"$W/$key.multi"
  else
    local servers=() clients=()
    for i in $(seq 1 "$MULTI"); do
      ip netns exec "$S" iperf3 -s -1 -p $((5300 + i)) >/dev/null 2>&1 & servers+=($!)
    done
    sleep 0.5
    local c0; c0=$(cpu_of "${pids[@]}")
    for i in $(seq 1 "$MULTI"); do
      ip netns exec "$C$i" iperf3 -c "${UP_ADDR[i]}" -p $((5300 + i)) -t "$T" -J >"$W/$key.iperf$i" 2>/dev/null & clients+=($!)
    done
    for p in "${clients[@]}"; do wait "$p" 2>/dev/null || true; done
    local c1; c1=$(cpu_of "${pids[@]}")
    for p in "${servers[@]}"; do wait "$p" 2>/dev/null || true; done
    local rates=() bytes=0 b r
    for i in $(seq 1 "$MULTI"); do
      r=$(json_sum "$(cat "$W/$key.iperf$i")" bits_per_second); b=$(json_sum "$(cat "$W/$key.iperf$i")" bytes)
      rates+=("${r:-0}"); bytes=$(awk -v a="$bytes" -v b="${b:-0}" 'BEGIN{printf "%.0f", a + b}')
    done
    printf '%s\n' "${rates[@]}" | awk -v c=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" -v n=${#pids[@]} -v by="$bytes" '
      { s += $1; if (NR == 1 || $1 < lo) lo = $1; if ($1 > hi) hi = $1 }
      END { cpg = (n > 0 && by > 0) ? sprintf("%.2f", (c/hz)/(by/1e9)) : "-"; printf "%.2f %.3f %.3f %s\n", s/1e9, lo/1e9, hi/1e9, cpg }' >>"$W/$key.multi"
    echo "measured $key: $(tail -1 "$W/$key.multi") (Gbit/s summed, slowest and fastest client, CPU s/GB)" >&2
  fi
  [ ${#pids[@]} -eq 0 ] || stop_pids "${pids[@]}"
}

MKEYS=(direct wireguard-go myvpn); [ -z "$BASE" ] || MKEYS+=(myvpn-base)
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq 1 "$R"); do
  echo "round $round of $R: $MULTI clients at once" >&2
  for k in "${MKEYS[@]}"; do mthroughput "$k"; done
done
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

# mmed FILE COL: the median of a column over the rounds ("-" ignored)
mmed() { [ -f "$1" ] || { echo -; return; }; awk -v col="$2" '$col != "-" {print $col}' "$1" | sort -g | awk '{v[NR]=$1} END{ if (NR==0) print "-"; else if (NR%2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2 }'; }
mratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a=="-" || b=="-" || b+0==0) print "n/a"; else printf "%.2f×", a/b }'; }
WG_VER=$(wireguard-go --version 2>/dev/null | awk 'NR==1{print $2}')
{
  echo "# compare.sh -m $MULTI — $STEP"
  echo
  echo "$(date -u +%F\ %H:%MZ), myvpn $COMMIT (Release), $(nproc) cores, kernel $(uname -r), $MULTI clients at once, iperf3 -t $T (TCP, 1 stream each), $R round(s), medians;"
  echo "$MULTI client namespaces on one bridge in the server's namespace; every client sends to the server at the same time, the throughputs summed;"
  echo "MTU 1420 in every tunnel. CPU: user + system time of every daemon of the path (server and all clients) per GB received."
  echo "Load average at start $LOAD0, at end $LOAD1 (the machine is shared: read the ratios)."
  echo
  echo "| path | $MULTI clients, Gbit/s summed | slowest client Gbit/s | fastest client Gbit/s | CPU s per GB (all daemons) |"
  echo "|---|---|---|---|---|"
  for k in "${MKEYS[@]}"; do
    case $k in wireguard-go) n="wireguard-go $WG_VER ($MULTI peers)";; myvpn) n="myvpn $COMMIT";; myvpn-base) n="myvpn $BASE_COMMIT (-c $BASE)";; direct) n="bare bridge";; *) n=$k;; esac
    echo "| $n | $(mmed "$W/$k.multi" 1) | $(mmed "$W/$k.multi" 2) | $(mmed "$W/$k.multi" 3) | $(mmed "$W/$k.multi" 4) |"
  done
  echo
  echo "- MyVpn vs wireguard-go: $MULTI clients summed $(mratio "$(mmed "$W/myvpn.multi" 1)" "$(mmed "$W/wireguard-go.multi" 1)"), CPU per GB $(mratio "$(mmed "$W/myvpn.multi" 4)" "$(mmed "$W/wireguard-go.multi" 4)")"
  [ -z "$BASE" ] || echo "- MyVpn vs MyVpn $BASE_COMMIT: $MULTI clients summed $(mratio "$(mmed "$W/myvpn.multi" 1)" "$(mmed "$W/myvpn-base.multi" 1)")"
  echo
  echo "Every round (Gbit/s summed, slowest, fastest, CPU s/GB):"
  echo
  for k in "${MKEYS[@]}"; do [ -f "$W/$k.multi" ] && echo "- $k: $(paste -sd'|' "$W/$k.multi" | sed 's/|/ · /g')"; done
} >"$W/result.md"
mkdir -p "$OUT"
cp "$W/result.md" "$RESULT"
cat "$RESULT"
echo >&2; echo "written to $RESULT" >&2
