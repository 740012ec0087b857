#!/usr/bin/env bash
# Installs the Debian packages CellVision builds and tests against, when any is missing:
#   libtorch-dev (PyTorch 1.13 C++ library), cmake and g++ (to build native/cvtorch),
#   libopenblas0-openmp (an optimised BLAS for libtorch's matrix products instead of the reference BLAS),
#   libblosc1 and libzstd1 (Zarr chunk codecs), libhdf5-103-1 (BigDataViewer HDF5),
#   python3-torch, python3-numpy, python3-zarr, python3-numcodecs, python3-tifffile, python3-pil, python3-h5py and
#   python3-skimage
#   (the references the tests compare against),
#   rabbitmq-server (the broker the server's messaging tests publish to; test.sh starts a throw-away node),
#   slurmctld, slurmd, slurm-client, slurmrestd and munge (the distributed tests' cluster and its REST API; test.sh starts a throw-away one),
#   chromium (the server's status page is tested in headless Chromium).
set -euo pipefail

packages=(libtorch-dev libopenblas0-openmp cmake g++ libblosc1 libzstd1 libhdf5-103-1 python3-torch python3-numpy python3-zarr python3-numcodecs python3-tifffile python3-pil python3-h5py python3-skimage rabbitmq-server slurmctld slurmd slurm-client slurmrestd munge chromium)
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing Debian packages: ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
