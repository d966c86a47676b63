// SPDX-License-Identifier: GPL-2.0
/*
 * Address range of a kernel function, from kallsyms' "name+off/size" text.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kallsyms.h>
#include <linux/kernel.h>
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
