#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The upstream series' KUnit suites, run the way kernel developers run
# them; the last part of the patches lane (after scripts/patches-boot.sh):
#
#   scripts/upstream-kunit.sh
#
# In the tree the checks left applied (the "verify" worktree) it runs
#
#   tools/testing/kunit/kunit.py run --arch=x86_64 \
#       --kunitconfig=upstream/kunitconfig --build_dir=DIR
#
# DIR starts as a copy of patches-build.sh's build of that tree with the
# kunitconfig applied (scripts/kunit-seed.py), so kunit.py keeps its
# .config and make rebuilds only the suites, now built in, and vmlinux;
# DIR is cached by the series' tree id and the kunitconfig. Also checks
# that the kunitconfig enables every KUnit option the series adds, that it
# and each .kunitconfig the series adds configure a fresh x86_64 build
# (kunit.py config), that kunit.py's boot logged no kernel report, that it
# ran every suite the lane's boot ran, and that a failing case in kunit.py's
# output fails the count. Results in build/patches-kunit/, counts in its
# counts file.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib.sh"
. "$ROOT/scripts/patches-lib.sh"
LANE=patches-kunit
OUT=$BUILD/$LANE
KCONF=$ROOT/upstream/kunitconfig
ARCH=x86_64
LOCK=${XDG_CACHE_HOME:-$HOME/.cache}/tdxguard/testkernel/.build.lock
KEEP=3
rm -rf "$OUT"
mkdir -p "$OUT/host"

patches_base
WT=$(patches_worktree verify)
O=$(patches_build_dir "$WT")
if [ ! -f "$O/.built" ]; then
	lane_broken "$LANE" "the patched kernel was not built (scripts/patches-build.sh)"
	exit 0
fi
KUNIT=$WT/tools/testing/kunit/kunit.py

# kunit_py ARGS...: the tree's kunit.py, from the tree, writing no bytecode
kunit_py()
{
	(cd "$WT" && PYTHONDONTWRITEBYTECODE=1 python3 "$KUNIT" "$@")
}

# the KUnit options the series adds to any Kconfig file
series_kunit_options()
{
	git -C "$WT" diff base HEAD -- ':(glob)**/Kconfig*' |
		sed -n 's/^+config \([A-Z0-9_]*KUNIT[A-Z0-9_]*\)$/\1/p'
}

# suites JSON: the suite names of a kunit.py --json result, sorted
suites()
{
	python3 -c 'import json, sys
print("\n".join(sorted(g["name"] for g in json.load(open(sys.argv[1]))["sub_groups"])))' "$1"
}

# results go to a file first: the plan line leads the document
exec 7>&1 >"$OUT/host/host.ktap"

opts=$(series_kunit_options)
missing=
for opt in $opts; do
	grep -qx "CONFIG_$opt=y" "$KCONF" || missing="$missing $opt"
done
echo "the series adds: $(echo "$opts" | paste -sd' ')" >"$OUT/options.out"
echo "not in upstream/kunitconfig:${missing:- none}" >>"$OUT/options.out"
[ -n "$opts" ] && [ -z "$missing" ]
ktap_result $? "upstream/kunitconfig enables the series' $(echo "$opts" | wc -w) KUnit options" \
	"$OUT/options.out"

# a developer's first run starts from the kunitconfig alone: each must
# configure a fresh build directory (configuring only, no build)
i=0
for kc in "$KCONF" $(git -C "$WT" diff --name-only --diff-filter=A base HEAD |
	grep '/\.kunitconfig$'); do
	i=$((i + 1))
	case $kc in /*) ;; *) kc=$WT/$kc ;; esac
	name=${kc#"$ROOT"/}
	name=${name#"$WT"/}
	kunit_py config --arch=$ARCH --kunitconfig="$kc" \
		--build_dir="$PATCHES_CACHE/kunit-fresh-config" >"$OUT/config-$i.out" 2>&1
	ktap_result $? "kunit.py config --arch=$ARCH --kunitconfig=$name: a fresh .config has all of it" \
		"$OUT/config-$i.out"
done

DIR=$PATCHES_CACHE/kunit-${O##*/build-}-$(cat "$KCONF" \
	"$WT/tools/testing/kunit/qemu_configs/$ARCH.py" "$ROOT/scripts/kunit-seed.py" |
	sha256sum | cut -c1-12)
start=$(date +%s)
if [ ! -f "$DIR/.seeded" ]; then
	progress "lane patches: kunit.py's build directory, a copy of $O (once per series)"
	rm -rf "$DIR"
	cp -a "$O" "$DIR"
	rm -rf "$DIR/mod" "$DIR/.built"
	# its objects are those of the clean tree as it was when O was built
	touch -r "$O/.built" "$DIR/.clean"
	if python3 "$ROOT/scripts/kunit-seed.py" "$WT" "$DIR" "$KCONF" $ARCH \
		>"$OUT/seed.log" 2>&1; then
		touch "$DIR/.seeded"
	fi
	cp "$OUT/seed.log" "$DIR/seed.log"
fi
touch "$DIR"
# shellcheck disable=SC2012 # our own directory names, no odd characters
ls -1td "$PATCHES_CACHE"/kunit-????????????-????????????/ 2>/dev/null | tail -n +$((KEEP + 1)) |
	xargs -r rm -rf
seeded=$(date +%s)

# make goes by file times, and patches-check.sh applies the series anew on
# each run: when the tree is clean it holds exactly the content of DIR's key
# (its tree id), so if DIR's last build was of the clean tree (.clean), files
# newer than that build are dated back and make rebuilds nothing for them.
# An edited tree keeps its times and DIR loses .clean until a build of the
# clean tree, which make then brings up to date by the times, sets it again.
if [ -z "$(git -C "$WT" status --porcelain)" ]; then
	clean=1
	[ ! -f "$DIR/.clean" ] ||
		find "$WT" -path "$WT/.git" -prune -o -newer "$DIR/.clean" -print0 |
		xargs -0 -r touch -h -d @946684800
else
	rm -f "$DIR/.clean"
	clean=
fi
touch "$OUT/run.start"
rm -f "$DIR/test.log"
progress "lane patches: kunit.py run --arch=$ARCH --kunitconfig=upstream/kunitconfig (log: $OUT/kunit.log)"
rc=0
[ -f "$DIR/.seeded" ] || rc=1
# the build and the boot hold the machine-wide kernel build lock
exec 6>"$LOCK"
flock 6
[ "$rc" -ne 0 ] || kunit_py run --arch=$ARCH --kunitconfig="$KCONF" --build_dir="$DIR" \
	--jobs="$(nproc)" --timeout=600 --json="$OUT/kunit.json" >"$OUT/kunit.log" 2>&1 || rc=$?
flock -u 6
[ -z "$clean" ] || touch -r "$OUT/run.start" "$DIR/.clean"
end=$(date +%s)
cp "$DIR/test.log" "$OUT/console.log" 2>/dev/null || : >"$OUT/console.log"
elapsed=$(sed -n 's/.*Elapsed time: \(.*\)$/\1/p' "$OUT/kunit.log" | tail -n 1)
echo "seed $((seeded - start)) s, kunit.py run $((end - seeded)) s (${elapsed:-no result})" \
	>"$OUT/seconds"
progress "lane patches: kunit.py: $(cat "$OUT/seconds")"

cat "$OUT/seed.log" "$OUT/kunit.log" >"$OUT/run.out" 2>/dev/null
ktap_result $rc "kunit.py run --arch=$ARCH --kunitconfig=upstream/kunitconfig exited 0" \
	"$OUT/run.out"
python3 "$ROOT/scripts/collect.py" --kunit-py "$KUNIT_PY" --lane "$LANE" --out "$OUT" \
	--console-only >"$OUT/console.judge" 2>&1
ktap_result $? "kunit.py's boot logged no oops, WARN, KASAN, lockdep or UBSAN report" \
	"$OUT/console.judge"

{
	boot=$BUILD/patches-boot/steps/00-kunit.ktap
	kunit_py parse --json="$OUT/boot.json" "$boot" >/dev/null 2>&1
	suites "$OUT/boot.json" >"$OUT/boot.suites" &&
		suites "$OUT/kunit.json" >"$OUT/kunit.suites" &&
		[ -s "$OUT/boot.suites" ] &&
		LC_ALL=C comm -23 "$OUT/boot.suites" "$OUT/kunit.suites" >"$OUT/suites.missing" &&
		[ ! -s "$OUT/suites.missing" ]
} >"$OUT/suites.out" 2>&1
rc=$?
sed 's/^/not run by kunit.py: /' "$OUT/suites.missing" >>"$OUT/suites.out" 2>/dev/null
ktap_result $rc "kunit.py ran every suite the lane's boot ran ($(paste -sd' ' "$OUT/boot.suites" 2>/dev/null))" \
	"$OUT/suites.out"

# the planted failure: kunit.py's output with its first passing case made
# a failing one must count as a failure
mkdir -p "$OUT/planted"
sed -E '0,/^(.*    )ok ([0-9]+) /s//\1not ok \2 /' "$OUT/console.log" >"$OUT/planted/console.log"
collect --lane "$LANE (planted)" --out "$OUT/planted" --ktap "$OUT/planted/console.log" \
	>"$OUT/planted/collect.out"
read -r _ pf _ <"$OUT/planted/counts" 2>/dev/null || pf=0
! cmp -s "$OUT/console.log" "$OUT/planted/console.log" && [ "$pf" -ge 1 ]
ktap_result $? "a case planted as failed in a copy of kunit.py's output fails the count" \
	"$OUT/planted/collect.out"

exec >&7
{
	echo "KTAP version 1"
	echo "1..$KTAP_N"
	cat "$OUT/host/host.ktap"
} >"$OUT/host/$LANE.ktap"
collect --lane "$LANE (host)" --out "$OUT/host" --ktap "$OUT/host/$LANE.ktap"
mkdir -p "$OUT/cases"
collect --lane "$LANE (kunit.py)" --out "$OUT/cases" --ktap "$OUT/console.log"
sum_counts "$OUT/counts" "$OUT/host/counts" "$OUT/cases/counts"
