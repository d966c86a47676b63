// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_filter lock: with lock=1 (the default) the module holds a
 * reference on itself, so rmmod fails with EBUSY. Writing
 * /sys/kernel/tdxguard_filter/unlock drops it: an override like any
 * other, so it taints, is logged and is measured.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/panic.h>

#include "filter.h"

/* Whether the module holds its own reference; under the mutex. */
static DEFINE_MUTEX(filter_lock_mutex);
static bool filter_is_locked;

/**
 * filter_lock() - refuse rmmod from now on
 */
void filter_lock(void)
{
	mutex_lock(&filter_lock_mutex);
	if (!filter_is_locked) {
		__module_get(THIS_MODULE);
		WRITE_ONCE(filter_is_locked, true);
	}
	mutex_unlock(&filter_lock_mutex);
}

/**
 * filter_locked() - does the module refuse rmmod
 *
 * Return: true while locked.
 */
bool filter_locked(void)
{
	return READ_ONCE(filter_is_locked);
}

/**
 * filter_unlock() - let rmmod unload the module: an override, tainting
 *
 * Return: 0, or -EALREADY when not locked.
 */
int filter_unlock(void)
{
	int ret = -EALREADY;

	mutex_lock(&filter_lock_mutex);
	if (filter_is_locked) {
		pr_warn("unlocked by the administrator: rmmod may now remove the filter; tainting the kernel (U)\n");
		add_taint(TAINT_USER, LOCKDEP_STILL_OK);
		filter_measure("unlock");
		WRITE_ONCE(filter_is_locked, false);
		module_put(THIS_MODULE);
		ret = 0;
	}
	mutex_unlock(&filter_lock_mutex);
	return ret;
}
