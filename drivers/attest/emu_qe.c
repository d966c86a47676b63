// SPDX-License-Identifier: GPL-2.0
/*
 * The emulated quoting enclave's certification data (DCAP, certification
 * data type 6): a QE report whose REPORTDATA binds the attestation key, the
 * QE report's signature, QE authentication data and the PCK certification
 * data (type 5) inside it.
 *
 * Without a PCK (the default) the QE report signature is zero and the PCK
 * chain empty. Once a PCK private key and a PEM chain (leaf, intermediate,
 * root) are loaded through debugfs, the QE report is signed by that key and
 * the chain follows the fixed part of the quote, so a verifier can check the
 * quote up to a root it trusts. The chain is only checked to look like PEM
 * certificates: whether it certifies the key is for the verifier to find.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/sha2.h>
#include <linux/build_bug.h>
#include <linux/ctype.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "emu.h"

#define SGX_REPORT_DATA_OFFSET	320
#define PEM_BEGIN		"-----BEGIN CERTIFICATE-----\n"
#define PEM_END			"-----END CERTIFICATE-----\n"
/* OpenSSL writes 64 base64 characters a line, RFC 2045 allows 76 */
#define PEM_LINE_MAX		76

/* The quote goes through the 32 KiB GetQuote buffer and configfs-tsm outblob */
static_assert(sizeof(struct tdx_quote_hdr) + TDXGUARD_EMU_QUOTE_MAX <= SZ_32K);

static struct {
	struct mutex lock;		/* guards every field below */
	bool have_key;
	u64 key[TDXGUARD_P256_DIGITS];	/* PCK private key */
	char *chain;			/* kmalloc'ed PEM chain, or NULL */
	size_t chain_len;
} qe = {
	.lock = __MUTEX_INITIALIZER(qe.lock),
};

static bool is_base64(char c)
{
	return isalnum(c) || c == '+' || c == '/' || c == '=';
}

/* Length of the base64 line at @s (without its '\n'), or 0 if it is none */
static size_t base64_line(const char *s, size_t left)
{
	size_t i;

	for (i = 0; i < left && i <= PEM_LINE_MAX && s[i] != '\n'; i++)
		if (!is_base64(s[i]))
			return 0;
	return i < left && i <= PEM_LINE_MAX && s[i] == '\n' ? i : 0;
}

/* Length of the certificate block starting at @s, or 0 if it is none */
static size_t pem_block(const char *s, size_t left)
{
	size_t pos = strlen(PEM_BEGIN), line, lines = 0;

	if (left < pos || memcmp(s, PEM_BEGIN, pos))
		return 0;
	while ((line = base64_line(s + pos, left - pos))) {
		pos += line + 1;
		lines++;
	}
	if (!lines || left - pos < strlen(PEM_END) ||
	    memcmp(s + pos, PEM_END, strlen(PEM_END)))
		return 0;
	return pos + strlen(PEM_END);
}

/**
 * tdxguard_emu_pem_chain_valid() - does a buffer look like a PEM chain
 * @pem: the bytes, not NUL-terminated.
 * @len: their number.
 *
 * Return: true for one or more "CERTIFICATE" blocks, back to back, each of
 * base64 lines of at most 76 characters ending in '\n'; nothing else, not
 * even a carriage return or a blank line.
 */
bool tdxguard_emu_pem_chain_valid(const char *pem, size_t len)
{
	size_t pos = 0, block;

	if (!len)
		return false;
	while (pos < len) {
		block = pem_block(pem + pos, len - pos);
		if (!block)
			return false;
		pos += block;
	}
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_emu_pem_chain_valid);

/**
 * tdxguard_emu_qe_set_pck_key() - the key the QE report is signed with
 * @be: the P-256 private scalar, big-endian.
 * @len: its length, 32.
 *
 * Forgets any chain loaded before: a chain is for the key loaded before it.
 *
 * Return: 0, or -EINVAL for another length or a scalar that is 0 or not
 * below the group order.
 */
int tdxguard_emu_qe_set_pck_key(const u8 *be, size_t len)
{
	u64 key[TDXGUARD_P256_DIGITS];
	char *old;
	int ret;

	if (len != TDXGUARD_P256_KEY_BYTES)
		return -EINVAL;
	ret = tdxguard_ecdsa_p256_import_key(be, key);
	if (ret)
		return ret;
	mutex_lock(&qe.lock);
	memcpy(qe.key, key, sizeof(qe.key));
	qe.have_key = true;
	old = qe.chain;
	qe.chain = NULL;
	qe.chain_len = 0;
	mutex_unlock(&qe.lock);
	memzero_explicit(key, sizeof(key));
	kfree(old);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_emu_qe_set_pck_key);

/**
 * tdxguard_emu_qe_set_pck_chain() - the PEM chain quotes carry from now on
 * @pem: leaf first, then intermediate, then root; copied.
 * @len: its length, 1..TDXGUARD_EMU_PCK_CHAIN_MAX.
 *
 * Return: 0; -EFBIG for a longer chain; -EINVAL for one that is empty or
 * does not look like PEM certificates (tdxguard_emu_pem_chain_valid());
 * -ENOKEY before a PCK key is loaded; -ENOMEM.
 */
int tdxguard_emu_qe_set_pck_chain(const char *pem, size_t len)
{
	char *copy, *old;
	int ret = 0;

	if (len > TDXGUARD_EMU_PCK_CHAIN_MAX)
		return -EFBIG;
	if (!tdxguard_emu_pem_chain_valid(pem, len))
		return -EINVAL;
	copy = kmemdup(pem, len, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	mutex_lock(&qe.lock);
	if (qe.have_key) {
		old = qe.chain;
		qe.chain = copy;
		qe.chain_len = len;
	} else {
		old = copy;
		ret = -ENOKEY;
	}
	mutex_unlock(&qe.lock);
	kfree(old);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_emu_qe_set_pck_chain);

/**
 * tdxguard_emu_qe_forget_pck() - back to unsigned QE reports and no chain
 *
 * Wipes the PCK key and frees the chain.
 */
void tdxguard_emu_qe_forget_pck(void)
{
	char *old;

	mutex_lock(&qe.lock);
	memzero_explicit(qe.key, sizeof(qe.key));
	qe.have_key = false;
	old = qe.chain;
	qe.chain = NULL;
	qe.chain_len = 0;
	mutex_unlock(&qe.lock);
	kfree(old);
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_emu_qe_forget_pck);

/* QE authentication data and the QE report's REPORTDATA that binds it */
static void fill_qe_report(struct tdx_quote_v4 *quote)
{
	u8 bound[TDX_ECDSA_P256_KEY_LEN + sizeof(quote->qe_auth)];
	unsigned int i;

	for (i = 0; i < sizeof(quote->qe_auth); i++)
		quote->qe_auth[i] = i;
	quote->qe_auth_len = cpu_to_le16(sizeof(quote->qe_auth));
	/* SHA-256(attestation key || QE auth data), then 32 zero bytes */
	memcpy(bound, quote->att_pub_key, TDX_ECDSA_P256_KEY_LEN);
	memcpy(bound + TDX_ECDSA_P256_KEY_LEN, quote->qe_auth, sizeof(quote->qe_auth));
	memset(quote->qe_report, 0, sizeof(quote->qe_report));
	sha256(bound, sizeof(bound), quote->qe_report + SGX_REPORT_DATA_OFFSET);
}

/* With qe.lock held: sign the QE report and append the chain, if loaded */
static int add_pck(struct tdx_quote_v4 *quote)
{
	u8 digest[SHA256_DIGEST_SIZE];

	lockdep_assert_held(&qe.lock);
	memset(quote->qe_report_sig, 0, sizeof(quote->qe_report_sig));
	if (!qe.chain)
		return 0;
	sha256(quote->qe_report, sizeof(quote->qe_report), digest);
	memcpy(quote + 1, qe.chain, qe.chain_len);
	return tdxguard_ecdsa_p256_sign(qe.key, digest, quote->qe_report_sig);
}

/**
 * tdxguard_emu_qe_certify() - write a quote's signature data after its key
 * @quote: a quote whose attestation public key is set; everything from
 *         its certification data on is written, the PEM chain (if one is
 *         loaded) right after the structure.
 * @room: bytes available at @quote, at least sizeof(*@quote).
 * @len: set to the quote's whole length.
 *
 * Return: 0, -ENOSPC if the quote with its chain needs more than @room
 * (nothing past @room is written), or the signing error.
 */
int tdxguard_emu_qe_certify(struct tdx_quote_v4 *quote, size_t room, size_t *len)
{
	size_t total;
	int ret = -ENOSPC;

	if (room < sizeof(*quote))
		return ret;
	fill_qe_report(quote);
	mutex_lock(&qe.lock);
	total = sizeof(*quote) + qe.chain_len;
	if (total <= room) {
		quote->pck_cert_size = cpu_to_le32(qe.chain_len);
		ret = add_pck(quote);
	}
	mutex_unlock(&qe.lock);
	if (ret)
		return ret;
	quote->pck_cert_type = cpu_to_le16(TDX_QUOTE_CERT_PCK_CHAIN);
	quote->cert_type = cpu_to_le16(TDX_QUOTE_CERT_QE_REPORT);
	quote->cert_size = cpu_to_le32(total - offsetof(struct tdx_quote_v4, qe_report));
	quote->sig_data_len = cpu_to_le32(total - offsetof(struct tdx_quote_v4, signature));
	*len = total;
	return 0;
}
