/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A quote's certification data, checked as a DCAP verifier does, with
 * OpenSSL libcrypto (link -lcrypto): the QE report binds the attestation
 * key, the PCK leaf of the quote's own chain signed the QE report, and the
 * chain leads to a root the caller trusts. Also: loading a PCK key and
 * chain into the emulated quoting enclave.
 */
#ifndef ATTEST_PCK_H
#define ATTEST_PCK_H

#include <openssl/decoder.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "attest_verify.h"

#define PCK_KEY_FILE		ATTEST_DEBUGFS "/emu_pck_key"
#define PCK_CHAIN_FILE		ATTEST_DEBUGFS "/emu_pck_chain"
#define PCK_CHAIN_MAX		(16 * 1024)

/* Quote v4 signature data after the attestation key (DCAP) */
#define Q_CERT_TYPE		764
#define Q_CERT_SIZE		766
#define Q_QE_REPORT		770
#define QE_REPORT_LEN		384
#define QE_REPORTDATA		320
#define Q_QE_REPORT_SIG		(Q_QE_REPORT + QE_REPORT_LEN)
#define Q_QE_AUTH_LEN		(Q_QE_REPORT_SIG + 64)
#define CERT_QE_REPORT		6
#define CERT_PCK_CHAIN		5

/**
 * struct quote_cert - where a quote's certification data is
 * @qe_report: the 384-byte QE report.
 * @qe_sig: its signature, r || s.
 * @qe_auth: QE authentication data, @qe_auth_len bytes.
 * @qe_auth_len: its length.
 * @chain: the PEM chain (type 5), @chain_len bytes, not NUL-terminated.
 * @chain_len: its length.
 */
struct quote_cert {
	const __u8 *qe_report, *qe_sig, *qe_auth;
	size_t qe_auth_len;
	const char *chain;
	size_t chain_len;
};

/* 0 if @quote's signature data parses, every size within @len; else -EBADMSG */
static inline int quote_cert_parse(const __u8 *quote, size_t len, struct quote_cert *c)
{
	size_t pos;

	if (len < Q_QE_AUTH_LEN + 2 || le32_at(quote + Q_SIG_DATA_LEN) != len - Q_SIGNATURE ||
	    le16_at(quote + Q_CERT_TYPE) != CERT_QE_REPORT ||
	    le32_at(quote + Q_CERT_SIZE) != len - Q_QE_REPORT)
		return -EBADMSG;
	c->qe_report = quote + Q_QE_REPORT;
	c->qe_sig = quote + Q_QE_REPORT_SIG;
	c->qe_auth_len = le16_at(quote + Q_QE_AUTH_LEN);
	c->qe_auth = quote + Q_QE_AUTH_LEN + 2;
	pos = Q_QE_AUTH_LEN + 2 + c->qe_auth_len;
	if (len < pos + 6 || le16_at(quote + pos) != CERT_PCK_CHAIN ||
	    le32_at(quote + pos + 2) != len - pos - 6)
		return -EBADMSG;
	c->chain = (const char *)quote + pos + 6;
	c->chain_len = len - pos - 6;
	return 0;
}

/* 1 if REPORTDATA = SHA-256(attestation key || QE auth data) || 32 zero bytes */
static inline int qe_report_binds_key(const __u8 *quote, const struct quote_cert *c)
{
	static const __u8 zero[32];
	__u8 digest[32];
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int ok;

	ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
	     EVP_DigestUpdate(md, quote + Q_ATT_KEY, 64) == 1 &&
	     EVP_DigestUpdate(md, c->qe_auth, c->qe_auth_len) == 1 &&
	     EVP_DigestFinal_ex(md, digest, NULL) == 1 &&
	     !memcmp(c->qe_report + QE_REPORTDATA, digest, 32) &&
	     !memcmp(c->qe_report + QE_REPORTDATA + 32, zero, 32);
	EVP_MD_CTX_free(md);
	return ok;
}

/* The certificates of a PEM chain, leaf first; NULL if none parses */
static inline struct stack_st_X509 *pem_chain_certs(const char *pem, size_t len)
{
	BIO *bio = BIO_new_mem_buf(pem, len);
	struct stack_st_X509 *certs = sk_X509_new_null();
	X509 *cert;

	while (bio && certs && (cert = PEM_read_bio_X509(bio, NULL, NULL, NULL)))
		if (!sk_X509_push(certs, cert))
			X509_free(cert);
	BIO_free(bio);
	if (certs && !sk_X509_num(certs)) {
		sk_X509_free(certs);
		certs = NULL;
	}
	return certs;
}

/* 1 if the chain's leaf certificate holds the key that signed the QE report */
static inline int qe_report_signed_by_leaf(const struct quote_cert *c)
{
	struct stack_st_X509 *certs = pem_chain_certs(c->chain, c->chain_len);
	__u8 point[65];
	size_t n = 0;
	int ok = 0;

	if (certs && EVP_PKEY_get_octet_string_param(X509_get0_pubkey(sk_X509_value(certs, 0)),
						     OSSL_PKEY_PARAM_PUB_KEY, point,
						     sizeof(point), &n) == 1 &&
	    n == sizeof(point) && point[0] == 0x04)
		ok = p256_verify(point + 1, c->qe_report, QE_REPORT_LEN, c->qe_sig);
	sk_X509_pop_free(certs, X509_free);
	return ok;
}

/*
 * 1 if the chain's leaf verifies up to the root in @root_path and only that
 * root: the rest of the chain is untrusted material for building the path
 */
static inline int pem_chain_verifies(const char *pem, size_t len, const char *root_path)
{
	struct stack_st_X509 *certs = pem_chain_certs(pem, len);
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	FILE *f = fopen(root_path, "r");
	X509 *root = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
	int ok = 0;

	if (certs && store && ctx && root && X509_STORE_add_cert(store, root) == 1 &&
	    X509_STORE_CTX_init(ctx, store, sk_X509_value(certs, 0), certs) == 1) {
		X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_X509_STRICT);
		ok = X509_verify_cert(ctx) == 1;
	}
	if (f)
		fclose(f);
	X509_free(root);
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	sk_X509_pop_free(certs, X509_free);
	return ok;
}

/**
 * quote_chain_verify() - verify a quote from its own data up to a root
 * @quote: the quote, @len bytes.
 * @len: its length.
 * @root_path: PEM file of the one root CA trusted.
 * @problem: set to what failed first, unless the quote verifies.
 *
 * Return: 1 if the quote verifies end to end, else 0.
 */
static inline int quote_chain_verify(const __u8 *quote, size_t len,
				     const char *root_path, const char **problem)
{
	struct quote_cert c;

	if (len < Q_MIN_LEN || le16_at(quote + Q_VERSION) != 4 ||
	    le32_at(quote + Q_TEE_TYPE) != 0x81)
		*problem = "not a TDX Quote v4";
	else if (!p256_verify(quote + Q_ATT_KEY, quote, Q_SIGNED_LEN, quote + Q_SIGNATURE))
		*problem = "quote signature does not verify with its attestation key";
	else if (quote_cert_parse(quote, len, &c))
		*problem = "malformed certification data";
	else if (!qe_report_binds_key(quote, &c))
		*problem = "QE report does not bind the attestation key";
	else if (!c.chain_len)
		*problem = "no PCK chain";
	else if (!qe_report_signed_by_leaf(&c))
		*problem = "QE report signature does not verify with the PCK leaf's key";
	else if (!pem_chain_verifies(c.chain, c.chain_len, root_path))
		*problem = "PCK chain does not verify to the trusted root";
	else
		return 1;
	return 0;
}

/* The 32-byte private scalar of the P-256 key in PEM file @path; 0 or -1 */
static inline int pck_key_raw(const char *path, __u8 *raw)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *key = NULL;
	OSSL_DECODER_CTX *dec = OSSL_DECODER_CTX_new_for_pkey(&key, "PEM", NULL, "EC",
							      EVP_PKEY_KEYPAIR, NULL, NULL);
	BIGNUM *d = NULL;
	char group[32];
	int ret = -1;

	if (f && dec && OSSL_DECODER_from_fp(dec, f) == 1 &&
	    EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group,
					   sizeof(group), NULL) == 1 &&
	    !strcmp(group, "prime256v1") &&
	    EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &d) == 1 &&
	    BN_bn2binpad(d, raw, 32) == 32)
		ret = 0;
	BN_clear_free(d);
	EVP_PKEY_free(key);
	OSSL_DECODER_CTX_free(dec);
	if (f)
		fclose(f);
	return ret;
}

/* Read up to @max bytes of the file at @path into @buf; the count or -errno */
static inline int read_upto(const char *path, void *buf, size_t max)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, max, f);
	fclose(f);
	return n;
}

/*
 * Load the emulated QE's PCK: the key from PEM file @key_path, then the
 * PEM chain from @chain_path (leaf first), each in one write. 0 or -errno.
 */
static inline int pck_load(const char *key_path, const char *chain_path)
{
	char *chain = malloc(PCK_CHAIN_MAX + 1);
	__u8 raw[32];
	int n, ret = -ENOMEM;

	if (!chain)
		return ret;
	ret = pck_key_raw(key_path, raw) ? -EINVAL : 0;
	n = ret ? ret : read_upto(chain_path, chain, PCK_CHAIN_MAX + 1);
	if (n < 0)
		ret = n;
	else if (n > PCK_CHAIN_MAX)
		ret = -EFBIG;
	if (!ret)
		ret = write_file(PCK_KEY_FILE, raw, sizeof(raw));
	if (ret >= 0)
		ret = write_file(PCK_CHAIN_FILE, chain, n);
	memset(raw, 0, sizeof(raw));
	free(chain);
	return ret < 0 ? ret : 0;
}

#endif /* ATTEST_PCK_H */
