#!/usr/bin/env bash
# The hot paths' Go benchmarks, 6 runs each (benchstat gives a confidence
# interval from 6 on), one package at a time (-p 1, so two packages never
# compete for the cores), into a file benchstat can read:
#   bash build/bench/gobench.sh old.txt      (on the old commit)
#   bash build/bench/gobench.sh new.txt      (on the new one)
#   go run golang.org/x/perf/cmd/benchstat@latest old.txt new.txt
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PATH:/usr/local/go/bin"
out=${1:-bench-$(date -u +%Y%m%dT%H%M%SZ).txt}
go test -p 1 -run='^$' -bench=. -count="${COUNT:-6}" ./cache ./sync ./display/layout ./backend ./internal/status ./internal/picture | tee "$out"
echo "wrote $out (load $(cut -d' ' -f1-3 /proc/loadavg))"
