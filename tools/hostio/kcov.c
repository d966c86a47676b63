// SPDX-License-Identifier: GPL-2.0
/*
 * KCOV comparison tracing of the stimulus: the campaign opens the device
 * and maps its buffer, the stimulus child enables it for itself (so the
 * probe it triggers by writing to sysfs is traced in its context), and
 * after the child is gone the campaign reads the comparisons it made.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kcov.h>

#include "fuzz.h"

#define KCOV_PATH	"/sys/kernel/debug/kcov"
/* Words of the buffer: word 0 counts records, each record is 4 words. */
#define KCOV_WORDS	(1024UL * 1024)
#define KCOV_REC	4

/**
 * kcov_open() - open KCOV and map its buffer for the stimulus to fill
 * @k: receives the handle
 *
 * Return: 0, -ENOENT when the kernel has no KCOV (or debugfs is not
 * mounted), another negative errno on failure (-ENOTTY: no comparison
 * tracing, CONFIG_KCOV_ENABLE_COMPARISONS).
 */
int kcov_open(struct kcov *k)
{
	int ret;

	memset(k, 0, sizeof(*k));
	k->fd = open(KCOV_PATH, O_RDWR | O_CLOEXEC);
	if (k->fd < 0)
		return -errno;
	if (ioctl(k->fd, KCOV_INIT_TRACE, KCOV_WORDS))
		goto fail;
	k->area = mmap(NULL, KCOV_WORDS * sizeof(__u64), PROT_READ | PROT_WRITE,
		       MAP_SHARED, k->fd, 0);
	if (k->area == MAP_FAILED) {
		k->area = NULL;
		goto fail;
	}
	k->words = KCOV_WORDS;
	/* a child proves comparison tracing works before we rely on it */
	ret = kcov_probe(k);
	if (ret) {
		kcov_close(k);
		return ret;
	}
	return 0;
fail:
	ret = -errno;
	kcov_close(k);
	return ret;
}

/**
 * kcov_child_enable() - trace the calling task's comparisons from now on
 * @k: the handle the campaign opened (inherited across fork)
 *
 * Called in the stimulus child, before it triggers the probe. A failure
 * leaves the iteration without coverage; the campaign sees an empty trace.
 */
void kcov_child_enable(struct kcov *k)
{
	if (!k || !k->area)
		return;
	__atomic_store_n(&k->area[0], 0, __ATOMIC_RELAXED);
	if (ioctl(k->fd, KCOV_ENABLE, KCOV_TRACE_CMP))
		return;
	__atomic_store_n(&k->area[0], 0, __ATOMIC_RELAXED);
}

/**
 * kcov_child_disable() - stop tracing the calling task
 * @k: the handle, or NULL
 */
void kcov_child_disable(struct kcov *k)
{
	if (k && k->area)
		ioctl(k->fd, KCOV_DISABLE, 0);
}

/**
 * kcov_cmps() - the comparisons the last stimulus made
 * @k: the handle
 * @n: receives the number of records
 *
 * Each record is four words: KCOV_CMP_* type, first and second operand,
 * and the address of the comparison.
 *
 * Return: the first record, or NULL without KCOV.
 */
const __u64 *kcov_cmps(const struct kcov *k, size_t *n)
{
	__u64 count;

	*n = 0;
	if (!k->area)
		return NULL;
	count = __atomic_load_n(&k->area[0], __ATOMIC_RELAXED);
	if (count > (k->words - 1) / KCOV_REC)
		count = (k->words - 1) / KCOV_REC;
	*n = count;
	return k->area + 1;
}

/**
 * kcov_probe() - check that a task can trace its comparisons
 * @k: the open handle
 *
 * Return: 0, or a negative errno from KCOV_ENABLE.
 */
int kcov_probe(struct kcov *k)
{
	int ret = 0;

	if (ioctl(k->fd, KCOV_ENABLE, KCOV_TRACE_CMP))
		return -errno;
	if (ioctl(k->fd, KCOV_DISABLE, 0))
		ret = -errno;
	return ret;
}

/**
 * kcov_close() - unmap and close
 * @k: the handle; closing one that was never opened does nothing
 */
void kcov_close(struct kcov *k)
{
	if (k->area)
		munmap(k->area, k->words * sizeof(__u64));
	if (k->fd > 0)
		close(k->fd);
	memset(k, 0, sizeof(*k));
}
