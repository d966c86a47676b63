#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The upstream series' KUnit suites, run the way kernel developers run them:
#
#   scripts/upstream-kunit.sh TREE [KUNITCONFIG]
#
# runs TREE/tools/testing/kunit/kunit.py run --arch=x86_64 with
# upstream/kunitconfig (or KUNITCONFIG) on TREE, a kernel tree with the
# series applied. The build directory is cached under
# ~/.cache/tdxguard/upstream-kunit/, keyed by the tree's content and the
# kunitconfig: a second run on the same content only boots QEMU. A new key
# starts from a copy of the newest cached build, so make rebuilds only
# what changed. The build holds the machine-wide kernel build lock.
# Prints kunit.py's summary and exits with its status.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TREE=${1:?usage: upstream-kunit.sh TREE [KUNITCONFIG]}
KCONF=${2:-$ROOT/upstream/kunitconfig}
TREE=$(cd "$TREE" && pwd)
KCONF=$(cd "$(dirname "$KCONF")" && pwd)/$(basename "$KCONF")
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/tdxguard/upstream-kunit
LOCK=${XDG_CACHE_HOME:-$HOME/.cache}/tdxguard/testkernel/.build.lock
KEEP=3

die()
{
	echo "upstream-kunit: $*" >&2
	exit 2
}

[ -x "$TREE/tools/testing/kunit/kunit.py" ] ||
	die "$TREE has no tools/testing/kunit/kunit.py"
[ -f "$KCONF" ] || die "$KCONF does not exist"

# The tree's content: its git tree id with uncommitted changes staged into
# a scratch index, so an edited tree never reuses another tree's key.
tree_id()
{
	idx=
	git -C "$TREE" rev-parse --git-dir >/dev/null 2>&1 ||
		die "$TREE is not a git work tree (the key is its content)"
	idx=$(mktemp)
	cp "$(git -C "$TREE" rev-parse --absolute-git-dir)/index" "$idx"
	GIT_INDEX_FILE=$idx git -C "$TREE" add -A -f -- . \
		':(exclude,glob)**/__pycache__/**' >/dev/null
	GIT_INDEX_FILE=$idx git -C "$TREE" write-tree
	rm -f "$idx"
}

KEY=$( { tree_id; cat "$KCONF"; } | sha256sum | cut -c1-16)
BUILD=$CACHE/$KEY
mkdir -p "$CACHE" "$(dirname "$LOCK")"

exec 9>"$LOCK"
flock 9
if [ ! -d "$BUILD" ]; then
	# shellcheck disable=SC2012 # our own directory names, no odd characters
	seed=$(ls -1td "$CACHE"/*/ 2>/dev/null | head -n1 || true)
	if [ -n "$seed" ]; then
		echo "upstream-kunit: new key $KEY, starting from ${seed%/}" >&2
		cp -a "${seed%/}" "$BUILD.tmp"
	else
		echo "upstream-kunit: new key $KEY, cold build" >&2
		mkdir -p "$BUILD.tmp"
	fi
	mv "$BUILD.tmp" "$BUILD"
fi
touch "$BUILD"
# shellcheck disable=SC2012
ls -1td "$CACHE"/*/ | tail -n +$((KEEP + 1)) | xargs -r rm -rf

start=$(date +%s)
rc=0
(cd "$TREE" && PYTHONDONTWRITEBYTECODE=1 ./tools/testing/kunit/kunit.py run --arch=x86_64 \
	--kunitconfig="$KCONF" --build_dir="$BUILD" --timeout=600) \
	>"$BUILD/kunit.log" 2>&1 || rc=$?
end=$(date +%s)
grep -E '^\[..:..:..\] (Testing complete|Elapsed time|=+ .* =+$|\[(PASSED|FAILED|SKIPPED|CRASHED)\])' \
	"$BUILD/kunit.log" || tail -n 30 "$BUILD/kunit.log"
echo "upstream-kunit: kunit.py exit $rc, $((end - start)) s, log $BUILD/kunit.log" >&2
exit "$rc"
