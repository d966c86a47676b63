#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Reproducers and engines at scale. One iteration reads the config space
# of every PCI device twice (more than 512 distinct addresses, each read
# twice, so the second reads need a count per address); bit flips of
# every read mutate more than a thousand of them:
# - the module's engine and the BPF engine give the same mutations;
# - the reproducer holds every mutation (far more than 64), and replaying
#   it, with either engine, applies exactly those mutations;
# - a --site reproducer names the function, holds no kernel address, and
#   replays after the target module moved.
. /opt/tdxguard/guest/lib.sh

EDU_KO=${TDXGUARD_TESTMODS:-/opt/tdxguard/testmods}/tdxguard_edu.ko
F=$TDXGUARD_BIN/tdxguard-fuzz
OUT=/tmp/hostio-repro
MARK=tdxguard-repro-marker
READ_ALL="cat /sys/bus/pci/devices/*/config >/dev/null; cat /sys/bus/pci/devices/*/config >/dev/null; echo $MARK >/dev/kmsg"

# mutations FILE: the mutation lines' read and values, sorted
mutations()
{
	awk '/^mutation/ { print $2, $3, $4, $5, $6, $7 }' "$1" | sort
}

# config_campaign ENGINE: one iteration over every config space
config_campaign()
{
	mkdir -p $OUT/$1
	"$F" --engine "$1" --run "$READ_ALL" --detect $MARK --kinds pci-cfg \
		--strategy bitflip --probability 1 --seed 5 --iterations 1 \
		--quiet --out $OUT/$1 --events $OUT/$1.events >$OUT/$1.log 2>&1
	rc=$?
	tail -n 3 $OUT/$1.log
	[ $rc -eq 1 ] && mutations $OUT/$1.events >$OUT/$1.sorted
}

# many_addresses: the iteration mutated a second read of more than 512
# addresses
many_addresses()
{
	n=$(awk '$3 == 1 { print $1, $2 }' $OUT/module.sorted | sort -u | wc -l)
	echo "$n addresses with a mutated second read"
	[ "$n" -gt 512 ]
}

whole_reproducer()
{
	n=$(grep -c '^mutation' $OUT/module/repro-1.txt)
	echo "$n mutations in the reproducer"
	[ "$n" -gt 64 ] && ! grep -q '^lost' $OUT/module/repro-1.txt &&
	mutations $OUT/module/repro-1.txt | cmp - $OUT/module.sorted
}

# replay_applies ENGINE: replaying the module's reproducer with ENGINE
# applies every mutation it holds, and nothing else
replay_applies()
{
	rm -f $OUT/replay-$1.events
	"$F" --replay $OUT/module/repro-1.txt --engine "$1" \
		--events $OUT/replay-$1.events >$OUT/replay-$1.log 2>&1
	rc=$?
	cat $OUT/replay-$1.log
	[ $rc -eq 1 ] && mutations $OUT/replay-$1.events | cmp - $OUT/module.sorted
}

# site_campaign: revision boundary values made from edu_probe
site_campaign()
{
	mkdir -p $OUT/site
	"$F" --device "$EDU" --detect "planted bug" --strategy boundary \
		--kinds pci-cfg --site edu_probe --probability 1 --seed 1 \
		--iterations 50 --quiet --out $OUT/site >$OUT/site.log 2>&1
	rc=$?
	cat $OUT/site.log
	[ $rc -eq 1 ] && cat $OUT/site/repro-1.txt &&
	grep -qx 'site edu_probe' $OUT/site/repro-1.txt &&
	! grep -v '^mutation' $OUT/site/repro-1.txt | grep -qi '0xffff'
}

# moved_replay: reload the modules in the other order (the target moves),
# then replay
moved_replay()
{
	echo "tdxguard_edu text at $(cat /sys/module/tdxguard_edu/sections/.text)"
	rmmod tdxguard_edu && rmmod tdxguard_hostio && insmod $EDU_KO &&
	modprobe tdxguard_hostio || return 1
	echo "tdxguard_edu text now at $(cat /sys/module/tdxguard_edu/sections/.text)"
	"$F" --replay $OUT/site/repro-1.txt
	[ $? -eq 1 ]
}

ktap_begin
rm -rf $OUT
mkdir -p $OUT
check "tdxguard_hostio loads" modprobe tdxguard_hostio
check "module engine: one iteration over every config space, twice" \
	config_campaign module
check "more than 512 addresses read twice, second reads mutated" many_addresses
check "the reproducer holds every mutation (more than 64)" whole_reproducer
check "module replay applies exactly the reproducer's mutations" \
	replay_applies module
check "BPF engine: the same iteration" config_campaign bpf
check "module and BPF engines give the same mutations past 512 addresses" \
	cmp $OUT/module.sorted $OUT/bpf.sorted
check "BPF replay applies exactly the module's reproducer's mutations" \
	replay_applies bpf
EDU=$(pci_addr 1234 11e8)
if [ -n "$EDU" ] && [ -f "$EDU_KO" ]; then
	check "tdxguard_edu loads" insmod $EDU_KO
	check "--site reproducer names the function, holds no kernel address" \
		site_campaign
	check "--site reproducer replays after the target module moved" moved_replay
	check "unload tdxguard_edu" rmmod tdxguard_edu
else
	skip "--site reproducers" "no edu device or no $EDU_KO in the image"
fi
check "unload tdxguard_hostio" rmmod tdxguard_hostio
ktap_end
