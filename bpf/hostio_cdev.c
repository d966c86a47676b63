// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/tdxguard_hostio: configure and drive the built-in engine, read its
 * counters and the mutation log.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "hostio.h"

/* Events copied to user space per chunk of read(). */
#define HOSTIO_READ_CHUNK	64

/* One campaign at a time: set while the device is open. */
static atomic_t hostio_cdev_busy = ATOMIC_INIT(0);

static long hostio_ioc_configure(void __user *arg)
{
	struct tdxguard_hostio_config cfg;

	if (copy_from_user(&cfg, arg, sizeof(cfg)))
		return -EFAULT;
	return hostio_engine_configure(&cfg);
}

static long hostio_ioc_set_replay(void __user *arg)
{
	struct tdxguard_hostio_event *events = NULL;
	struct tdxguard_hostio_replay replay;

	if (copy_from_user(&replay, arg, sizeof(replay)))
		return -EFAULT;
	if (replay.count > TDXGUARD_HOSTIO_MAX_REPLAY || replay.reserved)
		return -EINVAL;
	if (replay.count) {
		events = vmemdup_array_user(u64_to_user_ptr(replay.events),
					    replay.count, sizeof(*events));
		if (IS_ERR(events))
			return PTR_ERR(events);
	}
	return hostio_engine_set_replay(events, replay.count);
}

static long hostio_ioc_begin(u32 __user *arg)
{
	u32 iteration;

	if (get_user(iteration, arg))
		return -EFAULT;
	hostio_engine_begin(iteration);
	return 0;
}

static long hostio_ioc_get_stats(void __user *arg)
{
	struct tdxguard_hostio_stats stats = {};

	hostio_hook_stats(&stats);
	hostio_engine_stats(&stats);
	return copy_to_user(arg, &stats, sizeof(stats)) ? -EFAULT : 0;
}

static long hostio_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case TDXGUARD_HOSTIO_CONFIGURE:
		return hostio_ioc_configure(uarg);
	case TDXGUARD_HOSTIO_SET_REPLAY:
		return hostio_ioc_set_replay(uarg);
	case TDXGUARD_HOSTIO_BEGIN:
		return hostio_ioc_begin(uarg);
	case TDXGUARD_HOSTIO_END:
		hostio_engine_end();
		return 0;
	case TDXGUARD_HOSTIO_GET_STATS:
		return hostio_ioc_get_stats(uarg);
	default:
		return -ENOTTY;
	}
}

static ssize_t hostio_read(struct file *file, char __user *buf, size_t len,
			   loff_t *ppos)
{
	const size_t evsz = sizeof(struct tdxguard_hostio_event);
	struct tdxguard_hostio_event *chunk;
	size_t first, want, n, done = 0;

	if (len < evsz || *ppos < 0 || *ppos % evsz)
		return -EINVAL;
	chunk = kmalloc_array(HOSTIO_READ_CHUNK, evsz, GFP_KERNEL);
	if (!chunk)
		return -ENOMEM;
	first = *ppos / evsz;
	while (done + evsz <= len) {
		want = min_t(size_t, HOSTIO_READ_CHUNK, (len - done) / evsz);
		n = hostio_engine_copy_events(first, chunk, want);
		if (!n)
			break;
		if (copy_to_user(buf + done, chunk, n * evsz)) {
			kfree(chunk);
			return -EFAULT;
		}
		first += n;
		done += n * evsz;
	}
	kfree(chunk);
	*ppos += done;
	return done;
}

static int hostio_open(struct inode *inode, struct file *file)
{
	if (atomic_cmpxchg(&hostio_cdev_busy, 0, 1))
		return -EBUSY;
	return 0;
}

/* A campaign that dies must not leave the engine mutating. */
static int hostio_release(struct inode *inode, struct file *file)
{
	hostio_engine_end();
	atomic_set(&hostio_cdev_busy, 0);
	return 0;
}

static const struct file_operations hostio_fops = {
	.owner = THIS_MODULE,
	.open = hostio_open,
	.unlocked_ioctl = hostio_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.read = hostio_read,
	.release = hostio_release,
	.llseek = default_llseek,
};

static struct miscdevice hostio_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "tdxguard_hostio",
	.fops = &hostio_fops,
	.mode = 0600,
};

/**
 * hostio_cdev_register() - create /dev/tdxguard_hostio
 *
 * Return: 0 or the error of misc_register().
 */
int hostio_cdev_register(void)
{
	return misc_register(&hostio_misc);
}

/**
 * hostio_cdev_unregister() - remove /dev/tdxguard_hostio
 */
void hostio_cdev_unregister(void)
{
	misc_deregister(&hostio_misc);
}
