#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The planted bugs armed (tdxguard_edu armed=1): they really happen, and
# tdxguard-fuzz finds them from the kernel's own reports, without
# --detect: a KASAN out-of-bounds read (oob-length) and a page-allocator
# warning (huge-alloc). These reports are expected: the step runs only
# when the harness says it tolerates crash reports from tdxguard_edu
# between the markers below (/etc/tdxguard/expect-crash), and only on the
# test kernel (KASAN; kasan_multi_shot on the command line lets the
# replay report again). div-zero and loop-bound are left out: an oops in
# probe leaves the device lock held, a hang never returns.
. /opt/tdxguard/guest/lib.sh

EDU_KO=${TDXGUARD_TESTMODS:-/opt/tdxguard/testmods}/tdxguard_edu.ko
F=$TDXGUARD_BIN/tdxguard-fuzz
OUT=/tmp/hostio-armed

# bar0: physical address of the edu device's first BAR (hex, no 0x)
bar0()
{
	set -- $(head -n 1 /sys/bus/pci/devices/$EDU/resource)
	printf '%x' "$1"
}

# armed_campaign NAME ARGS...: find a real crash report; exit status 1
armed_campaign()
{
	name=$1
	shift
	mkdir -p $OUT/$name
	"$F" --run "echo $EDU >$DRV/bind; echo $EDU >$DRV/unbind" \
		--kinds "$KIND" --range "$RANGE" --probability 1 --seed 1 \
		--iterations 50 --quiet --out $OUT/$name "$@" >$OUT/$name.log 2>&1
	rc=$?
	cat $OUT/$name.log
	[ $rc -eq 1 ] && grep -q "^finding: .*$PATTERN" $OUT/$name.log
}

replays()
{
	"$F" --replay $OUT/$1/repro-1.txt
	[ $? -eq 1 ]
}

ktap_begin
EDU=$(pci_addr 1234 11e8)
DRV=/sys/bus/pci/drivers/tdxguard_edu
if [ ! -e /etc/tdxguard/expect-crash ] || [ "$TDXGUARD_LANE" != test ] ||
   [ -z "$EDU" ] || [ ! -f "$EDU_KO" ]; then
	skip "armed planted bugs" \
		"needs the test lane, the edu target and expected-crash support"
	ktap_end
	exit
fi
# KASAN and WARN reports panic under panic_on_warn: off for this step only
PANIC_ON_WARN=$(cat /proc/sys/kernel/panic_on_warn)
echo 0 >/proc/sys/kernel/panic_on_warn
echo "tdxguard: expect-crash begin tdxguard_edu" >/dev/kmsg
check "tdxguard_hostio and tdxguard_edu armed=1 load" \
	sh -c "modprobe tdxguard_hostio && insmod $EDU_KO armed=1 &&
	       echo $EDU >$DRV/unbind"
B=$(bar0)
KIND=mmio RANGE=mmio:$B-$(printf '%x' $((0x$B + 3))) PATTERN="BUG: KASAN: .* in edu_probe"
check "ident bit flips: KASAN report in edu_probe found without --detect" \
	armed_campaign oob --strategy bitflip
if grep -q kasan_multi_shot /proc/cmdline; then
	check "the KASAN finding replays" replays oob
else
	skip "the KASAN finding replays" "KASAN reports once without kasan_multi_shot"
fi
KIND=pci-cfg RANGE=pci-cfg:0-ffffffffffffffff PATTERN="WARNING:"
check "revision boundary values: allocator warning found" \
	armed_campaign alloc --strategy boundary --site edu_probe
check "unload tdxguard_edu and tdxguard_hostio" \
	sh -c 'rmmod tdxguard_edu && rmmod tdxguard_hostio'
echo "tdxguard: expect-crash end tdxguard_edu" >/dev/kmsg
echo "$PANIC_ON_WARN" >/proc/sys/kernel/panic_on_warn
ktap_end
