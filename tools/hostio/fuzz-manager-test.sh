#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make check, lane fuzz: the host-side manager against a target that
# crashes the guest (tdxguard_edu armed=1 on the stock kernel: the planted
# bugs oops, warn under panic_on_warn, or hang). The manager must restart
# the guest at least three times, report each distinct crash title once,
# each with a minimized reproducer that replays on a fresh boot. Prints
# KTAP.
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/scripts/lib.sh"
OUT="$BUILD/fuzz-check"
R="$OUT/report.txt"

echo "KTAP version 1"
rm -rf "$OUT"
mkdir -p "$OUT"
FUZZ_OUT=$OUT KERNEL=stock TARGET=edu ARMED=1 TIME=${FUZZ_CHECK_TIME:-900} \
	JOBS=1 FUZZ_ARGS="--max-crashes 3 --hang 60 --quiet" \
	"$ROOT/scripts/fuzz.sh" >"$OUT/fuzz.out" 2>&1
ktap_result $? "the manager runs to its end and writes a report" "$OUT/fuzz.out"

restarts=$(sed -n 's/.* \([0-9]*\) restarts after a crash.*/\1/p' "$R")
[ "${restarts:-0}" -ge 3 ]
ktap_result $? "the guest was restarted after a crash at least 3 times (${restarts:-0})" "$R"

titles=$(grep -c '^[0-9]*\. ' "$R")
unique=$(grep '^[0-9]*\. ' "$R" | sed 's/^[0-9]*\. //' | sort -u | wc -l)
crashes=$(sed -n 's/.* \([0-9]*\) crashes, .*/\1/p' "$R")
[ "$titles" -ge 1 ] && [ "$titles" -eq "$unique" ] && [ "$titles" -le "${crashes:-0}" ]
ktap_result $? "each distinct crash is reported once ($titles of ${crashes:-0} crashes)" "$R"

repros=$(grep -c 'reproducer .*replays on a fresh boot: yes' "$R")
[ "$repros" -eq "$titles" ]
ktap_result $? "every finding has a reproducer that replays on a fresh boot" "$R"

minimal=1
for f in "$OUT"/repro-*.txt; do
	[ -e "$f" ] || { minimal=0; break; }
	n=$(grep -c '^mutation' "$f")
	[ "$n" -ge 1 ] && [ "$n" -le 2 ] || minimal=0
done
[ "$minimal" -eq 1 ]
ktap_result $? "every reproducer is minimized (one or two mutations)" "$R"
[ "$KTAP_FAILED" -eq 0 ]
