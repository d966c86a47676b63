// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_filter probe gate: one kprobe at the entry of the driver core's
 * really_probe(), which every binding on every bus goes through. For a
 * denied device the handler moves the instruction pointer to
 * filter_gate_refuse(), which returns -ENODEV to __driver_probe_device()
 * as if really_probe() had run and the driver had rejected the device:
 * nothing of really_probe() executes (no dev->driver, no DMA setup, no
 * pinctrl, no bus or driver probe), and the caller goes on as for any
 * failed probe. This is what the error-injection framework does to a
 * function's return, built from plain kprobes so that it works on distro
 * kernels.
 *
 * A canary proves the mechanism before the gate is trusted: if a kprobe
 * cannot redirect execution on this kernel the module refuses to load
 * rather than filter nothing. A second canary stays armed for as long as
 * the gate does, so that the watch (watch.c) can prove it again.
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

/*
 * Names really_probe() may carry: the compiler may clone or specialise a
 * static function (.isra, .constprop), which keeps its arguments.
 */
static const char * const filter_gate_symbols[] = {
	"really_probe", "really_probe.isra.0", "really_probe.constprop.0",
};

/* The gate and the standing canary; written at load and unload only. */
static struct kprobe filter_gate_kp;
static struct kprobe filter_canary_kp;
static bool filter_gate_installed;

/* Hits of a canary kprobe. */
static atomic_t filter_canary_hits;

/*
 * The redirection target. Entered exactly where really_probe() would have
 * been (same stack, return address into __driver_probe_device()), it
 * returns straight to the caller. notrace: nothing else may hook it.
 */
static noinline notrace int filter_gate_refuse(struct device *dev,
					       const struct device_driver *drv)
{
	return -ENODEV;
}

/**
 * tdxguard_filter_canary() - the function the canary kprobes redirect
 * @dev: unused
 *
 * Global and noinline so that the compiler keeps a real call to it.
 *
 * Return: 1 or 0 when it ran, -ENODEV when a canary kprobe redirected it.
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
	atomic_inc(&filter_canary_hits);
	filter_redirect(regs, filter_gate_refuse);
	return 1;
}

/* One call of the canary: true when exactly one kprobe redirected it. */
static bool filter_canary_call(void)
{
	int (*fn)(struct device *dev) = tdxguard_filter_canary;
	int before = atomic_read(&filter_canary_hits);
	int seen;

	OPTIMIZER_HIDE_VAR(fn);
	seen = fn(NULL);
	return seen == -ENODEV && atomic_read(&filter_canary_hits) == before + 1;
}

static int filter_canary_check(void)
{
	struct kprobe kp = {
		.addr = (kprobe_opcode_t *)tdxguard_filter_canary,
		.pre_handler = filter_canary_pre,
	};
	int ret;
	bool ok;

	ret = filter_redirect_install(&kp);
	if (ret) {
		pr_err("canary: kprobes unusable (%d)\n", ret);
		return ret;
	}
	ok = filter_canary_call();
	filter_redirect_uninstall(&kp);
	if (!ok) {
		pr_err("canary: kprobe redirection does not work (kprobes disarmed?)\n");
		return -EOPNOTSUPP;
	}
	return 0;
}

/**
 * filter_gate_pre() - pre_handler of the probe gate
 * @kp: the gate's kprobe
 * @regs: registers at really_probe()'s entry: the device and the driver
 *
 * Runs with preemption disabled, with the device lock held by the driver
 * core: the decision must not sleep.
 *
 * Return: 1 after redirecting a refused probe, 0 to let it run.
 */
int filter_gate_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct device *dev = (void *)regs_get_kernel_argument(regs, 0);
	const struct device_driver *drv =
		(void *)regs_get_kernel_argument(regs, 1);

	if (!filter_enforce_probe(dev, drv))
		return 0;
	filter_redirect(regs, filter_gate_refuse);
	return 1;
}

static int filter_gate_register(void)
{
	unsigned int i;
	int ret = -ENOENT;

	for (i = 0; i < ARRAY_SIZE(filter_gate_symbols); i++) {
		memset(&filter_gate_kp, 0, sizeof(filter_gate_kp));
		filter_gate_kp.symbol_name = filter_gate_symbols[i];
		filter_gate_kp.pre_handler = filter_gate_pre;
		ret = filter_redirect_install(&filter_gate_kp);
		if (!ret)
			return 0;
	}
	pr_err("cannot gate really_probe(): %d\n", ret);
	return ret;
}

/**
 * filter_gate_install() - prove kprobes work, then arm the gate and the
 * standing canary
 *
 * All or nothing: on failure nothing stays installed.
 *
 * Return: 0, or the error that stopped it.
 */
int filter_gate_install(void)
{
	int ret;

	ret = filter_canary_check();
	if (ret)
		return ret;
	filter_canary_kp.addr = (kprobe_opcode_t *)tdxguard_filter_canary;
	filter_canary_kp.pre_handler = filter_canary_pre;
	ret = filter_redirect_install(&filter_canary_kp);
	if (ret) {
		memset(&filter_canary_kp, 0, sizeof(filter_canary_kp));
		return ret;
	}
	ret = filter_gate_register();
	if (ret) {
		filter_redirect_uninstall(&filter_canary_kp);
		memset(&filter_canary_kp, 0, sizeof(filter_canary_kp));
		return ret;
	}
	filter_gate_installed = true;
	pr_info("gate armed on %s at %pS\n", filter_gate_kp.symbol_name,
		filter_gate_kp.addr);
	return 0;
}

/**
 * filter_gate_uninstall() - remove the gate and the canary; idempotent
 */
void filter_gate_uninstall(void)
{
	struct kprobe *kps[] = { &filter_gate_kp, &filter_canary_kp };

	if (!filter_gate_installed)
		return;
	if (filter_gate_kp.nmissed)
		pr_warn("gate missed %lu probes\n", filter_gate_kp.nmissed);
	unregister_kprobes(kps, ARRAY_SIZE(kps));
	filter_compat_sync_redirects();
	filter_gate_installed = false;
	memset(&filter_gate_kp, 0, sizeof(filter_gate_kp));
	memset(&filter_canary_kp, 0, sizeof(filter_canary_kp));
}

/**
 * filter_gate_missed() - probes the gate did not see
 *
 * A kprobe that fires while another kprobe handler runs on the same CPU is
 * skipped and counted in nmissed; such a probe ran ungated.
 *
 * Return: the gate's nmissed.
 */
unsigned long filter_gate_missed(void)
{
	return filter_gate_installed ? filter_gate_kp.nmissed : 0;
}

/**
 * filter_gate_armed() - is the gate still able to refuse a probe
 * @why: set to the reason when it is not
 * @size: size of @why
 *
 * Checks that neither kprobe was disabled or lost, then re-runs the canary
 * through the standing canary kprobe: with kprobes disarmed globally
 * (debugfs kprobes/enabled) the flags look fine but the canary runs
 * unredirected.
 *
 * Context: process context; runs the canary.
 *
 * Return: true when armed.
 */
bool filter_gate_armed(char *why, size_t size)
{
	if (!filter_gate_installed) {
		strscpy(why, "gate not installed", size);
		return false;
	}
	if (kprobe_disabled(&filter_gate_kp)) {
		strscpy(why, "the really_probe() kprobe is disabled", size);
		return false;
	}
	if (kprobe_disabled(&filter_canary_kp)) {
		strscpy(why, "the canary kprobe is disabled", size);
		return false;
	}
	if (!filter_canary_call()) {
		strscpy(why, "canary not redirected: kprobes disarmed", size);
		return false;
	}
	return true;
}

static u64 filter_gate_time_calls(struct device *dev,
				  const struct device_driver *drv,
				  unsigned int loops)
{
	int (*fn)(struct device *dev, const struct device_driver *drv) =
		tdxguard_filter_bench_probe;
	unsigned int i;
	u64 start;

	OPTIMIZER_HIDE_VAR(fn);
	start = ktime_get_ns();
	for (i = 0; i < loops; i++)
		fn(dev, drv);
	return ktime_get_ns() - start;
}

/**
 * filter_gate_bench() - time a probe-shaped call without and with a gate
 * @dev: device to pass, locked by the caller
 * @drv: driver to pass
 * @loops: calls per measurement
 * @off_ns: total time of @loops ungated calls
 * @on_ns: total time of @loops gated calls (kprobe, decision, record)
 *
 * Return: 0, or the kprobe error.
 */
int filter_gate_bench(struct device *dev, const struct device_driver *drv,
		      unsigned int loops, u64 *off_ns, u64 *on_ns)
{
	struct kprobe kp = {
		.addr = (kprobe_opcode_t *)tdxguard_filter_bench_probe,
		.pre_handler = filter_gate_pre,
	};
	int ret;

	*off_ns = filter_gate_time_calls(dev, drv, loops);
	ret = filter_redirect_install(&kp);
	if (ret)
		return ret;
	*on_ns = filter_gate_time_calls(dev, drv, loops);
	filter_redirect_uninstall(&kp);
	return 0;
}
