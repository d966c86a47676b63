#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make patches: the upstream patch series, built from upstream/series and
# written by "git format-patch --cover-letter" to build/patches/.
#
#   scripts/patches.sh [--root REPO] [--out DIR] [--keep-tree]
#
# Entries of upstream/series, in order ('#' starts a comment):
#   fix NAME.patch     upstream/fixes/NAME.patch, applied with git am
#   kernel NAME.patch  scripts/kernel/patches/NAME.patch, applied with git am
#   gen NAME           upstream/gen/NAME/: the module sources named in
#                      "files" copied verbatim, "tree/" copied as is,
#                      "edits.patch" applied, committed with "message" and a
#                      Signed-off-by from the runner's git identity
#
# The base is a git repository of the pristine linux-source-6.12 tree,
# built once in the cache and keyed by the package version; each run
# resets a worktree of it. --root takes upstream/ and the sources from
# another copy of the repository (the tests use a tampered one).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
REPO=$ROOT
OUT=
while [ $# -gt 0 ]; do
	case $1 in
	--root) REPO=$(cd "$2" && pwd); shift 2 ;;
	--out) OUT=$2; shift 2 ;;
	*) echo "patches: unknown option '$1'" >&2; exit 2 ;;
	esac
done
OUT=${OUT:-$REPO/build/patches}

. "$ROOT/scripts/patches-lib.sh"

die()
{
	echo "patches: $*" >&2
	exit 1
}

NAME=$(git -C "$REPO" config user.name || true)
EMAIL=$(git -C "$REPO" config user.email || true)
[ -n "$NAME" ] && [ -n "$EMAIL" ] ||
	die "no git identity for Signed-off-by: set 'git config user.name' and 'git config user.email'"
SOB="Signed-off-by: $NAME <$EMAIL>"

[ -f "$REPO/upstream/series" ] || die "$REPO/upstream/series does not exist"

patches_base
WT=$(patches_worktree gen)
g()
{
	git -C "$WT" -c user.name="$NAME" -c user.email="$EMAIL" "$@"
}
g checkout -q -f -B tdxguard-series base
g clean -q -fdx

# apply_am FILE: one format-patch file, as its author wrote it
apply_am()
{
	[ -f "$1" ] || die "$1 does not exist"
	g am -q --signoff "$1" >"$WT.am.log" 2>&1 || {
		cat "$WT.am.log" >&2
		g am --abort >/dev/null 2>&1 || true
		die "$(basename "$1") does not apply to $BASE_DESC"
	}
}

# apply_gen NAME: commit upstream/gen/NAME/ on top of the tree
apply_gen()
{
	local dir dst src
	dir="$REPO/upstream/gen/$1"
	[ -f "$dir/message" ] || die "gen $1: $dir/message does not exist"
	if [ -f "$dir/files" ]; then
		while read -r dst src; do
			case $dst in '' | '#'*) continue ;; esac
			[ -n "$src" ] || die "gen $1: files: '$dst' names no repo path"
			[ -f "$REPO/$src" ] || die "gen $1: listed source $src does not exist"
			mkdir -p "$WT/$(dirname "$dst")"
			cp "$REPO/$src" "$WT/$dst"
		done <"$dir/files"
	fi
	[ ! -d "$dir/tree" ] || cp -R "$dir/tree/." "$WT/"
	if [ -f "$dir/edits.patch" ]; then
		g apply -p1 "$dir/edits.patch" 2>"$WT.am.log" || {
			cat "$WT.am.log" >&2
			die "gen $1: edits.patch does not apply to $BASE_DESC"
		}
	fi
	# -f: the tree's .gitignore ignores everything at the top level not
	# named back in
	g add -A -f
	{ cat "$dir/message"; printf '\n%s\n' "$SOB"; } >"$WT.msg"
	g commit -q --cleanup=verbatim -F "$WT.msg" ||
		die "gen $1: nothing to commit"
}

n=0
while read -r kind name rest; do
	case $kind in '' | '#'*) continue ;; esac
	[ -z "$rest" ] || die "series: '$kind $name $rest': one entry per line"
	case $kind in
	fix) apply_am "$REPO/upstream/fixes/$name" ;;
	kernel) apply_am "$REPO/scripts/kernel/patches/$name" ;;
	gen) apply_gen "$name" ;;
	*) die "series: unknown entry kind '$kind' (fix, kernel, gen)" ;;
	esac
	n=$((n + 1))
done <"$REPO/upstream/series"
[ "$n" -gt 0 ] || die "series: no entries"

# The cover letter: upstream/cover-letter (subject, blank line, body) plus
# the exact base.
{
	cat "$REPO/upstream/cover-letter"
	printf '\nBase: %s.\n' "$BASE_DESC"
	printf 'The base-commit below is that tree committed as is (%s).\n' \
		"scripts/patches.sh"
} >"$WT.cover"
g config branch.tdxguard-series.description "$(cat "$WT.cover")"

rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
g format-patch -q --cover-letter --cover-from-description=subject \
	--base=base -o "$OUT" base..tdxguard-series
echo "patches: $n patches in $OUT, on $BASE_DESC" >&2
