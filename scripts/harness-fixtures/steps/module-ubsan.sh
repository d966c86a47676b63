# SPDX-License-Identifier: GPL-2.0
# Harness fixture step: load the module that trips the ubsan checker.
. /opt/tdxguard/guest/lib.sh
ktap_begin
check "load harness_ubsan" insmod /lib/modules/"$(uname -r)"/extra/harness_ubsan.ko
check "unload harness_ubsan" rmmod harness_ubsan
ktap_end
