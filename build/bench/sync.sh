#!/usr/bin/env bash
# What one screen costs the network: first full sync, an idle period
# extrapolated to a day at the default 5 min poll interval, and a one-field
# edit (bytes, requests, time to the cache). Arguments go to the Go program,
# e.g. -idle 10m -poll 30s -edits 5.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PATH:/usr/local/go/bin"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
go run ./build/bench/synccost "$@"
