#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Lint as tests, one KTAP result per file and tool, on stdout:
#   checkpatch --strict on every C file and header of ours,
#   sparse (make C=2) on every module source file,
#   kernel-doc warnings on every file with kernel-doc or exports,
#   dkms.conf naming every module we build,
#   each test-kernel patch a format-patch file, checkpatch --strict clean.
# Findings are printed as KTAP diagnostics above the failed result.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib.sh"
OUT="$BUILD/lint"
mkdir -p "$OUT"


# our C sources: everything tracked or new, minus generated files
c_files()
{
	cd "$ROOT" && git ls-files --cached --others --exclude-standard \
		-- '*.c' '*.h' | grep -v -e '\.skel\.h$' -e '/vmlinux\.h$' | sort
}

echo "KTAP version 1"

for f in $(c_files); do
	"$KSRC/scripts/checkpatch.pl" --strict --no-tree --quiet --show-types \
		-f "$ROOT/$f" >"$OUT/checkpatch.out" 2>&1
	ktap_result $? "checkpatch $f" "$OUT/checkpatch.out"
done
# sparse_build LOG KDIR DIR: check every file of the module build in DIR
sparse_build()
{
	make -C "$2" M="$3" C=2 modules >>"$1" 2>&1 ||
		{ tail -n 20 "$1" >"$OUT/sparse.out"; ktap_result 1 "sparse build in ${3#"$BUILD"/}" "$OUT/sparse.out"; }
}

# sparse over copies of the tree: the stock headers check the modules, the
# test kernel (KUnit) the suites, each test-only directory on its own. A
# file passes only if sparse really checked it and said nothing about it.
: >"$OUT/sparse.log"
if build_modules lint "$STOCK_KDIR" >/dev/null 2>&1; then
	sparse_build "$OUT/sparse.log" "$STOCK_KDIR" "$BUILD/lint/src"
	for dir in $TEST_MODULE_DIRS; do
		sparse_build "$OUT/sparse.log" "$STOCK_KDIR" "$BUILD/lint/src/$dir"
	done
else
	ktap_result 1 "module build against $STOCK_KVER" "$BUILD/lint/modules.log"
fi
if use_kernel test && build_modules lint-kunit "$KERNEL_DIR" >/dev/null 2>&1; then
	sparse_build "$OUT/sparse.log" "$KERNEL_DIR" "$BUILD/lint-kunit/src"
else
	ktap_result 1 "module build against the test kernel"
fi
for f in $(c_files | grep -E '^(drivers|filters|kunit|bpf)/.*\.c$' | grep -v '\.bpf\.c$'); do
	if ! grep -qE "^  CHECK +$BUILD/lint(-kunit)?/src/$f\$" "$OUT/sparse.log"; then
		echo "sparse never checked $f: no build compiled it" >"$OUT/sparse.out"
		ktap_result 1 "sparse $f" "$OUT/sparse.out"
		continue
	fi
	grep -F "/src/$f:" "$OUT/sparse.log" | grep -E 'warning|error' >"$OUT/sparse.out"
	[ ! -s "$OUT/sparse.out" ]
	ktap_result $? "sparse $f" "$OUT/sparse.out"
done

for f in $(c_files); do
	grep -qE '^/\*\*|EXPORT_SYMBOL' "$ROOT/$f" || continue
	"$KSRC/scripts/kernel-doc" -none -Wall "$ROOT/$f" >"$OUT/kdoc.out" 2>&1
	[ ! -s "$OUT/kdoc.out" ]
	ktap_result $? "kernel-doc $f" "$OUT/kdoc.out"
done

# test-kernel patches: mail-ready "git format-patch" files
for p in "$ROOT"/scripts/kernel/patches/*.patch; do
	[ -e "$p" ] || continue
	name=${p#"$ROOT"/}
	rm -f "$OUT/patch.out"
	{ grep -q '^From [0-9a-f]\{40\} ' "$p" && grep -q '^Subject: \[PATCH' "$p" &&
		grep -q '^Signed-off-by: ' "$p"; } ||
		echo "not a git format-patch file with Subject and Signed-off-by" >"$OUT/patch.out"
	[ ! -s "$OUT/patch.out" ]
	ktap_result $? "format-patch $name" "$OUT/patch.out"
	"$KSRC/scripts/checkpatch.pl" --strict --no-tree --quiet --show-types \
		"$p" >"$OUT/checkpatch.out" 2>&1
	ktap_result $? "checkpatch $name" "$OUT/checkpatch.out"
done

# dkms.conf must name every module a stock build produces, and nothing else
ls "$BUILD/lint/modules" 2>/dev/null | sed 's/\.ko$//' | grep -v '_kunit$' |
	sort >"$OUT/built.txt"
sed -n 's/^BUILT_MODULE_NAME\[[0-9]*\]="\{0,1\}\([^"]*\)"\{0,1\}/\1/p' \
	"$ROOT/dkms.conf" 2>/dev/null | sort >"$OUT/dkms.txt"
diff -u "$OUT/built.txt" "$OUT/dkms.txt" >"$OUT/dkms.out" && [ -s "$OUT/built.txt" ]
ktap_result $? "dkms.conf names every module we build" "$OUT/dkms.out"

[ "$KTAP_FAILED" -eq 0 ]
