# SPDX-License-Identifier: GPL-2.0
#
# Test lane only, last step: anything the plan leaked. kmemleak only reports
# objects older than a few seconds, so wait, then scan twice.
. /opt/tdxguard/guest/lib.sh

KMEMLEAK=/sys/kernel/debug/kmemleak

no_leaks()
{
	sleep 6
	echo scan >"$KMEMLEAK"
	echo scan >"$KMEMLEAK"
	cat "$KMEMLEAK" >/tmp/kmemleak.report
	cat /tmp/kmemleak.report
	[ ! -s /tmp/kmemleak.report ]
}

ktap_begin
if [ -w "$KMEMLEAK" ]; then
	check "kmemleak: no unreferenced objects after the plan" no_leaks
else
	skip "kmemleak: no unreferenced objects after the plan" "kmemleak not in this kernel"
fi
ktap_end
