#!/usr/bin/env bash
# The long fuzzing campaign: every property test of tests/Unit/Fuzz (handshake frames both ways, data
# datagrams, grants, server and client TOML configs, pcap files and key logs) on FUZZ_ITERATIONS cases
# each (default 1000000). The normal unit suite runs the same properties on a few thousand cases.
# Usage: ./run-fuzz.sh [extra dotnet test arguments]
#   FUZZ_ITERATIONS=N ./run-fuzz.sh                     cases per property
#   FUZZ_SEED=SEED ./run-fuzz.sh --filter "FullyQualifiedName~TestName"   replay the seed a failure printed
set -euo pipefail
cd "$(dirname "$0")"
export FUZZ_ITERATIONS=${FUZZ_ITERATIONS:-1000000}
echo "run-fuzz: $FUZZ_ITERATIONS cases per property${FUZZ_SEED:+, starting from seed $FUZZ_SEED}" >&2
filter=(--filter Category=Fuzz)
for arg in "$@"; do [ "$arg" = --filter ] && filter=(); done
exec dotnet test tests/Unit/Unit.csproj -c Release "${filter[@]}" --logger "console;verbosity=normal" "$@"
