# SPDX-License-Identifier: GPL-2.0
#
# Host-side helpers shared by check.sh, run.sh, bench.sh and harness-test.sh.
# Sourced with ROOT set to the repository.

BUILD="$ROOT/build"
STOCK_KVER=$(ls -d /lib/modules/6.12.*+deb12-amd64 2>/dev/null | sort -V |
	tail -n 1 | xargs -r basename)
STOCK_KDIR="/lib/modules/$STOCK_KVER/build"
STOCK_IMAGE="/boot/vmlinuz-$STOCK_KVER"
KSRC=$("$ROOT/scripts/kernel-src.sh")
KUNIT_PY="$KSRC/tools/testing/kunit/kunit.py"

# Test-only modules (never installed, not in dkms.conf): each directory is
# built on its own; the guest carries the results in /opt/tdxguard/testmods.
TEST_MODULE_DIRS="bpf/target filters/testbus"

# ktap_result STATUS DESC [EVIDENCE-FILE]: one KTAP result line for a host
# test; a failure shows the evidence's last lines as diagnostics. Counts in
# KTAP_N and KTAP_FAILED.
KTAP_N=0
KTAP_FAILED=0
ktap_result()
{
	KTAP_N=$((KTAP_N + 1))
	if [ "$1" -ne 0 ]; then
		KTAP_FAILED=$((KTAP_FAILED + 1))
		[ -n "${3:-}" ] && sed 's/^/# /' "$3" | tail -n 30
		echo "not ok $KTAP_N $2"
	else
		echo "ok $KTAP_N $2"
	fi
}

progress()
{
	printf '==> %s\n' "$*" >&2
}

build_userspace()
{
	"$ROOT/scripts/build-userspace.sh"
}

# build_modules LANE KDIR: build our modules against KDIR in a copy of the
# tree (so lanes never share objects); the .ko files land in
# build/LANE/modules, the test-only ones in build/LANE/testmods
build_modules()
{
	local src mods dir
	src="$BUILD/$1/src"
	mods="$BUILD/$1/modules"
	mkdir -p "$src" "$mods" "$BUILD/$1/testmods"
	rsync -a --delete --delete-excluded --filter=':- .gitignore' \
		--exclude /build --exclude /.git --exclude /Documentation \
		"$ROOT/" "$src/"
	if ! make -C "$2" M="$src" modules >"$BUILD/$1/modules.log" 2>&1; then
		grep -E 'error|warning' "$BUILD/$1/modules.log" | head -n 20 >&2
		return 1
	fi
	rm -f "$mods"/*.ko "$BUILD/$1/testmods"/*.ko
	copy_built "$src" "$mods"
	for dir in $TEST_MODULE_DIRS; do
		if ! make -C "$2" M="$src/$dir" modules >>"$BUILD/$1/modules.log" 2>&1; then
			grep -E 'error|warning' "$BUILD/$1/modules.log" | head -n 20 >&2
			return 1
		fi
		copy_built "$src/$dir" "$BUILD/$1/testmods"
	done
}

# copy_built DIR DEST: the modules a build in DIR produced (its modules.order)
copy_built()
{
	sed 's/\.o$/.ko/' "$1/modules.order" | while read -r ko; do
		cp "$1/${ko#"$1"/}" "$2/"
	done
}

# guest_image LANE KVER MODROOT OURS OUT STEP...
guest_image()
{
	local lane kver modroot ours out
	lane=$1 kver=$2 modroot=$3 ours=$4 out=$5
	shift 5
	"$ROOT/scripts/mkinitramfs.sh" --lane "$lane" --kver "$kver" \
		--modroot "$modroot" --ours "$ours" --testmods "${ours%/*}/testmods" \
		--out "$out" \
		${GUEST_INTERACTIVE:+--interactive} "$@"
}

# qemu_crashed RC: QEMU itself died of SIGABRT or SIGSEGV (an assertion or
# fault in the emulator, not anything the guest did; a timeout is 124 or 137)
qemu_crashed()
{
	[ "$1" -eq 134 ] || [ "$1" -eq 139 ]
}

# set_boot_aside OUT DIR: keep a boot's logs and share in OUT/DIR/
set_boot_aside()
{
	rm -rf "${1:?}/$2"
	mkdir -p "$1/$2"
	for f in console.log results.log qemu.log 9p; do
		[ ! -e "$1/$f" ] || mv "$1/$f" "$1/$2/"
	done
}

# boot_guest LANE IMAGE INITRD APPEND: boot, then count and judge the run.
# Two kinds of boot are kept aside and booted once more, and the verdict
# says so: one QEMU itself crashed (LANE/qemu-crash/, with QEMU's last
# words), and one whose kernel did not start /init in time (qemu-run.sh's
# 123, LANE/stalled-boot/, with the console's last lines), which under TCG
# on a busy host shows as an RCU stall of an idle vCPU whose timer never
# fires, before the initramfs and anything of ours ran. A second such boot
# fails the run.
boot_guest()
{
	local out rc try
	out="$BUILD/$1"
	progress "lane $1: booting the guest (log: $out/console.log)"
	for try in 1 2; do
		rc=0
		"$ROOT/scripts/qemu-run.sh" --kernel "$2" --initrd "$3" --out "$out" \
			--timeout "${TIMEOUT:-3600}" --append "$4" || rc=$?
		[ "$try" -eq 1 ] || break
		if qemu_crashed "$rc"; then
			set_boot_aside "$out" qemu-crash
			echo "# QEMU crashed (status $rc), booting once more; its log ends:"
			tail -n 5 "$out/qemu-crash/qemu.log" | sed 's/^/#   | /'
			progress "lane $1: QEMU crashed (status $rc, $out/qemu-crash/), booting once more"
		elif [ "$rc" -eq 123 ]; then
			set_boot_aside "$out" stalled-boot
			echo "# the kernel did not start /init in time, booting once more; its console ends:"
			tail -n 5 "$out/stalled-boot/console.log" | sed 's/^/#   | /'
			progress "lane $1: the kernel did not start /init ($out/stalled-boot/), booting once more"
		else
			break
		fi
	done
	collect --lane "$1" --out "$out" --qemu-rc "$rc"
}

# use_kernel stock|test: set KERNEL_DIR (build dir, the KDIR), KERNEL_REL
# (its uname -r), KERNEL_MODROOT (prefix of its lib/modules) and
# KERNEL_IMAGE for Debian's kernel or the test kernel (built if not cached)
use_kernel()
{
	case $1 in
	stock)
		KERNEL_DIR=$STOCK_KDIR KERNEL_REL=$STOCK_KVER
		KERNEL_MODROOT=/ KERNEL_IMAGE=$STOCK_IMAGE
		;;
	test)
		KERNEL_DIR=$("$ROOT/scripts/testkernel.sh") || return 1
		KERNEL_REL=$(cat "$KERNEL_DIR/include/config/kernel.release")
		KERNEL_MODROOT="$KERNEL_DIR/mod"
		KERNEL_IMAGE="$KERNEL_DIR/arch/x86/boot/bzImage"
		;;
	*)
		echo "kernel must be stock or test, not '$1'" >&2
		return 2
		;;
	esac
}

# demo_guest NAME STEP...: build modules and tools, pack a guest running the
# steps and boot it; build/NAME holds the logs. KERNEL=stock (default) boots
# the Debian kernel, KERNEL=test the test kernel (built if not cached).
# QEMU's exit status is left in QEMU_RC.
demo_guest()
{
	local name out
	name=$1
	out="$BUILD/$name"
	shift
	use_kernel "${KERNEL:-stock}" || return
	progress "building modules against $KERNEL_REL, and tools"
	build_modules "$name" "$KERNEL_DIR"
	build_userspace
	guest_image "$name" "$KERNEL_REL" "$KERNEL_MODROOT" "$out/modules" \
		"$out/initramfs.gz" "$@"
	QEMU_RC=0
	if [ -n "${GUEST_INTERACTIVE:-}" ]; then
		progress "booting; the demo prints first, then a shell ('poweroff -f' quits)"
		"$ROOT/scripts/qemu-run.sh" --kernel "$KERNEL_IMAGE" \
			--initrd "$out/initramfs.gz" --out "$out" --interactive || QEMU_RC=$?
		return
	fi
	progress "booting the guest (console log: $out/console.log)"
	"$ROOT/scripts/qemu-run.sh" --kernel "$KERNEL_IMAGE" --initrd "$out/initramfs.gz" \
		--out "$out" --timeout "${TIMEOUT:-1200}" || QEMU_RC=$?
}

collect()
{
	python3 "$ROOT/scripts/collect.py" --kunit-py "$KUNIT_PY" "$@" || true
}

# lane_broken LANE WHY: a lane that could not run counts as one failure
lane_broken()
{
	mkdir -p "$BUILD/$1"
	echo "  FAIL $1: $2"
	echo "lane $1: 0 passed, 1 failed, 0 skipped"
	echo "0 1 0" >"$BUILD/$1/counts"
}

# summarize "LANES" START: the per-lane lines (with the lane's wall time)
# and the result line
summarize()
{
	local p f s lane lp lf ls took
	p=0 f=0 s=0
	echo
	for lane in $1; do
		if [ -f "$BUILD/$lane/counts" ]; then
			read -r lp lf ls <"$BUILD/$lane/counts"
		else
			lp=0 lf=1 ls=0
		fi
		took=$(cat "$BUILD/$lane/seconds" 2>/dev/null || echo '?')
		printf '%-8s %s passed, %s failed, %s skipped (%s s)\n' \
			"$lane:" "$lp" "$lf" "$ls" "$took"
		p=$((p + lp)) f=$((f + lf)) s=$((s + ls))
	done
	echo "(wall time $(( $(date +%s) - $2 )) s)"
	echo "$p passed, $f failed, $s skipped"
	[ "$f" -eq 0 ]
}

# sum_counts DEST COUNTS...: DEST's "passed failed skipped" is the sum of
# the COUNTS files; a missing or unreadable one counts as one failure
sum_counts()
{
	local dest c p f s cp cf cs
	dest=$1
	shift
	p=0 f=0 s=0
	for c in "$@"; do
		read -r cp cf cs <"$c" 2>/dev/null || { cp=0 cf=1 cs=0; }
		p=$((p + cp)) f=$((f + cf)) s=$((s + cs))
	done
	mkdir -p "$(dirname "$dest")"
	echo "$p $f $s" >"$dest"
}
