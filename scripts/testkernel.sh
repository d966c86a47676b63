#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build (once) the test kernel: allnoconfig + scripts/kernel/tdxguard-test.config
# from Debian's linux-source-6.12. The result lives in the cache, keyed by the
# source version and the fragment's hash, and its path is printed on stdout.
# A warm call returns at once.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/tdxguard"
FRAG="$HERE/kernel/tdxguard-test.config"
SRC=$("$HERE/kernel-src.sh")
KEY="$(basename "$SRC")-$(sha256sum "$FRAG" | cut -c1-12)"
OUT="$CACHE/testkernel/$KEY"
JOBS=${JOBS:-$(nproc)}

log() { echo "testkernel: $*" >&2; }

if [ -f "$OUT/.built" ]; then
	echo "$OUT"
	exit 0
fi

# one build at a time: a second caller waits for the first and reuses it
mkdir -p "$OUT"
exec 9>"$OUT.lock"
if ! flock -n 9; then
	log "another build of $KEY is running; waiting for it"
	flock 9
	if [ -f "$OUT/.built" ]; then
		echo "$OUT"
		exit 0
	fi
fi

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
if ! make -C "$SRC" O="$OUT" -j"$JOBS" bzImage modules >>"$OUT/build.log" 2>&1; then
	log "build failed; last lines of $OUT/build.log:"
	tail -n 30 "$OUT/build.log" >&2
	exit 1
fi
make -s -C "$SRC" O="$OUT" INSTALL_MOD_PATH="$OUT/mod" modules_install \
	>>"$OUT/build.log" 2>&1
touch "$OUT/.built"
log "built in $(( $(date +%s) - start )) s"
echo "$OUT"
