# SPDX-License-Identifier: GPL-2.0
#
# The pristine kernel tree the upstream series applies to, as a git
# repository in the cache. Sourced by patches.sh and patches-check.sh with
# ROOT set.
#
#   patches_base          create it once (keyed by the linux-source-6.12
#                         version); sets BASE_GIT, BASE_DESC, BASE_KEY
#   patches_worktree NAME print the path of a worktree of it, created on
#                         first use; the caller resets it. Holds the cache
#                         lock (fd 8) until the caller exits.
#   patches_build_dir WT  print where patches-build.sh builds WT's series
#                         (keyed by its git tree id)

PATCHES_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/tdxguard/upstream"

patches_base()
{
	local src ver kver stamp
	src=$("$ROOT/scripts/kernel-src.sh")
	ver=$(dpkg-query -W -f '${Version}' linux-source-6.12)
	kver=$(sed -n 's/^VERSION = //p; s/^PATCHLEVEL = //p; s/^SUBLEVEL = //p' \
		"$src/Makefile" | paste -sd.)
	BASE_KEY="linux-source-$(echo "$ver" | tr '~+' '__')"
	BASE_DESC="Debian linux-source-6.12 $ver (upstream v$kver)"
	BASE_GIT="$PATCHES_CACHE/$BASE_KEY.git"
	mkdir -p "$PATCHES_CACHE"
	# one user of the cache at a time; a child of the holder inherits it
	if [ -z "${PATCHES_LOCKED:-}" ]; then
		exec 8>"$PATCHES_CACHE/$BASE_KEY.lock"
		flock 8
		PATCHES_LOCKED=1
		export PATCHES_LOCKED
	fi
	[ -f "$BASE_GIT/tdxguard-base" ] && return 0
	echo "patches: committing $src as the base (once)" >&2
	rm -rf "$BASE_GIT"
	git init -q --bare "$BASE_GIT"
	# the date is the package's, the identity names the package: the same
	# base commit id on every machine with that package version
	stamp="@$(stat -c %Y /usr/src/linux-source-6.12.tar.xz) +0000"
	git --git-dir="$BASE_GIT" --work-tree="$src" add -A -f -- . ':!.unpacked'
	GIT_AUTHOR_DATE=$stamp GIT_COMMITTER_DATE=$stamp \
		git --git-dir="$BASE_GIT" --work-tree="$src" \
		-c user.name="linux-source-6.12 $ver" -c user.email= \
		commit -q -m "Debian linux-source-6.12 $ver (Linux $kver)"
	git --git-dir="$BASE_GIT" tag base
	rm -f "$BASE_GIT/index"
	git --git-dir="$BASE_GIT" rev-parse base >"$BASE_GIT/tdxguard-base"
}

patches_worktree()
{
	local wt
	wt="$PATCHES_CACHE/$BASE_KEY-$1"
	if [ ! -e "$wt/.git" ]; then
		rm -rf "$wt"
		git --git-dir="$BASE_GIT" worktree prune
		git --git-dir="$BASE_GIT" worktree add -q --detach "$wt" base >&2
	fi
	echo "$wt"
}

patches_build_dir()
{
	echo "$PATCHES_CACHE/build-$(git -C "$1" rev-parse 'HEAD^{tree}' | cut -c1-12)"
}
