# SPDX-License-Identifier: GPL-2.0
# Harness fixture step: load the module that trips the lockdep checker.
. /opt/tdxguard/guest/lib.sh
ktap_begin
check "load harness_lockdep" insmod /lib/modules/"$(uname -r)"/extra/harness_lockdep.ko
check "unload harness_lockdep" rmmod harness_lockdep
ktap_end
