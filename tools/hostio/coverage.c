// SPDX-License-Identifier: GPL-2.0
/*
 * Coverage of a campaign: a feature is a comparison the kernel made
 * (its address) with its outcome (equal, below, above), from the
 * stimulus' KCOV comparison trace; only comparisons inside the driver's
 * module count, when it is known, so that the kernel's own noise (the
 * allocator, sysfs, the scheduler) does not read as progress.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/kcov.h>

#include "fuzz.h"
#include <tdxguard/hostio_mutation.h>

#define COVERAGE_BITS	20

/**
 * coverage_init() - an empty coverage map
 * @cv: the map
 * @lo: first address of comparisons that count
 * @hi: last address (0 and 0: all of the kernel)
 *
 * Return: 0 or -ENOMEM.
 */
int coverage_init(struct coverage *cv, __u64 lo, __u64 hi)
{
	memset(cv, 0, sizeof(*cv));
	cv->map = calloc(1, (1UL << COVERAGE_BITS) / 8);
	cv->lo = lo;
	cv->hi = hi;
	return cv->map ? 0 : -ENOMEM;
}

/**
 * coverage_free() - release the map
 * @cv: the map
 */
void coverage_free(struct coverage *cv)
{
	free(cv->map);
	cv->map = NULL;
}

/**
 * coverage_counts() - does a comparison at @ip count?
 * @cv: the map
 * @ip: address of the comparison
 *
 * Return: true inside the map's range (or with no range).
 */
bool coverage_counts(const struct coverage *cv, __u64 ip)
{
	return (!cv->lo && !cv->hi) || (ip >= cv->lo && ip <= cv->hi);
}

/**
 * coverage_merge() - add a trace's features
 * @cv: the map
 * @rec: KCOV comparison records (type, first, second operand, address)
 * @n: number of records
 *
 * Return: how many features were new.
 */
size_t coverage_merge(struct coverage *cv, const __u64 *rec, size_t n)
{
	size_t i, fresh = 0;

	for (i = 0; i < n; i++, rec += 4) {
		__u64 a = rec[1], b = rec[2], ip = rec[3], h;
		unsigned int rel = a == b ? 0 : a < b ? 1 : 2;

		if (!coverage_counts(cv, ip))
			continue;
		h = tdxguard_hostio_mix(ip * 4 + rel) >> (64 - COVERAGE_BITS);
		if (cv->map[h / 8] & (1U << (h % 8)))
			continue;
		cv->map[h / 8] |= 1U << (h % 8);
		cv->features++;
		fresh++;
	}
	return fresh;
}

/**
 * coverage_module_range() - where a loaded module's code lies
 * @module: module name
 * @lo: receives its first address
 * @hi: receives its last address
 *
 * Return: 0; -ENOENT when not loaded; -EPERM when /proc/modules hides
 * addresses.
 */
int coverage_module_range(const char *module, __u64 *lo, __u64 *hi)
{
	char line[FUZZ_LINE], name[FUZZ_NAME];
	unsigned long long size, addr;
	int ret = -ENOENT;
	FILE *f = fopen("/proc/modules", "re");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %llu %*s %*s %*s %llx", name, &size,
			   &addr) != 3 || strcmp(name, module))
			continue;
		ret = addr ? 0 : -EPERM;
		*lo = addr;
		*hi = addr + size - 1;
		break;
	}
	fclose(f);
	return ret;
}

/**
 * coverage_driver_module() - the module a PCI driver lives in
 * @driver: driver name
 * @module: receives the module name
 * @len: room in @module
 *
 * Return: 0, or -ENOENT for a built-in or unknown driver.
 */
int coverage_driver_module(const char *driver, char *module, size_t len)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s/module", driver);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return -ENOENT;
	link[n] = '\0';
	snprintf(module, len, "%s", basename(link));
	return 0;
}
