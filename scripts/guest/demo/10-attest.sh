# SPDX-License-Identifier: GPL-2.0
#
# make run: tdxguard_attest. A TDREPORT decoded field by field, then a quote
# fetched the way attestation clients do (configfs-tsm) and verified.
BIN=${TDXGUARD_BIN:-/opt/tdxguard/bin}

echo "== tdxguard_attest: /dev/tdx_guest and configfs-tsm =="
modprobe tdxguard_attest || { echo "tdxguard_attest did not load"; exit 1; }
echo "backend: $(cat /sys/class/misc/tdx_guest/backend)" \
	"(tdcall in a real TD, emu = software TDX module elsewhere)"
echo
echo "TDX_CMD_GET_REPORT0 with REPORTDATA 00 01 02 ... 3f:"
"$BIN/attest_tool" report
echo
"$BIN/attest_tool" quote
rmmod tdxguard_attest
rmmod tsm 2>/dev/null
true
