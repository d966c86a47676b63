# SPDX-License-Identifier: GPL-2.0
# Harness fixture step: load the module whose init oopses.
. /opt/tdxguard/guest/lib.sh
ktap_begin
check "load a module that oopses" insmod /lib/modules/"$(uname -r)"/extra/harness_oops.ko
ktap_end
