// SPDX-License-Identifier: GPL-2.0
/*
 * Harness fixture: a module whose init shifts a 32-bit value by a count
 * taken from a parameter (default 40), so the harness's own test can show
 * that a UBSAN shift-out-of-bounds report fails a run. Built only by
 * scripts/harness-test.sh.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

/* A parameter, so the compiler cannot fold the shift away. */
static unsigned int shift = 40;
module_param(shift, uint, 0);
MODULE_PARM_DESC(shift, "shift count applied to a 32-bit value at load");

static int __init harness_ubsan_init(void)
{
	u32 one = 1;

	pr_info("shifting a u32 by %u on purpose: %u\n", shift, one << shift);
	return 0;
}
module_init(harness_ubsan_init);

static void __exit harness_ubsan_exit(void)
{
}
module_exit(harness_ubsan_exit);

MODULE_DESCRIPTION("tdxguard harness fixture: shift out of bounds");
MODULE_LICENSE("GPL");
