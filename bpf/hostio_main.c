// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_hostio: route host-controlled reads (MMIO, port IO, PCI config,
 * virtqueue used lengths and device-written buffers and, on a patched
 * kernel, inline readl()/inb() and used-ring buffer ids) through one hook
 * that BPF or the built-in engine can mutate, to fuzz drivers the way a
 * hostile TDX host would.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/seq_file.h>

#include "hostio.h"

/**
 * struct hostio_interposer - one family of host reads we route
 * @name: what it covers, for messages
 * @attach: start routing; undoes itself on failure
 * @detach: stop routing; idempotent
 */
struct hostio_interposer {
	const char *name;
	int (*attach)(void);
	void (*detach)(void);
};

static const struct hostio_interposer hostio_interposers[] = {
	{ "ioread", hostio_iomap_attach, hostio_iomap_detach },
	{ "pci-config", hostio_pci_attach, hostio_pci_detach },
	/* before "virtqueue": its completions look requests up here */
	{ "virtqueue-data", hostio_vqdata_attach, hostio_vqdata_detach },
	{ "virtqueue", hostio_vq_attach, hostio_vq_detach },
	{ "inline", hostio_inline_attach, hostio_inline_detach },
};

/* Created in init, removed in exit. */
static struct dentry *hostio_debugfs_dir;

static int hostio_status_show(struct seq_file *m, void *unused)
{
	struct tdxguard_hostio_stats stats = {};

	hostio_hook_stats(&stats);
	hostio_engine_stats(&stats);
	seq_printf(m, "reads %llu\nselected %llu\nmutated %llu\nsites %llu\n"
		   "events_lost %llu\n", stats.reads, stats.selected,
		   stats.mutated, stats.sites, stats.events_lost);
	hostio_iomap_debugfs(m);
	hostio_vq_debugfs(m);
	hostio_vqdata_debugfs(m);
	hostio_inline_debugfs(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hostio_status);

static void hostio_detach_all(void)
{
	int i;

	for (i = ARRAY_SIZE(hostio_interposers) - 1; i >= 0; i--)
		hostio_interposers[i].detach();
}

static int hostio_attach_all(void)
{
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(hostio_interposers); i++) {
		ret = hostio_interposers[i].attach();
		if (ret) {
			pr_err("routing %s reads failed: %d\n",
			       hostio_interposers[i].name, ret);
			hostio_detach_all();
			return ret;
		}
	}
	return 0;
}

static int __init hostio_init(void)
{
	int ret;

	ret = hostio_engine_init();
	if (ret)
		return ret;
	hostio_debugfs_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	hostio_sites_debugfs(hostio_debugfs_dir);
	debugfs_create_file("status", 0400, hostio_debugfs_dir, NULL,
			    &hostio_status_fops);
	ret = hostio_attach_all();
	if (ret)
		goto err_debugfs;
	ret = hostio_cdev_register();
	if (ret)
		goto err_detach;
	pr_info("routing host reads through the tdxguard_hostio_read tracepoint\n");
	return 0;

err_detach:
	hostio_detach_all();
err_debugfs:
	debugfs_remove_recursive(hostio_debugfs_dir);
	hostio_engine_exit();
	return ret;
}

static void __exit hostio_exit(void)
{
	hostio_cdev_unregister();
	hostio_detach_all();
	debugfs_remove_recursive(hostio_debugfs_dir);
	hostio_engine_exit();
	pr_info("host reads restored\n");
}

module_init(hostio_init);
module_exit(hostio_exit);

MODULE_DESCRIPTION("tdxguard: hook for fuzzing host input to guest drivers");
MODULE_LICENSE("GPL");
