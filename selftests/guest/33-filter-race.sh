#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tdxguard_filter's device lock, tested by racing it. The filter decides
# and changes a binding only with the device lock held, the lock the driver
# core holds across a probe. One task pinned to CPU 0 authorizes and
# deauthorizes a platform device (tdxguard_testplat, which no rule names)
# while another, pinned to CPU 1, binds and unbinds it through the driver's
# sysfs bind/unbind. The test module busy-waits 1 ms in the filter's
# filter_override_set() (between reading the binding and storing the new
# decision), so that a bind racing an unlocked (de)authorize would land in
# the gap most rounds instead of once in a long while. What the lock
# guarantees, checked every round and at
# the end:
# - when a deauthorize returns, the device is not bound (without the lock a
#   bind could run between the filter reading "not bound" and storing the
#   denial, and the denied device would stay bound);
# - no probe runs while the device is bound, probes minus removes is the
#   binding;
# - the decision record says deny once the device is denied, and a later
#   bind is refused.
. /opt/tdxguard/guest/lib.sh

ROUNDS=200
[ "$TDXGUARD_LANE" = test ] && ROUNDS=30	# KASAN+lockdep: lockdep needs one round

F=/sys/kernel/tdxguard_filter
DEV=tdxguard_testplat
P=/sys/module/tdxguard_testplat/parameters
DRV=/sys/bus/platform/drivers/tdxguard_testplat
TESTPLAT=/opt/tdxguard/testmods/tdxguard_testplat.ko

param()
{
	cat "$P/$1"
}

is_bound()
{
	[ -e "/sys/bus/platform/devices/$DEV/driver" ]
}

# The racers, as scripts so that taskset can pin each to a CPU. Each
# appends the CPU it runs on (field 39 of /proc/self/stat) every round.
cat >/tmp/authrace-authorizer.sh <<'EOF2'
# authrace-authorizer.sh ROUNDS: authorize, deauthorize, check unbound
F=/sys/kernel/tdxguard_filter
: >/tmp/authrace.auth.cpus
bad=0
i=0
while [ $i -lt "$1" ]; do
	echo "platform tdxguard_testplat" >$F/authorize
	echo "platform tdxguard_testplat" >$F/deauthorize
	if [ -e /sys/bus/platform/devices/tdxguard_testplat/driver ]; then
		bad=$((bad + 1))
		echo "round $i: bound after deauthorize returned"
	fi
	cut -d' ' -f39 /proc/self/stat >>/tmp/authrace.auth.cpus
	i=$((i + 1))
done
echo "$bad" >/tmp/authrace.bad
EOF2
cat >/tmp/authrace-binder.sh <<'EOF2'
# authrace-binder.sh: bind and unbind until /tmp/authrace.stop exists
D=/sys/bus/platform/drivers/tdxguard_testplat
: >/tmp/authrace.bind.cpus
n=0
while [ ! -e /tmp/authrace.stop ]; do
	echo tdxguard_testplat >$D/bind 2>/dev/null
	echo tdxguard_testplat >$D/unbind 2>/dev/null
	cut -d' ' -f39 /proc/self/stat >>/tmp/authrace.bind.cpus
	n=$((n + 1))
done
echo "$n" >/tmp/authrace.bind.n
EOF2

# race: the authorizer on CPU 0, the binder on CPU 1
race()
{
	rm -f /tmp/authrace.stop /tmp/authrace.bad /tmp/authrace.bind.n
	b0=$(sed -n 's/^blocked //p' $F/counters)
	taskset -c 1 sh /tmp/authrace-binder.sh &
	bpid=$!
	taskset -c 0 sh /tmp/authrace-authorizer.sh $ROUNDS
	touch /tmp/authrace.stop
	wait $bpid
	b1=$(sed -n 's/^blocked //p' $F/counters)
	echo "authorizer CPUs: $(sort -u /tmp/authrace.auth.cpus | tr '\n' ' ')"
	echo "binder CPUs: $(sort -u /tmp/authrace.bind.cpus | tr '\n' ' ')"
	echo "binder rounds: $(cat /tmp/authrace.bind.n)"
	echo "probes: $(param probed), removes: $(param removed), binds refused: $((b1 - b0))"
	echo "rounds left bound after deauthorize: $(cat /tmp/authrace.bad)"
	[ -s /tmp/authrace.bad ]
}

two_cpus()
{
	a=$(sort -u /tmp/authrace.auth.cpus)
	b=$(sort -u /tmp/authrace.bind.cpus)
	echo "authorizer on '$a', binder on '$b'"
	[ "$a" = 0 ] && [ "$b" = 1 ]
}

balanced()
{
	p=$(param probed)
	r=$(param removed)
	echo "probed $p removed $r bound $(param bound) overlaps $(param overlaps)"
	[ "$(param overlaps)" -eq 0 ] && [ $((p - r)) -eq "$(param bound)" ] &&
		[ "$(param bound)" -eq 0 ] && ! is_bound
}

record_says()
{
	grep "^platform $DEV $DEV $1 " $F/devices
}

ktap_begin
check "two CPUs online" test "$(nproc)" -ge 2
check "filter loads" modprobe tdxguard_filter
check "test platform device loads" insmod $TESTPLAT
check "no rule names it: its probe never ran" test "$(param probed)" -eq 0
check "the window between reading and deciding is widened" \
	sh -c "grep -qx Y $P/widened && echo 1000 >$P/widen_us"
check "$ROUNDS rounds of (de)authorize on CPU 0 racing bind/unbind on CPU 1" race
check "the two tasks ran on CPUs 0 and 1" two_cpus
check "the binder made progress" test "$(cat /tmp/authrace.bind.n)" -ge 1
check "the race bound the device at times" test "$(param probed)" -ge 1
check "never bound when a deauthorize returned" \
	test "$(cat /tmp/authrace.bad)" -eq 0
check "no double probe; probes minus removes is the binding (unbound)" balanced
check_fails "a bind after the race is refused" sh -c "echo $DEV >$DRV/bind"
check "not bound" test ! -e "/sys/bus/platform/devices/$DEV/driver"
check "the decision record says deny" record_says deny
check "authorize binds it" sh -c "echo platform $DEV >$F/authorize && test -e /sys/bus/platform/devices/$DEV/driver"
check "the decision record says allow" record_says allow
check "deauthorize unbinds it" sh -c "echo platform $DEV >$F/deauthorize && test ! -e /sys/bus/platform/devices/$DEV/driver"
check "test platform device unloads" rmmod tdxguard_testplat
check "filter unloads" rmmod tdxguard_filter
ktap_end
