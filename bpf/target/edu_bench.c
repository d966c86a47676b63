// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs "bench": writing N performs N ioread32() of the identification
 * register back to back; reading gives "reads N ns T" for the last run.
 * The benchmark compares this with probes and the hook attached.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "edu.h"

#define EDU_BENCH_MAX_READS	10000000U

/* Guards every edu_bench_* variable below. */
static DEFINE_MUTEX(edu_bench_lock);
static void __iomem *edu_bench_regs;
static struct dentry *edu_bench_file;
static u32 edu_bench_reads;
static u64 edu_bench_ns;

static ssize_t edu_bench_write(struct file *file, const char __user *buf,
			       size_t len, loff_t *ppos)
{
	u64 start;
	u32 n, i;
	int ret;

	ret = kstrtou32_from_user(buf, len, 0, &n);
	if (ret)
		return ret;
	if (!n || n > EDU_BENCH_MAX_READS)
		return -EINVAL;
	mutex_lock(&edu_bench_lock);
	if (!edu_bench_regs) {
		mutex_unlock(&edu_bench_lock);
		return -ENODEV;
	}
	start = ktime_get_ns();
	for (i = 0; i < n; i++)
		ioread32(edu_bench_regs);
	edu_bench_ns = ktime_get_ns() - start;
	edu_bench_reads = n;
	mutex_unlock(&edu_bench_lock);
	return len;
}

static ssize_t edu_bench_read(struct file *file, char __user *buf,
			      size_t len, loff_t *ppos)
{
	char out[64];
	int n;

	mutex_lock(&edu_bench_lock);
	n = scnprintf(out, sizeof(out), "reads %u ns %llu\n", edu_bench_reads,
		      edu_bench_ns);
	mutex_unlock(&edu_bench_lock);
	return simple_read_from_buffer(buf, len, ppos, out, n);
}

static const struct file_operations edu_bench_fops = {
	.owner = THIS_MODULE,
	.read = edu_bench_read,
	.write = edu_bench_write,
	.llseek = default_llseek,
};

/**
 * edu_bench_register() - create the bench file for a bound device
 * @dir: the driver's debugfs directory
 * @regs: the device's mapped BAR0
 */
void edu_bench_register(struct dentry *dir, void __iomem *regs)
{
	mutex_lock(&edu_bench_lock);
	edu_bench_regs = regs;
	edu_bench_reads = 0;
	edu_bench_ns = 0;
	mutex_unlock(&edu_bench_lock);
	edu_bench_file = debugfs_create_file("bench", 0600, dir, NULL,
					     &edu_bench_fops);
}

/**
 * edu_bench_unregister() - remove the bench file before the BAR goes away
 */
void edu_bench_unregister(void)
{
	debugfs_remove(edu_bench_file);
	edu_bench_file = NULL;
	mutex_lock(&edu_bench_lock);
	edu_bench_regs = NULL;
	mutex_unlock(&edu_bench_lock);
}
