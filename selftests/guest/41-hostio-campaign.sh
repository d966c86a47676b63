#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tdxguard-fuzz against the planted-bug edu driver (tdxguard_edu, a test
# module outside /lib/modules). Fixed seeds: bit flips of the out-of-line
# kinds find oob-length, huge-alloc and loop-bound within 100 iterations
# and never irq-index, boundary values (seed 3) div-zero (no single bit
# flip turns 3! = 6 into 0) within 100; on the test kernel bit flips of
# inline reads find irq-index, which reads its register with readl(), and
# on the stock kernel cannot (no x86_io_read()); every
# reproducer replays
# the same finding; the same seed gives the same mutations; the honest
# device with mutation off finds nothing. The target runs unarmed: each
# planted bug is reported ("planted bug NAME caught") instead of crashing.
# Engine: BPF in the test lane, the module's own in the stock lane. On the
# debug kernel an iteration costs seconds (a probe under KASAN, lockdep and
# KCOV in TCG), so there the bit-flip and boundary campaigns stop at their
# first catch (oob-length, div-zero); the stock lane runs them until all
# three of each are caught.
. /opt/tdxguard/guest/lib.sh

EDU_KO=${TDXGUARD_TESTMODS:-/opt/tdxguard/testmods}/tdxguard_edu.ko
F=$TDXGUARD_BIN/tdxguard-fuzz
OUT=/tmp/hostio-campaign
CATCHES=3
[ "$TDXGUARD_LANE" = test ] && CATCHES=1

# exits CODE CMD...: pass when CMD exits with CODE
exits()
{
	want=$1
	shift
	"$@"
	rc=$?
	[ "$rc" -eq "$want" ] || { echo "exit status $rc, wanted $want"; return 1; }
}

# campaign NAME ARGS...: a campaign on the edu device, output in $OUT/NAME
campaign()
{
	name=$1
	shift
	mkdir -p "$OUT/$name"
	exits 1 "$F" --device "$EDU" --detect "planted bug" --quiet \
		--out "$OUT/$name" "$@" >"$OUT/$name.log" 2>&1
	rc=$?
	cat "$OUT/$name.log"
	return $rc
}

# inline_unseen: on the stock kernel, mutating inline reads finds nothing
inline_unseen()
{
	exits 0 "$F" --device "$EDU" --detect "planted bug" --quiet \
		--kinds mmio-inline,pio-inline --strategy bitflip --seed 1 \
		--iterations 20
}

# iterations NAME: a diagnostic line with the iteration of each planted
# bug campaign NAME caught, so a run shows how much of its budget it needs
iterations()
{
	echo "# $1: $(sed -n 's/^finding: iteration \([0-9]*\):.*planted bug \([a-z-]*\) caught.*/\2 at \1,/p' \
		"$OUT/$1.log" | tr '\n' ' ')"
}

# found NAME BUG: campaign NAME reported planted bug BUG
found()
{
	grep "^finding: .*planted bug $2 caught" "$OUT/$1.log"
}

replays()
{
	n=0
	for r in "$OUT"/*/repro-*.txt; do
		exits 1 "$F" --replay "$r" || { echo "$r did not replay"; return 1; }
		n=$((n + 1))
	done
	echo "$n reproducers replayed"
	# those of bit flips and boundary values, and on the test kernel the
	# inline campaign's
	want=$((2 * CATCHES))
	[ "$TDXGUARD_LANE" = test ] && want=$((want + 1))
	[ "$n" -ge "$want" ]
}

# same_mutations: two runs of one seed log the same mutations
same_mutations()
{
	campaign again1 --strategy bitflip --seed 7 --iterations 100 &&
	campaign again2 --strategy bitflip --seed 7 --iterations 100 || return 1
	# iteration, then kind address nth size value mutated of each mutation,
	# leaving out the status register, which the device's timing decides
	# how often the driver polls
	set -- $(head -n 1 /sys/bus/pci/devices/$EDU/resource)
	status=$(printf '%#x' $(($1 + 0x20)))
	awk -v st="$status" '/^iteration/ { print }
		/^mutation/ && $3 != st { print $2, $3, $4, $5, $6, $7 }' \
		"$OUT/again1/repro-1.txt" >/tmp/m1
	awk -v st="$status" '/^iteration/ { print }
		/^mutation/ && $3 != st { print $2, $3, $4, $5, $6, $7 }' \
		"$OUT/again2/repro-1.txt" >/tmp/m2
	cat /tmp/m1
	[ "$(wc -l </tmp/m1)" -ge 2 ] && cmp /tmp/m1 /tmp/m2
}

honest_device_quiet()
{
	before=$(dmesg | grep -c 'planted bug')
	exits 0 "$F" --device "$EDU" --detect "planted bug" --strategy off \
		--iterations 10 --quiet || return 1
	[ "$(dmesg | grep -c 'planted bug')" -eq "$before" ]
}

ktap_begin
EDU=$(pci_addr 1234 11e8)
if [ -z "$EDU" ] || [ ! -f "$EDU_KO" ]; then
	skip "planted-bug campaigns" "no edu device or no $EDU_KO in the image"
	ktap_end
	exit
fi
rm -rf "$OUT"
check "tdxguard_hostio loads" modprobe tdxguard_hostio
check "tdxguard_edu loads and binds the honest device" \
	sh -c "insmod $EDU_KO && test -e /sys/bus/pci/drivers/tdxguard_edu/$EDU"
check "bit flips, seed 1: 100 iterations find planted bugs" \
	campaign bitflip --seed 1 --strategy bitflip --iterations 100 \
	--max-findings $CATCHES --kinds mmio,pio,pci-cfg,vq-len
iterations bitflip
check "bit flips find oob-length (MMIO length unchecked)" found bitflip oob-length
if [ "$CATCHES" -gt 1 ]; then
	check "bit flips find huge-alloc (config-space count)" found bitflip huge-alloc
	check "bit flips find loop-bound (MMIO loop bound)" found bitflip loop-bound
fi
check "out-of-line kinds never reach irq-index (readl only)" \
	sh -c "! grep -q 'planted bug irq-index' $OUT/bitflip.log"
if [ "$TDXGUARD_LANE" = test ]; then
	check "inline bit flips, seed 1: 100 iterations find a planted bug" \
		campaign inline --seed 1 --strategy bitflip --iterations 100 \
		--probability 1 --max-findings 1 --kinds mmio-inline,pio-inline
	iterations inline
	check "inline bit flips find irq-index (readl() table index)" \
		found inline irq-index
else
	check "stock kernel: inline bit flips find nothing (readl unseen)" \
		inline_unseen
fi
check "boundary values, seed 3: 100 iterations find planted bugs" \
	campaign boundary --seed 3 --strategy boundary --iterations 100 \
	--max-findings $CATCHES --kinds mmio,pio,pci-cfg,vq-len
iterations boundary
check "boundary values find div-zero (MMIO divisor)" found boundary div-zero
check "every reproducer replays its finding" replays
check "same seed, same stimulus: same mutations" same_mutations
check "honest device, mutation off: no finding, no planted bug fired" honest_device_quiet
check "the device is left bound to its driver" \
	test -e /sys/bus/pci/drivers/tdxguard_edu/$EDU
check "unload tdxguard_edu and tdxguard_hostio" \
	sh -c 'rmmod tdxguard_edu && rmmod tdxguard_hostio'
ktap_end
