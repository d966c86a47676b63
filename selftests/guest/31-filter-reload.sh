#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tdxguard_filter unloaded and reloaded 20 times (10 under KASAN) with
# drivers bound: every
# cycle unbinds the denied virtio-rng and virtio-balloon PCI devices at load
# and binds them again at unload. (Not e1000: past 32 probes it warns about
# its board count, which is e1000's business, not ours.) The kmemleak step and the console scan
# catch leaks and oopses; here: every cycle succeeds and the system ends as
# it started. Then the same on two CPUs at once: load/unload cycles pinned
# to one CPU while another task, pinned to the other, binds and unbinds
# the virtio-blk device (allowed) and offers the denied virtio-rng PCI
# device to virtio-pci, racing the load-time scan and the restore; each
# task records the CPUs it ran on, which must differ. Lockdep (test lane)
# and the console scan judge the locking.
. /opt/tdxguard/guest/lib.sh

CYCLES=20
RACE_CYCLES=10
# under KASAN every cycle's scan of every device costs seconds of TCG time
if [ "$TDXGUARD_LANE" = test ]; then
	CYCLES=10
	RACE_CYCLES=6
fi

# pci_driver VENDOR DEVICE: driver bound to the PCI device with these ids
pci_driver()
{
	for d in /sys/bus/pci/devices/*; do
		if [ "$(cat "$d/vendor")" = "0x$1" ] &&
		   [ "$(cat "$d/device")" = "0x$2" ]; then
			l=$(readlink "$d/driver") && basename "$l"
			return 0
		fi
	done
}

reload()
{
	i=0
	while [ $i -lt $CYCLES ]; do
		modprobe tdxguard_filter || return 1
		rmmod tdxguard_filter || return 1
		i=$((i + 1))
	done
	echo "$i cycles"
}

# The racing tasks, as scripts so that taskset can pin each to a CPU.
# Each appends the CPU it runs on (field 39 of /proc/self/stat) per round.
cat >/tmp/race-binder.sh <<'EOF2'
# race-binder.sh BLKDEV RNGDEV: bind/unbind until /tmp/race.stop exists
: >/tmp/race.binder.cpus
n=0
while [ ! -e /tmp/race.stop ]; do
	echo "$1" >/sys/bus/virtio/drivers/virtio_blk/unbind 2>/dev/null
	echo "$1" >/sys/bus/virtio/drivers/virtio_blk/bind 2>/dev/null
	[ -n "$2" ] && echo "$2" >/sys/bus/pci/drivers/virtio-pci/bind 2>/dev/null
	cut -d' ' -f39 /proc/self/stat >>/tmp/race.binder.cpus
	n=$((n + 1))
done
echo "$n" >/tmp/race.binder.n
EOF2
cat >/tmp/race-cycler.sh <<'EOF2'
# race-cycler.sh N: N load/unload cycles of the filter
: >/tmp/race.cycler.cpus
i=0
while [ $i -lt "$1" ]; do
	modprobe tdxguard_filter || exit 1
	cut -d' ' -f39 /proc/self/stat >>/tmp/race.cycler.cpus
	rmmod tdxguard_filter || exit 1
	i=$((i + 1))
done
EOF2

# race: the cycler pinned to CPU 0, the binder to CPU 1
race()
{
	rm -f /tmp/race.stop /tmp/race.binder.n
	taskset -c 1 sh /tmp/race-binder.sh "$VBLK" "$RNG" &
	bpid=$!
	taskset -c 0 sh /tmp/race-cycler.sh $RACE_CYCLES
	rc=$?
	touch /tmp/race.stop
	wait $bpid
	echo "cycler CPUs: $(sort -u /tmp/race.cycler.cpus | tr '\n' ' ')"
	echo "binder CPUs: $(sort -u /tmp/race.binder.cpus | tr '\n' ' ')"
	echo "binder rounds: $(cat /tmp/race.binder.n 2>/dev/null)"
	return $rc
}

# two_cpus: each task stayed on its own CPU, and they differ
two_cpus()
{
	c=$(sort -u /tmp/race.cycler.cpus)
	b=$(sort -u /tmp/race.binder.cpus)
	echo "cycler on '$c', binder on '$b'"
	[ "$c" = 0 ] && [ "$b" = 1 ]
}

ktap_begin
lsmod >/tmp/filter.lsmod
for m in virtio_net virtio_blk virtio_rng virtio_balloon; do
	modprobe "$m" 2>/dev/null
done
before=$(ls -l /sys/bus/pci/drivers/*/ /sys/bus/virtio/drivers/*/ 2>/dev/null |
	grep -c -- '->')
check "$CYCLES load/unload cycles with drivers bound" reload
after=$(ls -l /sys/bus/pci/drivers/*/ /sys/bus/virtio/drivers/*/ 2>/dev/null |
	grep -c -- '->')
check "bindings as before ($before)" test "$before" -eq "$after"
check "virtio-rng PCI device bound again" \
	test "$(pci_driver 1af4 1005)" = virtio-pci
check "virtio-balloon PCI device bound again" \
	test "$(pci_driver 1af4 1002)" = virtio-pci
VBLK=
for v in /sys/bus/virtio/devices/*; do
	[ "$(cat "$v/device")" = 0x0002 ] && VBLK=$(basename "$v")
done
RNG=$(pci_addr 1af4 1005)
check "two CPUs online" test "$(nproc)" -ge 2
check "load/unload on CPU 0 racing binds on CPU 1" race
check "the two tasks ran on CPUs 0 and 1" two_cpus
check "the binder made progress" test "$(cat /tmp/race.binder.n)" -ge 1
echo "$VBLK" >/sys/bus/virtio/drivers/virtio_blk/bind 2>/dev/null
check "virtio-blk bound after the race" test -e "/sys/bus/virtio/devices/$VBLK/driver"
check "virtio-rng PCI device bound after the race" \
	test "$(pci_driver 1af4 1005)" = virtio-pci
for m in virtio_rng virtio_balloon virtio_blk virtio_net; do
	grep -q "^$m " /tmp/filter.lsmod || rmmod "$m" 2>/dev/null
done
ktap_end
