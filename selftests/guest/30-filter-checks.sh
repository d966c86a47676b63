#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tdxguard_filter in a q35 guest. The filter loads before the drivers;
# kprobe events on each driver's probe() count how often it really ran.
# Covers: default policy (virtio net/blk/console/9p bind; rng, balloon,
# e1000, edu never probed), verdicts in the log and sysfs, PCI rescan,
# runtime authorize/deauthorize, an override that does not outlive its
# device, a bus the filter never heard of, the devices bound before
# arming, denied PCI devices cut off, allow_devs=, mode=audit, debug_td=,
# lock=, a disarmed gate, malformed parameters, the ACPI table audit.
# Leaves drivers and devices as found. The guest's modprobe.d loads the
# filter with lock=0 debug_td=1; the checks of the defaults say otherwise.
. /opt/tdxguard/guest/lib.sh

F=/sys/kernel/tdxguard_filter
T=/sys/kernel/tracing
PROBES="net:virtio_net:virtnet_probe blk:virtio_blk:virtblk_probe
	cons:virtio_console:virtcons_probe p9:9pnet_virtio:p9_virtio_probe
	rng:virtio_rng:virtrng_probe balloon:virtio_balloon:virtballoon_probe
	e1000:e1000:e1000_probe button:button:acpi_button_add
	rtc:rtc_cmos:cmos_pnp_probe spkr:pcspkr:pcspkr_probe"
DRIVERS="virtio_net virtio_blk virtio_console 9pnet_virtio virtio_rng
	virtio_balloon e1000 button pcspkr"

# pnp_dev ID: name of the PnP device with this EISA id (PNP0b00)
pnp_dev()
{
	grep -l "^$1\$" /sys/bus/pnp/devices/*/id | sed 's|.*/devices/\([^/]*\)/id|\1|'
}

# virtio_dev ID: name of the virtio device with this device id (0x0001)
virtio_dev()
{
	for d in /sys/bus/virtio/devices/*; do
		[ "$(cat "$d/device" 2>/dev/null)" = "$1" ] && basename "$d"
	done
}

# driver_of BUS DEVICE: the bound driver's name, empty when unbound
driver_of()
{
	l=$(readlink "/sys/bus/$1/devices/$2/driver") && basename "$l"
}

# bound_to BUS DEVICE DRIVER
bound_to()
{
	[ -n "$2" ] && [ "$(driver_of "$1" "$2")" = "$3" ]
}

unbound()
{
	[ -n "$2" ] && [ -e "/sys/bus/$1/devices/$2" ] &&
		[ ! -e "/sys/bus/$1/devices/$2/driver" ]
}

# probe_add NAME MODULE FUNCTION: a kprobe event on FUNCTION, built in (or
# in a loaded module) if the kernel finds it, else in MODULE, probed when it
# loads. Tried, not looked up: /proc/kallsyms takes half a minute to read on
# the test kernel.
probe_add()
{
	echo "p:tdxg_$1 $3" 2>/dev/null >>$T/kprobe_events ||
		echo "p:tdxg_$1 $2:$3" >>$T/kprobe_events
}

probes_arm()
{
	for p in $PROBES; do
		rest=${p#*:}
		probe_add "${p%%:*}" "${rest%%:*}" "${rest#*:}" || return 1
	done
	echo 1 >$T/events/kprobes/enable
}

probes_disarm()
{
	echo 0 >$T/events/kprobes/enable
	for p in $PROBES; do
		echo "-:tdxg_${p%%:*}" >>$T/kprobe_events
	done
	echo >$T/trace
}

probe_count()
{
	grep -c " tdxg_$1:" $T/trace
}

# probes NAME N: the driver's probe() ran exactly N times
probes()
{
	n=$(probe_count "$1")
	echo "tdxg_$1: $n probe calls, expected $2"
	[ "$n" -eq "$2" ]
}

# verdict BUS DEVICE DRIVER VERDICT: sysfs devices line, blocked >= MIN
verdict()
{
	grep "^$1 $2 $3 $4 " $F/devices
}

blocked_at_least()
{
	n=$(verdict "$1" "$2" "$3" deny | cut -d' ' -f5)
	echo "blocked: ${n:-none}, expected >= $4"
	[ -n "$n" ] && [ "$n" -ge "$4" ]
}

logged()
{
	dmesg | grep -F -- "$1"
}

counter()
{
	sed -n "s/^$1 //p" $F/counters
}

write()
{
	echo "$2" >"$1"
}

filter_unload()
{
	for m in e1000 virtio_rng virtio_balloon pcspkr; do
		grep -q "^$m " /tmp/filter.lsmod || rmmod "$m" 2>/dev/null
	done
	rmmod tdxguard_filter
}

ktap_begin
lsmod >/tmp/filter.lsmod
NET=$(pci_addr 1af4 1000)
RNG=$(pci_addr 1af4 1005)
BAL=$(pci_addr 1af4 1002)
E1000=$(pci_addr 8086 100e)
EDU=$(pci_addr 1234 11e8)
VNET=$(virtio_dev 0x0001)
VBLK=$(virtio_dev 0x0002)
VCONS=$(virtio_dev 0x0003)
V9P=$(virtio_dev 0x0009)
CONSOLE=$(readlink /sys/class/tty/ttyS0 | sed -n 's|.*/pnp0/\([^/]*\)/.*|\1|p')

# --- default policy, enforce mode ---
check "kprobe events on the drivers' probe functions" probes_arm
check "filter loads with the default policy" modprobe tdxguard_filter
check "virtio-rng PCI device unbound at load" unbound pci "$RNG"
check "virtio-balloon PCI device unbound at load" unbound pci "$BAL"
check "virtio-net PCI device still bound" bound_to pci "$NET" virtio-pci
for m in $DRIVERS; do
	modprobe "$m" 2>/dev/null
done
check "virtio_net probed once and bound" probes net 1
check "virtio_net bound to the net device" bound_to virtio "$VNET" virtio_net
check "virtio_blk probed once and bound" probes blk 1
check "virtio_blk bound" bound_to virtio "$VBLK" virtio_blk
check "9pnet_virtio probed once" probes p9 1
check "9pnet_virtio bound" bound_to virtio "$V9P" 9pnet_virtio
check "virtio_console bound" bound_to virtio "$VCONS" virtio_console
check "virtio_rng probe never ran" probes rng 0
check "virtio_balloon probe never ran" probes balloon 0
check "e1000 probe never ran" probes e1000 0
check "e1000 device left unbound" unbound pci "$E1000"
check "sysfs: e1000 denied, probe refused" blocked_at_least pci "$E1000" e1000 1
check "sysfs: virtio-net allowed by its rule" \
	grep "^virtio $VNET virtio_net allow 0 virtio:1@virtio_net " $F/devices
check "sysfs: rng PCI device denied" verdict pci "$RNG" virtio-pci deny
check "sysfs: balloon PCI device denied" verdict pci "$BAL" virtio-pci deny
check "sysfs: edu device denied" verdict pci "$EDU" - deny
check "log: e1000 verdict with ids and rule" \
	logged "pci $E1000 [8086:100e sub 1af4:1100 class 020000] driver e1000: denied by default-deny, probe refused"
check "log: rng PCI device verdict" \
	logged "pci $RNG [1af4:1005 sub 1af4:0004 class 00ff00] driver virtio-pci: denied by default-deny"
check "log: balloon PCI device verdict" \
	logged "pci $BAL [1af4:1002 sub 1af4:0005 class 00ff00] driver virtio-pci: denied by default-deny"
check "counters: a probe blocked, two devices unbound" \
	sh -c "[ $(counter blocked) -ge 1 ] && [ $(counter unbound) -ge 2 ]"
check "bound_at_arming lists the built-in virtio-pci bindings" \
	grep "^pci $NET virtio-pci allowed$" $F/bound_at_arming
check "bound_at_arming lists the rng PCI device, denied" \
	grep "^pci $RNG virtio-pci denied$" $F/bound_at_arming
check "log: devices bound before arming" \
	logged "bound before arming: pci $NET driver virtio-pci, allowed"
check "log: arming summary" logged "devices were bound before the gate"
check "sysfs: the gate is armed" grep -qx armed $F/state
check "denied PCI devices cut off from config space" \
	sh -c "[ $(counter isolated) -ge 2 ]"
# a bus the filter never heard of: the test module's own bus and driver
TESTBUS=/opt/tdxguard/testmods/tdxguard_testbus.ko
check "test bus module loads" insmod $TESTBUS
check "unknown bus: its driver's probe never ran" \
	grep -qx 0 /sys/module/tdxguard_testbus/parameters/probed
check "unknown bus: device left unbound" \
	test ! -e /sys/bus/tdxguard_testbus/devices/tgb0/driver
check "sysfs: unknown bus denied" \
	grep "^tdxguard_testbus tgb0 tdxguard_testdrv deny 1 unknown-bus " $F/devices
check "test bus module unloads" rmmod tdxguard_testbus
check "sysfs policy names the software buses" \
	grep -x -- "- serial-base:ALL software-bus" $F/policy
check "only serial-base and cpu are software buses" \
	test "$(grep -c ' software-bus$' $F/policy)" -eq 2

# edu has no driver: offer it to e1000 through new_id
check "edu offered to e1000" write /sys/bus/pci/drivers/e1000/new_id "1234 11e8"
check "e1000 probe still never ran" probes e1000 0
check "sysfs: edu denied for e1000" blocked_at_least pci "$EDU" e1000 1
check "log: edu verdict" \
	logged "pci $EDU [1234:11e8 sub 1af4:1100 class 00ff00] driver e1000: denied by default-deny, probe refused"
check "edu id withdrawn" write /sys/bus/pci/drivers/e1000/remove_id "1234 11e8"

# the PCI gate allows virtio-pci for an authorized device; the virtio gate
# still stops virtio_rng
check "authorize the rng PCI device" write $F/authorize "pci $RNG"
check "rng PCI device bound after authorize" bound_to pci "$RNG" virtio-pci
VRNG=$(virtio_dev 0x0004)
check "virtio_rng still never probed (virtio gate)" probes rng 0
check "sysfs: virtio rng denied for virtio_rng" \
	blocked_at_least virtio "$VRNG" virtio_rng 1
check "sysfs: rng PCI device authorized" \
	verdict pci "$RNG" virtio-pci "allow 0 authorized"
check "deauthorize the rng PCI device" write $F/deauthorize "pci $RNG"
check "rng PCI device unbound after deauthorize" unbound pci "$RNG"

# the ACPI and PnP gates: a deauthorized device cannot be bound by hand,
# and its driver's probe does not run; authorize binds it again
# gate_cycle BUS DEVICE DRIVER PROBE: the checks for one device
gate_cycle()
{
	n=$(probe_count "$4")
	check "$1 $2 bound to $3" bound_to "$1" "$2" "$3"
	check "deauthorize $1 $2" write $F/deauthorize "$1 $2"
	check "$1 $2 unbound" unbound "$1" "$2"
	check_fails "binding $1 $2 to $3 by hand is refused" \
		write "/sys/bus/$1/drivers/$3/bind" "$2"
	check "$3 probe did not run" probes "$4" "$n"
	check "sysfs: $1 $2 deauthorized" verdict "$1" "$2" "$3" "deny 1 deauthorized"
	check "authorize $1 $2" write $F/authorize "$1 $2"
	check "$3 probed once more" probes "$4" $((n + 1))
	check "$1 $2 bound again" bound_to "$1" "$2" "$3"
}
gate_cycle acpi LNXPWRBN:00 button button
gate_cycle pnp "$(pnp_dev PNP0b00)" rtc_cmos rtc
if [ -e /sys/bus/platform/drivers/pcspkr ]; then
	check "pcspkr probe never ran (platform gate)" probes spkr 0
	check "sysfs: pcspkr denied" blocked_at_least platform pcspkr pcspkr 1
else
	skip "pcspkr probe never ran (platform gate)" "no pcspkr driver"
fi

# hot-added devices go through the same gate
check "remove e1000 from PCI" write "/sys/bus/pci/devices/$E1000/remove" 1
check "remove virtio-net from PCI" write "/sys/bus/pci/devices/$NET/remove" 1
check "PCI rescan" write /sys/bus/pci/rescan 1
check "hot-added e1000 present and unbound" unbound pci "$E1000"
check "hot-added e1000 not probed" probes e1000 0
check "sysfs: hot-added e1000 refused again" \
	blocked_at_least pci "$E1000" e1000 2
VNET=$(virtio_dev 0x0001)
check "hot-added virtio-net probed and bound" probes net 2
check "hot-added virtio-net bound" bound_to virtio "$VNET" virtio_net

# runtime authorize binds, deauthorize unbinds
check "authorize e1000" write $F/authorize "pci $E1000"
check "e1000 probed once after authorize" probes e1000 1
check "e1000 bound after authorize" bound_to pci "$E1000" e1000
check "authorize tainted the kernel (U)" \
	sh -c "[ \$((\$(cat /proc/sys/kernel/tainted) & 64)) -ne 0 ]"
check "deauthorize e1000" write $F/deauthorize "pci $E1000"
check "e1000 unbound after deauthorize" unbound pci "$E1000"
# an authorization belongs to the device instance: the device that comes
# back at the same address after a removal starts from the policy again
check "authorize e1000 again" write $F/authorize "pci $E1000"
check "e1000 probed after the second authorize" probes e1000 2
n_over=$(counter overrides)
check "remove the authorized e1000" write "/sys/bus/pci/devices/$E1000/remove" 1
check "overrides: dropped with the device" \
	sh -c "[ \$(sed -n 's/^overrides //p' $F/counters) -eq $((n_over - 1)) ]"
check "log: the override went with the device" logged "$E1000: removed: its override is dropped"
check "PCI rescan brings e1000 back" write /sys/bus/pci/rescan 1
check "e1000 at the same address is not authorized" unbound pci "$E1000"
check "e1000 not probed again" probes e1000 2
check_fails "authorize: unknown bus refused" write $F/authorize "pcx $E1000"
check_fails "authorize: unknown device refused" \
	write $F/authorize "pci 0000:00:1e.7"
check_fails "authorize: missing device refused" write $F/authorize "pci"
check_fails "authorize: overlong name refused" write $F/authorize \
	"pci 0123456789012345678901234567890123456789012345678901234567890123456789"
if [ -n "$CONSOLE" ]; then
	check_fails "deauthorize: the console's device refused" \
		write $F/deauthorize "pnp $CONSOLE"
else
	skip "deauthorize: the console's device refused" "ttyS0 not on PnP"
fi
check "unload" filter_unload
check "rng PCI device bound again after unload" bound_to pci "$RNG" virtio-pci
check "balloon PCI device bound again after unload" \
	bound_to pci "$BAL" virtio-pci
echo >$T/trace

# --- allow_devs= ---
check "load with allow_devs=pci:8086:100e@e1000" \
	modprobe tdxguard_filter allow_devs=pci:8086:100e@e1000
check "sysfs policy lists the override" \
	grep " pci:8086:100e@e1000 allow_devs$" $F/policy
check "load e1000" modprobe e1000
check "e1000 probed once" probes e1000 1
check "e1000 bound" bound_to pci "$E1000" e1000
check "unload" filter_unload
echo >$T/trace

# --- mode=audit ---
check "load in audit mode" modprobe tdxguard_filter mode=audit
check "sysfs mode says audit" grep -x audit $F/mode
check "audit: rng PCI device left bound" bound_to pci "$RNG" virtio-pci
check "audit: log says it would unbind it" \
	logged "virtio-pci $RNG: audit mode: would unbind from virtio-pci"
check "load e1000" modprobe e1000
check "audit: e1000 probed" probes e1000 1
check "audit: e1000 bound" bound_to pci "$E1000" e1000
check "audit: sysfs shows the denial, nothing blocked" \
	verdict pci "$E1000" e1000 "deny 0"
check "audit: log says what it would block" \
	logged "driver e1000: denied by default-deny, audit mode: not enforced"
check "audit: counted" sh -c "[ $(counter audited) -ge 1 ]"
check "unload" filter_unload
echo >$T/trace

# --- malformed parameters: refuse to load, naming the token ---
check_fails "allow_devs=pci:8086 refused" \
	modprobe tdxguard_filter allow_devs=pci:8086
check "log names the bad token" logged "allow_devs: PCI id must be"
check "log shows the token" logged ": '8086'; refusing to load"
check_fails "allow_devs=usb:1 refused" modprobe tdxguard_filter allow_devs=usb:1
check_fails "mode=bogus refused" modprobe tdxguard_filter mode=bogus
check_fails "allow_acpi=HPE refused" modprobe tdxguard_filter allow_acpi=HPE
check "log names the bad table" logged "allow_acpi: ACPI signature must be 4 of [A-Z0-9_]: 'HPE'"
check_fails "allow_acpi_runtime=DSDT refused (not AML a system loads)" \
	modprobe tdxguard_filter allow_acpi_runtime=DSDT
check "log says only SSDT and OEMx load at runtime" \
	logged "allow_acpi_runtime: not AML (only SSDT and OEMx tables load at runtime): 'DSDT'"
check_fails "filter not loaded after refusals" test -d /sys/module/tdxguard_filter

# --- defaults: debug_td=0 drops the serial ports and the RTC (audit mode,
# so that the results port stays bound) ---
check "load with debug_td=0 in audit mode" \
	modprobe tdxguard_filter debug_td=0 mode=audit
check_fails "policy: no serial8250 rule" grep serial8250 $F/policy
check_fails "policy: no PNP0501 rule" grep PNP0501 $F/policy
check_fails "policy: no rtc_cmos rule" grep rtc_cmos $F/policy
check "audit: serial ports denied" grep "^pnp [^ ]* serial deny " $F/devices
check "audit: RTC denied" grep "^pnp [^ ]* rtc_cmos deny " $F/devices
check "unload" filter_unload
check "load with the test guest's debug_td=1" modprobe tdxguard_filter
check "policy: serial8250 from debug_td" \
	grep " platform:serial8250@serial8250 debug_td$" $F/policy
check "unload" filter_unload

# --- lock=1 (the default): rmmod refused until unlocked ---
check "load with lock=1" modprobe tdxguard_filter lock=1
check "sysfs: locked" grep -qx 1 $F/locked
check_fails "rmmod refused while locked" rmmod tdxguard_filter
check "still loaded" test -d /sys/module/tdxguard_filter
check "unlock" write $F/unlock 1
check "sysfs: unlocked" grep -qx 0 $F/locked
check "log: unlock taints" logged "unlocked by the administrator"
check "rmmod after unlock" filter_unload

# --- a disarmed gate is noticed, and the canary re-run ---
KPE=/sys/kernel/debug/kprobes/enabled
check "load for the gate watch" modprobe tdxguard_filter
check "gate armed" grep -qx armed $F/state
check "disarm every kprobe" write $KPE 0
check "sysfs: gate disarmed" grep "^disarmed: canary not redirected" $F/state
check "log: gate disarmed" logged "gate DISARMED"
check "counters: disarm counted" sh -c "[ \$(sed -n 's/^disarmed //p' $F/counters) -ge 1 ]"
check "re-arm kprobes" write $KPE 1
check "sysfs: gate armed again" grep -qx armed $F/state
check "log: canary passed again" logged "gate armed again: the canary passed"
check "unload" filter_unload

# --- ACPI tables ---
check "load for the ACPI audit" modprobe tdxguard_filter
for t in HPET MCFG WAET; do
	check "ACPI audit lists $t as denied" grep "^boot $t deny " $F/acpi_tables
	check "log explains $t" logged "ACPI table $t "
done
check "ACPI audit allows DSDT" grep "^boot DSDT allow " $F/acpi_tables
check "unload" filter_unload
check "load with allow_acpi=HPET" modprobe tdxguard_filter allow_acpi=HPET
check "HPET allowed by allow_acpi" grep "^boot HPET allow " $F/acpi_tables
check "unload" filter_unload

probes_disarm
for m in $DRIVERS; do
	grep -q "^$m " /tmp/filter.lsmod || rmmod "$m" 2>/dev/null
done
check "drivers loaded by this step unloaded" \
	sh -c "! lsmod | grep -q '^e1000 \|^virtio_rng \|^pcspkr \|^tdxguard_filter '"
ktap_end
