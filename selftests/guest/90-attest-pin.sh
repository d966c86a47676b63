#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tdxguard_attest pins itself once a runtime extend is logged: unloading
# would lose the log while the RTMRs keep their values. Without an extend
# it unloads; with the test-only test_unload_logged=1 (the other steps'
# default, from the guest's modprobe.d) it unloads and taints the kernel.
# Runs last among the attestation steps: it leaves the module loaded.
. /opt/tdxguard/guest/lib.sh

MOD=tdxguard_attest
TAINT_FORCED_RMMOD=8

DEV=/sys/class/misc/tdx_guest

# refs N: the module's reference count is N above its count at load
refs()
{
	[ "$(cat /sys/module/$MOD/refcnt)" = "$((BASE + $1))" ]
}

# load PARAMS...: load, and note the reference count it starts with
load()
{
	modprobe $MOD backend=emu "$@" && BASE=$(cat /sys/module/$MOD/refcnt)
}

# reads_do_not_pin: reading registers and both log views takes no reference
reads_do_not_pin()
{
	cat "$DEV/measurements/rtmr3:sha384" "$DEV/eventlog/binary" \
		"$DEV/eventlog/text" >/dev/null && refs 0
}

# tainted_forced_rmmod: the kernel carries taint R
tainted_forced_rmmod()
{
	[ $(($(cat /proc/sys/kernel/tainted) & TAINT_FORCED_RMMOD)) -ne 0 ]
}

ktap_begin

check "load, test unload allowed" modprobe $MOD backend=emu test_unload_logged=1
check "an extend" "$TDXGUARD_BIN/attest_tool" event 3 "lost at unload"
check "unload allowed by the test parameter" sh -c "rmmod $MOD && rmmod tsm"
check "and said in the kernel log" sh -c "dmesg | grep -q 'test_unload_logged=1): log lost, kernel tainted'"
check "the kernel is tainted R" tainted_forced_rmmod

check "load without the test parameter" load test_unload_logged=0
check "reading registers and the log does not pin" reads_do_not_pin
check "unload with nothing logged" sh -c "rmmod $MOD && rmmod tsm"

check "load without the test parameter, again" load test_unload_logged=0
check "an extend" "$TDXGUARD_BIN/attest_tool" event 3 "pins the module"
check "the module holds a reference" refs 1
check "a second extend" "$TDXGUARD_BIN/attest_tool" event 3 again
check "takes no second reference" refs 1
check_fails "unload refused after a logged extend" rmmod $MOD
check "the kernel log says why" sh -c "dmesg | grep -q 'runtime extend logged: module pinned, unload refused until reboot'"
check "still loaded, log and registers intact" "$TDXGUARD_BIN/attest_replay" --quiet

ktap_end
