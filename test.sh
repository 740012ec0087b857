#!/usr/bin/env bash
# Builds CellVision (including native/cvtorch) and runs every test. Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-dependencies.sh
dotnet build CellVision.sln -c Release
dotnet test CellVision.sln -c Release --no-build --logger "console;verbosity=normal" "$@"
