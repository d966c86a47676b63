#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install a tree with DKMS, the way a user of a distribution kernel would,
# but into a scratch DKMS tree so the machine's own is never touched:
# dkms add, build and install for one kernel, check that every module
# dkms.conf names was installed, keep a copy of the installed files, then
# dkms remove and delete the scratch tree. Prints KTAP; exit status 1 on
# any failure. Idempotent: a previous run's scratch tree is removed first.
#
#   dkms-check.sh --tree SRC --kver KVER --out DIR --keep DEST [--conf FILE]
#
# --conf installs the tree with FILE as its dkms.conf (the harness's broken
# one), without changing the tree.
set -u

TREE= KVER= OUT= KEEP= CONF=
while [ $# -gt 0 ]; do
	case $1 in
	--tree) TREE=$2; shift 2 ;;
	--kver) KVER=$2; shift 2 ;;
	--out) OUT=$2; shift 2 ;;
	--keep) KEEP=$2; shift 2 ;;
	--conf) CONF=$2; shift 2 ;;
	*) echo "dkms-check: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -n "$TREE" ] && [ -n "$KVER" ] && [ -n "$OUT" ] && [ -n "$KEEP" ] ||
	{ echo "dkms-check: --tree, --kver, --out and --keep are required" >&2; exit 2; }

N=0
FAILED=0
# result RC DESC [LOG]: one KTAP line; a failure shows the log's tail
result()
{
	N=$((N + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $N $2"
		return 0
	fi
	FAILED=$((FAILED + 1))
	[ -n "${3:-}" ] && [ -f "$3" ] && tail -n 15 "$3" | sed 's/^/# /'
	echo "not ok $N $2"
	return 1
}

CONF=${CONF:-$TREE/dkms.conf}

# conf_value NAME: a scalar of dkms.conf, quotes removed
conf_value()
{
	sed -n "s/^$1=\"\{0,1\}\([^\"]*\)\"\{0,1\}\$/\1/p" "$CONF" | head -n 1
}

# conf_modules: "name location" for every BUILT_MODULE_NAME[i]
conf_modules()
{
	sed -n 's/^BUILT_MODULE_NAME\[\([0-9]*\)\]="\{0,1\}\([^"]*\)"\{0,1\}$/\1 \2/p' \
		"$CONF" | while read -r i name; do
		dest=$(sed -n "s/^DEST_MODULE_LOCATION\[$i\]=\"\{0,1\}\([^\"]*\)\"\{0,1\}\$/\1/p" \
			"$CONF")
		echo "$name ${dest:-/updates/dkms}"
	done
}

NAME=$(conf_value PACKAGE_NAME)
VER=$(conf_value PACKAGE_VERSION)
SCRATCH="$OUT/scratch"
SRCTREE="$SCRATCH/source" DKMSTREE="$SCRATCH/dkms" INSTTREE="$SCRATCH/install"
LOG="$OUT/dkms.log"
dkms_in_scratch()
{
	dkms "$@" -m "$NAME" -v "$VER" --sourcetree "$SRCTREE" \
		--dkmstree "$DKMSTREE" --installtree "$INSTTREE" >>"$LOG" 2>&1
}

echo "KTAP version 1"
rm -rf "$SCRATCH" "$KEEP"
mkdir -p "$SRCTREE" "$DKMSTREE" "$INSTTREE/$KVER" "$KEEP"
: >"$LOG"
test -n "$NAME" && test -n "$VER"
result $? "dkms.conf names the package and its version ($NAME $VER)" ||
	exit 1
rsync -a --filter=':- .gitignore' --exclude /build --exclude /.git \
	"$TREE/" "$SRCTREE/$NAME-$VER/"
cp "$CONF" "$SRCTREE/$NAME-$VER/dkms.conf"

dkms_in_scratch add
result $? "dkms add $NAME/$VER" "$LOG"
dkms_in_scratch build -k "$KVER"
result $? "dkms build for $KVER" "$LOG"
dkms_in_scratch install -k "$KVER"
result $? "dkms install for $KVER" "$LOG"

conf_modules >"$OUT/modules.conf"
while read -r mod dest; do
	found=$(find "$INSTTREE/$KVER$dest" -maxdepth 1 -name "$mod.ko*" 2>/dev/null | head -n 1)
	[ -n "$found" ] && cp "$found" "$KEEP/"
	result $? "$mod installed in $dest"
done <"$OUT/modules.conf"
test -s "$OUT/modules.conf"
result $? "dkms.conf lists at least one module"

dkms_in_scratch remove --all
result $? "dkms remove $NAME/$VER" "$LOG"
test -z "$(find "$INSTTREE" -name '*.ko*')" && test ! -e "$DKMSTREE/$NAME"
result $? "nothing of $NAME left installed after remove"
rm -rf "$SCRATCH"
[ "$FAILED" -eq 0 ]
