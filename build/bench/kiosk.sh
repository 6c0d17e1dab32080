#!/usr/bin/env bash
# Screen vs browser kiosk on one Xvfb (1920x1080x24, Mesa software GL):
# builds the programs, then runs build/bench/kiosk (3 runs each, medians).
# Extra arguments go to the Go program, e.g. -reps 5, -windowed, -keep.
# Needs Xvfb and Debian's chromium (build/deps.sh --bench installs both).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PATH:/usr/local/go/bin"
command -v Xvfb >/dev/null || { echo "kiosk.sh: Xvfb is missing (apt-get install -y xvfb)" >&2; exit 1; }
command -v chromium >/dev/null || { echo "kiosk.sh: chromium is missing (build/deps.sh --bench)" >&2; exit 1; }
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/" ./cmd/skaerm ./cmd/skaerm-screen ./cmd/skaerm-backend
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
go run ./build/bench/kiosk -bin "$bin" "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
