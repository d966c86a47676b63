#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build (once) the test kernel: allnoconfig + scripts/kernel/tdxguard-test.config
# from Debian's linux-source-6.12 with scripts/kernel/patches/*.patch applied.
# The result lives in the cache, keyed by the source version and the hash of
# the fragment and the patches' diffs, and its path is printed on stdout. A warm
# call returns at once.
#
#   testkernel.sh            build if needed, print the build directory
#   testkernel.sh --source   print the (patched) source tree only
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/tdxguard"
FRAG="$HERE/kernel/tdxguard-test.config"
PATCHES="$HERE/kernel/patches"
JOBS=${JOBS:-$(nproc)}

log() { echo "testkernel: $*" >&2; }

# patch_list: the test-kernel patches, in the order they apply
patch_list()
{
	find "$PATCHES" -maxdepth 1 -name '*.patch' | LC_ALL=C sort
}

# patch_hash: one hash over the patches' names and diffs ("none" if none);
# a commit message is not part of what gets built, so editing one keeps
# the cached kernel
patch_hash()
{
	[ -n "$(patch_list)" ] || { echo none; return; }
	patch_list | while IFS= read -r p; do
		basename "$p"
		sed -n '/^diff --git /,$p' "$p"
	done | sha256sum | cut -c1-12
}

# patched_source PRISTINE: a tree with the patches applied, hard-linked to
# the pristine one (patch(1) replaces every file it changes, so the
# pristine tree is never touched); the pristine tree when there are none
patched_source()
{
	local dest p
	[ -n "$(patch_list)" ] || { echo "$1"; return; }
	dest="$1-p$(patch_hash)"
	if [ ! -f "$dest/.patched" ]; then
		rm -rf "$dest"
		cp -al "$1" "$dest"
		for p in $(patch_list); do
			log "applying $(basename "$p")"
			patch -s -p1 -d "$dest" <"$p" >&2 ||
				{ log "$(basename "$p") does not apply"; rm -rf "$dest"; exit 1; }
		done
		touch "$dest/.patched"
	fi
	echo "$dest"
}

PRISTINE=$("$HERE/kernel-src.sh")
KEY="$(basename "$PRISTINE")-$({ cat "$FRAG"; patch_hash; } |
	sha256sum | cut -c1-12)"
OUT="$CACHE/testkernel/$KEY"

# warm: nothing to wait for
if [ "${1:-}" != --source ] && [ -f "$OUT/.built" ]; then
	echo "$OUT"
	exit 0
fi

mkdir -p "$CACHE/testkernel"
# one kernel build on the machine at a time, whatever its key; patching a
# source tree is serialised by the same lock
exec 9>"$CACHE/testkernel/.build.lock"
if ! flock -n 9; then
	log "another test-kernel build is running; waiting for it"
	flock 9
fi
SRC=$(patched_source "$PRISTINE")
if [ "${1:-}" = --source ]; then
	echo "$SRC"
	exit 0
fi
if [ -f "$OUT/.built" ]; then
	echo "$OUT"
	exit 0
fi
mkdir -p "$OUT"

log "cold build of $KEY in $OUT (about 20 min on 2 cores; log: $OUT/build.log)"
start=$(date +%s)
make -s -C "$SRC" O="$OUT" allnoconfig >"$OUT/build.log" 2>&1
"$SRC/scripts/kconfig/merge_config.sh" -m -O "$OUT" "$OUT/.config" "$FRAG" \
	>>"$OUT/build.log" 2>&1
make -s -C "$SRC" O="$OUT" olddefconfig >>"$OUT/build.log" 2>&1

# A fragment line the final config dropped means a missing dependency.
missing=0
grep '^CONFIG_' "$FRAG" | while IFS= read -r line; do
	opt=${line%%=*}
	want=${line#*=}
	if [ "$want" = n ]; then
		grep -q "^$opt=" "$OUT/.config" && echo "$line" || true
	else
		grep -qx "$line" "$OUT/.config" || echo "$line"
	fi
done >"$OUT/config.missing"
if [ -s "$OUT/config.missing" ]; then
	log "these fragment options did not stick (missing dependency?):"
	sed 's/^/testkernel:   /' "$OUT/config.missing" >&2
	exit 1
fi

(
	while sleep 60; do
		log "still building ($(( ($(date +%s) - start) / 60 )) min)"
	done
) &
ticker=$!
trap 'kill $ticker 2>/dev/null || true' EXIT
# at nice 10, like the lanes make check runs beside it: its test guest,
# which suffers most from a busy host, comes first (scripts/check.sh)
if ! nice -n 10 make -C "$SRC" O="$OUT" -j"$JOBS" bzImage modules \
	>>"$OUT/build.log" 2>&1; then
	log "build failed; last lines of $OUT/build.log:"
	tail -n 30 "$OUT/build.log" >&2
	exit 1
fi
make -s -C "$SRC" O="$OUT" INSTALL_MOD_PATH="$OUT/mod" modules_install \
	>>"$OUT/build.log" 2>&1
echo $(( $(date +%s) - start )) >"$OUT/build.seconds"
touch "$OUT/.built"
log "built in $(( $(date +%s) - start )) s"
echo "$OUT"
