// SPDX-License-Identifier: GPL-2.0
/*
 * Stimulus presets: what an iteration does with a --device beyond binding
 * it, per device class. Each runs after the bind, inside the mutation
 * window, as "sh -c SCRIPT sh BDF"; the device is then unbound inside the
 * window too, so the remove path is mutated as well. A script never fails
 * the stimulus: a driver that refuses traffic is the driver's answer.
 */
#include <string.h>

#include "fuzz.h"

/*
 * A shell function: "find_child BDF CLASS" sets $d to the interface or
 * disk ("net", "block") the driver of BDF made, directly or through its
 * virtio device; the script ends when there is none.
 */
#define FIND_CHILD							\
	"find_child() { d=; for n in /sys/bus/pci/devices/$1/$2/* "	\
	"/sys/bus/pci/devices/$1/virtio*/$2/*; do "			\
	"[ -e \"$n\" ] && d=${n##*/}; done; [ -n \"$d\" ] || exit 0; }; "

/**
 * struct stimulus_preset - one --stimulus choice
 * @name: as given on the command line
 * @script: run after the bind, or NULL for a bind alone (the unbind then
 *	happens outside the mutation window)
 */
struct stimulus_preset {
	const char *name;
	const char *script;
};

static const struct stimulus_preset presets[] = {
	{ "probe", NULL },
	{ "remove", "exit 0" },
	/*
	 * link up, an address on QEMU's user network, pings to its gateway
	 * once the link has carrier (at most 3 s)
	 */
	{ "net", FIND_CHILD "find_child \"$1\" net; "
		"ip link set \"$d\" up; i=0; "
		"while [ $i -lt 30 ] && ! grep -qs 1 /sys/class/net/$d/carrier; "
		"do sleep 0.1; i=$((i + 1)); done; "
		"ip addr add 10.0.2.15/24 dev \"$d\" 2>/dev/null; "
		"ping -c 3 -W 1 -I \"$d\" 10.0.2.2 >/dev/null 2>&1; "
		"ip link set \"$d\" down; exit 0" },
	/* the partition table again, then sectors past it */
	{ "blk", FIND_CHILD "find_child \"$1\" block; "
		"blockdev --rereadpt /dev/$d 2>/dev/null; "
		"dd if=/dev/$d of=/dev/null bs=512 count=1 2>/dev/null; "
		"dd if=/dev/$d of=/dev/null bs=64k count=16 skip=4 2>/dev/null; "
		"exit 0" },
	/*
	 * eight lines written and a (timed) read on every virtio console:
	 * each line is two transmit buffers the driver reclaims from the
	 * used ring, enough to stand out from the control messages of a
	 * bind, whose number varies with the host's side of the handshake
	 */
	{ "console", "for h in /dev/hvc[0-9]*; do [ -c \"$h\" ] || continue; "
		"for i in 1 2 3 4 5 6 7 8; do echo tdxguard; done >\"$h\"; "
		"timeout 1 cat \"$h\" >/dev/null; done 2>/dev/null; exit 0" },
};

static const struct stimulus_preset *stimulus_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(presets); i++)
		if (!strcmp(presets[i].name, name))
			return &presets[i];
	return NULL;
}

/**
 * stimulus_valid() - whether @name is a preset
 * @name: "probe", "remove", "net", "blk" or "console"
 *
 * Return: true for a known preset.
 */
bool stimulus_valid(const char *name)
{
	return stimulus_find(name);
}

/**
 * stimulus_script() - the shell script a preset runs after the bind
 * @name: the preset; "" means "probe"
 *
 * Return: the script (run as sh -c SCRIPT sh BDF), or NULL when the
 * preset only binds.
 */
const char *stimulus_script(const char *name)
{
	const struct stimulus_preset *p = stimulus_find(name[0] ? name : "probe");

	return p ? p->script : NULL;
}
