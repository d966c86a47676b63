#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Install what tdxguard needs to build and test, on Debian 12. Idempotent:
# a second run installs nothing and takes a second or two.
set -eu

STAMP_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/tdxguard"
STAMP="$STAMP_DIR/deps.stamp"
BACKPORTS=/etc/apt/sources.list.d/tdxguard-backports.sources
OS_RELEASE=${OS_RELEASE:-/etc/os-release}

PKGS_BOOKWORM="busybox-static cpio kmod gcc make clang llvm bc bison flex \
libelf-dev libssl-dev dwarves sparse xz-utils python3 perl rsync openssl dkms patch \
initramfs-tools acpica-tools"
PKGS_BACKPORTS="qemu-system-x86 libbpf-dev bpftool linux-source-6.12"

say() { printf 'deps: %s\n' "$*"; }

need_manual() {
	cat >&2 <<MSG
deps: $1
deps: tdxguard needs, on Debian 12 (bookworm) with bookworm-backports enabled:
deps:   apt-get install -t bookworm-backports \\
deps:     linux-image-6.12.*+deb12-amd64-unsigned linux-headers-6.12.*+deb12-amd64 \\
deps:     $PKGS_BACKPORTS
deps:   apt-get install $PKGS_BOOKWORM
deps: then run make again.
MSG
	exit 1
}

if ! grep -qs '^VERSION_CODENAME=bookworm' "$OS_RELEASE"; then
	need_manual "this is not Debian 12 (bookworm); install the packages below by hand."
fi

# newest 6.12.*+deb12 kernel ABI the mirror lists, e.g. "6.12.57+deb12"
newest_kver() {
	apt-cache search --names-only '^linux-headers-6\.12\.[0-9.]+\+deb12-amd64$' |
		sed -n 's/^linux-headers-\(6\.12\.[0-9.]*+deb12\)-amd64 .*/\1/p' |
		sort -V | tail -n 1
}

have_all() {
	for p in "$@"; do
		dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null |
			grep -q 'install ok installed' || return 1
	done
}

# Warm path: everything we installed last time is still there.
if [ -f "$STAMP" ] && have_all $(cat "$STAMP"); then
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	need_manual "packages are missing and this is not root; run 'make deps' as root or install them yourself."
fi

# debian_mirror: the URI this machine already fetches bookworm from, read
# from its apt sources (deb822 .sources files and one-line .list files alike)
debian_mirror()
{
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '
			/^[ \t]*$/ { flush(); next }
			/^URIs:/ { uris = $2 }
			/^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm") hit = 1 }
			function flush() { if (hit && uris != "") { print uris; exit } hit = 0; uris = "" }
			END { flush() }
		' "$f"
	done
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		awk '$1 == "deb" { u = ($2 ~ /^\[/) ? $3 : $2; s = ($2 ~ /^\[/) ? $4 : $3;
			if (s == "bookworm") print u }'
}

export DEBIAN_FRONTEND=noninteractive
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	MIRROR=$(debian_mirror | head -n 1)
	[ -n "$MIRROR" ] || need_manual "no apt source for bookworm found to take a mirror from;
deps: add one (or a bookworm-backports source) to /etc/apt/sources.list.d/ first."
	say "enabling bookworm-backports from $MIRROR ($BACKPORTS)"
	cat > "$BACKPORTS" <<SRC
Types: deb
URIs: $MIRROR
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
say "apt-get update"
apt-get update -qq

KVER=$(newest_kver)
[ -n "$KVER" ] || need_manual "no linux-headers-6.12.*+deb12-amd64 on the mirror."
KPKGS="linux-image-$KVER-amd64-unsigned linux-headers-$KVER-amd64"

say "installing $PKGS_BOOKWORM"
apt-get install -y -qq --no-install-recommends $PKGS_BOOKWORM >/dev/null
say "installing from backports: $KPKGS $PKGS_BACKPORTS"
apt-get install -y -qq --no-install-recommends -t bookworm-backports \
	$KPKGS $PKGS_BACKPORTS >/dev/null

mkdir -p "$STAMP_DIR"
echo $PKGS_BOOKWORM $PKGS_BACKPORTS $KPKGS > "$STAMP"
say "done (kernel $KVER)"
