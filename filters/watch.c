// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_filter gate watch: a gate can be disarmed without unloading
 * the module (a kprobe disabled, or every kprobe in the system turned off
 * through debugfs kprobes/enabled). Every second, and whenever the state
 * is read, the watch checks the gate's kprobes and re-runs the canary; a
 * change is logged, counted, measured and shown in sysfs "state".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/seq_buf.h>
#include <linux/workqueue.h>

#include "filter.h"

#define FILTER_WATCH_PERIOD	HZ

/* The last verdict and its reason; under filter_watch_lock. */
static DEFINE_MUTEX(filter_watch_lock);
static bool filter_watch_armed = true;
static char filter_watch_why[64];

static void filter_watch_work(struct work_struct *work);
static DECLARE_DELAYED_WORK(filter_watch_dwork, filter_watch_work);

static void filter_watch_check(void)
{
	char why[64] = "";
	bool armed;

	mutex_lock(&filter_watch_lock);
	armed = filter_gate_armed(why, sizeof(why));
	if (armed != filter_watch_armed) {
		if (!armed) {
			atomic64_inc(&filter_counters.disarmed);
			pr_crit("gate DISARMED: %s; probes now run unfiltered\n",
				why);
			filter_measure("gate disarmed: %s", why);
		} else {
			pr_warn("gate armed again: the canary passed\n");
			filter_measure("gate armed again");
		}
		filter_watch_armed = armed;
	}
	strscpy(filter_watch_why, why, sizeof(filter_watch_why));
	mutex_unlock(&filter_watch_lock);
}

static void filter_watch_work(struct work_struct *work)
{
	filter_watch_check();
	schedule_delayed_work(&filter_watch_dwork, FILTER_WATCH_PERIOD);
}

/**
 * filter_watch_start() - check the gate now and every second
 */
void filter_watch_start(void)
{
	filter_watch_armed = true;
	filter_watch_check();
	schedule_delayed_work(&filter_watch_dwork, FILTER_WATCH_PERIOD);
}

/**
 * filter_watch_stop() - stop checking; idempotent
 */
void filter_watch_stop(void)
{
	cancel_delayed_work_sync(&filter_watch_dwork);
}

/**
 * filter_watch_show() - check the gate, then print "armed" or
 * "disarmed: <reason>"
 * @s: output
 */
void filter_watch_show(struct seq_buf *s)
{
	filter_watch_check();
	mutex_lock(&filter_watch_lock);
	if (filter_watch_armed)
		seq_buf_printf(s, "armed\n");
	else
		seq_buf_printf(s, "disarmed: %s\n", filter_watch_why);
	mutex_unlock(&filter_watch_lock);
}
