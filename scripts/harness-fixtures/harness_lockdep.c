// SPDX-License-Identifier: GPL-2.0
/*
 * Harness fixture: a module whose init takes two mutexes in one order and
 * then in the other, so the harness's own test can show that a lock-order
 * inversion reported by lockdep fails a run. One thread takes both orders
 * one after the other, so nothing deadlocks; lockdep reports the inversion
 * from the order it has seen. Built only by scripts/harness-test.sh.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/mutex.h>

static DEFINE_MUTEX(fixture_a);
static DEFINE_MUTEX(fixture_b);

/* take_in_order() - lock @first then @second, then release both */
static void take_in_order(struct mutex *first, struct mutex *second)
{
	mutex_lock(first);
	mutex_lock(second);
	mutex_unlock(second);
	mutex_unlock(first);
}

static int __init harness_lockdep_init(void)
{
	pr_info("taking two locks in both orders on purpose\n");
	take_in_order(&fixture_a, &fixture_b);
	take_in_order(&fixture_b, &fixture_a);
	return 0;
}
module_init(harness_lockdep_init);

static void __exit harness_lockdep_exit(void)
{
}
module_exit(harness_lockdep_exit);

MODULE_DESCRIPTION("tdxguard harness fixture: AB-BA lock order");
MODULE_LICENSE("GPL");
