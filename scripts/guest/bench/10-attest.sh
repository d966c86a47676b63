# SPDX-License-Identifier: GPL-2.0
#
# make bench: tdxguard_attest on the emu backend. GET_REPORT0 calls/s and
# quote round trips/s, each with the raw in-kernel cost of the hashing, MAC
# and signing it includes, and the ratio (full request / raw crypto).
BIN=${TDXGUARD_BIN:-/opt/tdxguard/bin}

modprobe tdxguard_attest backend=emu || exit 1
"$BIN/attest_tool" bench 3
rc=$?
rmmod tdxguard_attest
rmmod tsm 2>/dev/null
exit $rc
