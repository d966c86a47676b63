// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_filter: device and driver allow-list for every bus (rules for
 * PCI, virtio, ACPI, platform and PnP; other buses denied unless they are
 * the kernel's own), and ACPI table allow-list, for Linux guests in Intel
 * TDX confidential VMs. Module parameters, load/unload order and the lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/panic.h>
#include <linux/string.h>

#include "filter.h"

static char *allow_devs = "";
module_param(allow_devs, charp, 0444);
MODULE_PARM_DESC(allow_devs,
		 "extra devices to allow, authorize_allow_devs= syntax: bus:id[@driver][,id...][;bus:...] (taints)");

static char *allow_acpi = "";
module_param(allow_acpi, charp, 0444);
MODULE_PARM_DESC(allow_acpi,
		 "extra ACPI tables to allow, tdx_allow_acpi= syntax: SIG[,SIG...] (taints)");

static char *allow_acpi_runtime = "";
module_param(allow_acpi_runtime, charp, 0444);
MODULE_PARM_DESC(allow_acpi_runtime,
		 "ACPI tables AML may load at runtime, SSDT or OEMx only (default: none; taints)");

static bool debug_td;
module_param(debug_td, bool, 0444);
MODULE_PARM_DESC(debug_td,
		 "a debug TD: also allow the serial ports and the CMOS RTC (taints)");

static bool lock = true;
module_param(lock, bool, 0444);
MODULE_PARM_DESC(lock,
		 "refuse rmmod until /sys/kernel/tdxguard_filter/unlock is written (default 1)");

static char *mode = "enforce";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "enforce (default) or audit: log denials only (taints)");

static int filter_parse_mode(bool *audit)
{
	if (sysfs_streq(mode, "enforce")) {
		*audit = false;
		return 0;
	}
	if (sysfs_streq(mode, "audit")) {
		*audit = true;
		return 0;
	}
	pr_err("mode: '%s' is neither enforce nor audit\n", mode);
	return -EINVAL;
}

static struct filter_policy *filter_build_policy(void)
{
	struct filter_parse_error err = {};
	struct filter_policy *policy;
	int ret;

	policy = filter_policy_alloc(FILTER_MAX_RULES);
	if (!policy)
		return ERR_PTR(-ENOMEM);
	ret = filter_policy_load_defaults(policy, debug_td);
	if (!ret) {
		ret = filter_policy_parse(policy, allow_devs,
					  FILTER_ORIGIN_PARAM, &err);
		if (ret)
			pr_err("allow_devs: %s: '%s'; refusing to load\n",
			       err.reason, err.token);
	}
	if (ret) {
		filter_policy_free(policy);
		return ERR_PTR(ret);
	}
	return policy;
}

/* Everything an override loosens is on record: taint once. */
static void filter_taint_overrides(bool audit)
{
	if (!*allow_devs && !*allow_acpi && !*allow_acpi_runtime && !audit &&
	    !debug_td)
		return;
	pr_warn("policy overridden (%s%s%s%s%s): tainting the kernel (U)\n",
		*allow_devs ? " allow_devs" : "",
		*allow_acpi ? " allow_acpi" : "",
		*allow_acpi_runtime ? " allow_acpi_runtime" : "",
		debug_td ? " debug_td" : "", audit ? " audit" : "");
	add_taint(TAINT_USER, LOCKDEP_STILL_OK);
}

static void tdxguard_filter_teardown(void)
{
	unsigned int reprobed;

	filter_watch_stop();
	filter_bench_exit();
	filter_sysfs_exit();
	filter_acpi_tables_exit();
	filter_gate_uninstall();
	reprobed = filter_enforce_restore();
	if (reprobed) {
		pr_warn("gate removed: %u denied devices offered to their drivers again; tainting the kernel (U)\n",
			reprobed);
		add_taint(TAINT_USER, LOCKDEP_STILL_OK);
	}
	filter_measure("unload reprobed=%u", reprobed);
	filter_measure_exit();
	filter_enforce_exit();
	filter_record_exit();
}

static void filter_measure_load(const struct filter_policy *policy,
				bool audit)
{
	if (!filter_measure_active())
		return;
	filter_measure("load mode=%s lock=%d debug_td=%d rules=%u acpi=%s acpi_runtime=%s",
		       audit ? "audit" : "enforce", lock, debug_td,
		       policy->count, allow_acpi, allow_acpi_runtime);
	filter_measure_text("policy", filter_policy_show);
	filter_measure_text("bound-before-arming", filter_record_show_early);
}

static int __init tdxguard_filter_init(void)
{
	struct filter_policy *policy;
	bool audit;
	int ret;

	ret = filter_parse_mode(&audit);
	if (!ret)
		ret = filter_acpi_tables_allow(allow_acpi, allow_acpi_runtime);
	if (ret)
		return ret;
	policy = filter_build_policy();
	if (IS_ERR(policy))
		return PTR_ERR(policy);
	ret = filter_record_init();
	if (ret) {
		filter_policy_free(policy);
		return ret;
	}
	ret = filter_enforce_init(policy, audit);
	if (!ret) {
		filter_measure_init();
		ret = filter_gate_install();
	}
	if (!ret)
		ret = filter_acpi_tables_init(audit);
	if (ret)
		goto fail;
	filter_taint_overrides(audit);
	filter_enforce_scan();
	filter_measure_load(policy, audit);
	ret = filter_sysfs_init();
	if (ret)
		goto fail;
	filter_bench_init();
	filter_watch_start();
	if (lock)
		filter_lock();
	pr_info("loaded: %u rules, mode %s%s\n", policy->count,
		audit ? "audit" : "enforce", lock ? ", locked" : "");
	return 0;
fail:
	pr_err("refusing to load: %d\n", ret);
	tdxguard_filter_teardown();
	return ret;
}

static void __exit tdxguard_filter_exit(void)
{
	tdxguard_filter_teardown();
	pr_info("unloaded\n");
}

module_init(tdxguard_filter_init);
module_exit(tdxguard_filter_exit);

MODULE_DESCRIPTION("tdxguard: device, driver and ACPI table allow-list for TDX guests");
MODULE_LICENSE("GPL");
