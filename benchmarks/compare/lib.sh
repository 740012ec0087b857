# Shared set-up of the side-by-side comparison scripts; source it after setting `root`.
# Installs the Debian packages, builds the benchmark app in Release, sets `benchmark` (the app's dll),
# and `results` (a temporary file removed on exit).
set -euo pipefail
"$root/scripts/install-dependencies.sh"
dotnet build "$root/benchmarks/CellVision.Benchmarks" -c Release -v quiet -nologo > /dev/null
benchmark="$root/benchmarks/CellVision.Benchmarks/bin/Release/net10.0/CellVision.Benchmarks.dll"
results=$(mktemp)
trap 'rm -f "$results"' EXIT
# awk helper: median of a space-separated list of numbers.
median_awk='function median(list,   n, a, i, j, t) { n = split(list, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }; return a[int((n + 1) / 2)] }'
