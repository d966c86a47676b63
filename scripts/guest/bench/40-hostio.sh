# SPDX-License-Identifier: GPL-2.0
#
# make bench: tdxguard_hostio.
# 1. Cost of one host read: N ioread32() of the edu device's ident register
#    (tdxguard_edu's debugfs "bench"), bare; with an empty kprobe on
#    ioread32 (registered by tdxguard_edu); with the hook module; with the hook and the BPF
#    program attached, mutation off (trace) and, where the kernel has BPF
#    return override, on; and with the module's built-in engine mutating.
#    The same for readl(): the unpatched instruction ("raw", what readl()
#    inlines on a kernel without x86_io_read()) against readl() as built,
#    hook unloaded, loaded, and loaded with the BPF program; with ratios.
#    On the stock kernel readl() is the raw instruction, so its ratio
#    unloaded is 1 by construction.
# 2. Time to find each planted bug: iterations (and seconds) until a
#    campaign first reports it, median over seeds 1-5 (of the seeds that
#    found it), for (a) the random bit-flip baseline (one random bit of a
#    random one in eight reads, as a boot-time bit flipper does), (b) an
#    Intel-style random injector (a random value for one in eight reads),
#    (c) guided search (KCOV feedback where the kernel has it), and
#    boundary values. Draws are keyed by address, so a device filter does
#    not change which of the device's reads are hit: the baselines need
#    none.
BIN=${TDXGUARD_BIN:-/opt/tdxguard/bin}
EDU_KO=${TDXGUARD_TESTMODS:-/opt/tdxguard/testmods}/tdxguard_edu.ko
F=$BIN/tdxguard-fuzz
B=/sys/kernel/debug/tdxguard_edu/bench
READS=20000
SEEDS="1 2 3 4 5"
MAX_ITER=200

for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x1234:0x11e8 ] && EDU=${d##*/}
done
if [ -z "${EDU:-}" ] || [ ! -f "$EDU_KO" ]; then
	echo "bench: hostio: skipped (no edu device or no $EDU_KO)"
	exit 0
fi

# ns_per_read: of the last run
ns_per_read()
{
	set -- $(cat $B)
	echo $(( $4 / $2 ))
}

# per_read LABEL [kprobe|readl|raw]: time READS reads, print ns per read;
# the number is left in $NS
per_read()
{
	echo "$READS $*" >$B || return 1
	NS=$(ns_per_read)
	echo "bench: hostio read $LABEL: $NS ns"
}

# timed_run LABEL ARGS...: per_read while tdxguard-fuzz ARGS runs the bench
# (the accessor in $MODE, ioread32 when empty)
timed_run()
{
	LABEL=$1
	shift
	"$F" --iterations 1 --quiet --run "echo $READS ${MODE:-} >$B" "$@" >/dev/null 2>&1
	NS=$(ns_per_read)
	echo "bench: hostio read $LABEL: $NS ns"
}

# ratio LABEL A B: A / B with two decimals
ratio()
{
	echo "bench: hostio $1: $(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.2f", b ? a / b : 0 }') x"
}

insmod "$EDU_KO"
LABEL=bare per_read
LABEL="bare kprobe" per_read kprobe
if grep -q ' x86_io_read$' /proc/kallsyms; then
	PATCHED="patched, x86_io_read()"
else
	PATCHED="unpatched kernel: inline"
fi
LABEL="readl unpatched instruction" per_read raw
RAW=$NS
LABEL="readl ($PATCHED), no hook" per_read readl
UNLOADED=$NS
modprobe tdxguard_hostio
LABEL="hook" per_read
LABEL="readl ($PATCHED), hook" per_read readl
HOOKED=$NS
MODE=readl timed_run "readl ($PATCHED), hook + BPF, mutation off" --trace-only
TRACED=$NS
ratio "readl no hook / unpatched instruction" $UNLOADED $RAW
ratio "readl hook / unpatched instruction" $HOOKED $RAW
ratio "readl hook + BPF / unpatched instruction" $TRACED $RAW
timed_run "hook + BPF, mutation off" --trace-only
if "$F" --engine bpf --run true --iterations 1 --quiet >/dev/null 2>&1; then
	timed_run "hook + BPF, mutation on" --engine bpf --device "$EDU" \
		--strategy bitflip --probability 1
else
	echo "bench: hostio read hook + BPF, mutation on: n/a (no BPF return override)"
fi
timed_run "hook + module engine, mutation on" --engine module --device "$EDU" \
	--strategy bitflip --probability 1

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
	sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "-" }'
}

# time_to_find NAME ARGS...: per bug, median iterations/seconds over SEEDS
time_to_find()
{
	name=$1
	shift
	for s in $SEEDS; do
		"$F" --device "$EDU" --detect "planted bug" --quiet --seed "$s" \
			--iterations $MAX_ITER --max-findings 4 --out /tmp "$@" \
			>"/tmp/ttf-$name-$s.log" 2>&1
	done
	for bug in oob-length huge-alloc loop-bound div-zero; do
		for s in $SEEDS; do
			first_hit "/tmp/ttf-$name-$s.log" $bug
		done >"/tmp/ttf-$name-$bug"
		found=$(grep -c . "/tmp/ttf-$name-$bug")
		if [ "$found" -eq 0 ]; then
			echo "bench: hostio find $bug, $name: not found (0 of 5 seeds, $MAX_ITER iterations each)"
			continue
		fi
		it=$(cut -d' ' -f1 "/tmp/ttf-$name-$bug" | median)
		sec=$(cut -d' ' -f2 "/tmp/ttf-$name-$bug" | median)
		echo "bench: hostio find $bug, $name: $it iterations ($sec s; found with $found of 5 seeds)"
	done
}

time_to_find "bit-flip baseline" --strategy bitflip
time_to_find "random injector" --strategy random
time_to_find guided --strategy guided
time_to_find boundary --strategy boundary
rmmod tdxguard_edu
rmmod tdxguard_hostio
true
