# SPDX-License-Identifier: GPL-2.0
#
# Test lane only: load every KUnit module of ours (their suites run at load),
# then print the KTAP each new suite left in debugfs as one document, suites
# numbered in load order. Unloads them and what they pulled in afterwards.
. /opt/tdxguard/guest/lib.sh

KUNIT_DIR=/sys/kernel/debug/kunit
EXTRA=/lib/modules/$(uname -r)/extra

# the sentinel keeps the pattern list non-empty (busybox grep -f quirk)
{ ls "$KUNIT_DIR"; echo "/"; } >/tmp/kunit.before
failed_loads=
for ko in "$EXTRA"/*_kunit.ko; do
	[ -e "$ko" ] || continue
	mod=$(basename "$ko" .ko)
	modprobe "$mod" || failed_loads="$failed_loads $mod"
done

ls "$KUNIT_DIR" | grep -vxF -f /tmp/kunit.before >/tmp/kunit.new
n=$(($(wc -l </tmp/kunit.new) + $(echo $failed_loads | wc -w)))
echo "KTAP version 1"
echo "1..$n"
i=0
while read -r suite; do
	i=$((i + 1))
	# drop the file's own header and plan; renumber the suite's result line
	tail -n +3 "$KUNIT_DIR/$suite/results" |
		sed "\$s/^\(not ok\|ok\) 1 /\1 $i /"
done </tmp/kunit.new
for mod in $failed_loads; do
	i=$((i + 1))
	echo "not ok $i $mod # module failed to load"
done

for ko in "$EXTRA"/*_kunit.ko; do
	[ -e "$ko" ] && modprobe -r "$(basename "$ko" .ko)" 2>/dev/null
done
# the modules the suites pulled in go too: later steps load them with their
# own parameters and must get a fresh instance, not one the suites changed
leftover=
for mod in tdxguard_attest tdxguard_filter tdxguard_hostio; do
	[ -d "/sys/module/$mod" ] || continue
	rmmod "$mod" || leftover="$leftover $mod"
done
[ -z "$leftover" ] || echo "kunit: still loaded after the suites:$leftover" >&2
[ -z "$failed_loads" ] && [ -z "$leftover" ]
