// SPDX-License-Identifier: GPL-2.0
/*
 * SHA-384, the hash of TDX measurements, for every part of the module.
 * One transform is shared; each call uses its own on-stack descriptor.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/hash.h>
#include <linux/err.h>
#include <kunit/visibility.h>

#include "hash.h"

/* Set at load, constant until unload */
static struct crypto_shash *sha384_tfm;

/**
 * tdxguard_hash_init() - allocate the SHA-384 transform
 *
 * Return: 0 or the crypto API's error.
 */
int tdxguard_hash_init(void)
{
	sha384_tfm = crypto_alloc_shash("sha384", 0, 0);
	if (IS_ERR(sha384_tfm)) {
		pr_err("no sha384 in the crypto API (%ld)\n", PTR_ERR(sha384_tfm));
		return PTR_ERR(sha384_tfm);
	}
	return 0;
}

/**
 * tdxguard_hash_exit() - free the SHA-384 transform
 */
void tdxguard_hash_exit(void)
{
	crypto_free_shash(sha384_tfm);
}

/**
 * tdxguard_sha384() - digest one buffer
 * @data: input.
 * @len: bytes of input.
 * @out: TDX_MR_LEN bytes of output.
 *
 * Return: 0 or the crypto API's error.
 */
int tdxguard_sha384(const void *data, size_t len, u8 *out)
{
	return crypto_shash_tfm_digest(sha384_tfm, data, len, out);
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_sha384);

/**
 * tdxguard_sha384_extend() - one RTMR step: @mr = SHA384(@mr || @data)
 * @mr: TDX_MR_LEN bytes, updated in place.
 * @data: TDX_MR_LEN bytes extended into @mr.
 *
 * Return: 0 or the crypto API's error (then @mr is unchanged).
 */
int tdxguard_sha384_extend(u8 *mr, const u8 *data)
{
	u8 both[2 * TDX_MR_LEN];
	int ret;

	memcpy(both, mr, TDX_MR_LEN);
	memcpy(both + TDX_MR_LEN, data, TDX_MR_LEN);
	ret = tdxguard_sha384(both, sizeof(both), both);
	if (!ret)
		memcpy(mr, both, TDX_MR_LEN);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_sha384_extend);
