# SPDX-License-Identifier: GPL-2.0
#
# Count e1000_probe from before tdxguard_filter and udev: a kprobe event on
# the module function, which fires once udev loads e1000. Run or sourced
# early in an initramfs (initramfs-tools: init-top; dracut: cmdline).
mkdir -p /sys/kernel/tracing
mount -t tracefs tracefs /sys/kernel/tracing
echo "p:tdxg_e1000 e1000:e1000_probe" >>/sys/kernel/tracing/kprobe_events
echo 1 >/sys/kernel/tracing/events/kprobes/enable
