// SPDX-License-Identifier: GPL-2.0-only
/*
 * TDX guest ACPI table filter: ACPICA asks acpi_os_table_install_check()
 * before it installs a table, which asks tdx_filter_acpi_table_check().
 * A table the policy does not list is never installed, so nothing in the
 * kernel parses it: at boot (the XSDT's entries, the DSDT and FACS the
 * FADT points to, initrd tables) and at runtime (AML Load,
 * acpi_load_table() for configfs and EFI SSDT overlays).
 *
 * The boot tables are installed in setup_arch(), before the module
 * parameters of built-in code are parsed: the switches are early
 * parameters here, under the names the device filter uses, and are
 * read-only once the first table is installed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cache.h>
#include <linux/cpufeature.h>
#include <linux/ctype.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/panic.h>
#include <linux/printk.h>
#include <linux/tdx_filter.h>

#include "acpi_policy.h"

/* -1: on in a TD only; 0: off; 1: on everywhere. Early parameters only. */
static int tdx_acpi_enable __ro_after_init = -1;
/* tdx_filter.allow_acpi= and allow_acpi_runtime=: early parameters only */
static struct filter_acpi_policy tdx_acpi_policy __ro_after_init;
/* Tables refused at boot, reported at early_initcall; boot CPU only */
static unsigned int tdx_acpi_boot_refused;

static int __init tdx_acpi_enable_setup(char *arg)
{
	return arg ? kstrtoint(arg, 0, &tdx_acpi_enable) : -EINVAL;
}
early_param("tdx_filter.enable", tdx_acpi_enable_setup);

/* A list that does not parse adds nothing: only the defaults apply. */
static int __init tdx_acpi_allow_setup(char *arg)
{
	struct filter_parse_error err = {};

	if (filter_acpi_policy_set_boot(&tdx_acpi_policy, arg ?: "", &err) < 0)
		pr_err("allow_acpi: %s: '%s'; only the default tables are installed\n",
		       err.reason, err.token);
	return 0;
}
early_param("tdx_filter.allow_acpi", tdx_acpi_allow_setup);

static int __init tdx_acpi_allow_runtime_setup(char *arg)
{
	struct filter_parse_error err = {};

	if (filter_acpi_policy_set_runtime(&tdx_acpi_policy, arg ?: "", &err) < 0)
		pr_err("allow_acpi_runtime: %s: '%s'; no table loads at runtime\n",
		       err.reason, err.token);
	return 0;
}
early_param("tdx_filter.allow_acpi_runtime", tdx_acpi_allow_runtime_setup);

static bool tdx_acpi_filter_on(void)
{
	return tdx_acpi_enable > 0 ||
	       (tdx_acpi_enable < 0 && cpu_feature_enabled(X86_FEATURE_TDX_GUEST));
}

/**
 * tdx_filter_acpi_table_check() - may ACPICA install an ACPI table
 * @sig: the table's 4-byte signature, as its header says
 * @length: the table's length, as its header says
 * @runtime: the table is loaded at runtime (AML Load, acpi_load_table()),
 *	     not installed at boot
 *
 * Called through acpi_os_table_install_check() before ACPICA verifies or
 * installs the table: only its header has been read.
 *
 * Return: 0 when the filter is off or its policy allows the table,
 * -EPERM when it does not.
 */
int tdx_filter_acpi_table_check(const char *sig, u32 length, bool runtime)
{
	char name[FILTER_ACPI_SIG_LEN + 1];
	unsigned int i;

	if (!tdx_acpi_filter_on())
		return 0;
	if (runtime ? filter_acpi_runtime_allowed(&tdx_acpi_policy, sig) :
		      filter_acpi_boot_allowed(&tdx_acpi_policy, sig))
		return 0;
	/* host-written bytes: printable or '?' */
	for (i = 0; i < FILTER_ACPI_SIG_LEN; i++)
		name[i] = isprint(sig[i]) ? sig[i] : '?';
	name[FILTER_ACPI_SIG_LEN] = '\0';
	if (runtime) {
		pr_warn_ratelimited("runtime ACPI table %s (%u bytes) refused: %s\n",
				    name, length, filter_acpi_sig_is_aml(sig) ?
				    "not on tdx_filter.allow_acpi_runtime=" :
				    "not AML: only SSDT and OEMx tables load at runtime");
		return -EPERM;
	}
	tdx_acpi_boot_refused++;
	pr_warn("ACPI table %s (%u bytes) refused: %s\n", name, length,
		filter_acpi_meaning(sig));
	return -EPERM;
}

static int __init tdx_acpi_report(void)
{
	if (!tdx_acpi_filter_on())
		return 0;
	if (tdx_acpi_policy.boot_count || tdx_acpi_policy.runtime_count)
		add_taint(TAINT_USER, LOCKDEP_STILL_OK);
	pr_info("ACPI tables: %u refused at boot, %u allowed beyond the defaults, %u may load at runtime\n",
		tdx_acpi_boot_refused, tdx_acpi_policy.boot_count,
		tdx_acpi_policy.runtime_count);
	return 0;
}
early_initcall(tdx_acpi_report);
