// SPDX-License-Identifier: GPL-2.0
/*
 * Harness fixture: a module whose init dereferences a NULL pointer, so the
 * harness's own test can show that a kernel oops fails a run. Built only by
 * scripts/harness-test.sh; never installed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

static int __init harness_oops_init(void)
{
	int *volatile ptr = NULL;

	pr_info("dereferencing NULL on purpose\n");
	return *ptr;
}
module_init(harness_oops_init);

MODULE_DESCRIPTION("tdxguard harness fixture: oops at load");
MODULE_LICENSE("GPL");
