# SPDX-License-Identifier: GPL-2.0
# Harness fixture step: load harness_warn inside an expect-crash window that
# names WINDOW_MODULE (set by the step's copy; see harness-test.sh).
. /opt/tdxguard/guest/lib.sh
ktap_begin
echo 0 >/proc/sys/kernel/panic_on_warn
echo "tdxguard: expect-crash begin WINDOW_MODULE" >/dev/kmsg
check "load a module that warns" insmod /lib/modules/"$(uname -r)"/extra/harness_warn.ko
echo "tdxguard: expect-crash end WINDOW_MODULE" >/dev/kmsg
echo 1 >/proc/sys/kernel/panic_on_warn
ktap_end
