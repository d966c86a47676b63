# SPDX-License-Identifier: GPL-2.0
#
# The modules DKMS installed for this kernel (carried unchanged in
# updates/dkms by the dkms lane) resolve by name, load and unload.
. /opt/tdxguard/guest/lib.sh

# installed_path MOD: where modprobe finds MOD, if under updates/dkms
installed_path()
{
	modinfo -n "$1" 2>/dev/null | grep -q "/updates/dkms/$1\.ko"
}

loaded()
{
	test -d "/sys/module/$1"
}

ktap_begin
mods=$(ls /lib/modules/"$(uname -r)"/updates/dkms/ 2>/dev/null | sed 's/\.ko.*//')
check "DKMS-installed modules present" test -n "$mods"
for mod in $mods; do
	check "$mod resolves to its DKMS install" installed_path "$mod"
	check "modprobe $mod" modprobe "$mod"
	check "$mod is loaded" loaded "$mod"
done
# last loaded first: the filter holds tdxguard_attest while it measures
for mod in $(echo "$mods" | sort -r); do
	check "rmmod $mod" rmmod "$mod"
done
ktap_end
