#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Host half of selftests/guest/32-filter-attest.sh: a verifier off the
# guest, holding only the runtime event log and a TDREPORT the guest
# handed over, replays the log to the report's RTMRs and reads from it the
# policy that guarded the guest. Prints KTAP.
#
#   32-filter-attest.sh SHARE     SHARE: the guest's 9p share directory
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
D="$1/filter-attest"
REPLAY="$ROOT/build/userspace/bin/attest_replay"
N=0

result()
{
	N=$((N + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $N $2"
	else
		[ -s /tmp/host-check.out ] && sed 's/^/# /' /tmp/host-check.out | tail -n 20
		echo "not ok $N $2"
	fi
}

# policy_record: the filter's load event and its policy text, as the log
# holds them; the policy the guest's sysfs showed must be there
policy_record()
{
	strings -n 3 "$D/filter.log" >/tmp/host-check.text
	grep '^tdxguard_filter load ' /tmp/host-check.text &&
		sed -n '/^tdxguard_filter policy part/,/^tdxguard_filter bound-before/p' \
			/tmp/host-check.text | head -n 12 &&
		grep -qxF -- "$(head -n 1 "$D/filter.policy")" /tmp/host-check.text
}

echo "KTAP version 1"
ls -l "$D" >/tmp/host-check.out 2>&1
test -s "$D/filter.log" && test -s "$D/filter.report"
result $? "the guest handed over its event log and a TDREPORT"
"$REPLAY" --log "$D/filter.log" --report "$D/filter.report" >/tmp/host-check.out 2>&1
result $? "replayed on the host, the log matches every RTMR of the report"
sed 's/^/# /' /tmp/host-check.out
policy_record >/tmp/host-check.out 2>&1
result $? "the log shows the filter's mode and policy"
sed 's/^/# /' /tmp/host-check.out
head -c 1000 "$D/filter.log" >/tmp/host-check.short
test -s "$D/filter.report" && ! "$REPLAY" --quiet --log /tmp/host-check.short --report "$D/filter.report" \
	>/tmp/host-check.out 2>&1
result $? "a log cut short does not match"
