#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the applied series (the "verify" worktree patches-check.sh leaves)
# incrementally from a copy of the test kernel's build tree, with the
# device filter, the series' KUnit suites and a built-in e1000 switched on. Prints
# the build directory; cached by the series' tree id.
#
#   scripts/patches-build.sh
#
# The test kernel's .cmd files name its source path: they are rewritten to
# the worktree's, and the worktree's files are dated before the objects,
# except those the series changes relative to the test kernel's source,
# so make rebuilds exactly what the series touches.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/patches-lib.sh"

patches_base
WT=$(patches_worktree verify)
T=$("$ROOT/scripts/testkernel.sh")
S=$("$ROOT/scripts/testkernel.sh" --source)
O=$(patches_build_dir "$WT")
if [ -f "$O/.built" ]; then
	echo "$O"
	exit 0
fi

start=$(date +%s)
echo "patches-build: copying $T" >&2
rm -rf "$O"
cp -a "$T" "$O"
# the copy brings the test kernel's own marker: built means this build
rm -f "$O/.built"
grep -rlF --include='*.cmd' "$S" "$O" | xargs -r sed -i "s|$S|$WT|g"
sed -i "s|$S|$WT|g" "$O/Makefile"
ln -sfn "$WT" "$O/source"
# everything older than the objects, then what the series changed newer
find "$WT" -path "$WT/.git" -prune -o -print0 | xargs -0 touch -h -d @946684800
git -C "$WT" diff --name-only base HEAD | while read -r f; do
	cmp -s "$WT/$f" "$S/$f" 2>/dev/null || touch "$WT/$f"
done
copied=$(date +%s)

# the tdx-guest driver built in: outside a TD its init fails, but the
# event log it carries stays for its KUnit module
"$WT/scripts/config" --file "$O/.config" -e TDX_DEVICE_FILTER \
	-m TDX_DEVICE_FILTER_KUNIT_TEST -e E1000 -m VIRTIO_KUNIT_TEST \
	-e TSM_REPORTS -e TDX_GUEST_DRIVER -m TDX_GUEST_EVENTLOG_KUNIT_TEST \
	-m TDX_PORT_FILTER_KUNIT_TEST \
	-e TDX_ACPI_TABLE_FILTER -m TDX_ACPI_TABLE_FILTER_KUNIT_TEST -e ACPI_CONFIGFS
flock "${XDG_CACHE_HOME:-$HOME/.cache}/tdxguard/testkernel/.build.lock" \
	make -C "$WT" O="$O" -j2 olddefconfig bzImage modules >"$O/patches-build.log" 2>&1 || {
	tail -n 30 "$O/patches-build.log" >&2
	exit 1
}
for opt in TDX_DEVICE_FILTER=y TDX_DEVICE_FILTER_KUNIT_TEST=m E1000=y \
	VIRTIO_KUNIT_TEST=m TDX_GUEST_DRIVER=y TDX_GUEST_EVENTLOG_KUNIT_TEST=m \
	TDX_PORT_FILTER_KUNIT_TEST=m TDX_ACPI_TABLE_FILTER=y \
	TDX_ACPI_TABLE_FILTER_KUNIT_TEST=m ACPI_CONFIGFS=y; do
	grep -qx "CONFIG_$opt" "$O/.config" || {
		echo "patches-build: CONFIG_$opt did not stick" >&2
		exit 1
	}
done
rm -rf "$O/mod"
make -C "$WT" O="$O" INSTALL_MOD_PATH="$O/mod" modules_install \
	>>"$O/patches-build.log" 2>&1
end=$(date +%s)
echo "copy $((copied - start)) s, build $((end - copied)) s" >"$O/build.seconds"
touch "$O/.built"
echo "$O"
