// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_filter probe gate: a kprobe at the entry of each bus's probe
 * function. For a denied device the handler moves the instruction pointer
 * to filter_gate_refuse(), which returns -ENODEV to really_probe() as if
 * the bus probe had run and rejected the device: neither the bus probe nor
 * the driver's probe executes, and really_probe() unwinds as for any failed
 * probe. This is what the error-injection framework does to a function's
 * return, built from plain kprobes so that it works on distro kernels.
 *
 * A canary proves the mechanism before any gate is trusted: if a kprobe
 * cannot redirect execution on this kernel the module refuses to load
 * rather than filter nothing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compiler.h>
#include <linux/device.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/ptrace.h>
#include <linux/timekeeping.h>

#include "compat.h"
#include "filter.h"

/**
 * struct filter_gate - the kprobe on one bus's probe function
 * @kp: the kprobe, on the bus's probe function
 * @ops: the bus
 * @bus: its bus_type, to reject devices of another bus
 * @installed: @kp is registered
 */
struct filter_gate {
	struct kprobe kp;
	const struct filter_bus_ops *ops;
	const struct bus_type *bus;
	bool installed;
};

/* Written at load and unload only, with no gate registered. */
static struct filter_gate filter_gates[FILTER_BUS_COUNT];

/* Hits of the canary kprobe; only the loading task touches it. */
static unsigned int filter_canary_hits;

/*
 * The redirection target. Entered exactly where the bus probe would have
 * been (same stack, return address to call_driver_probe()), it returns
 * straight to the caller. notrace: nothing else may hook it.
 */
static noinline notrace int filter_gate_refuse(struct device *dev)
{
	return -ENODEV;
}

/**
 * tdxguard_filter_canary() - the function the canary kprobe redirects
 * @dev: unused
 *
 * Global and noinline so that the compiler keeps a real call to it.
 *
 * Return: 0 when it ran, -ENODEV when the canary kprobe redirected it.
 */
noinline int tdxguard_filter_canary(struct device *dev)
{
	return dev ? 1 : 0;
}

/**
 * filter_redirect() - make a kprobed function entry jump elsewhere
 * @regs: registers at the probed function's entry
 * @target: function with the same signature to run instead
 *
 * The caller's pre_handler must return 1 after this.
 */
void filter_redirect(struct pt_regs *regs, const void *target)
{
	instruction_pointer_set(regs, (unsigned long)target);
}

/* Its presence keeps a kprobe out of the jump optimiser, which drops ip. */
static void filter_redirect_post(struct kprobe *kp, struct pt_regs *regs,
				 unsigned long flags)
{
}

/**
 * filter_redirect_install() - register a kprobe able to redirect
 * @kp: kprobe with .symbol_name or .addr and .pre_handler set
 *
 * Return: 0 or register_kprobe()'s error.
 */
int filter_redirect_install(struct kprobe *kp)
{
	kp->post_handler = filter_redirect_post;
	return register_kprobe(kp);
}

/**
 * filter_redirect_uninstall() - unregister a kprobe from
 * filter_redirect_install() and wait until no task can be in its target
 * @kp: the kprobe
 */
void filter_redirect_uninstall(struct kprobe *kp)
{
	unregister_kprobe(kp);
	filter_compat_sync_redirects();
}

static int filter_canary_pre(struct kprobe *kp, struct pt_regs *regs)
{
	filter_canary_hits++;
	filter_redirect(regs, filter_gate_refuse);
	return 1;
}

static int filter_canary_check(void)
{
	struct kprobe kp = {
		.addr = (kprobe_opcode_t *)tdxguard_filter_canary,
		.pre_handler = filter_canary_pre,
	};
	int (*fn)(struct device *dev) = tdxguard_filter_canary;
	int ret, seen;

	filter_canary_hits = 0;
	ret = filter_redirect_install(&kp);
	if (ret) {
		pr_err("canary: kprobes unusable (%d)\n", ret);
		return ret;
	}
	OPTIMIZER_HIDE_VAR(fn);
	seen = fn(NULL);
	filter_redirect_uninstall(&kp);
	if (filter_canary_hits != 1 || seen != -ENODEV) {
		pr_err("canary: kprobe redirection does not work (hits %u, returned %d)\n",
		       filter_canary_hits, seen);
		return -EOPNOTSUPP;
	}
	return 0;
}

/**
 * filter_gate_pre() - pre_handler of every probe gate
 * @kp: the gate's kprobe
 * @regs: registers at the bus probe function's entry
 *
 * Runs with preemption disabled: the decision must not sleep.
 *
 * Return: 1 after redirecting a refused probe, 0 to let it run.
 */
int filter_gate_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct filter_gate *gate = container_of(kp, struct filter_gate, kp);
	struct device *dev = (void *)regs_get_kernel_argument(regs, 0);

	if (!filter_enforce_probe(gate->ops, gate->bus, dev))
		return 0;
	filter_redirect(regs, filter_gate_refuse);
	return 1;
}

/*
 * The gate sits on the function the bus_type points to, the one
 * call_driver_probe() calls: no symbol lookup, no ambiguity. Its name is
 * only checked, to notice a kernel that changed underneath.
 */
static int filter_gate_install(struct filter_gate *gate,
			       const struct filter_bus_ops *ops)
{
	char name[KSYM_SYMBOL_LEN];
	int ret;

	gate->ops = ops;
	gate->bus = filter_enforce_bus(ops->bus);
	if (!gate->bus->probe) {
		pr_err("the %s bus has no probe function\n",
		       filter_bus_name(ops->bus));
		return -ENODEV;
	}
	snprintf(name, sizeof(name), "%ps", gate->bus->probe);
	if (strcmp(name, ops->probe_symbol))
		pr_warn("the %s bus probes through %s, not %s\n",
			filter_bus_name(ops->bus), name, ops->probe_symbol);
	gate->kp.addr = (kprobe_opcode_t *)gate->bus->probe;
	gate->kp.pre_handler = filter_gate_pre;
	ret = filter_redirect_install(&gate->kp);
	if (ret) {
		pr_err("cannot gate %s (%s): %d\n", filter_bus_name(ops->bus),
		       name, ret);
		return ret;
	}
	gate->installed = true;
	return 0;
}

/**
 * filter_gates_install() - prove kprobes work, then gate every bus
 *
 * All or nothing: on failure no gate stays installed.
 *
 * Return: 0, or the error that stopped it.
 */
int filter_gates_install(void)
{
	enum filter_bus bus;
	int ret;

	ret = filter_canary_check();
	if (ret)
		return ret;
	for (bus = 0; bus < FILTER_BUS_COUNT; bus++) {
		ret = filter_gate_install(&filter_gates[bus],
					  filter_enforce_ops(bus));
		if (ret) {
			filter_gates_uninstall();
			return ret;
		}
	}
	return 0;
}

/**
 * filter_gates_uninstall() - remove every installed gate; idempotent
 */
void filter_gates_uninstall(void)
{
	struct kprobe *kps[FILTER_BUS_COUNT];
	unsigned int n = 0;
	enum filter_bus bus;

	for (bus = 0; bus < FILTER_BUS_COUNT; bus++) {
		struct filter_gate *gate = &filter_gates[bus];

		if (!gate->installed)
			continue;
		if (gate->kp.nmissed)
			pr_warn("gate %s missed %lu probes\n",
				gate->ops->probe_symbol, gate->kp.nmissed);
		kps[n++] = &gate->kp;
		gate->installed = false;
	}
	if (!n)
		return;
	unregister_kprobes(kps, n);
	filter_compat_sync_redirects();
	memset(filter_gates, 0, sizeof(filter_gates));
}

/**
 * filter_gates_missed() - probes a gate did not see
 *
 * A kprobe that fires while another kprobe handler runs on the same CPU is
 * skipped and counted in nmissed; such a probe ran ungated.
 *
 * Return: the sum over all gates.
 */
unsigned long filter_gates_missed(void)
{
	unsigned long missed = 0;
	enum filter_bus bus;

	for (bus = 0; bus < FILTER_BUS_COUNT; bus++)
		if (filter_gates[bus].installed)
			missed += filter_gates[bus].kp.nmissed;
	return missed;
}

static u64 filter_gate_time_calls(struct device *dev, unsigned int loops)
{
	int (*fn)(struct device *dev) = tdxguard_filter_bench_probe;
	unsigned int i;
	u64 start;

	OPTIMIZER_HIDE_VAR(fn);
	start = ktime_get_ns();
	for (i = 0; i < loops; i++)
		fn(dev);
	return ktime_get_ns() - start;
}

/**
 * filter_gate_bench() - time a probe-shaped call without and with a gate
 * @dev: device to pass; decided as a platform device
 * @loops: calls per measurement
 * @off_ns: total time of @loops ungated calls
 * @on_ns: total time of @loops gated calls (kprobe, decision, record)
 *
 * Return: 0, or the kprobe error.
 */
int filter_gate_bench(struct device *dev, unsigned int loops, u64 *off_ns,
		      u64 *on_ns)
{
	struct filter_gate gate = {
		.ops = &filter_bus_platform,
		.bus = dev->bus,
		.kp.addr = (kprobe_opcode_t *)tdxguard_filter_bench_probe,
		.kp.pre_handler = filter_gate_pre,
	};
	int ret;

	*off_ns = filter_gate_time_calls(dev, loops);
	ret = filter_redirect_install(&gate.kp);
	if (ret)
		return ret;
	*on_ns = filter_gate_time_calls(dev, loops);
	filter_redirect_uninstall(&gate.kp);
	return 0;
}
