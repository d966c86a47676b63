// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_filter: device and driver allow-list for the PCI, virtio, ACPI,
 * platform and PnP buses, and ACPI table allow-list, for Linux guests in
 * Intel TDX confidential VMs. Module parameters and load/unload order.
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
	ret = filter_policy_load_defaults(policy);
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
	if (!*allow_devs && !*allow_acpi && !audit)
		return;
	pr_warn("policy overridden (%s%s%s): tainting the kernel (U)\n",
		*allow_devs ? " allow_devs" : "",
		*allow_acpi ? " allow_acpi" : "", audit ? " audit" : "");
	add_taint(TAINT_USER, LOCKDEP_STILL_OK);
}

static void tdxguard_filter_teardown(void)
{
	filter_bench_exit();
	filter_sysfs_exit();
	filter_acpi_tables_exit();
	filter_gates_uninstall();
	filter_enforce_restore();
	filter_record_exit();
	filter_enforce_exit();
}

static int __init tdxguard_filter_init(void)
{
	struct filter_policy *policy;
	bool audit;
	int ret;

	ret = filter_parse_mode(&audit);
	if (!ret)
		ret = filter_acpi_tables_allow(allow_acpi);
	if (ret)
		return ret;
	policy = filter_build_policy();
	if (IS_ERR(policy))
		return PTR_ERR(policy);
	ret = filter_enforce_init(policy, audit);
	if (!ret)
		ret = filter_record_init();
	if (!ret)
		ret = filter_gates_install();
	if (!ret)
		ret = filter_acpi_tables_init(audit);
	if (ret)
		goto fail;
	filter_taint_overrides(audit);
	filter_enforce_scan();
	ret = filter_sysfs_init();
	if (ret)
		goto fail;
	filter_bench_init();
	pr_info("loaded: %u rules, mode %s\n", policy->count,
		audit ? "audit" : "enforce");
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
