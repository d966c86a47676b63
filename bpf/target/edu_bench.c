// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs "bench": writing "N" performs N ioread32() of the identification
 * register back to back, "N kprobe" does the same with an empty kprobe on
 * ioread32 (kprobe events refuse it: lib/iomap.c is notrace), "N readl"
 * uses readl() (out of line through x86_io_read() on a kernel with
 * CONFIG_X86_TRACEABLE_IO_READ, the inline instruction elsewhere) and "N
 * raw" the instruction the unpatched readl() inlines, whatever the
 * kernel; reading gives "reads N ns T" for the last run. The benchmark
 * compares these with the hook attached.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "edu.h"

#define EDU_BENCH_MAX_READS	10000000U
#define EDU_BENCH_CMD		32

/* Guards every edu_bench_* variable below. */
static DEFINE_MUTEX(edu_bench_lock);
static void __iomem *edu_bench_regs;
static struct dentry *edu_bench_file;
static u32 edu_bench_reads;
static u64 edu_bench_ns;

static int edu_bench_nop(struct kprobe *p, struct pt_regs *regs)
{
	return 0;
}

/* The unpatched readl(): one inline movl, as <asm/io.h> has it stock. */
static __always_inline u32 edu_raw_readl(const void __iomem *addr)
{
	u32 val;

	asm volatile("movl %1,%0" : "=r" (val)
		     : "m" (*(u32 __force *)addr) : "memory");
	return val;
}

/**
 * enum edu_bench_accessor - how the timed loop reads
 * @EDU_BENCH_IOREAD: ioread32()
 * @EDU_BENCH_READL: readl(), as this kernel's headers define it
 * @EDU_BENCH_RAW: the unpatched readl() instruction
 */
enum edu_bench_accessor {
	EDU_BENCH_IOREAD,
	EDU_BENCH_READL,
	EDU_BENCH_RAW,
};

static int edu_bench_run(u32 n, enum edu_bench_accessor how)
{
	u64 start;
	u32 i;

	guard(mutex)(&edu_bench_lock);
	if (!edu_bench_regs)
		return -ENODEV;
	start = ktime_get_ns();
	for (i = 0; i < n; i++) {
		if (how == EDU_BENCH_READL)
			readl(edu_bench_regs);
		else if (how == EDU_BENCH_RAW)
			edu_raw_readl(edu_bench_regs);
		else
			ioread32(edu_bench_regs);
	}
	edu_bench_ns = ktime_get_ns() - start;
	edu_bench_reads = n;
	return 0;
}

/* The same run with an empty kprobe on ioread32 for its duration. */
static int edu_bench_run_kprobe(u32 n)
{
	struct kprobe kp = {
		.symbol_name = "ioread32",
		.pre_handler = edu_bench_nop,
	};
	int ret = register_kprobe(&kp);

	if (ret)
		return ret;
	ret = edu_bench_run(n, EDU_BENCH_IOREAD);
	unregister_kprobe(&kp);
	return ret;
}

/* "N", "N kprobe", "N readl" or "N raw"; N in 1..EDU_BENCH_MAX_READS. */
static ssize_t edu_bench_write(struct file *file, const char __user *ubuf,
			       size_t len, loff_t *ppos)
{
	char buf[EDU_BENCH_CMD], word[EDU_BENCH_CMD];
	int ret, fields;
	u32 n;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	fields = sscanf(buf, "%u %31s", &n, word);
	if (fields < 1 || !n || n > EDU_BENCH_MAX_READS)
		return -EINVAL;
	if (fields == 1)
		ret = edu_bench_run(n, EDU_BENCH_IOREAD);
	else if (!strcmp(word, "kprobe"))
		ret = edu_bench_run_kprobe(n);
	else if (!strcmp(word, "readl"))
		ret = edu_bench_run(n, EDU_BENCH_READL);
	else if (!strcmp(word, "raw"))
		ret = edu_bench_run(n, EDU_BENCH_RAW);
	else
		return -EINVAL;
	return ret ? ret : len;
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
