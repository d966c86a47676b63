#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Unpack Debian's linux-source-6.12 once into the cache and print its path.
# The tree gives kselftest_harness.h, kunit.py, checkpatch.pl and the test
# kernel's sources. Keyed by the package version.
set -eu

CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/tdxguard"
TARBALL=/usr/src/linux-source-6.12.tar.xz
VER=$(dpkg-query -W -f '${Version}' linux-source-6.12)
DEST="$CACHE/src/linux-source-$(echo "$VER" | tr "~+" "__")"

if [ ! -f "$DEST/.unpacked" ]; then
	echo "kernel-src: unpacking $TARBALL ($VER) into $DEST" >&2
	rm -rf "$DEST"
	mkdir -p "$DEST"
	tar -xf "$TARBALL" -C "$DEST" --strip-components=1
	touch "$DEST/.unpacked"
fi
echo "$DEST"
