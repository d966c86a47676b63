# SPDX-License-Identifier: GPL-2.0
#
# make bench: tdxguard_filter. The module's own hook times a policy decision
# with 10, 100 and 1000 rules and a probe-shaped call with the gate off and
# on; then the real probe path, binding virtio_net to its device through
# sysfs, is timed without the filter and with it, in the same boot.
F=/sys/kernel/tdxguard_filter
CYCLES=20

T=/sys/kernel/tracing

# trace_us: microseconds between the bench markers in the trace buffer
trace_us()
{
	awk '/tdxg_bench_(start|end)/ {
		for (i = 1; i <= NF; i++)
			if ($i ~ /^[0-9]+\.[0-9]+:$/)
				t[$NF] = substr($i, 1, length($i) - 1)
	} END { printf "%d\n", (t["tdxg_bench_end"] - t["tdxg_bench_start"]) * 1000000 }' $T/trace
}

# bind_cycles DEVICE: microseconds per unbind+bind of virtio_net
bind_cycles()
{
	d=/sys/bus/virtio/drivers/virtio_net
	echo >$T/trace
	echo tdxg_bench_start >$T/trace_marker
	i=0
	while [ $i -lt $CYCLES ]; do
		echo "$1" >$d/unbind && echo "$1" >$d/bind || return 1
		i=$((i + 1))
	done
	echo tdxg_bench_end >$T/trace_marker
	echo $(($(trace_us) / CYCLES))
}

lsmod >/tmp/bench-filter.lsmod
modprobe virtio_net || exit 1
dev=
for v in /sys/bus/virtio/devices/*; do
	[ "$(cat "$v/device")" = 0x0001 ] && dev=$(basename "$v")
done
[ -n "$dev" ] || { echo "no virtio-net device"; exit 1; }
off=$(bind_cycles "$dev") || exit 1
modprobe tdxguard_filter || exit 1
on=$(bind_cycles "$dev")
cat /sys/kernel/debug/tdxguard_filter/bench
rmmod tdxguard_filter
grep -q "^virtio_net " /tmp/bench-filter.lsmod || rmmod virtio_net
echo "bench: filter virtio_net bind, gate off: $off us"
echo "bench: filter virtio_net bind, gate on: $on us"
