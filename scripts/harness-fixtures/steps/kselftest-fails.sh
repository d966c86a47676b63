# SPDX-License-Identifier: GPL-2.0
# Harness fixture step: run the planted failing kselftest.
. /opt/tdxguard/guest/lib.sh
ktap_begin
run_kselftest harness_fail_test
ktap_end
