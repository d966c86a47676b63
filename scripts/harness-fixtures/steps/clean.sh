# SPDX-License-Identifier: GPL-2.0
# Harness fixture step: a run with nothing wrong in it (the control).
. /opt/tdxguard/guest/lib.sh
ktap_begin
check "a passing check" test -d /proc/self
run_kselftest harness_fail_test -t harness_fixture_passes
ktap_end
