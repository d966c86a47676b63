/* SPDX-License-Identifier: GPL-2.0 */
/* ECDSA-P256 quote signature check with OpenSSL libcrypto (link -lcrypto). */
#ifndef ATTEST_VERIFY_H
#define ATTEST_VERIFY_H

#include <stdint.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "attest_util.h"

static inline EVP_PKEY *p256_key(const __u8 *xy)
{
	__u8 point[1 + 64] = { 0x04 };
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;

	memcpy(point + 1, xy, 64);
	if (!bld ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point)))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		key = NULL;
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return key;
}

/* 1 if @sig (r || s) is a valid signature by @xy over SHA-256(@msg) */
static inline int p256_verify(const __u8 *xy, const __u8 *msg, size_t len,
			      const __u8 *sig)
{
	EVP_PKEY *key = p256_key(xy);
	ECDSA_SIG *esig = ECDSA_SIG_new();
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char *der = NULL;
	BIGNUM *r, *s;
	int derlen, ok = 0;

	if (!key || !esig || !md)
		goto out;
	r = BN_bin2bn(sig, 32, NULL);
	s = BN_bin2bn(sig + 32, 32, NULL);
	if (!r || !s || !ECDSA_SIG_set0(esig, r, s)) {
		BN_free(r);
		BN_free(s);
		goto out;
	}
	derlen = i2d_ECDSA_SIG(esig, &der);
	if (derlen > 0 && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) == 1)
		ok = EVP_DigestVerify(md, der, derlen, msg, len) == 1;
out:
	OPENSSL_free(der);
	EVP_MD_CTX_free(md);
	ECDSA_SIG_free(esig);
	EVP_PKEY_free(key);
	return ok;
}

/* 1 if @quote is a v4 TDX quote signed by the published emu key */
static inline int quote_verifies(const __u8 *quote, size_t len)
{
	__u8 key[64];

	if (len < Q_MIN_LEN || le16_at(quote + Q_VERSION) != 4 ||
	    le32_at(quote + Q_TEE_TYPE) != 0x81 ||
	    read_file(ATTEST_DEBUGFS "/emu_attestation_key", key, sizeof(key)) != 64 ||
	    memcmp(quote + Q_ATT_KEY, key, sizeof(key)))
		return 0;
	return p256_verify(key, quote, Q_SIGNED_LEN, quote + Q_SIGNATURE);
}

static inline void sha384(const void *data, size_t len, __u8 *out)
{
	EVP_Digest(data, len, out, NULL, EVP_sha384(), NULL);
}

#endif /* ATTEST_VERIFY_H */
