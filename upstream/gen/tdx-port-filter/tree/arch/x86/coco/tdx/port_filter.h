/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _X86_COCO_TDX_PORT_FILTER_H
#define _X86_COCO_TDX_PORT_FILTER_H

#include <linux/types.h>

struct acpi_table_fadt;

#define TDX_PORT_RANGES_MAX	16

/**
 * struct tdx_port_range - ports @first to @last, both included
 * @first: lowest port
 * @last: highest port
 */
struct tdx_port_range {
	u16 first;
	u16 last;
};

/**
 * struct tdx_port_filter - the ports a TD guest lets reach the host
 * @ranges: ranges allowed on top of the built-in ones
 * @nr: ranges in use
 * @off: every port allowed (tdx_port_filter=off)
 */
struct tdx_port_filter {
	struct tdx_port_range ranges[TDX_PORT_RANGES_MAX];
	unsigned int nr;
	bool off;
};

int tdx_port_filter_parse(struct tdx_port_filter *f, char *list);
bool tdx_port_filter_allows(const struct tdx_port_filter *f,
			    const struct acpi_table_fadt *fadt,
			    unsigned int port, unsigned int size);
bool tdx_port_io_allowed(unsigned int port, unsigned int size);
void tdx_port_io_denied(unsigned int port, unsigned int size, bool in);

#endif /* _X86_COCO_TDX_PORT_FILTER_H */
