#!/usr/bin/env bash
# Runs CellVision's main job on its embedded demo data. Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-dependencies.sh
dotnet run --project src/CellVision.Cli -c Release -- demo "$@"
