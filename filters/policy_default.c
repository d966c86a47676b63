// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_filter default device policy: what a TD guest needs and nothing
 * else. Documentation/filter/policy.rst justifies every entry; keep the two
 * in step.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/printk.h>
#include <kunit/visibility.h>

#include "policy.h"

/* virtio-pci transport: transitional (0x100x) and virtio 1.0 (0x104x) ids */
#define FILTER_DEFAULT_PCI						\
	"pci:1af4:1000@virtio-pci,1af4:1041@virtio-pci,"		\
	"1af4:1001@virtio-pci,1af4:1042@virtio-pci,"			\
	"1af4:1003@virtio-pci,1af4:1043@virtio-pci,"			\
	"1af4:1009@virtio-pci,1af4:1049@virtio-pci,"			\
	"1af4:1053@virtio-pci"

/* net 1, block 2, console 3, 9p 9, vsock 19: each with its one driver */
#define FILTER_DEFAULT_VIRTIO						\
	"virtio:1@virtio_net,2@virtio_blk,3@virtio_console,"		\
	"9@9pnet_virtio,19@vmw_vsock_virtio_transport"

/* the power button, so the host can ask for an orderly shutdown */
#define FILTER_DEFAULT_ACPI	"acpi:LNXPWRBN@button,PNP0C0C@button"

/* two devices that touch no hardware at all */
#define FILTER_DEFAULT_PLATFORM						\
	"platform:alarmtimer@alarmtimer,reg-dummy@reg-dummy"

/* firmware resource reservations */
#define FILTER_DEFAULT_PNP	"pnp:PNP0C01@system,PNP0C02@system"

/* The default policy in allow_devs= syntax. */
const char filter_default_policy[] =
	FILTER_DEFAULT_PCI ";" FILTER_DEFAULT_VIRTIO ";" FILTER_DEFAULT_ACPI ";"
	FILTER_DEFAULT_PLATFORM ";" FILTER_DEFAULT_PNP;
EXPORT_SYMBOL_IF_KUNIT(filter_default_policy);

/*
 * debug_td=1 only: the legacy serial ports and the CMOS RTC. Their drivers
 * do port I/O that 6.12's TDX guest code forwards to the host unfiltered
 * (it has no port allow-list); a debug TD, whose host can read it anyway,
 * is where a serial console belongs.
 */
const char filter_debug_policy[] =
	"platform:serial8250@serial8250;pnp:PNP0501@serial,PNP0B00@rtc_cmos";
EXPORT_SYMBOL_IF_KUNIT(filter_debug_policy);

/**
 * filter_policy_load_defaults() - append the default rules to a policy
 * @policy: the policy
 * @debug_td: add the rules for a debug TD's serial console and RTC
 *
 * Return: 0, or the parser's error (a bug in the table, or no room).
 */
int filter_policy_load_defaults(struct filter_policy *policy, bool debug_td)
{
	struct filter_parse_error err = {};
	int ret;

	ret = filter_policy_parse(policy, filter_default_policy,
				  FILTER_ORIGIN_DEFAULT, &err);
	if (!ret && debug_td)
		ret = filter_policy_parse(policy, filter_debug_policy,
					  FILTER_ORIGIN_DEBUG, &err);
	if (ret)
		pr_err("default policy: %s: '%s'\n", err.reason, err.token);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(filter_policy_load_defaults);
