/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tdxguard_filter: every kernel-version and kernel-config difference the
 * module has to bridge, in one place.
 */
#ifndef _TDXGUARD_FILTER_COMPAT_H
#define _TDXGUARD_FILTER_COMPAT_H

#include <linux/rcupdate.h>

/*
 * Wait until no task can still be running code a kprobe redirected it to.
 * A preemptible kernel may have preempted a task inside the redirection
 * target: only a tasks-RCU grace period proves it left. A kernel without
 * preemption (our test kernel) runs the target with preemption off in
 * effect, so an ordinary grace period is enough.
 */
static inline void filter_compat_sync_redirects(void)
{
#ifdef CONFIG_TASKS_RCU
	synchronize_rcu_tasks();
#else
	synchronize_rcu();
#endif
}

#endif /* _TDXGUARD_FILTER_COMPAT_H */
