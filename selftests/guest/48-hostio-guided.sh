#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guided search (the default strategy) against the planted-bug edu driver:
# with a short, fixed-seed budget it finds every planted bug the hook can
# reach, including div-zero (bit flips never find it) and oob-length
# (boundary values never do). irq-index reads its register with readl(),
# which only a kernel with x86_io_read() routes to the hook: where status
# says "inline no" the search must not claim it. In the test lane it has KCOV comparison tracing and must learn from
# it (comparison candidates reach new coverage); on the stock kernel it
# runs without feedback and must say so. A second campaign imports the
# corpus the first exported. Double fetch as a strategy of its own mutates
# only the second and later reads of an address.
. /opt/tdxguard/guest/lib.sh

EDU_KO=${TDXGUARD_TESTMODS:-/opt/tdxguard/testmods}/tdxguard_edu.ko
F=$TDXGUARD_BIN/tdxguard-fuzz
OUT=/tmp/hostio-guided
ITERATIONS=${GUIDED_ITERATIONS:-300}
BUGS="oob-length huge-alloc loop-bound div-zero"

guided_campaign()
{
	mkdir -p $OUT/guided
	"$F" --device "$EDU" --detect "planted bug" --seed 1 --quiet \
		--iterations $ITERATIONS --max-findings $(echo $BUGS | wc -w) \
		--out $OUT/guided \
		>$OUT/guided.log 2>&1
	rc=$?
	cat $OUT/guided.log
	[ $rc -eq 1 ]
}

found()
{
	grep "^finding: .*planted bug $1 caught" $OUT/guided.log ||
		{ grep -E '^(finding|guided|stats):' $OUT/guided.log; return 1; }
}

# learned: with KCOV, comparison candidates reached new coverage
learned()
{
	grep '^guided:' $OUT/guided.log | grep -q 'no coverage' && return 1
	grep -q '^guided:.* comparison [1-9][0-9]*/' $OUT/guided.log
}

replays()
{
	n=0
	for r in $OUT/guided/repro-*.txt; do
		grep -qx 'strategy guided' "$r" || return 1
		"$F" --replay "$r" >/dev/null 2>&1
		[ $? -eq 1 ] || { echo "$r did not replay"; return 1; }
		n=$((n + 1))
	done
	echo "$n reproducers replayed"
	[ "$n" -eq $(echo $BUGS | wc -w) ]
}

# corpus_shared: a guided run exports its entries; the next one imports
# them and runs them first
corpus_shared()
{
	mkdir -p $OUT/corpus
	"$F" --device "$EDU" --detect "planted bug" --seed 9 --quiet \
		--iterations 20 --max-findings 10 --out $OUT --corpus $OUT/corpus \
		>$OUT/c1.log 2>&1
	n=$(ls $OUT/corpus | grep -c '^entry-')
	echo "$n entries exported"
	[ "$n" -ge 1 ] || { cat $OUT/c1.log; return 1; }
	"$F" --device "$EDU" --detect "planted bug" --seed 10 --quiet \
		--iterations $((n + 1)) --max-findings 10 --out $OUT \
		--corpus $OUT/corpus >$OUT/c2.log 2>&1
	grep '^guided:' $OUT/c2.log
	grep -q "^guided:.* imported [0-9]*/$n " $OUT/c2.log
}

double_fetch()
{
	"$F" --device "$EDU" --strategy double-fetch --probability 1 --seed 2 \
		--iterations 20 --quiet --events $OUT/df.events >$OUT/df.log 2>&1
	[ $? -le 1 ] || { cat $OUT/df.log; return 1; }
	first=$(awk '/^mutation/ && $4 == 0' $OUT/df.events | wc -l)
	later=$(awk '/^mutation/ && $4 > 0' $OUT/df.events | wc -l)
	echo "first reads mutated: $first, later reads mutated: $later"
	[ "$first" -eq 0 ] && [ "$later" -gt 0 ]
}

ktap_begin
EDU=$(pci_addr 1234 11e8)
if [ -z "$EDU" ] || [ ! -f "$EDU_KO" ]; then
	skip "guided search" "no edu device or no $EDU_KO in the image"
	ktap_end
	exit
fi
rm -rf $OUT
mkdir -p $OUT
check "tdxguard_hostio and tdxguard_edu load" \
	sh -c "modprobe tdxguard_hostio && insmod $EDU_KO"
grep -qx 'inline yes' /sys/kernel/debug/tdxguard_hostio/status &&
	BUGS="$BUGS irq-index"
check "guided search, seed 1: $ITERATIONS iterations find planted bugs" \
	guided_campaign
echo "# guided: $(sed -n 's/^finding: iteration \([0-9]*\):.*planted bug \([a-z-]*\) caught.*/\2 at \1,/p' \
	$OUT/guided.log | tr '\n' ' ')"
for bug in $BUGS; do
	check "guided search finds $bug" found $bug
done
case $BUGS in
*irq-index*) ;;
*)	check "without inline reads, irq-index is not claimed" \
		sh -c "! grep -q 'planted bug irq-index' $OUT/guided.log" ;;
esac
if [ -e /sys/kernel/debug/kcov ]; then
	check "guided search learns from KCOV comparisons" learned
	check "the corpus is shared through a directory" corpus_shared
else
	check "without KCOV, guided search says it has no feedback" \
		grep -q '^guided: no coverage feedback' $OUT/guided.log
fi
check "every guided reproducer replays" replays
check "double fetch mutates only second and later reads" double_fetch
check "the device is left bound to its driver" \
	test -e /sys/bus/pci/drivers/tdxguard_edu/$EDU
check "unload tdxguard_edu and tdxguard_hostio" \
	sh -c 'rmmod tdxguard_edu && rmmod tdxguard_hostio'
ktap_end
