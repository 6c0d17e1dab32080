#!/usr/bin/env bash
# Fails when the git index holds something a build makes: an ELF file
# (program, test binary, object) anywhere, or any file over 2 MB outside a
# testdata/ folder. Prints each offending path with the reason.
#
#   build/check-tree.sh [REPO]     (default: the repository this script is in)
set -euo pipefail
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$root"
limit=$((2 * 1024 * 1024))
bad=0
# -z: paths with any character; the index's view, not the work tree's.
while IFS= read -r -d '' path; do
	[ -f "$path" ] || continue
	if [ "$(head -c 4 "$path" | od -An -tx1 | tr -d ' \n')" = "7f454c46" ]; then
		echo "tracked ELF file (a build output): $path" >&2
		bad=1
		continue
	fi
	case "/$path" in
	*/testdata/*) continue ;;
	esac
	size="$(stat -c %s "$path")"
	if [ "$size" -gt "$limit" ]; then
		echo "tracked file over 2 MB outside testdata: $path ($size bytes)" >&2
		bad=1
	fi
done < <(git ls-files -z)
exit "$bad"
