// SPDX-License-Identifier: GPL-2.0
/*
 * The port I/O allow-list of a TDX guest.
 *
 * In a TD every port access traps to the #VE handler, which forwards it to
 * the host with a TDVMCALL: whatever an IN returns is chosen by the host.
 * Only the ports a TD guest needs reach the host; any other read returns
 * zero and any other write is dropped, as if nothing were there. Zero, not
 * all ones: all ones would set every status bit, such as SERR and IOCHK in
 * the NMI reason port 0x61.
 *
 * Allowed are PCI configuration mechanism #1, the CMOS RTC and the ACPI
 * fixed-hardware blocks the FADT places in system I/O space (PM1 event and
 * control, PM timer, GPE blocks, reset register), plus what the command
 * line adds:
 *
 *   tdx_port_filter=0x3f8-0x3ff,0x2f8   add ranges (a debug console)
 *   tdx_port_filter=off                 let every port through
 *
 * The early #VE handler (earlyprintk, before the command line is parsed)
 * is not filtered.
 */
#define pr_fmt(fmt) "tdx: port filter: " fmt

#include <linux/acpi.h>
#include <linux/atomic.h>
#include <linux/cpufeature.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "port_filter.h"

static const struct tdx_port_range tdx_builtin_ports[] = {
	{ 0x70, 0x71 },		/* CMOS RTC index and data */
	{ 0xcf8, 0xcff },	/* PCI configuration mechanism #1 */
};

/* Written once, by the early parameter; read by every port #VE */
static struct tdx_port_filter tdx_ports;
static atomic_long_t tdx_ports_denied = ATOMIC_LONG_INIT(0);

static bool tdx_port_in(const struct tdx_port_range *r, unsigned int port,
			unsigned int size)
{
	return port >= r->first && port + size - 1 <= r->last;
}

static bool tdx_port_in_ranges(const struct tdx_port_range *r,
			       unsigned int nr, unsigned int port,
			       unsigned int size)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (tdx_port_in(&r[i], port, size))
			return true;
	}
	return false;
}

#ifdef CONFIG_ACPI
static bool tdx_port_in_gas(const struct acpi_generic_address *gas,
			    unsigned int len, unsigned int port,
			    unsigned int size)
{
	u64 first = gas->address;

	return gas->space_id == ACPI_ADR_SPACE_SYSTEM_IO && first && len &&
	       port >= first && port + size <= first + len;
}

/* The fixed-hardware register blocks the FADT puts in system I/O space */
static bool tdx_port_in_fadt(const struct acpi_table_fadt *fadt,
			     unsigned int port, unsigned int size)
{
	const struct {
		const struct acpi_generic_address *gas;
		unsigned int len;
	} blocks[] = {
		{ &fadt->xpm1a_event_block, fadt->pm1_event_length },
		{ &fadt->xpm1b_event_block, fadt->pm1_event_length },
		{ &fadt->xpm1a_control_block, fadt->pm1_control_length },
		{ &fadt->xpm1b_control_block, fadt->pm1_control_length },
		{ &fadt->xpm_timer_block, fadt->pm_timer_length },
		{ &fadt->xgpe0_block, fadt->gpe0_block_length },
		{ &fadt->xgpe1_block, fadt->gpe1_block_length },
		{ &fadt->reset_register, fadt->reset_register.bit_width / 8 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(blocks); i++) {
		if (tdx_port_in_gas(blocks[i].gas, blocks[i].len, port, size))
			return true;
	}
	return false;
}

static const struct acpi_table_fadt *tdx_fadt(void)
{
	return &acpi_gbl_FADT;
}
#else
static bool tdx_port_in_fadt(const struct acpi_table_fadt *fadt,
			     unsigned int port, unsigned int size)
{
	return false;
}

static const struct acpi_table_fadt *tdx_fadt(void)
{
	return NULL;
}
#endif

/**
 * tdx_port_filter_parse() - add the ranges of a tdx_port_filter= list
 * @f: the filter to add to
 * @list: "off", or comma-separated ports and first-last ranges (decimal or
 *        0x hex); modified while parsed
 *
 * Return: 0, -EINVAL for an item that is not a port or a range of ports,
 * or -ENOSPC past TDX_PORT_RANGES_MAX ranges. On error @f may hold the
 * ranges before the bad item: parse into a scratch filter.
 */
int tdx_port_filter_parse(struct tdx_port_filter *f, char *list)
{
	char *item, *last;
	struct tdx_port_range r;

	if (!strcmp(list, "off")) {
		f->off = true;
		return 0;
	}
	while ((item = strsep(&list, ","))) {
		last = strchr(item, '-');
		if (last)
			*last++ = '\0';
		if (kstrtou16(item, 0, &r.first) ||
		    kstrtou16(last ?: item, 0, &r.last) || r.last < r.first)
			return -EINVAL;
		if (f->nr == TDX_PORT_RANGES_MAX)
			return -ENOSPC;
		f->ranges[f->nr++] = r;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(tdx_port_filter_parse);

/**
 * tdx_port_filter_allows() - whether an access may reach the host
 * @f: the ranges the command line added
 * @fadt: the FADT whose fixed-hardware blocks are allowed, or NULL
 * @port: first port of the access
 * @size: its width in bytes (1, 2 or 4)
 *
 * Return: true when every port of the access lies in one allowed range.
 */
bool tdx_port_filter_allows(const struct tdx_port_filter *f,
			    const struct acpi_table_fadt *fadt,
			    unsigned int port, unsigned int size)
{
	return f->off ||
	       tdx_port_in_ranges(tdx_builtin_ports,
				  ARRAY_SIZE(tdx_builtin_ports), port, size) ||
	       tdx_port_in_ranges(f->ranges, f->nr, port, size) ||
	       (fadt && tdx_port_in_fadt(fadt, port, size));
}
EXPORT_SYMBOL_IF_KUNIT(tdx_port_filter_allows);

/**
 * tdx_port_io_allowed() - the #VE handler's question for a port access
 * @port: first port of the access
 * @size: its width in bytes
 *
 * Return: true when the access may be forwarded to the host.
 */
bool tdx_port_io_allowed(unsigned int port, unsigned int size)
{
	return tdx_port_filter_allows(&tdx_ports, tdx_fadt(), port, size);
}

/**
 * tdx_port_io_denied() - count and report an access that was not forwarded
 * @port: first port of the access
 * @size: its width in bytes
 * @in: a read (true) or a write
 */
void tdx_port_io_denied(unsigned int port, unsigned int size, bool in)
{
	long n = atomic_long_inc_return(&tdx_ports_denied);

	pr_warn_ratelimited("%s of %u bytes at port %#x kept from the host (%ld so far)\n",
			    in ? "read" : "write", size, port, n);
}

static int __init tdx_port_filter_setup(char *arg)
{
	struct tdx_port_filter f = {};

	if (!arg)
		return -EINVAL;
	if (tdx_port_filter_parse(&f, arg)) {
		pr_err("tdx_port_filter= not understood: built-in ports only\n");
		return -EINVAL;
	}
	tdx_ports = f;
	return 0;
}
early_param("tdx_port_filter", tdx_port_filter_setup);

static int __init tdx_port_filter_report(void)
{
	if (!cpu_feature_enabled(X86_FEATURE_TDX_GUEST))
		return 0;
	if (tdx_ports.off)
		pr_warn("off: every port reaches the host\n");
	else
		pr_info("on: %zu built-in ranges, %u from the command line, ACPI fixed hardware\n",
			ARRAY_SIZE(tdx_builtin_ports), tdx_ports.nr);
	return 0;
}
late_initcall(tdx_port_filter_report);
