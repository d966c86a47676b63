// SPDX-License-Identifier: GPL-2.0
/*
 * Harness fixture: a module whose init raises a kernel warning, so the
 * harness's own test can show that an expected report (inside an
 * expect-crash window naming this module) passes and any other fails.
 * Built only by scripts/harness-test.sh; never installed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/module.h>

static int __init harness_warn_init(void)
{
	WARN(1, "planted warning\n");
	return 0;
}
module_init(harness_warn_init);

static void __exit harness_warn_exit(void)
{
}
module_exit(harness_warn_exit);

MODULE_DESCRIPTION("tdxguard harness fixture: a warning at load");
MODULE_LICENSE("GPL");
