#!/usr/bin/env bash
# Runs every file-based sample (samples/*.cs, .NET 10 `dotnet run FILE.cs`) in turn, prints each one's output and run
# time, and fails if any sample fails. Installs what the samples need first (libtorch, cmake, g++ for native/cvtorch,
# the Zarr and HDF5 libraries). Extra arguments go to `dotnet run`, e.g. `scripts/run-samples.sh -c Debug`.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/install-dependencies.sh || exit

configuration=(-c Release)
if [ "$#" -gt 0 ]; then
  configuration=("$@")
fi

failed=()
summary=()
for sample in samples/*.cs; do
  echo "=== $sample"
  start=$(date +%s%N)
  dotnet run "${configuration[@]}" "$sample"
  status=$?
  tenths=$(( ($(date +%s%N) - start) / 100000000 ))
  seconds="$((tenths / 10)).$((tenths % 10))"
  if [ "$status" -eq 0 ]; then
    summary+=("$(printf "ok     %6ss  %s" "$seconds" "$sample")")
  else
    summary+=("$(printf "FAILED %6ss  %s (exit %s)" "$seconds" "$sample" "$status")")
    failed+=("$sample")
  fi
  echo
done

echo "=== samples"
printf '%s\n' "${summary[@]}"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "${#failed[@]} sample(s) failed: ${failed[*]}" >&2
  exit 1
fi
