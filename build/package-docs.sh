#!/usr/bin/env bash
# Writes the documents the Debian package carries into a staged tree, each
# made at build time from what it describes, so none is kept by hand:
#
#   build/package-docs.sh STAGE PROGRAM...
#
#   usr/share/doc/skaerm/copyright     DEP-5: the project and the font
#       (build/package/copyright.head), then every Go module compiled into the
#       PROGRAMs (staged, target architecture) with its licence from the
#       module cache; fails when a module's licence cannot be determined
#   usr/share/doc/skaerm/changelog.Debian.gz (changelog.gz for a native
#       version without a Debian revision): the version and the git history
#   usr/share/man/man1/skaerm.1.gz     from the help skaerm prints
#   usr/share/man/man5/skaerm-config.5.gz  from `skaerm config example`
#   usr/share/lintian/overrides/skaerm  build/package/lintian-overrides, if any
#
# The man pages come from skaerm built for this machine (into dist/host/):
# it answers every command's --help itself, without a display. The
# generator is build/pkgdocs.
#
# Environment: VERSION (see build/version.sh), SKAERM_MAINTAINER.
set -euo pipefail
# shellcheck source=build/lib.sh
. "$(dirname "$0")/lib.sh"

[ "$#" -ge 2 ] || die "usage: build/package-docs.sh STAGE PROGRAM..."
stage="$(cd "$1" && pwd)"
shift
progs=()
installed=()
for p in "$@"; do
	progs+=("$(cd "$(dirname "$p")" && pwd)/$(basename "$p")")
	installed+=("${progs[-1]#"$stage"}")
done
cd "$SKAERM_ROOT"
ensure_go
version="$(skaerm_version)"
maintainer="${SKAERM_MAINTAINER:-skaerm maintainers <skaerm@example.invalid>}"
doc="$stage/usr/share/doc/skaerm"
install -d "$doc" "$stage/usr/share/man/man1" "$stage/usr/share/man/man5"

output_dir dist
host="dist/host"
mkdir -p "$host"
log "go build ./build/pkgdocs and skaerm for this machine (for the man pages)"
go build -o "$host/pkgdocs" ./build/pkgdocs
CGO_ENABLED=1 go build -trimpath -ldflags "$(skaerm_ldflags)" -o "$host/skaerm" ./cmd/skaerm

log "copyright"
installed_list="$(IFS=,; echo "${installed[*]}")"
"$host/pkgdocs" copyright -head build/package/copyright.head -text OFL-1.1=assets/fonts/OFL.txt \
	-installed "$installed_list" "${progs[@]}" >"$doc/copyright"

# A version with a Debian revision (a hyphen, e.g. 0.0.0-dev+g1234567) is
# non-native and its changelog is changelog.Debian.gz; a release version
# (1.4.0) is native: changelog.gz (Debian policy 12.7).
changelog=changelog.gz
[[ "$version" == *-* ]] && changelog=changelog.Debian.gz
log "$changelog"
"$host/pkgdocs" changelog -version "$version" -maintainer "$maintainer" | gzip -9n >"$doc/$changelog"

log "man pages"
date="$(git log -1 --format=%cs 2>/dev/null || date -u +%F)"
env -u DISPLAY "$host/pkgdocs" man -skaerm "$host/skaerm" -version "$version" -date "$date" -out "$host"
gzip -9n <"$host/skaerm.1" >"$stage/usr/share/man/man1/skaerm.1.gz"
gzip -9n <"$host/skaerm-config.5" >"$stage/usr/share/man/man5/skaerm-config.5.gz"

# lintian overrides, if the package ever needs one: each with a comment saying
# why (CI refuses one without).
if [ -f build/package/lintian-overrides ]; then
	install -d "$stage/usr/share/lintian/overrides"
	install -m 0644 build/package/lintian-overrides "$stage/usr/share/lintian/overrides/skaerm"
fi
