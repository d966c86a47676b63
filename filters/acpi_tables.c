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
 * at runtime is refused whatever the lists say.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/acpi.h>
#include <linux/ctype.h>
#include <linux/seq_buf.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "filter.h"

#define FILTER_ACPI_EXTRA_MAX	32
#define FILTER_ACPI_SEEN_MAX	64
#define FILTER_ACPI_EVENTS_MAX	16

/* The TDX guest allow-list: root tables, AML, MADT and the TD's own. */
static const char filter_acpi_default[][ACPI_NAMESEG_SIZE] = {
	"XSDT", "FACP", "DSDT", "FACS", "APIC", "SVKL", "CCEL",
};

/**
 * struct filter_acpi_meaning - what a table a TD does not need would do
 * @sig: table signature
 * @meaning: one line for the audit
 */
struct filter_acpi_meaning {
	char sig[ACPI_NAMESEG_SIZE + 1];
	const char *meaning;
};

static const struct filter_acpi_meaning filter_acpi_meanings[] = {
	{ "HPET", "HPET timer block: host-emulated MMIO timer; a TD keeps time with the TSC" },
	{ "MCFG", "PCIe ECAM window: PCI config space as host-emulated MMIO" },
	{ "WAET", "emulated-device hints (RTC, PM timer) for the guest; informational" },
	{ "SSDT", "secondary AML: more host-written code for the interpreter" },
	{ "SRAT", "NUMA affinity of memory and CPUs, as the host describes it" },
	{ "SLIT", "NUMA distances, as the host describes them" },
	{ "DMAR", "IOMMU description: the host lays out DMA remapping" },
	{ "HEST", "APEI error sources the host declares" },
	{ "ERST", "APEI error record store: host-provided persistent storage" },
	{ "EINJ", "APEI error injection: host-triggered error paths" },
	{ "BERT", "APEI boot error record written by the host" },
	{ "TPM2", "TPM interface: a host-emulated TPM is no trust anchor in a TD" },
	{ "NFIT", "persistent-memory ranges the host exposes" },
	{ "BGRT", "boot logo location" },
};

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

/* Allowed extras from allow_acpi=, and the load-time audit: set at load. */
static char filter_acpi_extra[FILTER_ACPI_EXTRA_MAX][ACPI_NAMESEG_SIZE];
static unsigned int filter_acpi_extra_count;
/* The runtime list from allow_acpi_runtime=: set at load. */
static char filter_acpi_runtime[FILTER_ACPI_EXTRA_MAX][ACPI_NAMESEG_SIZE];
static unsigned int filter_acpi_runtime_count;
static struct filter_acpi_table filter_acpi_seen[FILTER_ACPI_SEEN_MAX];
static unsigned int filter_acpi_seen_count;
static bool filter_acpi_audit;

/* Runtime loads decided by the gate, newest last; under the lock. */
static struct filter_acpi_table filter_acpi_events[FILTER_ACPI_EVENTS_MAX];
static unsigned int filter_acpi_event_count;
static DEFINE_RAW_SPINLOCK(filter_acpi_event_lock);

static struct kprobe filter_acpi_kprobe;
static struct kprobe filter_acpi_find_kprobe;

static int filter_acpi_parse_fail(struct filter_parse_error *err, int ret,
				  const char *reason, const char *tok,
				  size_t len)
{
	err->reason = reason;
	len = min(len, sizeof(err->token) - 1);
	memcpy(err->token, tok, len);
	err->token[len] = '\0';
	return ret;
}

static bool filter_acpi_sig_valid(const char *tok, size_t len)
{
	size_t i;

	if (len != ACPI_NAMESEG_SIZE)
		return false;
	for (i = 0; i < len; i++)
		if (!isupper(tok[i]) && !isdigit(tok[i]) && tok[i] != '_')
			return false;
	return true;
}

/**
 * filter_acpi_allow_parse() - parse an allow_acpi= list of signatures
 * @text: comma-separated 4-character signatures ("SSDT,SRAT"), may be empty
 * @sigs: output array
 * @max: its capacity
 * @err: the reason and token on failure
 *
 * Return: number of signatures; -EINVAL for a malformed one, -E2BIG for
 * more than @max or a text longer than %FILTER_MAX_TEXT.
 */
int filter_acpi_allow_parse(const char *text, char sigs[][4],
			    unsigned int max, struct filter_parse_error *err)
{
	size_t len = strnlen(text, FILTER_MAX_TEXT + 1);
	const char *tok = text, *end;
	unsigned int n = 0;

	if (len > FILTER_MAX_TEXT)
		return filter_acpi_parse_fail(err, -E2BIG,
					      "allow_acpi text too long",
					      text, len);
	if (len && text[len - 1] == '\n')
		len--;
	if (!len)
		return 0;
	for (;;) {
		end = memchr(tok, ',', text + len - tok) ?: text + len;
		if (!filter_acpi_sig_valid(tok, end - tok))
			return filter_acpi_parse_fail(err, -EINVAL,
						      "ACPI signature must be 4 of [A-Z0-9_]",
						      tok, end - tok);
		if (n == max)
			return filter_acpi_parse_fail(err, -E2BIG,
						      "too many ACPI tables",
						      tok, end - tok);
		memcpy(sigs[n++], tok, ACPI_NAMESEG_SIZE);
		if (end == text + len)
			return n;
		tok = end + 1;
	}
}
EXPORT_SYMBOL_IF_KUNIT(filter_acpi_allow_parse);

static bool filter_acpi_sig_allowed(const char *sig)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(filter_acpi_default); i++)
		if (!memcmp(sig, filter_acpi_default[i], ACPI_NAMESEG_SIZE))
			return true;
	for (i = 0; i < filter_acpi_extra_count; i++)
		if (!memcmp(sig, filter_acpi_extra[i], ACPI_NAMESEG_SIZE))
			return true;
	return false;
}

/* Tables of AML, the only kind a running system may load. */
static bool filter_acpi_sig_is_aml(const char *sig)
{
	return !memcmp(sig, ACPI_SIG_SSDT, ACPI_NAMESEG_SIZE) ||
	       !memcmp(sig, "OEM", 3);
}

/**
 * filter_acpi_runtime_allowed() - may a table with this signature be
 * loaded at runtime
 * @sig: 4 bytes of signature
 *
 * Return: true only for an SSDT or OEMx table on the allow_acpi_runtime=
 * list (empty by default).
 */
bool filter_acpi_runtime_allowed(const char *sig)
{
	unsigned int i;

	if (!filter_acpi_sig_is_aml(sig))
		return false;
	for (i = 0; i < filter_acpi_runtime_count; i++)
		if (!memcmp(sig, filter_acpi_runtime[i], ACPI_NAMESEG_SIZE))
			return true;
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(filter_acpi_runtime_allowed);

static const char *filter_acpi_meaning(const char *sig)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(filter_acpi_meanings); i++)
		if (!memcmp(sig, filter_acpi_meanings[i].sig, ACPI_NAMESEG_SIZE))
			return filter_acpi_meanings[i].meaning;
	return "not needed by a TDX guest";
}

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
	t->allowed = filter_acpi_sig_allowed(hdr->signature);
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
	t->allowed = filter_acpi_runtime_allowed(t->sig);
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
	unsigned int i;
	int ret;

	ret = filter_acpi_allow_parse(extra, filter_acpi_extra,
				      FILTER_ACPI_EXTRA_MAX, &err);
	if (ret < 0) {
		pr_err("allow_acpi: %s: '%s'\n", err.reason, err.token);
		return ret;
	}
	filter_acpi_extra_count = ret;
	ret = filter_acpi_allow_parse(runtime, filter_acpi_runtime,
				      FILTER_ACPI_EXTRA_MAX, &err);
	if (ret < 0) {
		pr_err("allow_acpi_runtime: %s: '%s'\n", err.reason, err.token);
		return ret;
	}
	for (i = 0; i < ret; i++) {
		if (filter_acpi_sig_is_aml(filter_acpi_runtime[i]))
			continue;
		pr_err("allow_acpi_runtime: '%.4s' is not AML: only SSDT and OEMx tables load at runtime\n",
		       filter_acpi_runtime[i]);
		return -EINVAL;
	}
	filter_acpi_runtime_count = ret;
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
	for (i = 0; i < ARRAY_SIZE(filter_acpi_default); i++)
		seq_buf_printf(s, " %.4s", filter_acpi_default[i]);
	for (i = 0; i < filter_acpi_extra_count; i++)
		seq_buf_printf(s, " %.4s", filter_acpi_extra[i]);
	seq_buf_printf(s, "\n# runtime:");
	for (i = 0; i < filter_acpi_runtime_count; i++)
		seq_buf_printf(s, " %.4s", filter_acpi_runtime[i]);
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
