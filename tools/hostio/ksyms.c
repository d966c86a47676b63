// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel symbols from /proc/kallsyms: names for call sites, and the
 * address range of a function for --site.
 *
 * Reading /proc/kallsyms takes seconds on a debug kernel under emulation,
 * and a campaign script runs the tool many times, so the text symbols are
 * kept in a cache file (root's, mode 0600: kernel addresses are secret)
 * that is used only by the same boot with the same modules at the same
 * addresses, which /proc/modules tells.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

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

#define KSYMS_CACHE	"/tmp/tdxguard-fuzz.ksyms"

static unsigned long long fnv1a(unsigned long long hash, const char *s)
{
	while (*s)
		hash = (hash ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return hash;
}

/*
 * The module layout: name, size and address of each module, not the use
 * counts and states that change while the layout stays.
 */
static int modules_hash(unsigned long long *hash)
{
	char line[FUZZ_LINE], name[128], size[32], addr[32];
	FILE *f = fopen("/proc/modules", "re");

	*hash = 0xcbf29ce484222325ULL;
	if (!f)
		return errno == ENOENT ? 0 : -errno;	/* no modules */
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127s %31s %*s %*s %*s %31s", name, size, addr) != 3)
			continue;
		*hash = fnv1a(fnv1a(fnv1a(*hash, name), size), addr);
	}
	fclose(f);
	return 0;
}

/* The cache's first line: what the symbol table depends on */
static int ksyms_key(char *key, size_t len)
{
	char boot[64] = "";
	unsigned long long mods = 0;
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");

	if (!f)
		return -errno;
	if (!fgets(boot, sizeof(boot), f))
		boot[0] = '\0';
	fclose(f);
	boot[strcspn(boot, "\n")] = '\0';
	if (!boot[0] || modules_hash(&mods))
		return -ENOENT;
	snprintf(key, len, "tdxguard-ksyms 1 %s %016llx\n", boot, mods);
	return 0;
}

/* The cache if it is ours and of this key, positioned after the key */
static FILE *ksyms_cache_open(const char *key)
{
	char line[FUZZ_LINE];
	struct stat st;
	FILE *f = fopen(KSYMS_CACHE, "re");

	if (!f)
		return NULL;
	if (!fstat(fileno(f), &st) && st.st_uid == geteuid() &&
	    !(st.st_mode & 077) && fgets(line, sizeof(line), f) &&
	    !strcmp(line, key))
		return f;
	fclose(f);
	return NULL;
}

/* A new cache file, written under a temporary name */
static FILE *ksyms_cache_create(const char *key, char *tmp, size_t len)
{
	FILE *f;
	int fd;

	snprintf(tmp, len, "%s.XXXXXX", KSYMS_CACHE);
	fd = mkstemp(tmp);	/* mode 0600 */
	if (fd < 0)
		return NULL;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return NULL;
	}
	fputs(key, f);
	return f;
}

static void ksyms_cache_commit(FILE *f, const char *tmp, bool ok)
{
	if (fclose(f) || !ok || rename(tmp, KSYMS_CACHE))
		unlink(tmp);
}

static int ksyms_load(void)
{
	char line[FUZZ_LINE], name[256], mod[128], key[128], tmp[64];
	FILE *f, *cache = NULL;
	unsigned long long addr;
	bool have_key;
	size_t cap = 0;
	int ret = 0;
	char type;

	if (ksyms)
		return 0;
	have_key = !ksyms_key(key, sizeof(key));
	f = have_key ? ksyms_cache_open(key) : NULL;
	if (!f) {
		f = fopen("/proc/kallsyms", "re");
		if (!f)
			return -errno;
		if (have_key)
			cache = ksyms_cache_create(key, tmp, sizeof(tmp));
	}
	while (!ret && fgets(line, sizeof(line), f)) {
		mod[0] = '\0';
		if (sscanf(line, "%llx %c %255s %127s", &addr, &type, name, mod) < 3)
			continue;
		if ((type == 't' || type == 'T') && addr) {
			ret = ksyms_add(addr, name, mod, &cap);
			if (cache)
				fputs(line, cache);
		}
	}
	fclose(f);
	if (!ret && !nksyms)
		ret = -EPERM;	/* addresses hidden (kptr_restrict) */
	if (cache)
		ksyms_cache_commit(cache, tmp, !ret);
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
