/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tdxguard_filter ACPI table policy: the table signatures a TDX guest
 * installs at boot, the AML tables it may load while it runs, the
 * allow_acpi= syntax and what a table outside the list would do.
 * Pure logic: nothing here calls ACPICA or keeps state of its own.
 */
#ifndef _TDXGUARD_FILTER_ACPI_POLICY_H
#define _TDXGUARD_FILTER_ACPI_POLICY_H

#include <linux/types.h>

#include "policy.h"

/* Bytes of a table signature (ACPI_NAMESEG_SIZE). */
#define FILTER_ACPI_SIG_LEN	4
/* Most signatures allow_acpi= or allow_acpi_runtime= may name. */
#define FILTER_ACPI_EXTRA_MAX	32

/**
 * struct filter_acpi_policy - the ACPI table lists beyond the defaults
 * @boot: signatures allow_acpi= adds to the boot list
 * @boot_count: entries used in @boot
 * @runtime: AML signatures allow_acpi_runtime= lets load at runtime
 * @runtime_count: entries used in @runtime
 *
 * All zero, it is the default policy: the built-in boot list, and no
 * table at runtime.
 */
struct filter_acpi_policy {
	char boot[FILTER_ACPI_EXTRA_MAX][FILTER_ACPI_SIG_LEN];
	unsigned int boot_count;
	char runtime[FILTER_ACPI_EXTRA_MAX][FILTER_ACPI_SIG_LEN];
	unsigned int runtime_count;
};

extern const char filter_acpi_default[][FILTER_ACPI_SIG_LEN];
extern const unsigned int filter_acpi_default_count;

int filter_acpi_allow_parse(const char *text,
			    char sigs[][FILTER_ACPI_SIG_LEN], unsigned int max,
			    struct filter_parse_error *err);
int filter_acpi_policy_set_boot(struct filter_acpi_policy *policy,
				const char *text,
				struct filter_parse_error *err);
int filter_acpi_policy_set_runtime(struct filter_acpi_policy *policy,
				   const char *text,
				   struct filter_parse_error *err);
bool filter_acpi_sig_is_aml(const char *sig);
bool filter_acpi_boot_allowed(const struct filter_acpi_policy *policy,
			      const char *sig);
bool filter_acpi_runtime_allowed(const struct filter_acpi_policy *policy,
				 const char *sig);
const char *filter_acpi_meaning(const char *sig);

#endif /* _TDXGUARD_FILTER_ACPI_POLICY_H */
