# SPDX-License-Identifier: GPL-2.0
#
# make bench: RTMR3 extends per second through each interface of
# tdxguard_attest (ioctl, sysfs, event), every one logged, next to the raw
# in-kernel SHA-384 cost of the same bytes; the ratio is what the interface
# and the log add. "refused" is the floor: the syscall and dispatch of an
# extend refused before any work. Each interface gets a fresh load of the
# module and its own 64 MiB log (test_unload_logged=1 lets it go again; it
# taints), and half a second: a fast machine fills one log in a few.
BIN=${TDXGUARD_BIN:-/opt/tdxguard/bin}

rc=0
for via in ioctl sysfs event refused; do
	modprobe tdxguard_attest backend=emu eventlog_size=67108864 \
		test_unload_logged=1 || exit 1
	"$BIN/attest_tool" bench-rtmr 0.5 $via || rc=1
	rmmod tdxguard_attest
done
rmmod tsm 2>/dev/null
exit $rc
