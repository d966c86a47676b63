#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tdxguard-fuzz --trace-only: the BPF program maps the host-input surface
# (call sites, kinds, counts) without changing a value, on the stock
# kernel as on the test kernel. Stimuli: re-probing
# the virtio-net PCI device (virtio_pci + virtio_net probe paths),
# virtio-blk I/O (used-ring lengths, buffer ids on the test kernel, and
# the status bytes the device writes) and re-probing e1000, whose register
# reads are inline readl(): on the test kernel the survey lists thousands
# of them per probe, on the stock kernel none, and it says why. The
# survey's per-kind totals add up to its total. Also: the BPF engine
# mutates on both kernels (it writes the value into the tracepoint's
# record; no bpf_override_return()).
. /opt/tdxguard/guest/lib.sh

F=$TDXGUARD_BIN/tdxguard-fuzz
OUT=/tmp/hostio-trace

# has KIND FUNCTIONS: the trace saw reads of KIND made from a function
# whose name starts with one of FUNCTIONS (an extended regex)
has()
{
	grep -Eq "^site: $1 +[0-9]+ ($2)" "$OUT.log"
}

# kind_reads KIND: the survey's total of reads of KIND
kind_reads()
{
	sed -n "s/^kind: $1 *reads \([0-9]*\) .*/\1/p" "$OUT.log"
}

# totals_add_up: the per-kind totals sum to the total, sites too
totals_add_up()
{
	awk '/^kind:/ { r += $4; s += $6 } /^total:/ { tr = $3; ts = $5 }
	     END { print "kinds", r, s, "total", tr, ts; exit !(tr > 0 && r == tr && s == ts) }' \
		"$OUT.log"
}

trace_e1000_probe()
{
	"$F" --trace-only --device "$E1000" --driver e1000 --iterations 1 \
		>"$OUT.log" 2>&1
	rc=$?
	grep -v '^site:' "$OUT.log"
	grep '^site: mmio-inline' "$OUT.log" | head -n 20
	[ $rc -eq 0 ]
}

# e1000_inline_reads: thousands of inline MMIO reads, made in e1000
e1000_inline_reads()
{
	n=$(kind_reads mmio-inline)
	echo "mmio-inline reads: $n"
	[ "${n:-0}" -ge 1000 ] && has mmio-inline "e1000_"
}

# stock_says_unseen: no inline reads, and a note that says why
stock_says_unseen()
{
	[ "$(kind_reads mmio-inline)" -eq 0 ] &&
		grep -q '^note: readl()/inb() reads not seen: no x86_io_read()' "$OUT.log"
}

# stock_ids_unseen: no used-ring buffer ids, and a note that says why
stock_ids_unseen()
{
	[ "$(kind_reads vq-id)" -eq 0 ] &&
		grep -q '^note: used-ring buffer ids not seen: no vring_read_used_split()' "$OUT.log"
}

trace_net_probe()
{
	"$F" --trace-only --device "$NET" --driver virtio-pci --iterations 2 \
		>"$OUT.log" 2>&1
	rc=$?
	cat "$OUT.log"
	[ $rc -eq 0 ] && grep -q '^stats: .* mutated 0,' "$OUT.log"
}

trace_blk_io()
{
	"$F" --trace-only --iterations 3 --run \
		"echo 3 >/proc/sys/vm/drop_caches; dd if=/dev/vda of=/dev/null bs=64k count=16" \
		>"$OUT.log" 2>&1
	rc=$?
	cat "$OUT.log"
	[ $rc -eq 0 ]
}

# virtio_dev_blk: the block device virtio_blk made, e.g. vda
blk_ready()
{
	i=0
	while [ ! -b /dev/vda ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -b /dev/vda ]
}

# bpf_mutates_net: the BPF engine changes one PCI config read of the probe
# (the module's mutated counter sees it), and the device binds honestly
# again afterwards
bpf_mutates_net()
{
	status=/sys/kernel/debug/tdxguard_hostio/status
	before=$(sed -n 's/^mutated //p' $status)
	"$F" --engine bpf --device "$NET" --driver virtio-pci --strategy bitflip \
		--probability 1 --budget 1 --kinds pci-cfg --iterations 1 \
		--quiet >"$OUT.bpf" 2>&1
	rc=$?
	cat "$OUT.bpf"
	[ $rc -ne 2 ] &&
		[ "$(sed -n 's/^mutated //p' $status)" -gt "$before" ] &&
		test -e /sys/bus/pci/devices/$NET/driver
}

ktap_begin
NET=$(pci_addr 1af4 1000)
E1000=$(pci_addr 8086 100e)
check "tdxguard_hostio loads" modprobe tdxguard_hostio
check "virtio_net and virtio_blk load" sh -c 'modprobe virtio_net && modprobe virtio_blk'
if [ -n "$NET" ]; then
	check "trace-only: re-probing virtio-net twice, nothing mutated" trace_net_probe
	check "trace sees virtio_pci's MMIO reads" has mmio vp_modern
	check "trace sees PCI config reads of the probe" has pci-cfg "vp_modern|virtio_pci"
	check "virtio-net is bound again after the trace" \
		test -e /sys/bus/pci/devices/$NET/driver
else
	skip "trace-only on virtio-net" "no virtio-net device"
fi
if [ -n "$E1000" ] && modprobe e1000; then
	check "trace-only: re-probing e1000" trace_e1000_probe
	check "survey: per-kind totals add up to the total" totals_add_up
	if [ "$TDXGUARD_LANE" = test ]; then
		check "survey lists e1000's inline register reads (>= 1000)" \
			e1000_inline_reads
	else
		check "stock survey: no inline reads, and it says so" \
			stock_says_unseen
	fi
	rmmod e1000
else
	skip "trace-only on e1000" "no e1000 device or module"
fi
if blk_ready; then
	check "trace-only: virtio-blk reads" trace_blk_io
	check "trace sees used-ring lengths taken by virtio_blk" has vq-len virtblk
	check "trace sees the status bytes virtio_blk takes" has vq-data virtblk
	if [ "$TDXGUARD_LANE" = test ]; then
		check "trace sees used-ring buffer ids taken by virtio_blk" \
			has vq-id virtblk
	else
		check "stock survey: no buffer ids, and it says so" \
			stock_ids_unseen
	fi
else
	skip "trace-only on virtio-blk" "no /dev/vda"
fi
if [ -n "$NET" ]; then
	check "BPF engine mutates a read of virtio-net's probe, no override needed" \
		bpf_mutates_net
else
	skip "BPF engine mutates a read of virtio-net's probe" "no virtio-net device"
fi
check "unload tdxguard_hostio" rmmod tdxguard_hostio
rmmod virtio_blk virtio_net 2>/dev/null
ktap_end
