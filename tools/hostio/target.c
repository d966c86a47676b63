// SPDX-License-Identifier: GPL-2.0
/*
 * The stimulus: unbind and bind a PCI device through sysfs (with a preset's
 * traffic and the unbind after it), or run a command, in a child process
 * so a hang is seen rather than suffered.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

#define PCI_DEVICES	"/sys/bus/pci/devices"
#define PCI_DRIVERS	"/sys/bus/pci/drivers"
/* struct resource flags in sysfs "resource" (include/linux/ioport.h) */
#define RES_IO		0x00000100
#define RES_MEM		0x00000200
#define WAIT_STEP_US	2000

static int parse_bdf(const char *bdf, __u64 *base)
{
	unsigned int dom, bus, dev, fn;
	char end;

	if (sscanf(bdf, "%x:%x:%x.%x%c", &dom, &bus, &dev, &fn, &end) != 4 ||
	    bus > 0xff || dev > 0x1f || fn > 7)
		return -EINVAL;
	*base = (__u64)dom << 32 | (__u64)bus << 20 | (__u64)(dev << 3 | fn) << 12;
	return 0;
}

static int add_range(struct tdxguard_hostio_range *r, unsigned int *n,
		     unsigned int max, __u32 kind, __u64 lo, __u64 hi)
{
	if (*n >= max)
		return -E2BIG;
	r[*n] = (struct tdxguard_hostio_range){ .lo = lo, .hi = hi, .kind = kind };
	(*n)++;
	return 0;
}

/* A BAR is read through ioread*() (@kind) and the inline accessors. */
static int add_bar(struct tdxguard_hostio_range *r, unsigned int *n,
		   unsigned int max, __u32 kind, __u32 inline_kind,
		   __u64 lo, __u64 hi)
{
	int ret = add_range(r, n, max, kind, lo, hi);

	return ret ? ret : add_range(r, n, max, inline_kind, lo, hi);
}

/* MMIO and port ranges of the device's BARs, from sysfs "resource". */
static int bar_ranges(const char *bdf, struct tdxguard_hostio_range *r,
		      unsigned int *n, unsigned int max)
{
	unsigned long long start, end, flags;
	char path[PATH_MAX];
	int ret = 0, bar = 0;
	FILE *f;

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/resource", bdf);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (!ret && bar++ < 6 &&
	       fscanf(f, "%llx %llx %llx", &start, &end, &flags) == 3) {
		if (!end)
			continue;
		if (flags & RES_MEM)
			ret = add_bar(r, n, max, TDXGUARD_HOSTIO_MMIO,
				      TDXGUARD_HOSTIO_MMIO_INLINE, start, end);
		else if (flags & RES_IO)
			ret = add_bar(r, n, max, TDXGUARD_HOSTIO_PIO,
				      TDXGUARD_HOSTIO_PIO_INLINE, start, end);
	}
	fclose(f);
	return ret;
}

/**
 * target_device_ranges() - the address ranges that belong to a device
 * @bdf: PCI address, e.g. "0000:00:03.0"
 * @r: receives the ranges: its config space, its virtqueues' used
 *	elements and device-written buffers, and its BARs (each BAR twice:
 *	ioread*() and inline accessor kinds)
 * @max: room in @r
 *
 * Return: number of ranges, -EINVAL for a malformed @bdf, -ENOENT for a
 * device that does not exist, -E2BIG when @r is too small.
 */
int target_device_ranges(const char *bdf, struct tdxguard_hostio_range *r,
			 unsigned int max)
{
	unsigned int n = 0;
	__u64 base;
	int ret;

	ret = parse_bdf(bdf, &base);
	if (ret)
		return ret;
	ret = add_range(r, &n, max, TDXGUARD_HOSTIO_PCI_CFG, base, base | 0xfff);
	if (!ret)
		ret = add_range(r, &n, max, TDXGUARD_HOSTIO_VQ_LEN, base,
				base | 0xfff);
	if (!ret)
		ret = add_range(r, &n, max, TDXGUARD_HOSTIO_VQ_ID, base,
				base | 0xfff);
	if (!ret)
		ret = add_range(r, &n, max, TDXGUARD_HOSTIO_VQ_DATA, base << 12,
				(base | 0xfff) << 12 | 0xfff);
	if (!ret)
		ret = bar_ranges(bdf, r, &n, max);
	return ret ? ret : (int)n;
}

/**
 * target_current_driver() - name of the driver bound to a device
 * @bdf: PCI address
 * @driver: receives the name, "" when unbound
 * @len: room in @driver
 *
 * Return: 0, or -ENOENT when the device does not exist.
 */
int target_current_driver(const char *bdf, char *driver, size_t len)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), PCI_DEVICES "/%s", bdf);
	if (access(path, F_OK))
		return -ENOENT;
	driver[0] = '\0';
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/driver", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = '\0';
		snprintf(driver, len, "%s", basename(link));
	}
	return 0;
}

static int write_file(const char *path, const char *text)
{
	ssize_t len = strlen(text), n;
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	n = n < 0 ? -errno : n;
	close(fd);
	return n == len ? 0 : (n < 0 ? n : -EIO);
}

static int unbind_now(const struct target *t)
{
	char driver[FUZZ_NAME], path[PATH_MAX];
	int ret;

	if (!t->bdf[0])
		return 0;
	ret = target_current_driver(t->bdf, driver, sizeof(driver));
	if (ret || !driver[0])
		return ret;
	snprintf(path, sizeof(path), PCI_DRIVERS "/%s/unbind", driver);
	return write_file(path, t->bdf);
}

static int bind_device(const struct target *t)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), PCI_DRIVERS "/%s/bind", t->driver);
	return write_file(path, t->bdf);
}

/*
 * The child: bind (probe errors are the driver's answer, not ours), with
 * its comparisons traced when the campaign asked for coverage; with a
 * preset, its traffic and the unbind follow, still in the window. A
 * command keeps the tracing across exec, until it exits; the preset's
 * shell is not traced.
 */
static void stimulus_child(const struct target *t)
{
	const char *script = stimulus_script(t->stimulus);
	pid_t pid;
	int ret;

	kcov_child_enable(t->kcov);
	if (t->run)
		execl("/bin/sh", "sh", "-c", t->run, (char *)NULL);
	ret = t->run ? -ENOENT : bind_device(t);
	kcov_child_disable(t->kcov);
	if (ret == -ENOENT)
		_exit(127);
	if (!script)
		_exit(0);
	pid = fork();
	if (!pid)
		execl("/bin/sh", "sh", "-c", script, "sh", t->bdf, (char *)NULL);
	if (pid < 0 || waitpid(pid, NULL, 0) != pid)
		_exit(127);
	_exit(unbind_now(t) ? 127 : 0);
}

static void unbind_child(const struct target *t)
{
	_exit(unbind_now(t) ? 127 : 0);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Run @fn(@t) in a child, so a driver stuck in the kernel (holding the
 * device lock, say) stalls the child and not the campaign. Exit status
 * 127 from the child means it could not do its job.
 */
static enum stimulus_result in_child(const struct target *t,
				     void (*fn)(const struct target *))
{
	double deadline = now() + t->timeout;
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return STIMULUS_ERROR;
	if (!pid)
		fn(t);
	for (;;) {
		pid_t done = waitpid(pid, &status, WNOHANG);

		if (done == pid)
			break;
		if (done < 0 && errno != EINTR)
			return STIMULUS_ERROR;
		if (now() > deadline) {
			kill(pid, SIGKILL);
			return STIMULUS_HUNG;
		}
		usleep(WAIT_STEP_US);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return STIMULUS_ERROR;
	return STIMULUS_DONE;
}

/**
 * target_stimulate() - run one stimulus with the target's timeout
 * @t: the target
 *
 * Return: STIMULUS_DONE when it finished (whatever the probe said),
 * STIMULUS_HUNG when it outlived the timeout (the child is left behind:
 * a task stuck in the kernel cannot be killed), STIMULUS_ERROR when it
 * could not be started or the bind file is missing.
 */
enum stimulus_result target_stimulate(const struct target *t)
{
	return in_child(t, stimulus_child);
}

/**
 * target_unbind() - release the device from its driver, if bound
 * @t: the target
 *
 * Return: 0; -ETIMEDOUT when the unbind hangs (a wedged driver holds the
 * device); -EIO when sysfs refuses it.
 */
int target_unbind(const struct target *t)
{
	if (!t->bdf[0])
		return 0;
	switch (in_child(t, unbind_child)) {
	case STIMULUS_DONE:
		return 0;
	case STIMULUS_HUNG:
		return -ETIMEDOUT;
	default:
		return -EIO;
	}
}

/**
 * target_restore() - leave the device bound to its driver, unmutated
 * @t: the target
 *
 * Return: 0 or a negative errno (a failing probe is not an error here).
 */
int target_restore(const struct target *t)
{
	char driver[FUZZ_NAME];
	int ret;

	if (!t->bdf[0])
		return 0;
	ret = target_current_driver(t->bdf, driver, sizeof(driver));
	if (ret || driver[0])
		return ret;
	bind_device(t);
	return 0;
}
