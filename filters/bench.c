// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_filter benchmark hook: reading debugfs tdxguard_filter/bench
 * measures the cost of one policy decision with 10, 100 and 1000 rules
 * (and the ratio of the last to the first, which the hashed policy keeps
 * near 1) and of a probe-shaped call with the gate off and on, and prints
 * "bench: <metric>: <value> <unit>" lines. The gated calls decide a
 * synthetic, never registered platform device "tdxguard-bench": it shows
 * up once in the record and in the counters.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/math64.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/timekeeping.h>

#include "filter.h"

#define FILTER_BENCH_DECISIONS	200000U		/* decisions per policy size */
#define FILTER_BENCH_PROBES	20000U

static struct dentry *filter_bench_dir;

static struct device_driver filter_bench_driver = {
	.name = "tdxguard-bench",
};

/**
 * tdxguard_filter_bench_probe() - stand-in for really_probe()
 * @dev: the device
 * @drv: the driver
 *
 * Return: 0 when it ran (the gate makes it return -ENODEV instead).
 */
noinline int tdxguard_filter_bench_probe(struct device *dev,
					 const struct device_driver *drv)
{
	return dev && drv ? 0 : 1;
}

/* A policy of @rules PCI rules, none matching 0xabcd:0x0001. */
static struct filter_policy *filter_bench_policy(unsigned int rules)
{
	struct filter_policy *policy = filter_policy_alloc(rules);
	struct filter_rule rule = {
		.bus = FILTER_BUS_PCI,
		.pci = { .subvendor = FILTER_PCI_ANY,
			 .subdevice = FILTER_PCI_ANY },
	};
	unsigned int i;

	for (i = 0; policy && i < rules; i++) {
		rule.pci.vendor = 0x1000 + i;
		rule.pci.device = i;
		filter_policy_add(policy, &rule);
	}
	return policy;
}

static void filter_bench_print(struct seq_file *m, const char *metric,
			       u64 total_ns, unsigned int loops)
{
	u64 ps = div_u64(total_ns * 1000, loops);

	seq_printf(m, "bench: %s: %llu.%03llu ns\n", metric,
		   div_u64(ps, 1000), ps % 1000);
}

/* Nanoseconds for FILTER_BENCH_DECISIONS decisions with @rules rules. */
static u64 filter_bench_decisions(unsigned int rules)
{
	struct filter_identity id = {
		.bus = FILTER_BUS_PCI,
		.driver = "bench",
		.pci = { .vendor = 0xabcd, .device = 1 },
	};
	struct filter_policy *policy = filter_bench_policy(rules);
	unsigned int i, loops = FILTER_BENCH_DECISIONS;
	u64 start, ns;
	int ret;

	if (!policy)
		return 0;
	start = ktime_get_ns();
	for (i = 0; i < loops; i++) {
		id.pci.device = i & 0xff;	/* a different bucket each time */
		ret = filter_policy_match(policy, &id);
		OPTIMIZER_HIDE_VAR(ret);
	}
	ns = ktime_get_ns() - start;
	filter_policy_free(policy);
	return ns;
}

static void filter_bench_gate(struct seq_file *m)
{
	struct platform_device *pdev;
	u64 off, on;
	int ret;

	pdev = platform_device_alloc("tdxguard-bench", PLATFORM_DEVID_NONE);
	if (!pdev)
		return;
	pdev->dev.bus = &platform_bus_type;	/* as platform_device_add() would */
	device_lock(&pdev->dev);
	ret = dev_set_name(&pdev->dev, "tdxguard-bench") ?:
	      filter_gate_bench(&pdev->dev, &filter_bench_driver,
				FILTER_BENCH_PROBES, &off, &on);
	device_unlock(&pdev->dev);
	if (!ret) {
		filter_bench_print(m, "filter probe call, gate off", off,
				   FILTER_BENCH_PROBES);
		filter_bench_print(m, "filter probe call, gate on", on,
				   FILTER_BENCH_PROBES);
		filter_bench_print(m, "filter probe gate overhead", on - min(on, off),
				   FILTER_BENCH_PROBES);
	}
	platform_device_put(pdev);
}

/*
 * Each size is timed in 3 interleaved rounds and the fastest round counts,
 * so that warming up and a stray interrupt favour no size.
 */
static int filter_bench_show(struct seq_file *m, void *unused)
{
	static const unsigned int sizes[] = { 10, 100, 1000 };
	u64 best[ARRAY_SIZE(sizes)] = {}, ns;
	unsigned int round, i;
	char metric[48];

	for (round = 0; round < 3; round++) {
		for (i = 0; i < ARRAY_SIZE(sizes); i++) {
			ns = filter_bench_decisions(sizes[i]);
			if (!best[i] || ns < best[i])
				best[i] = ns;
		}
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		snprintf(metric, sizeof(metric), "filter decision, %u rules",
			 sizes[i]);
		filter_bench_print(m, metric, best[i], FILTER_BENCH_DECISIONS);
	}
	if (best[0])
		seq_printf(m, "bench: filter decision ratio, 1000 to 10 rules: %llu.%02llu x\n",
			   div64_u64(best[2], best[0]),
			   div64_u64(best[2] * 100, best[0]) % 100);
	filter_bench_gate(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(filter_bench);

/**
 * filter_bench_init() - create debugfs tdxguard_filter/bench
 *
 * debugfs is optional: failures leave the hook out.
 */
void filter_bench_init(void)
{
	filter_bench_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("bench", 0400, filter_bench_dir, NULL,
			    &filter_bench_fops);
}

/**
 * filter_bench_exit() - remove the hook; idempotent
 */
void filter_bench_exit(void)
{
	debugfs_remove(filter_bench_dir);
	filter_bench_dir = NULL;
}
