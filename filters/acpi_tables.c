// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_filter ACPI table allow-list. At load, every installed table is
 * checked and each one outside the list reported with what it means; the
 * firmware already handed them to the kernel at boot, so this is an audit.
 * At runtime a separate list applies, empty by default, and it can only
 * name tables of AML (SSDT, OEMx): acpi_tb_install_and_load_table(), the
 * path by which a new table enters after boot (AML Load, acpi_load_table()
 * for configfs and SSDT overlays), is gated, and so is acpi_tb_find_table(),
 * the lookup AML LoadTable (and DataTableRegion) does of a table installed
 * at boot. A table off the runtime list is refused before ACPICA reads
 * more than its header; a boot-only table (DSDT, FACP, APIC...) presented
 * at runtime is refused whatever the lists say. The lists and what they
 * mean are acpi_policy.c, which the in-tree filter shares; this file is
 * the module's enforcement.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/acpi.h>
#include <linux/ctype.h>
#include <linux/seq_buf.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "acpi_policy.h"
#include "filter.h"

#define FILTER_ACPI_SEEN_MAX	64
#define FILTER_ACPI_EVENTS_MAX	16

/**
 * struct filter_acpi_table - one table seen at load, or refused at runtime
 * @sig: signature
 * @oem_id: OEM id from the header
 * @length: length from the header
 * @allowed: on the allow-list
 */
struct filter_acpi_table {
	char sig[ACPI_NAMESEG_SIZE + 1];
	char oem_id[ACPI_OEM_ID_SIZE + 1];
	u32 length;
	bool allowed;
};

/* allow_acpi= and allow_acpi_runtime=, and the load-time audit: set at load. */
static struct filter_acpi_policy filter_acpi_policy;
static struct filter_acpi_table filter_acpi_seen[FILTER_ACPI_SEEN_MAX];
static unsigned int filter_acpi_seen_count;
static bool filter_acpi_audit;

/* Runtime loads decided by the gate, newest last; under the lock. */
static struct filter_acpi_table filter_acpi_events[FILTER_ACPI_EVENTS_MAX];
static unsigned int filter_acpi_event_count;
static DEFINE_RAW_SPINLOCK(filter_acpi_event_lock);

static struct kprobe filter_acpi_kprobe;
static struct kprobe filter_acpi_find_kprobe;

/* Host-written header bytes: printable or '?'. */
static void filter_acpi_describe(const struct acpi_table_header *hdr,
				 struct filter_acpi_table *t)
{
	unsigned int i;

	for (i = 0; i < ACPI_NAMESEG_SIZE; i++)
		t->sig[i] = isprint(hdr->signature[i]) ? hdr->signature[i] : '?';
	t->sig[ACPI_NAMESEG_SIZE] = '\0';
	if (ACPI_COMPARE_NAMESEG(hdr->signature, ACPI_SIG_FACS)) {
		strscpy(t->oem_id, "-", sizeof(t->oem_id));	/* no OEM id */
	} else {
		for (i = 0; i < ACPI_OEM_ID_SIZE; i++)
			t->oem_id[i] = isprint(hdr->oem_id[i]) ?
				       hdr->oem_id[i] : '?';
		t->oem_id[ACPI_OEM_ID_SIZE] = '\0';
	}
	t->length = hdr->length;
	t->allowed = filter_acpi_boot_allowed(&filter_acpi_policy, hdr->signature);
}

static void filter_acpi_audit_installed(void)
{
	struct acpi_table_header *hdr;
	struct filter_acpi_table *t;
	u32 i;

	for (i = 0; filter_acpi_seen_count < FILTER_ACPI_SEEN_MAX; i++) {
		if (ACPI_FAILURE(acpi_get_table_by_index(i, &hdr)))
			break;
		t = &filter_acpi_seen[filter_acpi_seen_count++];
		filter_acpi_describe(hdr, t);
		acpi_put_table(hdr);
		if (!t->allowed)
			pr_warn("ACPI table %s (OEM %s, %u bytes) is not on the allow-list: %s\n",
				t->sig, t->oem_id, t->length,
				filter_acpi_meaning(t->sig));
	}
}

static void filter_acpi_event_add(const struct filter_acpi_table *t)
{
	unsigned long flags;

	if (!filter_gate_lock(&filter_acpi_event_lock, &flags))
		return;
	if (filter_acpi_event_count == FILTER_ACPI_EVENTS_MAX) {
		memmove(filter_acpi_events, filter_acpi_events + 1,
			sizeof(filter_acpi_events) - sizeof(filter_acpi_events[0]));
		filter_acpi_event_count--;
	}
	filter_acpi_events[filter_acpi_event_count++] = *t;
	filter_gate_unlock(&filter_acpi_event_lock, flags);
}

/*
 * Entered instead of acpi_tb_install_and_load_table(): nothing is
 * installed and *table_index is left alone, as on any install failure.
 */
static noinline notrace acpi_status
filter_acpi_refuse(acpi_physical_address address, u8 flags,
		   struct acpi_table_header *table, u8 override,
		   u32 *table_index)
{
	return AE_ACCESS;
}

/* LoadTable/DataTableRegion of an installed table: "not in the XSDT". */
static noinline notrace acpi_status
filter_acpi_not_found(char *signature, char *oem_id, char *oem_table_id,
		      u32 *table_index)
{
	return AE_NOT_FOUND;
}

/* The runtime verdict on @t, logged and counted: true to refuse. */
static bool filter_acpi_runtime_refuse(struct filter_acpi_table *t,
				       const char *how)
{
	t->allowed = filter_acpi_runtime_allowed(&filter_acpi_policy, t->sig);
	filter_acpi_event_add(t);
	if (t->allowed) {
		pr_info_ratelimited("runtime ACPI %s of %s (OEM %s) allowed\n",
				    how, t->sig, t->oem_id);
		return false;
	}
	if (filter_acpi_audit) {
		atomic64_inc(&filter_counters.acpi_audited);
		pr_warn_ratelimited("runtime ACPI %s of %s (OEM %s) is not allowed; audit mode: loading it\n",
				    how, t->sig, t->oem_id);
		return false;
	}
	atomic64_inc(&filter_counters.acpi_refused);
	pr_warn_ratelimited("runtime ACPI %s of %s (OEM %s) refused: %s\n",
			    how, t->sig, t->oem_id,
			    filter_acpi_sig_is_aml(t->sig) ?
			    "not on the runtime list (allow_acpi_runtime=)" :
			    "not AML: only SSDT and OEMx tables load at runtime");
	return true;
}

static int filter_acpi_gate_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct acpi_table_header *hdr = (void *)regs_get_kernel_argument(regs, 2);
	struct filter_acpi_table t = { .sig = "????", .oem_id = "?" };

	if (hdr)
		filter_acpi_describe(hdr, &t);
	if (!filter_acpi_runtime_refuse(&t, "Load"))
		return 0;
	filter_redirect(regs, filter_acpi_refuse);
	return 1;
}

/* The signature is an AML string of any length: at most 4 bytes read. */
static int filter_acpi_find_pre(struct kprobe *kp, struct pt_regs *regs)
{
	const char *sig = (void *)regs_get_kernel_argument(regs, 0);
	struct filter_acpi_table t = { .sig = "????", .oem_id = "?" };
	unsigned int i;

	for (i = 0; sig && i < ACPI_NAMESEG_SIZE && sig[i]; i++)
		t.sig[i] = isprint(sig[i]) ? sig[i] : '?';
	if (!filter_acpi_runtime_refuse(&t, "LoadTable"))
		return 0;
	filter_redirect(regs, filter_acpi_not_found);
	return 1;
}

/**
 * filter_acpi_tables_allow() - take the allow_acpi= and
 * allow_acpi_runtime= lists
 * @extra: comma-separated signatures allowed at boot, may be empty
 * @runtime: comma-separated signatures allowed at runtime, may be empty;
 *	     only SSDT and OEMx
 *
 * Return: 0, or -EINVAL / -E2BIG with the reason and token logged.
 */
int filter_acpi_tables_allow(const char *extra, const char *runtime)
{
	struct filter_parse_error err = {};
	int ret;

	ret = filter_acpi_policy_set_boot(&filter_acpi_policy, extra, &err);
	if (ret < 0) {
		pr_err("allow_acpi: %s: '%s'\n", err.reason, err.token);
		return ret;
	}
	ret = filter_acpi_policy_set_runtime(&filter_acpi_policy, runtime, &err);
	if (ret < 0) {
		pr_err("allow_acpi_runtime: %s: '%s'\n", err.reason, err.token);
		return ret;
	}
	return 0;
}

/**
 * filter_acpi_tables_init() - audit installed tables and gate runtime loads
 * @audit: log disallowed runtime loads instead of refusing them
 *
 * Return: 0, or the kprobe error when the runtime gate cannot be installed.
 */
int filter_acpi_tables_init(bool audit)
{
	int ret;

	filter_acpi_audit = audit;
	if (acpi_disabled)
		return 0;
	filter_acpi_audit_installed();
	filter_acpi_kprobe.symbol_name = "acpi_tb_install_and_load_table";
	filter_acpi_kprobe.pre_handler = filter_acpi_gate_pre;
	ret = filter_redirect_install(&filter_acpi_kprobe);
	if (ret) {
		pr_err("cannot gate runtime ACPI table loads: %d\n", ret);
		memset(&filter_acpi_kprobe, 0, sizeof(filter_acpi_kprobe));
		return ret;
	}
	filter_acpi_find_kprobe.symbol_name = "acpi_tb_find_table";
	filter_acpi_find_kprobe.pre_handler = filter_acpi_find_pre;
	ret = filter_redirect_install(&filter_acpi_find_kprobe);
	if (ret) {
		pr_err("cannot gate ACPI LoadTable: %d\n", ret);
		memset(&filter_acpi_find_kprobe, 0,
		       sizeof(filter_acpi_find_kprobe));
		filter_acpi_tables_exit();
	}
	return ret;
}

/**
 * filter_acpi_tables_exit() - remove the runtime gate; idempotent
 */
void filter_acpi_tables_exit(void)
{
	if (filter_acpi_find_kprobe.addr) {
		filter_redirect_uninstall(&filter_acpi_find_kprobe);
		memset(&filter_acpi_find_kprobe, 0,
		       sizeof(filter_acpi_find_kprobe));
	}
	if (filter_acpi_kprobe.addr) {
		filter_redirect_uninstall(&filter_acpi_kprobe);
		memset(&filter_acpi_kprobe, 0, sizeof(filter_acpi_kprobe));
	}
}

static void filter_acpi_show_table(struct seq_buf *s, const char *when,
				   const struct filter_acpi_table *t)
{
	seq_buf_printf(s, "%s %s %s %u %s\n", when, t->sig,
		       t->allowed ? "allow" : "deny", t->length, t->oem_id);
}

/**
 * filter_acpi_tables_show() - the allow-list, the load-time audit and the
 * runtime decisions
 * @s: output
 */
void filter_acpi_tables_show(struct seq_buf *s)
{
	struct filter_acpi_table events[FILTER_ACPI_EVENTS_MAX];
	unsigned int i, count;
	unsigned long flags;

	seq_buf_printf(s, "# allowed:");
	for (i = 0; i < filter_acpi_default_count; i++)
		seq_buf_printf(s, " %.4s", filter_acpi_default[i]);
	for (i = 0; i < filter_acpi_policy.boot_count; i++)
		seq_buf_printf(s, " %.4s", filter_acpi_policy.boot[i]);
	seq_buf_printf(s, "\n# runtime:");
	for (i = 0; i < filter_acpi_policy.runtime_count; i++)
		seq_buf_printf(s, " %.4s", filter_acpi_policy.runtime[i]);
	seq_buf_printf(s, "\n# when signature verdict length oem\n");
	for (i = 0; i < filter_acpi_seen_count; i++)
		filter_acpi_show_table(s, "boot", &filter_acpi_seen[i]);
	count = 0;
	if (filter_gate_lock(&filter_acpi_event_lock, &flags)) {
		count = filter_acpi_event_count;
		memcpy(events, filter_acpi_events, sizeof(events));
		filter_gate_unlock(&filter_acpi_event_lock, flags);
	}
	for (i = 0; i < count; i++)
		filter_acpi_show_table(s, "runtime", &events[i]);
}
