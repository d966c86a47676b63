#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dracut module: arm tdxguard_filter in the pre-udev hook, before udev's
# coldplug autoloads drivers. Install as
# /usr/lib/dracut/modules.d/90tdxguard/.

check()
{
	return 0
}

depends()
{
	return 0
}

installkernel()
{
	instmods tdxguard_filter
	hostonly='' instmods tdxguard_attest
}

install()
{
	local conf
	for conf in /etc/modprobe.d/tdxguard*.conf; do
		[ -e "$conf" ] && inst_simple "$conf"
	done
	inst_hook pre-udev 00 "$moddir/tdxguard-filter.sh"
}
