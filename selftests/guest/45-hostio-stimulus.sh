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
# console: 3 to 12 reads, against the preset's 16 reclaims); a campaign
# with a preset records it in its reproducer, which replays it; an unknown
# preset, or one without --device, is refused.
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
	grep '^site: vq-len' "$log" || true
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

refused()
{
	"$F" --device 0000:00:00.0 --stimulus bogus --iterations 1 2>&1
	[ $? -eq 2 ] || return 1
	"$F" --run true --stimulus net --iterations 1 2>&1
	[ $? -eq 2 ]
}

ktap_begin
rm -rf $OUT $OUT-*
mkdir -p $OUT/remove
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
else
	skip "net: link up and pings add used-ring reads" "no virtio-net"
fi
if [ -n "$BLK" ]; then
	check "blk: partition table and sectors add used-ring reads" \
		preset_adds blk "$BLK"
else
	skip "blk: partition table and sectors add used-ring reads" "no virtio-blk"
fi
if [ -n "$CON" ]; then
	check "console: write and read add used-ring reads" \
		preset_adds console "$CON"
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
