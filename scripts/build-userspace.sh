#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build the kselftests and test tools into build/userspace/bin.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC=$("$ROOT/scripts/kernel-src.sh")
make -s -C "$ROOT/selftests" LINUX_SRC="$SRC" OUT="$ROOT/build/userspace/bin" all
