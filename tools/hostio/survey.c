// SPDX-License-Identifier: GPL-2.0
/*
 * The survey of --trace-only: the host reads a stimulus made, per call
 * site, per kind and in total, and what this kernel cannot see.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/**
 * survey_add() - count the reads of one call site
 * @s: the survey
 * @site: return address of the read
 * @kind: &enum tdxguard_hostio_kind of the reads there
 * @count: reads seen there
 *
 * Return: 0 or -ENOMEM.
 */
int survey_add(struct survey *s, __u64 site, __u32 kind, __u64 count)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 256;
		struct survey_site *p = realloc(s->sites, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		s->sites = p;
		s->cap = cap;
	}
	s->sites[s->n++] = (struct survey_site){
		.site = site, .kind = kind, .count = count,
	};
	return 0;
}

/* By kind, then busiest site first, then by address. */
static int survey_cmp(const void *a, const void *b)
{
	const struct survey_site *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->site < y->site ? -1 : x->site > y->site;
}

/**
 * survey_inline_covered() - whether inline accessors reach the hook
 *
 * Return: true when the kernel has x86_io_read() (test-kernel patch
 * 0001, CONFIG_X86_TRACEABLE_IO_READ), which tdxguard_hostio probes.
 */
bool survey_inline_covered(void)
{
	__u64 lo, hi;

	return !ksyms_range("x86_io_read", &lo, &hi);
}

/* Whether the kernel reads used elements out of line (patch 0002). */
static bool survey_vq_id_covered(void)
{
	__u64 lo, hi;

	return !ksyms_range("vring_read_used_split", &lo, &hi);
}

/**
 * survey_print() - print every site, the totals per kind and overall
 * @s: the survey; its sites are sorted
 * @out: where to
 *
 * Lines: "site: KIND COUNT SYMBOL", "kind: KIND reads N sites N" for
 * every kind, "total: reads N sites N", and a "note:" when the kernel
 * does not route inline MMIO and port reads through the hook (no
 * x86_io_read(): mmio-inline and pio-inline stay 0), and one when it
 * reads used-ring elements inline (no vring_read_used_split(): vq-id
 * stays 0).
 */
void survey_print(struct survey *s, FILE *out)
{
	unsigned long long reads[TDXGUARD_HOSTIO_NR_KINDS] = { 0 };
	unsigned long long sites[TDXGUARD_HOSTIO_NR_KINDS] = { 0 };
	unsigned long long total = 0, nsites = 0;
	char sym[FUZZ_LINE];
	__u32 k;
	size_t i;

	qsort(s->sites, s->n, sizeof(*s->sites), survey_cmp);
	for (i = 0; i < s->n; i++) {
		const struct survey_site *p = &s->sites[i];

		ksyms_describe(p->site, sym, sizeof(sym));
		fprintf(out, "site: %-11s %10llu %s\n", kind_name(p->kind),
			(unsigned long long)p->count, sym);
		if (p->kind >= TDXGUARD_HOSTIO_NR_KINDS)
			continue;
		reads[p->kind] += p->count;
		sites[p->kind]++;
		total += p->count;
		nsites++;
	}
	for (k = 0; k < TDXGUARD_HOSTIO_NR_KINDS; k++)
		fprintf(out, "kind: %-11s reads %llu sites %llu\n",
			kind_name(k), reads[k], sites[k]);
	fprintf(out, "total: reads %llu sites %llu\n", total, nsites);
	if (!survey_inline_covered())
		fprintf(out, "note: readl()/inb() reads not seen: no x86_io_read() here\n");
	if (!survey_vq_id_covered())
		fprintf(out,
			"note: used-ring buffer ids not seen: no vring_read_used_split() here\n");
}

/**
 * survey_free() - release the sites
 * @s: the survey
 */
void survey_free(struct survey *s)
{
	free(s->sites);
	*s = (struct survey){ 0 };
}
