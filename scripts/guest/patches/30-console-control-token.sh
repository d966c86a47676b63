#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The patched kernel's virtio_console ("virtio_console: don't free the
# control message as a port buffer") against the hardening report's
# finding 5: its minimized reproducer, one mutation, answers the first
# completion of the console's control transmit queue (queue 3) with
# buffer id 0xd600. virtio_ring refuses the id and breaks the queue with
# the control message still queued, and the console preset unbinds the
# device. Unfixed, that remove hands the message to free_buf() (a KASAN
# report, then a kfree() of a pointer into the ports_device). Fixed, the
# reproducer still reproduces the refusal, but no KASAN report follows
# and the device binds again.
. /opt/tdxguard/guest/lib.sh

F=$TDXGUARD_BIN/tdxguard-fuzz
OUT=/tmp/console-control-token
DRV=/sys/bus/pci/drivers/virtio-pci

kasan_reports()
{
	dmesg | grep -c 'BUG: KASAN'
}

bound()
{
	test -e "/sys/bus/pci/devices/$CON/driver"
}

# vq_addr BDF QUEUE: the vq-id address of QUEUE of the device at BDF
# (Documentation/hostio.rst: bus << 20 | devfn << 12 | queue)
vq_addr()
{
	_bus=$(echo "$1" | cut -d: -f2)
	_dev=$(echo "$1" | cut -d: -f3 | cut -d. -f1)
	_fn=$(echo "$1" | cut -d. -f2)
	printf '%#x' $(((0x$_bus << 20) | (((0x$_dev << 3) | _fn) << 12) | $2))
}

# write_repro: the reproducer the manager minimized on 2026-12-04, with
# this boot's device address and virtio device name (a finding's
# signature keeps the name, virtioN, as it is)
write_repro()
{
	_a=$(vq_addr "$CON" 3)
	_v=$(basename /sys/bus/pci/devices/"$CON"/virtio*)
	cat >$OUT/repro.txt <<EOF
# tdxguard-fuzz reproducer v2
engine module
seed 1
iteration 0
strategy replay
probability 0
budget 0
kinds 0x40
range vq-id $_a $_a
device $CON
driver virtio-pci
stimulus console
timeout 10
detect control-o:id
finding virtio_console $_v: control-o:id 54784 out of range
mutation vq-id $_a 0 4 0x0 0xd600 at __send_control_msg
EOF
}

replay()
{
	taskset -c 0 "$F" --replay $OUT/repro.txt >$OUT.log 2>&1
	_rc=$?
	cat $OUT.log
	[ $_rc -eq 1 ]
}

rebind()
{
	echo "$CON" >$DRV/unbind && echo "$CON" >$DRV/bind && bound
}

ktap_begin
rm -rf $OUT $OUT.log
mkdir -p $OUT
CON=$(pci_addr 1af4 1003)
check "QEMU's virtio-serial device is there" test -n "$CON"
check "tdxguard_hostio and virtio_console load" \
	sh -c 'modprobe tdxguard_hostio && modprobe virtio_console'
check "virtio_console is bound to the device" bound
before=$(kasan_reports)
write_repro
check "finding 5's reproducer still breaks the control-o queue" replay
check "no KASAN report from the remove (before $before, now $(kasan_reports))" \
	test "$(kasan_reports)" = "$before"
check "the device binds again after the replay" bound
check "unbind and bind again" rebind
check "unload tdxguard_hostio" rmmod tdxguard_hostio
ktap_end
