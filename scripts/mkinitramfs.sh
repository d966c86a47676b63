#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the test guest's initramfs.
#
#   mkinitramfs.sh --kver KVER --modroot DIR --ours DIR --lane LANE
#                  --out FILE [--interactive] STEP...
#
#   --kver      release of the kernel the guest boots (uname -r)
#   --modroot   prefix holding lib/modules/KVER of that kernel ("/" for the
#               installed Debian kernel, the test kernel's install dir otherwise)
#   --ours      directory searched for our built .ko files
#   --testmods  test-only modules, carried in /opt/tdxguard/testmods (optional)
#   --installed modules as DKMS installed them (.ko.xz), carried unchanged in
#               lib/modules/KVER/updates/dkms (optional)
#   --lane      written to /etc/tdxguard/lane (stock, test, ...)
#   STEP...     step scripts, run by /init in the order given
#
# Distro modules come from scripts/guest/modules.list with their
# dependencies; binaries from build/userspace/bin (or GUEST_BIN_DIR) with
# their shared libraries. /opt/tdxguard/pki holds a test PKI made fresh by
# scripts/test-pki.sh (or the user's, from PKI_DIR) for the emulated
# quoting enclave.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
KVER= MODROOT= OURS= TESTMODS= INSTALLED= LANE= OUT= INTERACTIVE=

while [ $# -gt 0 ]; do
	case $1 in
	--kver) KVER=$2; shift 2 ;;
	--modroot) MODROOT=$2; shift 2 ;;
	--ours) OURS=$2; shift 2 ;;
	--testmods) TESTMODS=$2; shift 2 ;;
	--installed) INSTALLED=$2; shift 2 ;;
	--lane) LANE=$2; shift 2 ;;
	--out) OUT=$2; shift 2 ;;
	--interactive) INTERACTIVE=1; shift ;;
	--) shift; break ;;
	-*) echo "mkinitramfs: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ -n "$KVER" ] && [ -n "$MODROOT" ] && [ -n "$OURS" ] && [ -n "$LANE" ] &&
	[ -n "$OUT" ] || { echo "mkinitramfs: missing option (see header)" >&2; exit 2; }

STAGE="$OUT.d"
SRCMOD="$MODROOT/lib/modules/$KVER"
DSTMOD="$STAGE/lib/modules/$KVER"
rm -rf "$STAGE"
mkdir -p "$STAGE"/bin "$STAGE"/sbin "$STAGE"/etc/tdxguard "$STAGE"/proc \
	"$STAGE"/sys "$STAGE"/dev "$STAGE"/tmp "$STAGE"/root "$STAGE"/mnt \
	"$STAGE"/usr/bin "$STAGE"/usr/sbin "$STAGE"/opt/tdxguard/plan \
	"$STAGE"/opt/tdxguard/bin "$STAGE"/opt/tdxguard/guest \
	"$STAGE"/opt/tdxguard/testmods "$DSTMOD/extra"

# copy_with_libs FILE DESTDIR: a binary and every shared library it needs
copy_with_libs()
{
	cp -L "$1" "$2/"
	ldd "$1" 2>/dev/null | grep -o '/[^ ]*' | while read -r lib; do
		mkdir -p "$STAGE$(dirname "$lib")"
		[ -e "$STAGE$lib" ] || cp -L "$lib" "$STAGE$lib"
	done
}

# busybox for the shell and tools; kmod as /sbin/modprobe, the helper the
# kernel's request_module() runs. Debian's busybox-static shell runs its
# own applet for a command named like one before it searches PATH, so a
# step's bare "modprobe" or "insmod" is busybox's; busybox retries a failed
# finit_module() with init_module(), so a module whose init fails runs it
# twice (Documentation/testing.rst).
cp /bin/busybox "$STAGE/bin/busybox"
for applet in $(/bin/busybox --list | grep -vx busybox); do
	ln -sf busybox "$STAGE/bin/$applet"
done
copy_with_libs "$(command -v kmod)" "$STAGE/bin"
for tool in modprobe insmod rmmod lsmod depmod modinfo; do
	rm -f "$STAGE/bin/$tool" "$STAGE/sbin/$tool"
	ln -s ../bin/kmod "$STAGE/sbin/$tool"
done

# put_module FILE: install one .ko(.xz) at its path below lib/modules/KVER,
# without debug info (BTF stays: strip --strip-debug keeps .BTF)
put_module()
{
	rel=${1#"$SRCMOD"/}
	mkdir -p "$DSTMOD/$(dirname "$rel")"
	case $1 in
	*.ko) strip --strip-debug -o "$DSTMOD/$rel" "$1" ;;
	*) cp "$1" "$DSTMOD/$rel" ;;
	esac
}

for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ -e "$SRCMOD/$f" ] && cp "$SRCMOD/$f" "$DSTMOD/"
done
grep -v '^[[:space:]]*\(#\|$\)' "$ROOT/scripts/guest/modules.list" | sort -u |
while read -r mod; do
	deps=$(modprobe -d "$MODROOT" -S "$KVER" --show-depends "$mod" 2>/dev/null) || {
		echo "mkinitramfs: $mod: not a module of $KVER (built in or absent)" >&2
		continue
	}
	echo "$deps" | sed -n 's/^insmod \([^ ]*\).*/\1/p' | while read -r ko; do
		put_module "$ko"
	done
done

find "$OURS" -name '*.ko' -not -path '*/.tmp*' | while read -r ko; do
	strip --strip-debug -o "$DSTMOD/extra/$(basename "$ko")" "$ko"
done
if [ -n "$INSTALLED" ]; then
	mkdir -p "$DSTMOD/updates/dkms"
	cp "$INSTALLED"/*.ko* "$DSTMOD/updates/dkms/"
fi
depmod -b "$STAGE" "$KVER"
if [ -n "$TESTMODS" ] && [ -d "$TESTMODS" ]; then
	for ko in "$TESTMODS"/*.ko; do
		[ -e "$ko" ] || continue
		strip --strip-debug -o "$STAGE/opt/tdxguard/testmods/$(basename "$ko")" "$ko"
	done
fi

# our test binaries and tools
BIN_DIR=${GUEST_BIN_DIR:-$ROOT/build/userspace/bin}
if [ -d "$BIN_DIR" ]; then
	for bin in "$BIN_DIR"/*; do
		[ -f "$bin" ] || continue
		copy_with_libs "$bin" "$STAGE/opt/tdxguard/bin"
	done
fi
for extra in ${GUEST_EXTRA_BINS:-}; do
	copy_with_libs "$(command -v "$extra")" "$STAGE/usr/bin"
done

# the emulated quoting enclave's PCK chain and key, and the root to verify with
"$ROOT/scripts/test-pki.sh" "$STAGE/opt/tdxguard/pki"

cp "$ROOT/selftests/guest/lib.sh" "$STAGE/opt/tdxguard/guest/lib.sh"
i=0
for step in "$@"; do
	i=$((i + 1))
	cp "$step" "$STAGE/opt/tdxguard/plan/$(printf '%03d' $i)-$(basename "$step")"
done
echo "$LANE" >"$STAGE/etc/tdxguard/lane"
# the test guest is a debug TD run over two serial ports, and its steps
# unload what they load: tdxguard_filter keeps the ports and may be removed
# (a step that tests the defaults passes lock=1 debug_td=0 itself);
# tdxguard_attest likewise, though it has logged extends (a step that
# tests the pin passes test_unload_logged=0 itself)
mkdir -p "$STAGE/etc/modprobe.d"
printf 'options tdxguard_filter lock=0 debug_td=1\noptions tdxguard_attest test_unload_logged=1\n' \
	>"$STAGE/etc/modprobe.d/tdxguard-test.conf"
# the host honours "tdxguard: expect-crash begin/end MODULE" windows
# (scripts/collect.py): steps that plant real crashes may run
touch "$STAGE/etc/tdxguard/expect-crash"
[ -z "$INTERACTIVE" ] || touch "$STAGE/etc/tdxguard/interactive"
cp "$ROOT/scripts/guest/init" "$STAGE/init"
chmod +x "$STAGE/init"

(cd "$STAGE" && find . | cpio -o -H newc --quiet) | gzip -1 >"$OUT"
