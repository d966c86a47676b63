#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tdxguard_hostio, the hook module: loads, routes host reads (PCI config,
# ioread*, virtqueue used lengths and, on the test kernel, every inline
# readl()/inb() hooked in x86_io_read()) through one hook, refuses
# bad ioctls (hostio_test), and unloading gives everything back: no probes
# left, config space reads the same bytes as before, reload works.
. /opt/tdxguard/guest/lib.sh

D=/sys/kernel/debug/tdxguard_hostio
KPROBES=/sys/kernel/debug/kprobes/list
EDU_KO=${TDXGUARD_TESTMODS:-/opt/tdxguard/testmods}/tdxguard_edu.ko
LOG_CONSOLE=/sys/module/tdxguard_hostio/parameters/log_console

# counter NAME: a counter from the module's status file
counter()
{
	sed -n "s/^$1 //p" $D/status
}

probes_left()
{
	! grep -q 'ioread\|virtqueue_get_buf\|x86_io_read' $KPROBES
}

# config_reads_counted: reading every device's config space goes through
# the hook, one read per dword at least
config_reads_counted()
{
	before=$(counter reads)
	cat /sys/bus/pci/devices/*/config >/dev/null
	after=$(counter reads)
	echo "reads $before -> $after"
	[ "$after" -ge $((before + 16)) ]
}

# console_port_reads: printing on the serial console makes 8250 read its
# line status register with inb(), which reaches the hook as pio-inline
console_port_reads()
{
	echo "tdxguard: hostio inline port read test" >/dev/kmsg
	grep '^pio-inline .* io_serial_in' $D/sites
}

# hook_reentry: with log_console each mutation of the edu bench's readl()
# is printed on the serial console from inside the hook, and the 8250
# driver's inb() of its line status reenters it: those reads are made but
# not reported, the status file counts them, and the guest carries on
hook_reentry()
{
	edu=$(pci_addr 1234 11e8)
	[ -n "$edu" ] && [ -f "$EDU_KO" ] && insmod "$EDU_KO" || return 1
	missed=$(counter "missed x86_io_read")
	printed=$(dmesg | grep -c 'mutation 4 ')
	echo 1 >$LOG_CONSOLE
	"$TDXGUARD_BIN/tdxguard-fuzz" --engine module --device "$edu" \
		--kinds mmio-inline --strategy bitflip --probability 1 \
		--iterations 1 --quiet \
		--run "echo 20 readl >/sys/kernel/debug/tdxguard_edu/bench"
	rc=$?
	echo 0 >$LOG_CONSOLE
	missed_now=$(counter "missed x86_io_read")
	printed_now=$(dmesg | grep -c 'mutation 4 ')
	echo "campaign $rc; missed $missed -> $missed_now;" \
		"mutations printed $printed -> $printed_now"
	rmmod tdxguard_edu && [ $rc -eq 0 ] &&
		[ "$printed_now" -ge $((printed + 20)) ] &&
		[ "$missed_now" -gt "$missed" ]
}

nothing_mutated()
{
	[ "$(counter mutated)" -eq 0 ]
}

reload_cycles()
{
	i=0
	while [ $i -lt 5 ]; do
		modprobe tdxguard_hostio && rmmod tdxguard_hostio || return 1
		i=$((i + 1))
	done
	probes_left
}

ktap_begin
HB=/sys/bus/pci/devices/0000:00:00.0/config
cat $HB >/tmp/hostio-config.before
check "tdxguard_hostio loads" modprobe tdxguard_hostio
check "/dev/tdxguard_hostio exists" test -c /dev/tdxguard_hostio
check "all nine ioread accessors are probed" \
	sh -c "[ \$(grep -c ' ioread' $KPROBES) -eq 9 ]"
check "virtqueue_get_buf and _ctx are probed" \
	sh -c "[ \$(grep -c ' virtqueue_get_buf' $KPROBES) -eq 2 ]"
check "PCI config reads go through the hook" config_reads_counted
check "config reads are attributed to a call site" \
	grep -q '^pci-cfg .*pci_read_config' $D/sites
if [ "$TDXGUARD_LANE" = test ]; then
	check "x86_io_read is hooked, not probed: inline reads are routed" \
		sh -c "! grep -q ' x86_io_read' $KPROBES && grep -qx 'inline yes' $D/status"
	check "inline inb() of the 8250 console reaches the hook" console_port_reads
	check "inline reads of the PCI config accessors are left to pci-cfg" \
		sh -c "! grep -q '^pio-inline .* pci_conf1_read' $D/sites"
else
	check "stock kernel: no x86_io_read, status says inline no" \
		sh -c "! grep -q 'x86_io_read' $KPROBES && grep -qx 'inline no' $D/status"
fi
check "nothing is mutated without a campaign" nothing_mutated
run_kselftest hostio_test
if [ "$TDXGUARD_LANE" = test ]; then
	check "reads the hook makes itself pass, counted as missed" hook_reentry
fi
check "rmmod tdxguard_hostio" rmmod tdxguard_hostio
check "no probes left after unload" probes_left
cat $HB >/tmp/hostio-config.after
check "host bridge config reads the same bytes after unload" \
	cmp /tmp/hostio-config.before /tmp/hostio-config.after
check "load and unload five times" reload_cycles
ktap_end
