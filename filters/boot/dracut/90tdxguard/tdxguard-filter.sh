#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# dracut pre-udev hook: tdxguard_attest (if present), then tdxguard_filter;
# without the filter the boot stops unless tdxguard.optional=1.
type getargbool >/dev/null 2>&1 || . /lib/dracut-lib.sh

modprobe -q tdxguard_attest
if ! modprobe tdxguard_filter; then
	if getargbool 0 tdxguard.optional; then
		warn "tdxguard_filter did not load: devices are NOT filtered"
	else
		die "tdxguard_filter did not load: refusing to boot unfiltered"
	fi
fi
