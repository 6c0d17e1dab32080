#!/usr/bin/env bash
# The screen's voice: tap -> first audible sample (espeak-ng, and a staff
# recording as WAV and MP3; p50/p95 over 20 taps each) through ALSA routed
# to a file, and the CPU and heap the voice and the announcer add to an
# idle screen. Arguments go to the Go program, e.g. -taps 20 -idle 60s.
# Needs espeak-ng and aplay (build/deps.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PATH:/usr/local/go/bin"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
go run ./build/bench/aloud "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
