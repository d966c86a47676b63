# SPDX-License-Identifier: GPL-2.0
#
# make bench: time for tdxguard-fuzz to find each planted bug of
# tdxguard_edu. Iterations (and seconds) until a campaign first reports it,
# median over seeds 1-5 of the seeds that found it within MAX_ITER
# iterations, for (a) the random bit-flip baseline (one random bit of a
# random one in eight reads, as a boot-time bit flipper does), (b) an
# Intel-style random injector (a random value for one in eight reads),
# (c) guided search (KCOV feedback where the kernel has it), and boundary
# values. Draws are keyed by address, so a device filter does not change
# which of the device's reads are hit: the baselines need none. irq-index
# (inline readl()) counts where the hook routes inline reads (status
# "inline yes"). Per bug, guided against the better baseline: the target
# is at most one fifth of its iterations. Seconds are the campaign's mean
# rate times the iterations, so they depend on the host's load; the
# iterations do not.
. /opt/tdxguard/guest/lib.sh

BIN=${TDXGUARD_BIN:-/opt/tdxguard/bin}
EDU_KO=${TDXGUARD_TESTMODS:-/opt/tdxguard/testmods}/tdxguard_edu.ko
F=$BIN/tdxguard-fuzz
SEEDS="1 2 3 4 5"
MAX_ITER=200
BUGS="oob-length huge-alloc loop-bound div-zero"
T=/tmp/ttf

EDU=$(pci_addr 1234 11e8)
if [ -z "$EDU" ] || [ ! -f "$EDU_KO" ]; then
	echo "bench: hostio find: skipped (no edu device or no $EDU_KO)"
	exit 0
fi
insmod "$EDU_KO"
modprobe tdxguard_hostio
grep -qx 'inline yes' /sys/kernel/debug/tdxguard_hostio/status &&
	BUGS="$BUGS irq-index"
mkdir -p $T

# first_hit LOG BUG: "iteration seconds" of BUG's first finding in LOG
first_hit()
{
	awk -v bug="planted bug $2 caught" '
		/^finding: iteration/ && index($0, bug) && !it { it = $3 + 1 }
		/^stats:/ { for (i = 1; i <= NF; i++) if ($i == "in") s = $(i + 1); n = $5 }
		END { if (it) printf "%d %.2f\n", it, s * it / (n ? n : 1); else print "" }' "$1"
}

# median: the middle line of sorted numbers on stdin ("-" if none)
median()
{
	grep . | sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "-" }'
}

# time_to_find NAME ARGS...: per bug, median iterations/seconds over SEEDS
time_to_find()
{
	name=$1
	shift
	for s in $SEEDS; do
		"$F" --device "$EDU" --driver tdxguard_edu --detect "planted bug" \
			--quiet --seed "$s" \
			--iterations $MAX_ITER --max-findings $(echo $BUGS | wc -w) \
			--out $T "$@" \
			>"$T/$name-$s.log" 2>&1
		# 0: nothing found, 1: found; anything else is a broken run
		rc=$?
		if [ $rc -gt 1 ]; then
			echo "bench: hostio find, $name, seed $s: campaign failed (status $rc):"
			tail -5 "$T/$name-$s.log"
		fi
	done
	for bug in $BUGS; do
		for s in $SEEDS; do
			first_hit "$T/$name-$s.log" $bug
		done >"$T/$name-$bug"
		found=$(grep -c . "$T/$name-$bug")
		if [ "$found" -eq 0 ]; then
			echo "bench: hostio find $bug, $name: not found (0 of 5 seeds, $MAX_ITER iterations each)"
			echo - >"$T/$name-$bug.median"
			continue
		fi
		it=$(cut -d' ' -f1 "$T/$name-$bug" | median)
		echo "$it" >"$T/$name-$bug.median"
		sec=$(cut -d' ' -f2 "$T/$name-$bug" | median)
		echo "bench: hostio find $bug, $name: $it iterations ($sec s; found with $found of 5 seeds)"
	done
}

time_to_find "bit-flip baseline" --strategy bitflip
time_to_find "random injector" --strategy random
time_to_find guided --strategy guided
time_to_find boundary --strategy boundary

# guided against the better of the two baselines, per bug; a baseline that
# never found the bug counts as MAX_ITER (a lower bound of its cost)
for bug in $BUGS; do
	awk -v bug="$bug" -v max=$MAX_ITER '
		FNR == 1 { v[++n] = $1 }
		END {
			b1 = v[1] == "-" ? max : v[1]; b2 = v[2] == "-" ? max : v[2]
			best = b1 < b2 ? b1 : b2
			lb = (v[1] == "-" && v[2] == "-") ? ">=" : ""
			if (v[3] == "-") {
				printf "bench: hostio find %s, guided / better baseline: guided did not find it (target missed)\n", bug
				exit
			}
			printf "bench: hostio find %s, guided / better baseline: %d / %s%d iterations = %.2f (target <= 0.20: %s)\n",
				bug, v[3], lb, best, v[3] / best,
				v[3] * 5 <= best ? "met" : "missed"
		}' "$T/bit-flip baseline-$bug.median" \
		"$T/random injector-$bug.median" "$T/guided-$bug.median"
done
rmmod tdxguard_edu
rmmod tdxguard_hostio
true
