#!/usr/bin/env bash
# Mutation testing of the core with Stryker.NET (the dotnet-stryker tool pinned in .config/dotnet-tools.json):
# mutates src/MyVpn/Protocol and src/MyVpn/Tunnel (stryker-config.json) and runs tests/Unit against each
# mutant (only the tests that cover it; the simulator, architecture, docs and packaging tests are left out
# for speed). Prints the score per file and writes StrykerOutput/<time>/reports/mutation-report.html.
# Usage: ./run-mutation.sh [extra dotnet stryker arguments]
#   ./run-mutation.sh                                            both folders (about an hour on two shared CPUs)
#   ./run-mutation.sh --mutate "**/Protocol/GrantEncoding.cs"    one file while killing its survivors
#   ./run-mutation.sh --concurrency 1                            fewer test runners at once
set -euo pipefail
cd "$(dirname "$0")"
dotnet tool restore > /dev/null
cd tests/Unit
exec dotnet stryker --config-file ../../stryker-config.json "$@"
