#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tdxguard_attest RTMR extend and runtime event log (emu backend): the
# kselftest, the replay tool's verdicts, a full log, and the RTMR0/1 switch.
. /opt/tdxguard/guest/lib.sh

MOD=tdxguard_attest
DEV=/sys/class/misc/tdx_guest
R=$TDXGUARD_BIN/attest_replay

unload()
{
	rmmod $MOD && rmmod tsm
}

# boot_log_replays: the emulated CCEL and the runtime log explain all four
# RTMRs, RTMR0/1 by the boot log's 4 and 5 events
boot_log_replays()
{
	"$R" >/tmp/replay.out || { cat /tmp/replay.out; return 1; }
	cat /tmp/replay.out
	grep -q "^boot log (CCEL): $DEV/emu/CCEL: 9 events" /tmp/replay.out &&
		grep -q "^RTMR0: MATCH *4 events" /tmp/replay.out &&
		grep -q "^RTMR1: MATCH *5 events" /tmp/replay.out
}

# same_header: the boot log opens with the runtime log's Spec ID record
same_header()
{
	head -c 65 "$DEV/emu/CCEL" >/tmp/ccel.hdr &&
		head -c 65 "$DEV/eventlog/binary" >/tmp/runtime.hdr &&
		cmp /tmp/ccel.hdr /tmp/runtime.hdr
}

# rtmr0_extends: a sysfs write moves RTMR0
rtmr0_extends()
{
	_before=$(od -An -tx1 -v "$DEV/measurements/rtmr0:sha384")
	dd if=/dev/urandom of="$DEV/measurements/rtmr0:sha384" bs=48 count=1 \
		conv=notrunc || return 1
	[ "$(od -An -tx1 -v "$DEV/measurements/rtmr0:sha384")" != "$_before" ]
}

ktap_begin

check "load (emu, defaults)" modprobe $MOD backend=emu
for f in rtmr0:sha384 rtmr1:sha384 rtmr2:sha384 rtmr3:sha384 mrtd:sha384 \
	mrconfigid mrowner mrownerconfig; do
	check "measurements/$f present" test -e "$DEV/measurements/$f"
done
check "the emulated firmware's boot log is in emu/CCEL, root only" \
	sh -c "[ \$(stat -c %a $DEV/emu/CCEL) = 400 ] && [ \$(wc -c <$DEV/emu/CCEL) = 4096 ]"
check "its Spec ID record is the runtime log's" same_header
check "empty runtime log: boot log replays RTMR0/1, every RTMR matches" boot_log_replays
run_kselftest attest_rtmr_test -F full
check "replay tool matches after the kselftest's extends" "$R" --quiet
check "boot log + runtime log still explain all four" boot_log_replays
check "event log text has one line per event" sh -c "[ \$(wc -l <$DEV/eventlog/text) -gt 8000 ]"
check "a truncated log does not replay" sh -c "head -c 200 $DEV/eventlog/binary >/tmp/short.log && ! $R --quiet --log /tmp/short.log"
check "unload" unload

if [ "$TDXGUARD_LANE" = test ]; then
	check "load tdcall over the TDX model" modprobe $MOD backend=tdcall tdx_model=1
	run_kselftest attest_rtmr_test -F full
	check "tdcall over the model: replay matches" "$R" --quiet
	check "tdcall over the model: the boot log explains RTMR0/1" boot_log_replays
	check "unload" unload
fi

# attest_rtmr_test left a CCEL-shaped boot log and the RTMR0/1 it replays to
CCEL=/tmp/attest-ccel.bin
check "load with RTMR0/1 as a firmware boot log left them" \
	sh -c "modprobe $MOD emu_rtmr0=\$(cat $CCEL.rtmr0) emu_rtmr1=\$(cat $CCEL.rtmr1)"
check_fails "no emulated boot log when emu_rtmr0/1 are given" test -e "$DEV/emu/CCEL"
check "an application event on top" "$TDXGUARD_BIN/attest_tool" event 3 "after boot"
check "replay with the boot log: every RTMR matches" "$R" --ccel $CCEL
check_fails "replay without the boot log: RTMR0/1 unexplained" "$R" --quiet
check "unload" unload

check "load with a firmware RTMR0 and no boot log" modprobe $MOD emu_rtmr0="$(hex_repeat 5a 48)"
check_fails "replay tool says RTMR0 is not explained" "$R" --quiet
check "unload" unload

check "load with a 16 KiB event log" modprobe $MOD eventlog_size=16384
run_kselftest attest_rtmr_test -f full
check "full log still replays" "$R" --quiet
check "a full log is said in the kernel log" sh -c "dmesg | grep -q 'event log full (eventlog_size=16384): RTMR3 extend refused'"
check "unload" unload

check "load with allow_firmware_rtmr=1" modprobe $MOD allow_firmware_rtmr=1
check "RTMR0 extend through sysfs allowed" rtmr0_extends
check "and its file is writable" sh -c "[ \$(stat -c %a $DEV/measurements/rtmr0:sha384) = 644 ]"
check "and logged: replay matches" "$R" --quiet
check "unload" unload
check_fails "eventlog_size out of range refused" modprobe $MOD eventlog_size=100

ktap_end
