// SPDX-License-Identifier: GPL-2.0
/*
 * Harness fixture: a module whose init dereferences a NULL pointer, so the
 * harness's own test can show that a kernel oops fails a run. Built only by
 * scripts/harness-test.sh; never installed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

/* A parameter, so the compiler cannot see the NULL and drop the load. */
static unsigned long addr;
module_param(addr, ulong, 0);
MODULE_PARM_DESC(addr, "address to read at load (default 0: NULL)");

static int __init harness_oops_init(void)
{
	pr_info("reading address %#lx on purpose\n", addr);
	return READ_ONCE(*(int *)addr);
}
module_init(harness_oops_init);

MODULE_DESCRIPTION("tdxguard harness fixture: oops at load");
MODULE_LICENSE("GPL");
