#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The coverage table of Documentation/hostio.rst: one honest probe (bind)
# of each driver under --trace-only, host reads per kind and call sites,
# printed as "# coverage DRIVER KIND READS SITES" diagnostics. The serial
# console's own reads (its inb() while the probe prints) are left out.
# Each probe must reach the hook; on the test kernel e1000's and e1000e's
# must include their inline register reads (er32(), the EEPROM
# bit-banging): thousands per probe (two runs: 13338-13462 and 1647-1838),
# where the stock kernel sees none.
. /opt/tdxguard/guest/lib.sh

F=$TDXGUARD_BIN/tdxguard-fuzz
OUT=/tmp/hostio-coverage

# coverage NAME BDF DRIVER: survey one probe, print its per-kind table
coverage()
{
	logged "$OUT-$1.log" "$F" --trace-only --iterations 1 --device "$2" \
		--driver "$3" || { cat "$OUT-$1.log"; return 1; }
	awk -v drv="$1" '
		/^site:/ && $4 !~ /^(io_serial_in|mem_serial_in|serial8250)/ {
			r[$2] += $3; s[$2]++; tr += $3; ts++ }
		/^kind:/ { k[++n] = $2 }
		END {
			for (i = 1; i <= n; i++)
				printf "# coverage %s %s %d %d\n", drv, k[i], r[k[i]], s[k[i]]
			printf "# coverage %s total %d %d\n", drv, tr, ts
			exit !(tr > 0)
		}' "$OUT-$1.log" | tee "$OUT-$1.table"
}

# INLINE_MIN: inline MMIO reads an e1000/e1000e probe makes at least
INLINE_MIN=1000

# inline_seen NAME: the driver's probe made at least INLINE_MIN inline
# MMIO reads
inline_seen()
{
	awk -v min=$INLINE_MIN '$4 == "mmio-inline" { n = $5 }
		END { exit !(n >= min) }' "$OUT-$1.table"
}

ktap_begin
check "tdxguard_hostio and the drivers load" \
	sh -c 'modprobe tdxguard_hostio && modprobe virtio_net &&
	       modprobe virtio_blk && modprobe virtio_console && modprobe e1000 &&
	       { modprobe e1000e || true; }'
for dev in "virtio_net 1af4 1000 virtio-pci" "virtio_blk 1af4 1001 virtio-pci" \
	   "virtio_console 1af4 1003 virtio-pci" "e1000 8086 100e e1000" \
	   "e1000e 8086 10d3 e1000e"; do
	set -- $dev
	bdf=$(pci_addr "$2" "$3")
	if [ -z "$bdf" ]; then
		skip "$1 probe reaches the hook" "no $2:$3 device"
		continue
	fi
	check "$1 probe reaches the hook" coverage "$1" "$bdf" "$4"
	cat "$OUT-$1.table"
	case "$1:$TDXGUARD_LANE" in
	e1000*:test)
		check "$1 probe: at least $INLINE_MIN inline MMIO reads seen" \
			inline_seen "$1" ;;
	esac
done
check "unload tdxguard_hostio" rmmod tdxguard_hostio
ktap_end
