// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel symbols from /proc/kallsyms: names for call sites, and the
 * address range of a function for --site.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/**
 * struct ksym - one text symbol
 * @addr: its address
 * @name: "name" or "name [module]"
 * @namelen: length of the name part
 * @order: position in /proc/kallsyms
 */
struct ksym {
	__u64 addr;
	char *name;
	size_t namelen;
	size_t order;
};

/* Loaded once, on first use; sorted by address. */
static struct ksym *ksyms;
static size_t nksyms;

static int ksym_cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int ksyms_add(__u64 addr, const char *name, const char *mod,
		     size_t *cap)
{
	char buf[FUZZ_LINE];

	if (nksyms == *cap) {
		size_t ncap = *cap ? *cap * 2 : 65536;
		struct ksym *n = realloc(ksyms, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		ksyms = n;
		*cap = ncap;
	}
	snprintf(buf, sizeof(buf), mod[0] ? "%s %s" : "%s", name, mod);
	ksyms[nksyms].addr = addr;
	ksyms[nksyms].namelen = strlen(name);
	ksyms[nksyms].order = nksyms;
	ksyms[nksyms].name = strdup(buf);
	if (!ksyms[nksyms].name)
		return -ENOMEM;
	nksyms++;
	return 0;
}

static int ksyms_load(void)
{
	char line[FUZZ_LINE], name[256], mod[128], type;
	unsigned long long addr;
	size_t cap = 0;
	FILE *f;
	int ret = 0;

	if (ksyms)
		return 0;
	f = fopen("/proc/kallsyms", "re");
	if (!f)
		return -errno;
	while (!ret && fgets(line, sizeof(line), f)) {
		mod[0] = '\0';
		if (sscanf(line, "%llx %c %255s %127s", &addr, &type, name, mod) < 3)
			continue;
		if ((type == 't' || type == 'T') && addr)
			ret = ksyms_add(addr, name, mod, &cap);
	}
	fclose(f);
	if (!ret && !nksyms)
		ret = -EPERM;	/* addresses hidden (kptr_restrict) */
	if (!ret)
		qsort(ksyms, nksyms, sizeof(*ksyms), ksym_cmp);
	return ret;
}

/**
 * ksyms_range() - address range of a kernel function
 * @name: function name (the first of several with that name)
 * @lo: receives its first address
 * @hi: receives its last address
 *
 * Return: 0, -ENOENT for an unknown name, or the error reading kallsyms.
 */
int ksyms_range(const char *name, __u64 *lo, __u64 *hi)
{
	size_t i, n = strlen(name);
	int ret = ksyms_load();

	if (ret)
		return ret;
	for (i = 0; i + 1 < nksyms; i++) {
		if (ksyms[i].namelen == n && !strncmp(ksyms[i].name, name, n)) {
			*lo = ksyms[i].addr;
			*hi = ksyms[i + 1].addr - 1;
			return 0;
		}
	}
	return -ENOENT;
}

/**
 * ksyms_describe() - "function+0xoff [module]" for a kernel address
 * @addr: the address
 * @out: receives the text (the bare address when unknown)
 * @len: room in @out
 */
void ksyms_describe(__u64 addr, char *out, size_t len)
{
	size_t lo = 0, hi;

	if (ksyms_load() || !nksyms || addr < ksyms[0].addr) {
		snprintf(out, len, "%#llx", (unsigned long long)addr);
		return;
	}
	hi = nksyms;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (ksyms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	/*
	 * Of several names for one address take the first listed: kallsyms
	 * lists the newest module first, and an older module's freed init
	 * code may share the address.
	 */
	while (lo > 0 && ksyms[lo - 1].addr == ksyms[lo].addr)
		lo--;
	snprintf(out, len, "%.*s+%#llx%s", (int)ksyms[lo].namelen,
		 ksyms[lo].name, (unsigned long long)(addr - ksyms[lo].addr),
		 ksyms[lo].name + ksyms[lo].namelen);
}
