#!/usr/bin/env bash
# N screens' sync loops against one reference backend process: idle load,
# an edit pushed to all, a backend restart. Arguments go to the Go program,
# e.g. -n 1000 -idle 10m -downtime 10s.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PATH:/usr/local/go/bin"
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/" ./cmd/skaerm-backend
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), open files limit $(ulimit -Hn) (hard)"
go run ./build/bench/fleet -backend-bin "$bin/skaerm-backend" "$@"
