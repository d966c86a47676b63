#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tdxguard_filter measured by tdxguard_attest (emu backend): with the
# attestation module loaded first, the filter's load (mode, policy text,
# devices bound before arming), an authorize, a deauthorize and its unload
# are events in RTMR2's runtime log; a replay of a copy of the log, as a
# verifier would get it, reproduces every RTMR, and the policy can be read
# back from the log line for line. The log and a TDREPORT go to the host,
# whose half of the test (selftests/host/32-filter-attest.sh) replays them
# there, off the guest, as a remote verifier would.
. /opt/tdxguard/guest/lib.sh

F=/sys/kernel/tdxguard_filter
LOG=/sys/class/misc/tdx_guest/eventlog/binary
R=$TDXGUARD_BIN/attest_replay

# log_text FILE: the printable runs of a binary log, one per line (event
# data is text; a newline ends a run)
log_text()
{
	strings -n 3 "$1"
}

# policy_in_log: every line of the policy sysfs file is in the log copy
policy_in_log()
{
	n=0
	while read -r line; do
		grep -qxF -- "$line" /tmp/filter.logtext || {
			echo "not in the log: $line"
			return 1
		}
		n=$((n + 1))
	done </tmp/filter.policy
	echo "$n policy lines found in the log"
	[ "$n" -gt 20 ]
}

# hand_to_host: what a remote verifier receives, on the host's share
hand_to_host()
{
	host_share && mkdir -p /mnt/host/filter-attest &&
		cp /tmp/filter.log /tmp/filter.report /tmp/filter.policy \
			/mnt/host/filter-attest/
}

logged_measuring()
{
	dmesg | grep -F "tdxguard_filter: measuring into RTMR2"
}

ktap_begin
EDU=$(pci_addr 1234 11e8)
# no emulated boot log: the host half replays the runtime log alone
check "load tdxguard_attest (emu)" modprobe tdxguard_attest backend=emu emu_boot_log=0
check "filter loads and finds it" modprobe tdxguard_filter
check "log: the filter measures" logged_measuring
check_fails "tdxguard_attest pinned while the filter measures" \
	rmmod tdxguard_attest
cp $F/policy /tmp/filter.policy
check "deauthorize edu (measured)" sh -c "echo 'pci $EDU' >$F/deauthorize"
check "authorize edu (measured)" sh -c "echo 'pci $EDU' >$F/authorize"
check "unload the filter (measured)" rmmod tdxguard_filter
check "copy the runtime log, as a verifier receives it" cp $LOG /tmp/filter.log
log_text /tmp/filter.log >/tmp/filter.logtext
check "log: load event with the mode" \
	grep -q "^tdxguard_filter load mode=enforce lock=0 debug_td=1 " /tmp/filter.logtext
check "log: policy events" grep -q "^tdxguard_filter policy part 1/" /tmp/filter.logtext
check "log: the policy, line for line" policy_in_log
check "log: devices bound before arming" \
	grep -q "^tdxguard_filter bound-before-arming part 1/" /tmp/filter.logtext
check "log: a built-in binding among them" \
	grep -q "^pci [^ ]* virtio-pci allowed$" /tmp/filter.logtext
check "log: the deauthorize" grep -qx "tdxguard_filter deauthorize pci $EDU" /tmp/filter.logtext
check "log: the authorize" grep -qx "tdxguard_filter authorize pci $EDU" /tmp/filter.logtext
check "log: the unload" grep -q "^tdxguard_filter unload reprobed=" /tmp/filter.logtext
check "a TDREPORT after the last event" \
	"$TDXGUARD_BIN/attest_tool" save-report /tmp/filter.report
check "replay of the copy reproduces every RTMR" \
	"$R" --log /tmp/filter.log --report /tmp/filter.report
check "log and report handed to the host (selftests/host/)" hand_to_host
check "an event cut from the copy breaks the replay" \
	sh -c "head -c \$((\$(wc -c </tmp/filter.log) - 40)) /tmp/filter.log >/tmp/filter.short && ! $R --quiet --log /tmp/filter.short"
check "unload tdxguard_attest" sh -c "rmmod tdxguard_attest && rmmod tsm"
ktap_end
