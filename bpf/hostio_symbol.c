// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel functions by name (through a kprobe, kallsyms_lookup_name() is
 * not exported) and their address ranges, from kallsyms' "name+off/size".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/string.h>

#include "hostio.h"

/**
 * hostio_symbol_range() - find the bounds of the function at @fn
 * @fn: the function's address
 * @start: receives its first byte
 * @end: receives the address after its last byte
 *
 * Return: 0, or -ENOENT when kallsyms does not know @fn.
 */
int hostio_symbol_range(const void *fn, unsigned long *start,
			unsigned long *end)
{
	char buf[KSYM_SYMBOL_LEN];
	unsigned long off, size;
	char *plus;

	sprint_symbol(buf, (unsigned long)fn);
	plus = strrchr(buf, '+');
	if (!plus || sscanf(plus, "+%lx/%lx", &off, &size) != 2)
		return -ENOENT;
	*start = (unsigned long)fn - off;
	*end = *start + size;
	return 0;
}

/**
 * hostio_lookup() - find a kernel function by name
 * @name: its symbol; static functions too
 *
 * Registers a kprobe on @name and removes it again: only for init.
 *
 * Context: process; sleeps.
 * Return: an address inside the function (its entry, or just after an
 * ENDBR), or NULL when the kernel has no such probeable function.
 */
void *hostio_lookup(const char *name)
{
	struct kprobe kp = { .symbol_name = name };
	void *addr;

	if (register_kprobe(&kp))
		return NULL;
	addr = kp.addr;
	unregister_kprobe(&kp);
	return addr;
}

/**
 * hostio_find_texts() - fill in the text range of each function the kernel
 * has
 * @t: the functions, by name; a missing one gets start and end 0
 * @n: how many
 *
 * Context: process; sleeps (hostio_lookup()).
 */
void hostio_find_texts(struct hostio_text *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		void *fn = hostio_lookup(t[i].name);

		if (!fn || hostio_symbol_range(fn, &t[i].start, &t[i].end)) {
			t[i].start = 0;
			t[i].end = 0;
		}
	}
}

/**
 * hostio_within() - whether @addr lies in one of the functions @t
 * @t: functions filled in by hostio_find_texts()
 * @n: how many
 * @addr: a text address
 *
 * Return: true when some function of @t contains @addr.
 */
bool hostio_within(const struct hostio_text *t, size_t n, unsigned long addr)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (addr >= t[i].start && addr < t[i].end)
			return true;
	return false;
}
