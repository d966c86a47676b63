// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_filter ACPI table policy. At boot a TDX guest needs its root
 * tables, the AML of the DSDT, the MADT and the tables of the TD itself;
 * every other table the host offers is more host-written input for the
 * kernel to parse. While the system runs, only tables of AML (SSDT, OEMx)
 * are loaded at all, and none by default: a table that carries a boot
 * table's signature (DSDT, FACP, APIC...) has no business arriving then.
 */
#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "acpi_policy.h"

/* The TDX guest boot list: root tables, AML, MADT and the TD's own. */
const char filter_acpi_default[][FILTER_ACPI_SIG_LEN] = {
	"XSDT", "FACP", "DSDT", "FACS", "APIC", "SVKL", "CCEL",
};
EXPORT_SYMBOL_IF_KUNIT(filter_acpi_default);
const unsigned int filter_acpi_default_count = ARRAY_SIZE(filter_acpi_default);
EXPORT_SYMBOL_IF_KUNIT(filter_acpi_default_count);

/**
 * struct filter_acpi_meaning - what a table a TD does not need would do
 * @sig: table signature
 * @meaning: one line for the log
 */
struct filter_acpi_meaning {
	char sig[FILTER_ACPI_SIG_LEN + 1];
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

	if (len != FILTER_ACPI_SIG_LEN)
		return false;
	for (i = 0; i < len; i++)
		if (!isupper(tok[i]) && !isdigit(tok[i]) && tok[i] != '_')
			return false;
	return true;
}

/**
 * filter_acpi_allow_parse() - parse an allow_acpi= list of signatures
 * @text: comma-separated 4-character signatures ("SSDT,SRAT"), may be
 *	  empty; one trailing newline is ignored
 * @sigs: output array
 * @max: its capacity
 * @err: the reason and token on failure
 *
 * Return: number of signatures; -EINVAL for a malformed one, -E2BIG for
 * more than @max or a text longer than %FILTER_MAX_TEXT.
 */
int filter_acpi_allow_parse(const char *text,
			    char sigs[][FILTER_ACPI_SIG_LEN], unsigned int max,
			    struct filter_parse_error *err)
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
		memcpy(sigs[n++], tok, FILTER_ACPI_SIG_LEN);
		if (end == text + len)
			return n;
		tok = end + 1;
	}
}
EXPORT_SYMBOL_IF_KUNIT(filter_acpi_allow_parse);

/**
 * filter_acpi_policy_set_boot() - take the allow_acpi= list
 * @policy: the policy; its boot list is replaced only on success
 * @text: comma-separated signatures installed at boot beyond the defaults
 * @err: the reason and token on failure
 *
 * Return: number of signatures, or the error of filter_acpi_allow_parse().
 */
int filter_acpi_policy_set_boot(struct filter_acpi_policy *policy,
				const char *text,
				struct filter_parse_error *err)
{
	char sigs[FILTER_ACPI_EXTRA_MAX][FILTER_ACPI_SIG_LEN];
	int ret;

	ret = filter_acpi_allow_parse(text, sigs, ARRAY_SIZE(sigs), err);
	if (ret < 0)
		return ret;
	memcpy(policy->boot, sigs, ret * sizeof(sigs[0]));
	policy->boot_count = ret;
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(filter_acpi_policy_set_boot);

/**
 * filter_acpi_policy_set_runtime() - take the allow_acpi_runtime= list
 * @policy: the policy; its runtime list is replaced only on success
 * @text: comma-separated signatures that may load at runtime: SSDT, OEMx
 * @err: the reason and token on failure
 *
 * Return: number of signatures; -EINVAL for a signature that is not AML,
 * or the error of filter_acpi_allow_parse().
 */
int filter_acpi_policy_set_runtime(struct filter_acpi_policy *policy,
				   const char *text,
				   struct filter_parse_error *err)
{
	char sigs[FILTER_ACPI_EXTRA_MAX][FILTER_ACPI_SIG_LEN];
	int i, ret;

	ret = filter_acpi_allow_parse(text, sigs, ARRAY_SIZE(sigs), err);
	if (ret < 0)
		return ret;
	for (i = 0; i < ret; i++)
		if (!filter_acpi_sig_is_aml(sigs[i]))
			return filter_acpi_parse_fail(err, -EINVAL,
						      "not AML (only SSDT and OEMx tables load at runtime)",
						      sigs[i], FILTER_ACPI_SIG_LEN);
	memcpy(policy->runtime, sigs, ret * sizeof(sigs[0]));
	policy->runtime_count = ret;
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(filter_acpi_policy_set_runtime);

/**
 * filter_acpi_sig_is_aml() - is this a table of AML a running system loads
 * @sig: 4 bytes of signature
 *
 * Every other signature is a boot-only table: whatever the lists say, it
 * is refused when it arrives at runtime.
 *
 * Return: true for SSDT and OEMx.
 */
bool filter_acpi_sig_is_aml(const char *sig)
{
	return !memcmp(sig, "SSDT", FILTER_ACPI_SIG_LEN) ||
	       !memcmp(sig, "OEM", 3);
}
EXPORT_SYMBOL_IF_KUNIT(filter_acpi_sig_is_aml);

static bool filter_acpi_listed(const char (*sigs)[FILTER_ACPI_SIG_LEN],
			       unsigned int count, const char *sig)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		if (!memcmp(sig, sigs[i], FILTER_ACPI_SIG_LEN))
			return true;
	return false;
}

/**
 * filter_acpi_boot_allowed() - may a table with this signature be
 * installed at boot
 * @policy: the policy
 * @sig: 4 bytes of signature, as the host wrote them
 *
 * Return: true for a signature on the default list or on allow_acpi=.
 */
bool filter_acpi_boot_allowed(const struct filter_acpi_policy *policy,
			      const char *sig)
{
	return filter_acpi_listed(filter_acpi_default,
				  filter_acpi_default_count, sig) ||
	       filter_acpi_listed(policy->boot, policy->boot_count, sig);
}
EXPORT_SYMBOL_IF_KUNIT(filter_acpi_boot_allowed);

/**
 * filter_acpi_runtime_allowed() - may a table with this signature be
 * loaded at runtime
 * @policy: the policy
 * @sig: 4 bytes of signature, as the host or AML wrote them
 *
 * Return: true only for an SSDT or OEMx table on allow_acpi_runtime=
 * (empty by default).
 */
bool filter_acpi_runtime_allowed(const struct filter_acpi_policy *policy,
				 const char *sig)
{
	return filter_acpi_sig_is_aml(sig) &&
	       filter_acpi_listed(policy->runtime, policy->runtime_count, sig);
}
EXPORT_SYMBOL_IF_KUNIT(filter_acpi_runtime_allowed);

/**
 * filter_acpi_meaning() - what a table a TD does not need would do
 * @sig: 4 bytes of signature
 *
 * Return: one line for the log; never NULL.
 */
const char *filter_acpi_meaning(const char *sig)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(filter_acpi_meanings); i++)
		if (!memcmp(sig, filter_acpi_meanings[i].sig, FILTER_ACPI_SIG_LEN))
			return filter_acpi_meanings[i].meaning;
	return "not needed by a TDX guest";
}
EXPORT_SYMBOL_IF_KUNIT(filter_acpi_meaning);
