# SPDX-License-Identifier: GPL-2.0
#
# make run: tdxguard_hostio. The host-input surface of a driver's probe,
# mapped with BPF; then a short campaign of bit flips on what that host
# returns, which finds a planted bug in the edu test driver, and the
# reproducer replayed to confirm it; then bit flips in what a virtio disk
# writes into the driver's buffers (vq-data: its status bytes).
BIN=${TDXGUARD_BIN:-/opt/tdxguard/bin}
EDU_KO=${TDXGUARD_TESTMODS:-/opt/tdxguard/testmods}/tdxguard_edu.ko
F=$BIN/tdxguard-fuzz

echo "== tdxguard_hostio: fuzzing what the host returns to a driver =="
for d in /sys/bus/pci/devices/*; do
	case "$(cat "$d/vendor"):$(cat "$d/device")" in
	0x1234:0x11e8) EDU=${d##*/} ;;
	0x1af4:0x1001) BLK=${d##*/} ;;
	esac
done
if [ -z "${EDU:-}" ] || [ ! -f "$EDU_KO" ]; then
	echo "no edu device or no $EDU_KO in this image: nothing to show"
	exit 0
fi
modprobe tdxguard_hostio || { echo "tdxguard_hostio did not load"; exit 1; }
insmod "$EDU_KO"
echo "tdxguard_edu: a driver for QEMU's edu device with four planted bugs;"
echo "each one reports 'planted bug NAME caught' instead of crashing."
echo
echo "1. Trace only (BPF, no value changed): where does its probe read host input?"
"$F" --trace-only --device "$EDU" --iterations 2 | sed 's/^/   /'
echo
echo "2. Campaign: bit flips, seed 1, 1 in 8 host reads of the device mutated"
"$F" --device "$EDU" --detect "planted bug" --seed 1 --iterations 50 \
	--out /tmp --quiet | sed 's/^/   /'
echo
echo "3. Replay of the reproducer:"
sed 's/^/   /' /tmp/repro-1.txt
"$F" --replay /tmp/repro-1.txt | sed 's/^/   /'
rmmod tdxguard_edu
if [ -n "${BLK:-}" ] && modprobe virtio_blk; then
	echo
	echo "4. Shared memory: bit flips in the bytes virtio-blk's device writes back"
	echo "   (vq-data, the status byte first), pinned to CPU 0 so each request"
	echo "   takes the same virtqueue:"
	taskset -c 0 "$F" --device "$BLK" --driver virtio-pci --stimulus blk \
		--kinds vq-data --strategy bitflip --probability 1 --seed 1 \
		--detect "unable to read partition table" --iterations 3 \
		--out /tmp --quiet |
		awk '/mutation/ { if (++m <= 3) print "   " $0; next }
		     { print "   " $0 }
		     END { if (m > 3) printf "        ... and %d more mutations\n", m - 3 }'
fi
rmmod tdxguard_hostio
true
