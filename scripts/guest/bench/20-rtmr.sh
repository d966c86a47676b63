# SPDX-License-Identifier: GPL-2.0
#
# make bench: RTMR3 extends per second through each interface of
# tdxguard_attest (ioctl, sysfs, event), every one logged, next to the raw
# in-kernel SHA-384 cost of the same bytes; the ratio is what the interface
# and the log add. The log is made large enough not to fill.
BIN=${TDXGUARD_BIN:-/opt/tdxguard/bin}

modprobe tdxguard_attest backend=emu eventlog_size=67108864 || exit 1
"$BIN/attest_tool" bench-rtmr 1
rc=$?
rmmod tdxguard_attest
rmmod tsm 2>/dev/null
exit $rc
