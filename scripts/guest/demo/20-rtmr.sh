# SPDX-License-Identifier: GPL-2.0
#
# make run: measurements into RTMR3 through the event interface and sysfs;
# the kernel keeps each in its event log, and the replay tool checks the
# log against the registers of a fresh TDREPORT.
BIN=${TDXGUARD_BIN:-/opt/tdxguard/bin}
DEV=/sys/class/misc/tdx_guest

rtmr3()
{
	od -An -tx1 -v "$DEV/measurements/rtmr3:sha384" | tr -d ' \n'
	echo
}

echo "== tdxguard_attest: RTMR extend with a kernel-kept event log =="
modprobe tdxguard_attest || { echo "tdxguard_attest did not load"; exit 1; }
printf 'RTMR3 before:   '
rtmr3
echo "an application measures an event: \"app: loaded config of $(hostname)\""
"$BIN/attest_tool" event 3 "app: loaded config of $(hostname)"
printf 'RTMR3 after it: '
rtmr3
echo "and extends 48 raw bytes through sysfs (measurements/rtmr3:sha384)"
head -c 48 /dev/urandom >"$DEV/measurements/rtmr3:sha384"
printf 'RTMR3 after it: '
rtmr3
echo
echo "the log lines they produced ($DEV/eventlog/text):"
cat "$DEV/eventlog/text"
echo
echo "replaying the log against a fresh TDREPORT:"
"$BIN/attest_replay" --quiet
echo
printf 'an extend from userspace into RTMR0 (firmware-owned): '
if dd if=/dev/zero of="$DEV/measurements/rtmr0:sha384" bs=48 count=1 \
	conv=notrunc 2>/dev/null; then
	echo "accepted"
else
	echo "refused (EPERM)"
fi
rmmod tdxguard_attest
rmmod tsm 2>/dev/null
true
