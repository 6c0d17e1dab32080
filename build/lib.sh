# shellcheck shell=bash
# Helpers shared by the build scripts. Source it; it does nothing on its own.

# The repository root, whatever directory a script is started from.
SKAERM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log()  { printf '==> %s\n' "$*" >&2; }
warn() { printf 'WARN: %s\n' "$*" >&2; }
die()  { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# ensure_go puts Go on PATH when it lives in /usr/local/go/bin but PATH lacks it.
ensure_go() {
	if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
		export PATH="/usr/local/go/bin:$PATH"
	fi
	command -v go >/dev/null 2>&1 || die "Go is not installed: run build/deps.sh for instructions"
}

# skaerm_version prints the version stamped into binaries and packages, from
# `git describe --tags --always --dirty`, shaped so that it is both a valid
# semantic version and a Debian version that sorts the way releases do:
#   v1.4.0               -> 1.4.0
#   v1.4.0-3-gabc1234    -> 1.4.0+3.gabc1234   (3 commits after 1.4.0: newer)
#   abc1234-dirty (no tag yet) -> 0.0.0-dev+gabc1234.dirty
#   (not a git clone)    -> 0.0.0-dev
# VERSION in the environment wins.
skaerm_version() {
	if [ -n "${VERSION:-}" ]; then
		printf '%s\n' "$VERSION"
		return
	fi
	local d dirty=""
	d="$(git -C "$SKAERM_ROOT" describe --tags --always --dirty 2>/dev/null || true)"
	if [ -z "$d" ]; then
		printf '0.0.0-dev\n'
		return
	fi
	case "$d" in
	*-dirty) dirty=dirty d="${d%-dirty}" ;;
	esac
	if [[ "$d" =~ ^v?([0-9]+\.[0-9]+\.[0-9]+[0-9A-Za-z.~-]*)-([0-9]+)-(g[0-9a-f]+)$ ]]; then
		printf '%s+%s.%s%s\n' "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}" "${dirty:+.$dirty}"
	elif [[ "$d" =~ ^v?([0-9]+\.[0-9]+\.[0-9]+[0-9A-Za-z.~-]*)$ ]]; then
		printf '%s%s\n' "${BASH_REMATCH[1]}" "${dirty:++$dirty}"
	else
		# No release tag yet: describe gave only the commit hash.
		printf '0.0.0-dev+g%s%s\n' "$d" "${dirty:+.$dirty}"
	fi
}

# skaerm_commit prints the commit hash, or "unknown" outside a git clone.
skaerm_commit() {
	if [ -n "${COMMIT:-}" ]; then
		printf '%s\n' "$COMMIT"
		return
	fi
	git -C "$SKAERM_ROOT" rev-parse --short=12 HEAD 2>/dev/null || printf 'unknown\n'
}

# skaerm_ldflags prints the -ldflags value that stamps version and commit.
skaerm_ldflags() {
	printf -- '-s -w -X main.version=%s -X main.commit=%s\n' "$(skaerm_version)" "$(skaerm_commit)"
}

# output_dir DIR creates DIR (for build output) with a .gitignore that
# ignores everything in it, so build output never shows up in git status.
output_dir() {
	mkdir -p "$1"
	[ -f "$1/.gitignore" ] || printf '# Build output, made by build/*.sh.\n*\n' >"$1/.gitignore"
}
