#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tdxguard-fuzz --stimulus presets: after the bind, inside the mutation
# window, "net" brings the link up and pings QEMU's user network, "blk"
# re-reads the partition table and reads sectors, "console" writes and
# reads the virtio console, and all of them, like "remove", unbind inside
# the window. A survey with a preset sees more used-ring reads (the data
# path: receive, completion and reclaim) than the bind alone, whose count
# varies with how much of the device's control handshake, which the
# driver finishes from a work item, lands before the bind returns (virtio
# console: 3 to 12 reads, against the preset's 16 reclaims), and the
# first bytes the device wrote into the buffers of the data path (vq-data:
# virtio-net receive headers, virtio-blk status bytes, virtio-console
# control messages) pass the hook too. A campaign with a preset records it
# in its reproducer, which replays it; one that flips bits of virtio-blk's
# device-written bytes fails the partition table's read and replays; on
# the test kernel one that flips bits of the console's used-ring buffer
# ids (vq-id) is caught by the ring's own check. An unknown preset, or one
# without --device, is refused.
#
# The campaigns run pinned to one CPU: a multi-queue device takes a
# request on the queue of the CPU that submits it, and the queue is part
# of a read's address, which a replay must meet again.
. /opt/tdxguard/guest/lib.sh

EDU_KO=${TDXGUARD_TESTMODS:-/opt/tdxguard/testmods}/tdxguard_edu.ko
F=$TDXGUARD_BIN/tdxguard-fuzz
OUT=/tmp/hostio-stimulus

# survey NAME BDF [ARGS...]: a one-iteration trace of the device; shows
# its totals and used-ring sites
survey()
{
	log=$OUT-$1.log
	bdf=$2
	shift 2
	logged "$log" "$F" --trace-only --iterations 1 --device "$bdf" \
		--driver virtio-pci "$@" || { cat "$log"; return 1; }
	grep -v '^site:' "$log"
	grep '^site: vq-' "$log" || true
}

# data_seen NAME FUNCTIONS: survey NAME saw device-written bytes (vq-data)
# taken by a function whose name starts with one of FUNCTIONS (a regex)
data_seen()
{
	grep -Eq "^site: vq-data +[0-9]+ ($2)" "$OUT-$1.log"
}

# vq_reads NAME: used-ring lengths read in survey NAME
vq_reads()
{
	sed -n 's/^kind: vq-len *reads \([0-9]*\) .*/\1/p' "$OUT-$1.log"
}

# preset_adds NAME BDF: the preset's survey sees more used-ring reads
# than a bind alone
preset_adds()
{
	survey "$1-probe" "$2" || return 1
	survey "$1" "$2" --stimulus "$1" || return 1
	a=$(vq_reads "$1")
	b=$(vq_reads "$1-probe")
	echo "vq-len reads: --stimulus $1 $a, bind alone $b"
	[ "${a:-0}" -gt "${b:-0}" ] && test -e /sys/bus/pci/devices/$2/driver
}

# remove_campaign: a campaign with --stimulus remove finds a planted bug,
# and its reproducer names the preset and replays
remove_campaign()
{
	logged $OUT-remove.log "$F" --device "$EDU" --driver tdxguard_edu \
		--stimulus remove --detect "planted bug" --strategy bitflip \
		--seed 1 --iterations 100 --kinds mmio,pio,pci-cfg,vq-len \
		--quiet --out $OUT/remove
	rc=$?
	cat $OUT-remove.log
	[ $rc -eq 1 ] && grep -qx 'stimulus remove' $OUT/remove/repro-1.txt &&
		{ "$F" --replay $OUT/remove/repro-1.txt; [ $? -eq 1 ]; }
}

# noted: requests in flight whose device-writable buffers the module noted
noted()
{
	sed -n 's/^vq-data noted \([0-9]*\) .*/\1/p' \
		/sys/kernel/debug/tdxguard_hostio/status
}

# noted_bounded BDF: rebinding the device three times leaves about as
# many requests noted as one bind (the receive buffers a virtio console
# keeps offered): what the driver takes back unused at unbind is
# forgotten, not leaked
noted_bounded()
{
	drv=/sys/bus/pci/drivers/virtio-pci
	n0=$(noted)
	for i in 1 2 3; do
		echo "$1" >$drv/unbind && echo "$1" >$drv/bind || return 1
	done
	sleep 1
	n1=$(noted)
	echo "requests noted: $n0 before, $n1 after three rebinds"
	[ "${n0:-0}" -gt 0 ] && [ "${n1:-0}" -gt 0 ] && [ "$n1" -lt $((n0 + 128)) ]
}

# status_campaign: bits flipped in virtio-blk's device-written bytes (the
# status byte first) fail the read of the partition table; the
# reproducer names vq-data reads and replays
status_campaign()
{
	logged $OUT-status.log taskset -c 0 "$F" --device "$BLK" \
		--driver virtio-pci --stimulus blk --kinds vq-data \
		--strategy bitflip --probability 1 \
		--detect "unable to read partition table" --seed 1 \
		--iterations 3 --quiet --out $OUT/status
	rc=$?
	cat $OUT-status.log
	[ $rc -eq 1 ] && grep -q '^mutation vq-data ' $OUT/status/repro-1.txt &&
		{ taskset -c 0 "$F" --replay $OUT/status/repro-1.txt; [ $? -eq 1 ]; } &&
		test -e /sys/bus/pci/devices/$BLK/driver
}

# id_campaign: a bit flipped in a used element's buffer id (vq-id) of the
# console's control messages is caught by virtio_ring, which reports it
# and breaks the queue instead of completing a buffer that is not in
# flight; the console is bound again afterwards. Only the completions
# control_work_handler() takes (the control receive queue): breaking the
# control transmit queue instead makes the driver's remove free a buffer
# it never allocated, a KASAN report that would end this guest (see
# Documentation/hardening-report.rst, finding 5; the upstream series fixes
# it, and scripts/guest/patches/30-console-control-token.sh replays it
# on the patched kernel)
id_campaign()
{
	logged $OUT-id.log taskset -c 0 "$F" --device "$CON" \
		--driver virtio-pci --stimulus console --kinds vq-id \
		--site control_work_handler --strategy bitflip --probability 1 \
		--detect "out of range" --detect "is not a head" --seed 1 \
		--iterations 3 --quiet --out $OUT/id
	rc=$?
	cat $OUT-id.log
	[ $rc -eq 1 ] && grep -q '^mutation vq-id ' $OUT/id/repro-1.txt &&
		test -e /sys/bus/pci/devices/$CON/driver
}

refused()
{
	"$F" --device 0000:00:00.0 --stimulus bogus --iterations 1 2>&1
	[ $? -eq 2 ] || return 1
	"$F" --run true --stimulus net --iterations 1 2>&1
	[ $? -eq 2 ]
}

ktap_begin
rm -rf $OUT $OUT-*
mkdir -p $OUT/remove $OUT/status $OUT/id
NET=$(pci_addr 1af4 1000)
BLK=$(pci_addr 1af4 1001)
CON=$(pci_addr 1af4 1003)
EDU=$(pci_addr 1234 11e8)
check "tdxguard_hostio and the virtio drivers load" \
	sh -c 'modprobe tdxguard_hostio && modprobe virtio_net &&
	       modprobe virtio_blk && modprobe virtio_console'
check "an unknown preset, or one without --device, is refused" refused
if [ -n "$NET" ]; then
	check "net: link up and pings add used-ring reads" preset_adds net "$NET"
	check "net: receive headers pass the hook (vq-data)" \
		data_seen net "virtnet_|receive_"
else
	skip "net: link up and pings add used-ring reads" "no virtio-net"
fi
if [ -n "$BLK" ]; then
	check "blk: partition table and sectors add used-ring reads" \
		preset_adds blk "$BLK"
	check "blk: status bytes pass the hook (vq-data)" data_seen blk virtblk_
	check "blk: flipped status bytes fail a read, and replay" \
		status_campaign
else
	skip "blk: partition table and sectors add used-ring reads" "no virtio-blk"
fi
if [ -n "$CON" ]; then
	check "console: write and read add used-ring reads" \
		preset_adds console "$CON"
	check "console: control messages pass the hook (vq-data)" \
		data_seen console "control_work_handler|handle_control"
	check "console: buffers taken back unused are forgotten" \
		noted_bounded "$CON"
	if [ "$TDXGUARD_LANE" = test ]; then
		check "console: the ring catches a flipped buffer id (vq-id)" \
			id_campaign
	else
		skip "console: the ring catches a flipped buffer id (vq-id)" \
			"no vring_read_used_split() in this kernel"
	fi
else
	skip "console: write and read add used-ring reads" "no virtio-serial"
fi
if [ -n "$EDU" ] && [ -f "$EDU_KO" ] && insmod "$EDU_KO"; then
	check "remove: a campaign finds, records the preset, replays" \
		remove_campaign
	rmmod tdxguard_edu
else
	skip "remove: a campaign finds, records the preset, replays" \
		"no edu device or no $EDU_KO"
fi
check "unload tdxguard_hostio" rmmod tdxguard_hostio
rmmod virtio_console virtio_blk virtio_net 2>/dev/null
ktap_end
