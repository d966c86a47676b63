#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The upstream series' host checks, as KTAP on stdout (the patches lane):
#
#   scripts/patches-check.sh [OUT]   (default build/patches-lane)
#
# "make patches" runs on a snapshot of upstream/ and the sources it names,
# with a throwaway git identity; then every patch of the result must apply
# with git am to a fresh tree of the base, pass checkpatch.pl --strict, and
# leave each file listed in upstream/gen/*/files byte-identical to its
# module source. Tampered snapshots prove that each of these checks, and a
# missing identity or source, fails. The series, applied, stays in the
# "verify" worktree for scripts/patches-boot.sh.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib.sh"
. "$ROOT/scripts/patches-lib.sh"
OUT=${1:-$BUILD/patches-lane}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# snapshot DEST: what make patches reads from the repository: upstream/,
# the test-kernel patches and every source a gen entry lists
snapshot()
{
	local files dst src
	rm -rf "$1"
	mkdir -p "$1/scripts/kernel"
	cp -R "$ROOT/upstream" "$1/"
	cp -R "$ROOT/scripts/kernel/patches" "$1/scripts/kernel/"
	for files in "$ROOT"/upstream/gen/*/files; do
		[ -e "$files" ] || continue
		while read -r dst src; do
			case $dst in '' | '#'*) continue ;; esac
			mkdir -p "$1/$(dirname "$src")"
			cp "$ROOT/$src" "$1/$src"
		done <"$files"
	done
}

# make_patches REPO SERIES-DIR LOG [IDENTITY-FILE]: patches.sh with only the
# identity in the given global git config
make_patches()
{
	GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=${4:-$OUT/gitconfig} \
		"$ROOT/scripts/patches.sh" --root "$1" --out "$2" >"$3" 2>&1
}

# verify REPO SERIES-DIR [WORKTREE [GLOB]]: KTAP results for each patch
# and each listed file, in the named worktree (default "verify");
# checkpatch runs on the patches whose names match GLOB (default all)
verify()
{
	local wt p name dst src gen
	wt=$(patches_worktree "${3:-verify}")
	git -C "$wt" checkout -q -f --detach base
	git -C "$wt" clean -q -fdx
	for p in "$2"/[0-9][0-9][0-9][0-9]-*.patch; do
		name=$(basename "$p")
		[ "$name" != 0000-cover-letter.patch ] || continue
		GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$OUT/gitconfig" \
			git -C "$wt" am -q "$p" >"$OUT/am.out" 2>&1
		ktap_result $? "git am $name" "$OUT/am.out"
		# shellcheck disable=SC2254 # the glob is the point
		case $name in ${4-*}) ;; *) continue ;; esac
		# FILE_PATH_CHANGES fires for every new file, also in
		# directories MAINTAINERS already covers; UNKNOWN_COMMIT_ID for
		# every Fixes: tag, as the base tree is a tarball with no history
		(cd "$wt" && ./scripts/checkpatch.pl --strict --quiet \
			--ignore FILE_PATH_CHANGES,UNKNOWN_COMMIT_ID --show-types \
			"$p") >"$OUT/checkpatch.out" 2>/dev/null
		ktap_result $? "checkpatch --strict $name" "$OUT/checkpatch.out"
	done
	for gen in "$1"/upstream/gen/*/files; do
		[ -f "$gen" ] || continue
		while read -r dst src; do
			case $dst in '' | '#'*) continue ;; esac
			cmp "$1/$src" "$wt/$dst" >"$OUT/cmp.out" 2>&1
			ktap_result $? "in-tree $dst is $src" "$OUT/cmp.out"
		done <"$gen"
	done
}

# expect_fail DESC WHAT LOG PATTERN: WHAT (a command) must fail, and its
# log say PATTERN
expect_fail()
{
	local desc log pattern
	desc=$1 log=$3 pattern=$4
	# shellcheck disable=SC2086 # WHAT is a command and its arguments
	if $2; then
		ktap_result 1 "$desc" "$log"
	else
		grep -q -- "$pattern" "$log"
		ktap_result $? "$desc" "$log"
	fi
}

printf '[user]\n\tname = tdxguard check\n\temail = check@tdxguard.invalid\n' \
	>"$OUT/gitconfig"
: >"$OUT/noidentity"

# results go to a file first: the plan line leads the document
exec 7>&1 >"$OUT/results.ktap"
patches_base
snapshot "$OUT/repo"
make_patches "$OUT/repo" "$OUT/series" "$OUT/patches.log"
ktap_result $? "make patches" "$OUT/patches.log"
grep -q "^Signed-off-by: tdxguard check <check@tdxguard.invalid>" \
	"$OUT"/series/0002-*.patch
ktap_result $? "generated patches carry the runner's Signed-off-by" "$OUT/patches.log"
grep -q "^Base: Debian linux-source-6.12 .* (upstream v6\.12\." \
	"$OUT/series/0000-cover-letter.patch"
ktap_result $? "the cover letter states the base" "$OUT/series/0000-cover-letter.patch"
verify "$OUT/repo" "$OUT/series"

# The negative half: each tampered snapshot must be caught. Those that get
# as far as git am use a worktree of their own, so "verify" keeps the real
# series for the build and boot, and run checkpatch only where it matters.
T=$OUT/tampered
run_tampered()
{
	make_patches "$T" "$T.series" "$T.log" "${1:-}"
}
# verify_tampered WORD: checkpatch only on the patches whose names hold
# WORD ("none": on no patch)
verify_tampered()
{
	local glob
	glob="*$1*"
	[ "$1" != none ] || glob=
	run_tampered || return 0
	(verify "$T" "$T.series" tampered "$glob") >"$T.log" 2>&1
	! grep -q '^not ok' "$T.log"
}

snapshot "$T"
expect_fail "no git identity: make patches refuses" \
	"run_tampered $OUT/noidentity" "$T.log" "no git identity"

snapshot "$T"
rm "$T/filters/policy_default.c"
expect_fail "a listed source missing: make patches fails" run_tampered \
	"$T.log" "listed source filters/policy_default.c does not exist"

snapshot "$T"
sed -i 's/^ \tlink_ret = device_links_check_suppliers(dev);$/ \tlink_ret = 0;/' \
	"$T/upstream/gen/tdx-filter-probe/edits.patch"
expect_fail "an edit that stops applying: make patches fails" run_tampered \
	"$T.log" "edits.patch does not apply"

snapshot "$T"
sed -i '0,/^ #include/s// #include <linux\/no-such.h>\n #include/' \
	"$T"/scripts/kernel/patches/0001-*.patch
expect_fail "a kernel patch that stops applying: make patches fails" \
	run_tampered "$T.log" "does not apply"

snapshot "$T"
d=$T/upstream/gen/tdx-filter-policy/tree/drivers/virt/coco/tdx-filter
{ cat "$ROOT/filters/policy.c"; echo "/* in-tree only */"; } >"$d/policy.c"
expect_fail "glue that overrides a listed source: drift detected" \
	"verify_tampered none" "$T.log" "not ok .* in-tree drivers/virt/coco/tdx-filter/policy.c is filters/policy.c"

snapshot "$T"
d=$T/upstream/gen/tdx-filter-probe/tree/drivers/virt/coco/tdx-filter
printf 'static int x ;  \n' >>"$d/probe.c"
expect_fail "glue that breaks checkpatch --strict: caught" \
	"verify_tampered -driver-core-Let-the-TDX-device-filter" "$T.log" "not ok .* checkpatch --strict [0-9]*-driver-core-Let-the-TDX-device-filter"

exec >&7
echo "KTAP version 1"
echo "1..$KTAP_N"
cat "$OUT/results.ktap"
[ "$KTAP_FAILED" -eq 0 ]
