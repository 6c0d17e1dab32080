#!/usr/bin/env bash
# Prints the version (or, with --commit, the commit) stamped into skaerm's
# binaries and packages. See skaerm_version in build/lib.sh for the format.
set -euo pipefail
# shellcheck source=build/lib.sh
. "$(dirname "$0")/lib.sh"
case "${1:-}" in
--commit) skaerm_commit ;;
--ldflags) skaerm_ldflags ;;
"") skaerm_version ;;
*) die "usage: build/version.sh [--commit|--ldflags]" ;;
esac
