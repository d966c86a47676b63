#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The harness's own tests. Each scenario boots a guest with a planted fault
# from scripts/harness-fixtures and asserts that the run fails, and fails for
# the planted reason; a clean control run must pass. Prints KTAP.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib.sh"
H="$BUILD/harness"
FIX="$ROOT/scripts/harness-fixtures"


# build_fixtures NAME KDIR: the fixture modules against one kernel
build_fixtures()
{
	mkdir -p "$H/$1-src" "$H/$1-mods"
	rsync -a --delete "$FIX/" "$H/$1-src/"
	make -C "$2" M="$H/$1-src" modules >"$H/$1-build.log" 2>&1 &&
		cp "$H/$1-src"/*.ko "$H/$1-mods/"
}

# scenario NAME EXPECT PATTERN IMAGE KVER MODROOT MODS STEP...
# EXPECT is "pass" or "fail"; a failing run must also print PATTERN.
scenario()
{
	local name expect pattern image kver modroot mods lane verdict ok
	name=$1 expect=$2 pattern=$3 image=$4 kver=$5 modroot=$6 mods=$7
	shift 7
	lane="harness-$name"
	verdict="$BUILD/$lane/verdict.txt"
	mkdir -p "$BUILD/$lane"
	GUEST_BIN_DIR="$H/bin" guest_image "$lane" "$kver" "$modroot" "$mods" \
		"$BUILD/$lane/initramfs.gz" "$@" 2>/dev/null
	# a planted fault ends its run within seconds of /init: the limit
	# only bounds a wedged guest, with room for a debug-kernel boot
	# beside the other track of make check
	TIMEOUT=900 boot_guest "$lane" "$image" "$BUILD/$lane/initramfs.gz" "" \
		>"$verdict" 2>/dev/null
	read -r _ nfail _ <"$BUILD/$lane/counts"
	ok=1
	if [ "$expect" = pass ]; then
		[ "$nfail" -eq 0 ] && ok=0
		ktap_result $ok "$name: the run passes" "$verdict"
	else
		[ "$nfail" -gt 0 ] && grep -qE "$pattern" "$verdict" && ok=0
		ktap_result $ok "$name: the run fails and says why" "$verdict"
	fi
}

# deps_refuses NAME EXPECTED-TEXT CMD...: setup must stop, non-zero, and say
# what to install
deps_refuses()
{
	local name text rc
	name=$1 text=$2
	shift 2
	rc=0
	"$@" >"$H/deps-$name.out" 2>&1 || rc=$?
	[ "$rc" -ne 0 ] && grep -q "$text" "$H/deps-$name.out" &&
		grep -q 'apt-get install' "$H/deps-$name.out"
	ktap_result $? "setup on $name: stops and names the packages" "$H/deps-$name.out"
}

mkdir -p "$H/bin" "$H/empty-cache"
chmod 755 "$H/empty-cache"
echo "KTAP version 1"
echo 'ID=fedora' >"$H/os-release"
deps_refuses non-debian "not Debian 12" \
	env OS_RELEASE="$H/os-release" XDG_CACHE_HOME="$H/empty-cache" "$ROOT/scripts/deps.sh"
deps_refuses non-root "this is not root" \
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
	env XDG_CACHE_HOME="$H/empty-cache" sh "$ROOT/scripts/deps.sh"
cc -O2 -Wall -Werror -I"$KSRC/tools/testing/selftests" -o "$H/bin/harness_fail_test" \
	"$FIX/harness_fail_test.c" -lpthread
ktap_result $? "build the failing kselftest fixture"
build_fixtures stock "$STOCK_KDIR"
ktap_result $? "build fixture modules against $STOCK_KVER" "$H/stock-build.log"

scenario control pass "" "$STOCK_IMAGE" "$STOCK_KVER" / "$H/stock-mods" \
	"$FIX/steps/clean.sh"
scenario kselftest-fails fail "FAIL .*harness_fixture_fails" \
	"$STOCK_IMAGE" "$STOCK_KVER" / "$H/stock-mods" "$FIX/steps/kselftest-fails.sh"
scenario module-oopses fail "kernel reported a problem" \
	"$STOCK_IMAGE" "$STOCK_KVER" / "$H/stock-mods" "$FIX/steps/module-oopses.sh"

# An expect-crash window excuses only reports from the module it names.
for window in harness_warn other_module; do
	sed "s/WINDOW_MODULE/$window/" "$FIX/steps/warn-in-window.sh" \
		>"$H/warn-in-$window.sh"
done
scenario expected-warn pass "" "$STOCK_IMAGE" "$STOCK_KVER" / "$H/stock-mods" \
	"$H/warn-in-harness_warn.sh"
scenario unexpected-warn fail "kernel reported a problem" \
	"$STOCK_IMAGE" "$STOCK_KVER" / "$H/stock-mods" "$H/warn-in-other_module.sh"

# fake_qemu NAME FIXTURE VAR COUNT EXPECT PATTERN WORDS WHAT: a clean
# scenario booted through the QEMU of scripts/harness-fixtures/FIXTURE/,
# whose first COUNT boots (VAR=COUNT) go wrong; the verdict must also carry
# WORDS, described as WHAT
fake_qemu()
{
	local name fixture var count expect pattern words what path
	name=$1 fixture=$2 var=$3 count=$4 expect=$5 pattern=$6 words=$7 what=$8
	path=$PATH
	rm -f "$H/$name.tally"
	REAL_QEMU=$(command -v qemu-system-x86_64) QEMU_TALLY="$H/$name.tally"
	export REAL_QEMU QEMU_TALLY "$var=$count"
	PATH="$FIX/$fixture:$PATH"
	scenario "$name" "$expect" "$pattern" "$STOCK_IMAGE" "$STOCK_KVER" / \
		"$H/stock-mods" "$FIX/steps/clean.sh"
	PATH=$path
	unset REAL_QEMU QEMU_TALLY "$var"
	grep -q "$words" "$BUILD/harness-$name/verdict.txt"
	ktap_result $? "$name: the verdict carries $what" \
		"$BUILD/harness-$name/verdict.txt"
}

# A QEMU that crashes once is booted once more, and the verdict says so; a
# QEMU that crashes every time fails the run with its last words.
fake_qemu qemu-crashes-once qemu QEMU_CRASHES 1 pass "" \
	"planted assertion failed" "QEMU's own message"
fake_qemu qemu-crashes-twice qemu QEMU_CRASHES 2 fail "QEMU exited with status 134" \
	"planted assertion failed" "QEMU's own message"
# So is a kernel that does not start /init in time: the second time, the
# run fails, and the verdict shows the first boot's console too.
export INIT_TIMEOUT=10
fake_qemu kernel-stalls-twice qemu-stall QEMU_STALLS 2 fail \
	"did not start /init in time; last console lines" \
	"planted stall before /init (boot 1)" "the first boot's console"
unset INIT_TIMEOUT

# A dkms.conf that names a module where the build puts none must fail the
# DKMS install check, and still leave nothing installed behind.
broken_dkms_conf()
{
	mkdir -p "$H/dkms-broken"
	sed 's|^BUILT_MODULE_LOCATION\[1\]=.*|BUILT_MODULE_LOCATION[1]="nosuch/"|' \
		"$ROOT/dkms.conf" >"$H/dkms-broken/dkms.conf"
	! "$ROOT/scripts/dkms-check.sh" --tree "$ROOT" --conf "$H/dkms-broken/dkms.conf" \
		--kver "$STOCK_KVER" --out "$H/dkms-broken/out" \
		--keep "$H/dkms-broken/installed" >"$H/dkms-broken/dkms.ktap" 2>&1 &&
		grep -q '^not ok .*dkms build' "$H/dkms-broken/dkms.ktap" &&
		[ ! -e "$H/dkms-broken/out/scratch" ]
}
broken_dkms_conf
ktap_result $? "dkms: a dkms.conf naming a module the build lacks fails" \
	"$H/dkms-broken/dkms.ktap"

if use_kernel test 2>/dev/null; then
	build_fixtures test "$KERNEL_DIR"
	ktap_result $? "build fixture modules against the test kernel" "$H/test-build.log"
	scenario kunit-fails fail "FAIL .*harness_fixture_fails" \
		"$KERNEL_IMAGE" "$KERNEL_REL" "$KERNEL_MODROOT" "$H/test-mods" \
		"$ROOT/scripts/guest/00-kunit.sh"
	scenario lock-inversion fail "lockdep: possible circular locking dependency" \
		"$KERNEL_IMAGE" "$KERNEL_REL" "$KERNEL_MODROOT" "$H/test-mods" \
		"$FIX/steps/module-lockdep.sh"
	scenario shift-overflow fail "UBSAN: shift-out-of-bounds" \
		"$KERNEL_IMAGE" "$KERNEL_REL" "$KERNEL_MODROOT" "$H/test-mods" \
		"$FIX/steps/module-ubsan.sh"
else
	ktap_result 1 "the test kernel is available for the KUnit scenario"
fi
[ "$KTAP_FAILED" -eq 0 ]
