# SPDX-License-Identifier: GPL-2.0
#
# KTAP helpers for in-guest checks (busybox sh). A step script sources this
# file, calls ktap_begin once, then any number of check / check_fails /
# run_kselftest / skip calls, and ktap_end last. The host collects each step's
# stdout and parses it with the kernel tree's kunit.py.
#
# Environment set by /init:
#   TDXGUARD_LANE  "stock" (Debian kernel) or "test" (KUnit/KASAN kernel)
#   TDXGUARD_BIN   directory holding our kselftests and tools

_ktap_n=0
_ktap_fail=0
_ktap_t=$(cut -d. -f1 /proc/uptime 2>/dev/null || echo 0)
TDXGUARD_BIN=${TDXGUARD_BIN:-/opt/tdxguard/bin}

ktap_begin()
{
	echo "KTAP version 1"
	_ktap_t=$(cut -d. -f1 /proc/uptime)
}

# _ktap_result RESULT DESC: a result line; one that took 10 s or more says
# so in a diagnostic line first, so a slow lane shows where its time goes
_ktap_result()
{
	_ktap_now=$(cut -d. -f1 /proc/uptime)
	[ $((_ktap_now - _ktap_t)) -lt 10 ] ||
		echo "# took $((_ktap_now - _ktap_t)) s"
	_ktap_t=$_ktap_now
	_ktap_n=$((_ktap_n + 1))
	echo "$1 $_ktap_n $2"
}

# _ktap_diag FILE: show a failed check's output as KTAP diagnostics
_ktap_diag()
{
	sed 's/^/# /' "$1" | tail -n 20
}

# check DESC CMD...: pass when CMD exits 0
check()
{
	_desc=$1
	shift
	if "$@" >/tmp/ktap.out 2>&1; then
		_ktap_result ok "$_desc"
	else
		_ktap_fail=$((_ktap_fail + 1))
		_ktap_diag /tmp/ktap.out
		_ktap_result "not ok" "$_desc"
	fi
}

# check_fails DESC CMD...: pass when CMD exits non-zero
check_fails()
{
	_desc=$1
	shift
	if "$@" >/tmp/ktap.out 2>&1; then
		_ktap_fail=$((_ktap_fail + 1))
		_ktap_diag /tmp/ktap.out
		_ktap_result "not ok" "$_desc (unexpectedly succeeded)"
	else
		_ktap_result ok "$_desc"
	fi
}

# skip DESC REASON: record a check that cannot run in this environment
skip()
{
	_ktap_result ok "$1 # SKIP $2"
}

# run_kselftest NAME [ARGS...]: run a kselftest from $TDXGUARD_BIN; its own
# TAP output is nested as subtests of one result line named NAME. Exit code
# 4 (KSFT_SKIP) marks the whole test skipped.
run_kselftest()
{
	_name=$1
	shift
	"$TDXGUARD_BIN/$_name" "$@" >/tmp/ktap.out 2>&1
	_rc=$?
	sed 's/^/    /' /tmp/ktap.out
	case $_rc in
	0) _ktap_result ok "$_name" ;;
	4) _ktap_result ok "$_name # SKIP" ;;
	*)
		_ktap_fail=$((_ktap_fail + 1))
		_ktap_result "not ok" "$_name (exit $_rc)"
		;;
	esac
}

# pci_addr VENDOR DEVICE: address of the first PCI device with these ids
# (hex without 0x); status 1 if there is none
pci_addr()
{
	for _d in /sys/bus/pci/devices/*; do
		if [ "$(cat "$_d/vendor")" = "0x$1" ] &&
		   [ "$(cat "$_d/device")" = "0x$2" ]; then
			basename "$_d"
			return 0
		fi
	done
	return 1
}

# pci_driver ADDR: name of the driver bound to PCI device ADDR; empty when
# none is
pci_driver()
{
	[ -e "/sys/bus/pci/devices/$1/driver" ] &&
		basename "$(readlink "/sys/bus/pci/devices/$1/driver")"
}

# kprobe_hits EVENT: hits of kprobe event EVENT (tracefs mounted); empty
# when there is no such event
kprobe_hits()
{
	awk -v ev="$1" '$1 == ev { print $2 }' /sys/kernel/tracing/kprobe_profile
}

# logged LOG CMD...: run CMD with its output in LOG; status of CMD
logged()
{
	_log=$1
	shift
	"$@" >"$_log" 2>&1
}

# hex_repeat BYTE COUNT: BYTE (two hex digits) COUNT times, e.g. a 48-byte
# measurement register value
hex_repeat()
{
	_i=0
	_s=
	while [ "$_i" -lt "$2" ]; do
		_s=$_s$1
		_i=$((_i + 1))
	done
	echo "$_s"
}

# ktap_end: close the document; the step's exit status says if all passed
ktap_end()
{
	[ "$_ktap_fail" -eq 0 ]
}

# host_share: mount the host's 9p share (tag "tdxguard") at /mnt/host, once;
# a step leaves there what its host half (selftests/host/) checks
host_share()
{
	grep -q ' /mnt/host 9p ' /proc/mounts && return 0
	modprobe 9p && mkdir -p /mnt/host &&
		mount -t 9p -o trans=virtio,version=9p2000.L tdxguard /mnt/host
}

