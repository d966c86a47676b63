#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Unloading in the middle of a campaign is safe: removing tdxguard_hostio
# is refused while a BPF program is attached to its tracepoint or the
# module engine has the device open, and the target driver can be removed
# under a campaign. Afterwards no probe is left, the x86_io_read() hook is
# free again, the device binds honestly and everything loads again.
. /opt/tdxguard/guest/lib.sh

EDU_KO=${TDXGUARD_TESTMODS:-/opt/tdxguard/testmods}/tdxguard_edu.ko
F=$TDXGUARD_BIN/tdxguard-fuzz
LOG=/tmp/hostio-unload.log
STATUS=/sys/kernel/debug/tdxguard_hostio/status

# start_campaign ENGINE: a long campaign in the background, PID in $CAMPAIGN
start_campaign()
{
	BASE=$(sed -n 's/^mutated //p' $STATUS)
	"$F" --device "$EDU" --driver tdxguard_edu --engine "$1" \
		--strategy bitflip --seed 3 \
		--iterations 100000 --quiet >"$LOG" 2>&1 &
	CAMPAIGN=$!
	wait_running
}

# wait_running: until the campaign has mutated some reads
wait_running()
{
	i=0
	while [ $i -lt 60 ]; do
		kill -0 $CAMPAIGN || return 1
		[ "$(sed -n 's/^mutated //p' $STATUS)" -gt $((BASE + 5)) ] &&
			return 0
		sleep 1
		i=$((i + 1))
	done
	return 1
}

# campaign_exits CODE: the background campaign ended with CODE
campaign_exits()
{
	wait $CAMPAIGN
	rc=$?
	cat "$LOG"
	[ $rc -eq "$1" ]
}

# stop_campaign: SIGTERM ends a campaign cleanly (status 0: no finding)
stop_campaign()
{
	kill $CAMPAIGN && campaign_exits 0
}

# hook_busy_under ENGINE: rmmod of the hook fails during a campaign of
# ENGINE, which SIGTERM then ends cleanly, the target still bound
hook_busy_under()
{
	start_campaign "$1" || return 1
	rmmod tdxguard_hostio 2>&1
	refused=$?
	stop_campaign && [ $refused -ne 0 ] && [ -e /sys/module/tdxguard_hostio ] &&
		test -e /sys/bus/pci/drivers/tdxguard_edu/$EDU
}

unload_target()
{
	start_campaign "$1" && rmmod tdxguard_edu && campaign_exits 2
}

no_probes_left()
{
	! grep -q 'ioread\|virtqueue_get_buf\|tdxguard_hostio_read\|x86_io_read' \
		/sys/kernel/debug/kprobes/list
}

honest_rebind()
{
	before=$(dmesg | grep -c 'planted bug')
	modprobe tdxguard_hostio && insmod "$EDU_KO" &&
		test -e /sys/bus/pci/drivers/tdxguard_edu/$EDU &&
		[ "$(dmesg | grep -c 'planted bug')" -eq "$before" ]
}

# bench_modes: tdxguard_edu's bench times readl() and the raw instruction
bench_modes()
{
	B=/sys/kernel/debug/tdxguard_edu/bench
	for mode in readl raw; do
		echo "1000 $mode" >$B || return 1
		grep -q '^reads 1000 ns [1-9]' $B || return 1
	done
	! echo "1000 bogus" >$B 2>/dev/null
}

ktap_begin
EDU=$(pci_addr 1234 11e8)
if [ -z "$EDU" ] || [ ! -f "$EDU_KO" ]; then
	skip "unload during campaigns" "no edu device or no $EDU_KO in the image"
	ktap_end
	exit
fi
check "tdxguard_hostio and tdxguard_edu load" \
	sh -c "modprobe tdxguard_hostio && insmod $EDU_KO"
check "rmmod refused under a BPF campaign; SIGTERM ends it cleanly" \
	hook_busy_under bpf
check "rmmod refused under a module-engine campaign; SIGTERM ends it cleanly" \
	hook_busy_under module
check "rmmod tdxguard_edu under a campaign; the CLI stops (2)" \
	unload_target module
check "unload tdxguard_hostio" rmmod tdxguard_hostio
check "no probe left" no_probes_left
check "reload both; the device binds with honest values" honest_rebind
if [ "$TDXGUARD_LANE" = test ]; then
	check "unload frees the x86_io_read() hook: loading again takes it" \
		sh -c "rmmod tdxguard_hostio && modprobe tdxguard_hostio &&
			grep -qx 'inline yes' $STATUS && rmmod tdxguard_hostio"
else
	check "unload tdxguard_hostio again" rmmod tdxguard_hostio
fi
check "bench: readl() and the unpatched instruction each read N times" \
	bench_modes
check "unload tdxguard_edu" rmmod tdxguard_edu
ktap_end
