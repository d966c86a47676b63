#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tdxguard_attest: the upstream TDX kselftest and our report, quote, PCK
# chain, model and SMP kselftests on the emu backend and, in the test lane,
# on the tdcall backend over the register-level TDX model (and its quote
# kselftest again without the event-notify interrupt); attest_tool verifying
# a quote up to the test root (/opt/tdxguard/pki, scripts/test-pki.sh); then
# load-time refusals and unload with a quote pending.
. /opt/tdxguard/guest/lib.sh

MOD=tdxguard_attest
DBG=/sys/kernel/debug/$MOD
TSM=/sys/kernel/config/tsm/report
PKI=/opt/tdxguard/pki

IDENTITY="emu_mrtd=$(hex_repeat a1 48) emu_mrconfigid=$(hex_repeat b2 48) emu_mrowner=$(hex_repeat c3 48)
	emu_mrownerconfig=$(hex_repeat d4 48) emu_rtmr0=$(hex_repeat e5 48) emu_rtmr1=$(hex_repeat f6 48)
	emu_attributes=0x10000001 emu_xfam=0x61ae7"

# a misc device name that exists before we load
taken_name()
{
	for _d in /sys/class/misc/*; do
		[ -e "$_d" ] && basename "$_d" && return 0
	done
	return 1
}

# quote_pending_then_unload: a reader blocks on a hanging host; rmmod must
# release it promptly with an error and leave no quote
quote_pending_then_unload()
{
	rm -f /tmp/attest.rc /tmp/attest.out
	echo hang >"$DBG/emu_host_fault" || return 1
	mkdir "$TSM/p0" || return 1
	head -c 64 /dev/zero >"$TSM/p0/inblob"
	(cat "$TSM/p0/outblob" >/tmp/attest.out 2>/dev/null; echo $? >/tmp/attest.rc) &
	sleep 1
	[ ! -e /tmp/attest.rc ] || { echo "reader did not block"; return 1; }
	rmmod $MOD || return 1
	wait
	rmdir "$TSM/p0"
	echo "reader exit status $(cat /tmp/attest.rc), $(wc -c </tmp/attest.out) bytes"
	[ "$(cat /tmp/attest.rc)" != 0 ] && [ ! -s /tmp/attest.out ]
}

# seam_absent: a production build has neither the TDCALL seam nor the model
seam_absent()
{
	! grep -qw tdxguard_tdcall_seam_set /proc/kallsyms &&
		! grep -qw tdxguard_tdx_model_call /proc/kallsyms &&
		test ! -e /sys/module/$MOD/parameters/tdx_model
}

# kselftests_on BACKEND PARAMS...: every attestation kselftest on a backend
kselftests_on()
{
	_backend=$1
	shift
	# shellcheck disable=SC2086 # IDENTITY is a list of parameters
	check "load with $* and a TD identity" modprobe $MOD "$@" $IDENTITY
	check "/dev/tdx_guest is a character device" test -c /dev/tdx_guest
	check "backend reported as $_backend" grep -qx "$_backend" /sys/class/misc/tdx_guest/backend
	check "configfs-tsm provider registered" test -d $TSM
	run_kselftest tdx_guest_test
	run_kselftest attest_report_test
	if [ "$_backend" = tdcall ]; then
		# the 8 x 200 load test ran on emu already; on the debug kernel
		# (about a second a quote) it would cost each pass minutes
		run_kselftest attest_quote_test -F load
		run_kselftest attest_tdcall_test
	else
		run_kselftest attest_quote_test
	fi
	# the PCK chain is the emulated quoting enclave's, whatever the
	# backend: the test lane checks it once, on tdcall
	[ "$TDXGUARD_LANE" = test ] && [ "$_backend" = emu ] ||
		run_kselftest attest_chain_test
	run_kselftest attest_smp_test
	check "unload" sh -c "rmmod $MOD && rmmod tsm"
}

ktap_begin

kselftests_on emu backend=emu
# the verifier a user runs: only the test root makes the quote good
check "load for the PCK chain checks" modprobe $MOD
check "attest_tool loads the test PCK key and chain" \
	"$TDXGUARD_BIN/attest_tool" pck-load $PKI/pck.key $PKI/chain.pem
check "attest_tool verifies a quote up to the test root" \
	"$TDXGUARD_BIN/attest_tool" verify $PKI/root.pem
check_fails "attest_tool refuses it against another root" \
	"$TDXGUARD_BIN/attest_tool" verify $PKI/other-root.pem
check "attest_tool drops the PCK" "$TDXGUARD_BIN/attest_tool" pck-load none
check_fails "attest_tool refuses a quote without a chain" \
	"$TDXGUARD_BIN/attest_tool" verify $PKI/root.pem
check "unload" sh -c "rmmod $MOD && rmmod tsm"
# shellcheck disable=SC2086 # IDENTITY is a list of parameters
check "load as a TDX 1.0 module" modprobe $MOD backend=emu emu_tdx_module=1.0 $IDENTITY
run_kselftest attest_report_test
check "unload" sh -c "rmmod $MOD && rmmod tsm"
check_fails "refuse an unknown TDX module version" modprobe $MOD emu_tdx_module=2.0
if [ "$TDXGUARD_LANE" = test ]; then
	# the test build's seam: the tdcall backend over the register-level model
	kselftests_on tdcall backend=tdcall tdx_model=1
	# without the notify interrupt only quote completion changes: the
	# quote fixture's cases (quotes, timeout, busy, signal) cover the
	# polling path; the hostile answers and the GetQuote ioctl wait the
	# same way and ran above
	# shellcheck disable=SC2086 # IDENTITY is a list of parameters
	check "load tdcall over the model without the notify interrupt" \
		modprobe $MOD backend=tdcall tdx_model=1 tdx_model_notify=0 $IDENTITY
	run_kselftest attest_quote_test -f quote
	check "unload" sh -c "rmmod $MOD && rmmod tsm"
	check "load tdcall over the model" modprobe $MOD backend=tdcall tdx_model=1
	check "tdcall over the model: unload a quote-pending module" quote_pending_then_unload
	check "leaves tsm unloaded" rmmod tsm
else
	check "load (production build)" modprobe $MOD
	check "production build: no TDCALL seam, no TDX model" seam_absent
	check "unload" sh -c "rmmod $MOD && rmmod tsm"
fi

check "load with default parameters" modprobe $MOD
check "default backend outside a TD is emu" grep -qx emu /sys/class/misc/tdx_guest/backend
check "unload a quote-pending module" quote_pending_then_unload
check "the buffer the host holds is leaked, not taken back" sh -c "dmesg | grep -q 'host still holds the GetQuote buffer: leaking'"
check "leaves tsm unloaded" rmmod tsm
check "test control removed with the module" test ! -e $DBG

name=$(taken_name)
check_fails "refuse a device name already taken ($name)" modprobe $MOD devname="$name"
check "refusal explained in the log" sh -c "dmesg | grep -q 'a device named $name already exists'"
check_fails "refuse backend=tdcall outside a TD" modprobe $MOD backend=tdcall
check_fails "refuse a malformed identity" modprobe $MOD emu_mrtd=abc

# configfs-tsm refuses a provider while report items exist: leave one behind
check "configfs-tsm held: an item outlives its provider" sh -c "modprobe $MOD && mkdir $TSM/held && rmmod $MOD"
check "loads anyway, device works" sh -c "modprobe $MOD && test -c /dev/tdx_guest && $TDXGUARD_BIN/tdx_guest_test >/dev/null"
check "says why quotes are off" sh -c "dmesg | grep -q 'configfs-tsm is held'"
check "no provider behind the item" sh -c "! cat $TSM/held/provider"
check "unload" sh -c "rmmod $MOD && rmdir $TSM/held && rmmod tsm"
check "nothing of ours left loaded" sh -c "! grep -q '^$MOD ' /proc/modules"

ktap_end
