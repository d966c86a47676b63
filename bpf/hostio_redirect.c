// SPDX-License-Identifier: GPL-2.0
/*
 * Redirecting kprobes: a probe on a function's entry sends the call to a
 * replacement in this module, which calls the original (the probe lets
 * calls from this module through) and then runs the hook. The hook thus
 * runs in the caller's context, not inside a kprobe handler, so a BPF
 * kprobe on the hook fires (kprobes do not nest).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/ptrace.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>

#include "hostio.h"
#include "hostio_compat.h"

static int hostio_redirect_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct hostio_redirect *r = container_of(p, struct hostio_redirect, kp);

	/* The replacement calling the original: let it run. */
	if (within_module(hostio_entry_caller(regs), THIS_MODULE))
		return 0;
	if (r->skip && r->skip(hostio_entry_caller(regs)))
		return 0;
	instruction_pointer_set(regs, (unsigned long)r->replacement);
	return 1;	/* resume at the replacement, do not single-step */
}

/*
 * Never runs (the pre-handler either redirects or lets the call through
 * untouched), but its presence keeps the kprobe from being jump-optimized,
 * which would ignore the new instruction pointer, and makes ftrace-based
 * kprobes use an IPMODIFY ftrace_ops.
 */
static void hostio_redirect_post(struct kprobe *p, struct pt_regs *regs,
				 unsigned long flags)
{
}

/**
 * hostio_redirect_register() - send calls of @r->kp.symbol_name to
 * @r->replacement
 * @r: the redirect, with symbol_name, replacement and optionally skip set
 *
 * Return: 0 or the error of register_kprobe().
 */
int hostio_redirect_register(struct hostio_redirect *r)
{
	int ret;

	r->kp.pre_handler = hostio_redirect_pre;
	r->kp.post_handler = hostio_redirect_post;
	ret = register_kprobe(&r->kp);
	if (ret) {
		pr_err("cannot probe %s: %d\n", r->kp.symbol_name, ret);
		return ret;
	}
	r->registered = true;
	return 0;
}

/**
 * hostio_redirect_unregister() - stop redirecting; safe to call twice
 * @r: the redirect
 *
 * The caller must hostio_redirect_sync() before the module text goes away.
 */
void hostio_redirect_unregister(struct hostio_redirect *r)
{
	if (!r->registered)
		return;
	unregister_kprobe(&r->kp);
	r->registered = false;
}

/**
 * hostio_redirect_sync() - wait until no task runs in a replacement
 *
 * A task preempted inside a replacement passes no voluntary context
 * switch until it has left it, which is what RCU-tasks waits for.
 */
void hostio_redirect_sync(void)
{
	synchronize_rcu_tasks();
}

/**
 * hostio_redirect_debugfs() - the probe's missed-hit count, -1 when it is
 * not registered
 * @m: the status file being written
 * @r: the redirect
 */
void hostio_redirect_debugfs(struct seq_file *m,
			     const struct hostio_redirect *r)
{
	seq_printf(m, "missed %s %ld\n", r->kp.symbol_name,
		   r->registered ? (long)r->kp.nmissed : -1L);
}
