#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make check: build everything and run every test, lane by lane.
#
#   lint     checkpatch --strict, sparse, kernel-doc, dkms.conf coverage
#   stock    Debian's 6.12 kernel: our modules built against its headers,
#            kselftests and in-guest checks
#   dkms     the tree installed by Debian's dkms for that kernel (scratch
#            DKMS tree, removed afterwards); the installed modules loaded
#            in its guest
#   test     our test kernel (KUnit, KASAN, kmemleak, lockdep, UBSAN, KCOV,
#            BPF override): KUnit suites, the same kselftests and checks,
#            then a kmemleak scan
#   boot     Debian's mkinitramfs with tdxguard_filter's initramfs-tools
#            hook, booted on the stock kernel (selftests/filter-initramfs.sh)
#   dracut   Debian's dracut (downloaded, not installed) with the tdxguard
#            dracut module, booted on the stock kernel (selftests/filter-dracut.sh)
#   harness  the harness's own tests: a failing KUnit case, a failing
#            kselftest, an oops, a lock inversion, an out-of-range shift and
#            a broken dkms.conf must each fail a run
#   fuzz     the host-side fuzzing manager against a target that crashes
#            its guest (tools/hostio/fuzz-manager-test.sh)
#   patches  make patches, then each patch applied with git am to a fresh
#            tree, checkpatch --strict, no drift from the module sources
#            (scripts/patches-check.sh); then that tree built from a copy
#            of the test kernel's build and booted with the filter on: a
#            built-in e1000 never probes, virtio works, the in-tree KUnit
#            suites pass; a control boot with the e1000 allowed probes it
#            (scripts/patches-boot.sh); then the tree's own kunit.py runs
#            the series' suites built in (scripts/upstream-kunit.sh)
#
# Environment:
#   LANES="stock test"   lanes to run (default: all)
#   STEPS="3*-filter*"   shell globs selecting in-guest steps by name
#   KUNIT_FILTER=glob    kunit.filter_glob for the test lane (suite or suite.case)
#   TIMEOUT=SEC          hard limit per guest boot
#   TRACKS=1             one lane at a time (default: two tracks at once)
#
# Ends with "N passed, N failed, N skipped"; exit status 1 on any failure.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib.sh"

# stock first: it needs no test kernel, so it runs while that one builds
LANES=${LANES:-"stock dkms boot dracut lint harness fuzz test patches"}
STEPS=${STEPS:-}
KUNIT_FILTER=${KUNIT_FILTER:-}

# run_lint: checkpatch, sparse and kernel-doc, counted like any other lane
run_lint()
{
	local out
	out="$BUILD/lint"
	mkdir -p "$out"
	progress "lane lint: checkpatch --strict, sparse, kernel-doc, dkms.conf"
	# sparse needs the test kernel for the KUnit suites: build it in view
	"$ROOT/scripts/testkernel.sh" >/dev/null || true
	"$ROOT/scripts/lint.sh" >"$out/lint.ktap" 2>"$out/lint.err" || true
	collect --lane lint --out "$out" --ktap "$out/lint.ktap"
}

# run_stock: the Debian kernel the modules are meant for
run_stock()
{
	run_guest_lane stock "$(plan_steps)" ""
}

# run_dkms: install with dkms as a user would, then boot the stock kernel
# with exactly the installed files; the lane counts both halves
run_dkms()
{
	local out hp hf hs gp gf gs
	out="$BUILD/dkms"
	mkdir -p "$out/host" "$out/guest/none"
	progress "lane dkms: dkms add, build, install for $STOCK_KVER (scratch tree)"
	"$ROOT/scripts/dkms-check.sh" --tree "$ROOT" --kver "$STOCK_KVER" \
		--out "$out/host" --keep "$out/installed" >"$out/host/dkms.ktap" || true
	collect --lane dkms-install --out "$out/host" --ktap "$out/host/dkms.ktap"
	guest_image dkms "$STOCK_KVER" / "$out/guest/none" "$out/guest/initramfs.gz" \
		--installed "$out/installed" "$ROOT/scripts/guest/dkms/10-dkms-modules.sh"
	boot_guest dkms/guest "$STOCK_IMAGE" "$out/guest/initramfs.gz" ""
	read -r hp hf hs <"$out/host/counts" || { hp=0 hf=1 hs=0; }
	read -r gp gf gs <"$out/guest/counts" || { gp=0 gf=1 gs=0; }
	echo "$((hp + gp)) $((hf + gf)) $((hs + gs))" >"$out/counts"
}

# run_test: the self-built kernel with KUnit, KASAN and kmemleak; every
# KASAN report, not only the first, so planted bugs can replay
run_test()
{
	local append
	append=kasan_multi_shot
	[ -z "$KUNIT_FILTER" ] || append="$append kunit.filter_glob=$KUNIT_FILTER"
	run_guest_lane test "$ROOT/scripts/guest/00-kunit.sh $(plan_steps) \
		$ROOT/scripts/guest/99-kmemleak.sh" "$append"
}

# run_guest_lane LANE "STEPS" APPEND: build against the lane's kernel, boot
# it with the steps, count
run_guest_lane()
{
	local out
	out="$BUILD/$1"
	progress "lane $1: building against its kernel (a cold test kernel takes ~15 min)"
	use_kernel "$1" || { lane_broken "$1" "kernel build failed"; return; }
	build_modules "$1" "$KERNEL_DIR" || { lane_broken "$1" "module build failed"; return; }
	# shellcheck disable=SC2086 # the step list is split on purpose
	guest_image "$1" "$KERNEL_REL" "$KERNEL_MODROOT" "$out/modules" \
		"$out/initramfs.gz" $2
	boot_guest "$1" "$KERNEL_IMAGE" "$out/initramfs.gz" "$3"
	host_checks "$1"
}

# host_checks LANE: for each guest step that ran and has a host half
# (selftests/host/<step>.sh), check on the host what the step left on the
# guest's 9p share; the results count in the lane
host_checks()
{
	local out check name n lp lf ls hp hf hs
	out="$BUILD/$1"
	n=0
	for check in "$ROOT"/selftests/host/[0-9]*.sh; do
		[ -e "$check" ] || continue
		name=$(basename "$check" .sh)
		grep -q "^### tdxguard step $name begin" "$out/results.log" 2>/dev/null ||
			continue
		n=$((n + 1))
		mkdir -p "$out/host-$name"
		"$check" "$out/9p" >"$out/host-$name/host.ktap" 2>&1 || true
		collect --lane "$1 (host) $name" --out "$out/host-$name" \
			--ktap "$out/host-$name/host.ktap"
		read -r lp lf ls <"$out/counts"
		read -r hp hf hs <"$out/host-$name/counts" || { hp=0 hf=1 hs=0; }
		echo "$((lp + hp)) $((lf + hf)) $((ls + hs))" >"$out/counts"
	done
}

# run_boot: the filter armed from a Debian-built initramfs
run_boot()
{
	"$ROOT/selftests/filter-initramfs.sh" "$BUILD/boot" ||
		lane_broken boot "initramfs build or boot failed"
}

# run_dracut: the filter armed from an initramfs built by Debian's dracut
run_dracut()
{
	"$ROOT/selftests/filter-dracut.sh" "$BUILD/dracut" ||
		lane_broken dracut "dracut initramfs build or boot failed"
}

# run_host_lane LANE DESC SCRIPT: a lane of host-side tests whose SCRIPT
# prints KTAP
run_host_lane()
{
	local out
	out="$BUILD/$1"
	mkdir -p "$out"
	progress "lane $1: $2"
	"$3" >"$out/$1.ktap" || true
	collect --lane "$1" --out "$out" --ktap "$out/$1.ktap"
}

# run_harness: prove that the harness catches what it must catch
run_harness()
{
	run_host_lane harness "planted failures must fail a run" \
		"$ROOT/scripts/harness-test.sh"
}

# run_fuzz: the fuzzing manager restarts crashed guests and keeps findings
run_fuzz()
{
	run_host_lane fuzz "the manager against a target that crashes the guest" \
		"$ROOT/tools/hostio/fuzz-manager-test.sh"
}

# run_patches: the upstream series applies, is checkpatch-clean and has not
# drifted from the module sources; tampered copies must fail
run_patches()
{
	# The lane's scripts share one worktree of the cached base tree: hold
	# its lock from the checks to kunit.py (they inherit it), so another
	# clone's lane cannot apply its series in between
	(
		. "$ROOT/scripts/patches-lib.sh"
		patches_base
		run_patches_locked
	)
}

run_patches_locked()
{
	local hp hf hs
	run_host_lane patches "the upstream series: git am, checkpatch, drift" \
		"$ROOT/scripts/patches-check.sh"
	read -r hp hf hs <"$BUILD/patches/counts" || { hp=0 hf=1 hs=0; }
	# a series that failed its checks is not built: the tree left behind
	# is not the series, and building it would rebuild the whole kernel
	if [ "$hf" -eq 0 ]; then
		"$ROOT/scripts/patches-boot.sh"
		"$ROOT/scripts/upstream-kunit.sh"
	else
		lane_broken patches-boot "the series failed its checks; not built"
		lane_broken patches-kunit "the series failed its checks; not built"
	fi
	sum_counts "$BUILD/patches/counts" "$BUILD/patches/counts" \
		"$BUILD/patches-boot/counts" "$BUILD/patches-kunit/counts"
}

# plan_steps: the in-guest check scripts, filtered by STEPS
plan_steps()
{
	for step in "$ROOT"/selftests/guest/[0-9]*.sh; do
		[ -e "$step" ] || continue
		step_selected "$(basename "$step" .sh)" && echo "$step"
	done
}

step_selected()
{
	[ -z "$STEPS" ] && return 0
	for glob in $STEPS; do
		# shellcheck disable=SC2254 # the glob is the point
		case $1 in $glob) return 0 ;; esac
	done
	return 1
}

# one "make check" at a time per tree: lanes share build/
mkdir -p "$BUILD"
exec 9>"$BUILD/.check.lock"
if ! flock -n 9; then
	progress "another make check is running in this tree; waiting for it"
	flock 9
fi

# run_lane LANE: one lane, its report printed whole when it ends (the
# other track's lines never cut into it), its wall time recorded
run_lane()
{
	local lane_start
	lane_start=$(date +%s)
	mkdir -p "$BUILD/$1"
	"run_$1" >"$BUILD/$1/report.txt" || true
	cat "$BUILD/$1/report.txt"
	echo $(($(date +%s) - lane_start)) >"$BUILD/$1/seconds"
}

run_track()
{
	local lane
	for lane in "$@"; do
		run_lane "$lane"
	done
}

# Lanes run in two tracks at once: the test lane, the longest, then the
# fuzz lane (stock kernel, its own module build), which evens the two
# tracks' lengths, in one, and all the others in the other. Most guest
# steps keep one vCPU busy and the host lanes are mostly single-threaded,
# so on two cores each track uses what the other leaves idle. Within a
# track the order of LANES holds (boot and dracut use the stock lane's
# modules); a lane that needs the test kernel waits for whichever track
# builds it. TRACKS=1 runs one lane at a time.
#
# The test lane's guest, a two-vCPU debug kernel under TCG, loses far more
# than a fair share when something else takes a core: a vCPU spins for an
# IPI or a lock while the host has descheduled the other. Step 41 takes
# 123 s alone, 308 s beside two CPU hogs, 128 s beside the same hogs at
# nice 10 (and took 473 s in a CI run beside the other track). So once
# the test track is forked, this shell, which runs the other track, drops
# to nice 10, as does the test kernel's build (scripts/testkernel.sh):
# they take what the guest leaves idle.
short= long= after_test=
for lane in $LANES; do
	case $lane in
	lint | stock | dkms | boot | dracut | harness | patches) short="$short $lane" ;;
	fuzz) after_test=fuzz ;;
	test) long=test ;;
	*) echo "check: unknown lane '$lane' (lint, stock, dkms, test, boot, dracut, harness, fuzz, patches)" >&2; exit 2 ;;
	esac
done
if [ -n "$long" ]; then
	long="$long $after_test"
else
	short="$short $after_test"
fi

start=$(date +%s)
rm -f "$BUILD"/*/counts
progress "building kselftests and tools"
build_userspace
if [ "${TRACKS:-2}" -gt 1 ] && [ -n "$short" ] && [ -n "$long" ]; then
	progress "two tracks at once: $long |$short"
	# shellcheck disable=SC2086 # lane lists are split on purpose
	run_track $long &
	long_pid=$!
	renice -n 10 -p $$ >/dev/null
	# shellcheck disable=SC2086
	run_track $short
	wait "$long_pid" || true
else
	# shellcheck disable=SC2086
	run_track $LANES
fi
summarize "$LANES" "$start"
