#!/usr/bin/env bash
# Runs every MyVpn test suite and ends with one line: "N passed, N failed".
#   unit      tests/Unit: protocol, engines, the simulator and its seed sweep (no root needed)
#   netns     tests/Netns via ./run-netns-tests.sh: real tun devices in network namespaces (root)
#   package   packaging/test-deb.sh: builds the Debian package, installs, runs and removes it (root)
# Usage: ./run-tests.sh [unit|netns|package|all]   (default: all; netns and package are skipped with a note when not root)
set -uo pipefail
cd "$(dirname "$0")"
what=${1:-all}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
passed=0 failed=0 skipped=0 rc=0

# Sums the VSTest summary lines ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, ...") of one run.
count() {
  local f=$1 p f_ s
  read -r p f_ s < <(awk '/(Passed|Failed)! +- /{gsub(",","");for(i=1;i<=NF;i++){if($i=="Failed:")f+=$(i+1);if($i=="Passed:")p+=$(i+1);if($i=="Skipped:")s+=$(i+1)}} END{printf "%d %d %d\n",p,f,s}' "$f")
  passed=$((passed + p)); failed=$((failed + f_)); skipped=$((skipped + s))
  if [ "$((p + f_))" -eq 0 ]; then
    echo "run-tests: $f ran no test" >&2
    rc=1
  fi
  # a test host that crashed (a stack overflow) ends the run early: its summary counts only what ran before
  if grep -q "^Test Run Aborted" "$f"; then
    echo "run-tests: the run was aborted (the test host crashed; see 'The active test run was aborted' above)" >&2
    failed=$((failed + 1)); rc=1
  fi
}

# Adds the closing "N passed, N failed, N skipped" line of a script suite (packaging/test-deb.sh).
count_summary() {
  local f=$1 p f_ s
  read -r p f_ s < <(awk '/^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$/{p=$1; f=$3; s=$5} END{printf "%d %d %d\n",p,f,s}' "$f")
  passed=$((passed + p)); failed=$((failed + f_)); skipped=$((skipped + s))
  if [ "$((p + f_))" -eq 0 ]; then
    echo "run-tests: $f ran no test" >&2
    rc=1
  fi
}

# The unit suite reads and writes pcap files (libpcap), runs the Wireshark dissector (tshark) and
# checks the systemd units with systemd-analyze (systemd).
need_packages() {
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "run-tests: missing Debian packages ${missing[*]} (install them as root: apt-get install ${missing[*]})" >&2
    return 1
  fi
  echo "run-tests: installing ${missing[*]}"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# The simulator's chaos sweep runs the pinned seeds 1-100 and 100 fresh ones, new every run: drawn
# here from the commit and the time (or taken from MYVPN_SIM_SEEDS) and printed before anything runs.
sim_seeds() {
  if [ -z "${MYVPN_SIM_SEEDS:-}" ]; then
    local head hash first
    head=$(git rev-parse HEAD 2>/dev/null || echo no-commit)
    hash=$(printf '%s %s' "$head" "$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)" | sha256sum | cut -c1-10)
    first=$(( 1000000 + 16#$hash ))
    export MYVPN_SIM_SEEDS="$first-$((first + 99))"
  fi
  echo "run-tests: simulator sweep seeds: pinned 1-100, fresh $MYVPN_SIM_SEEDS (again: MYVPN_SIM_SEEDS=$MYVPN_SIM_SEEDS ./run-tests.sh unit;" \
       "one seed: dotnet run --project src/MyVpn.Sim -c Release -- run --seed N)"
}

if [ "$what" = all ] || [ "$what" = unit ]; then
  sim_seeds
  need_packages libpcap0.8 tshark systemd || rc=1
  dotnet test tests/Unit/Unit.csproj -c Release 2>&1 | tee "$out/unit.txt"
  [ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
  count "$out/unit.txt"
fi

if [ "$what" = all ] || [ "$what" = netns ]; then
  if [ "$(id -u)" -eq 0 ] && [ -x ./run-netns-tests.sh ]; then
    ./run-netns-tests.sh 2>&1 | tee "$out/netns.txt"
    [ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
    count "$out/netns.txt"
  else
    echo "run-tests: skipping the real-kernel suite (needs root: sudo ./run-netns-tests.sh)"
  fi
fi

if [ "$what" = all ] || [ "$what" = package ]; then
  if [ "$(id -u)" -eq 0 ]; then
    packaging/test-deb.sh 2>&1 | tee "$out/package.txt"
    [ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
    count_summary "$out/package.txt"
  else
    echo "run-tests: skipping the package suite (needs root: sudo packaging/test-deb.sh)"
  fi
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] || rc=1
exit $rc
