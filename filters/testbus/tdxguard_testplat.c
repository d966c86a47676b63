// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_testplat: one platform device ("tdxguard_testplat") and one
 * platform driver for it whose probe and remove do nothing but count, so
 * a test can bind and unbind it thousands of times while it races the
 * filter's authorize and deauthorize. Read-only parameters: "probed" and
 * "removed" (calls so far), "overlaps" (a probe that ran while the device
 * was already bound: a double probe) and "bound" (now bound).
 *
 * "widen_us" (writable) widens the window a missing lock would leave: a
 * kprobe on the filter's filter_override_set(), which an authorize or
 * deauthorize calls after it has looked at the binding and before the new
 * decision is stored, busy-waits that long. With the filter holding the
 * device lock across both, a bind waits and the delay changes nothing;
 * without it, a bind decided by the old override lands in the window.
 * "widened" says whether the kprobe is in place.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>

/* Counters, each updated by probe or remove with the device lock held. */
static atomic_t probed = ATOMIC_INIT(0);
static atomic_t removed = ATOMIC_INIT(0);
static atomic_t overlaps = ATOMIC_INIT(0);
static atomic_t bound = ATOMIC_INIT(0);

static int tdxguard_testplat_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(kp->arg));
}

static const struct kernel_param_ops tdxguard_testplat_counter_ops = {
	.get = tdxguard_testplat_get,
};

module_param_cb(probed, &tdxguard_testplat_counter_ops, &probed, 0444);
MODULE_PARM_DESC(probed, "how often the driver's probe ran");
module_param_cb(removed, &tdxguard_testplat_counter_ops, &removed, 0444);
MODULE_PARM_DESC(removed, "how often the driver's remove ran");
module_param_cb(overlaps, &tdxguard_testplat_counter_ops, &overlaps, 0444);
MODULE_PARM_DESC(overlaps, "probes that ran while the device was bound");
module_param_cb(bound, &tdxguard_testplat_counter_ops, &bound, 0444);
MODULE_PARM_DESC(bound, "1 while the driver holds the device");

static unsigned int widen_us;
module_param(widen_us, uint, 0644);
MODULE_PARM_DESC(widen_us, "busy-wait in filter_override_set(), microseconds (at most 10000)");
static bool widened;
module_param(widened, bool, 0444);
MODULE_PARM_DESC(widened, "the kprobe on filter_override_set() is in place");

static int tdxguard_testplat_widen(struct kprobe *kp, struct pt_regs *regs)
{
	unsigned int us = min(READ_ONCE(widen_us), 10000U);

	if (us)
		udelay(us);
	return 0;
}

static struct kprobe tdxguard_testplat_kprobe = {
	.symbol_name = "filter_override_set",
	.pre_handler = tdxguard_testplat_widen,
};

static int tdxguard_testplat_probe(struct platform_device *pdev)
{
	atomic_inc(&probed);
	if (atomic_xchg(&bound, 1))
		atomic_inc(&overlaps);
	return 0;
}

static void tdxguard_testplat_remove(struct platform_device *pdev)
{
	atomic_inc(&removed);
	atomic_set(&bound, 0);
}

static struct platform_driver tdxguard_testplat_driver = {
	.driver = { .name = "tdxguard_testplat" },
	.probe = tdxguard_testplat_probe,
	.remove = tdxguard_testplat_remove,
};

static struct platform_device *tdxguard_testplat_dev;

static int __init tdxguard_testplat_init(void)
{
	int ret;

	tdxguard_testplat_dev =
		platform_device_register_simple("tdxguard_testplat",
						PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(tdxguard_testplat_dev))
		return PTR_ERR(tdxguard_testplat_dev);
	ret = platform_driver_register(&tdxguard_testplat_driver);
	if (ret) {
		platform_device_unregister(tdxguard_testplat_dev);
		return ret;
	}
	/* without tdxguard_filter loaded there is nothing to widen */
	widened = !register_kprobe(&tdxguard_testplat_kprobe);
	return 0;
}

static void __exit tdxguard_testplat_exit(void)
{
	if (widened)
		unregister_kprobe(&tdxguard_testplat_kprobe);
	platform_driver_unregister(&tdxguard_testplat_driver);
	platform_device_unregister(tdxguard_testplat_dev);
}

module_init(tdxguard_testplat_init);
module_exit(tdxguard_testplat_exit);
MODULE_DESCRIPTION("tdxguard test: a platform device to race binding against the filter");
MODULE_LICENSE("GPL");
