// SPDX-License-Identifier: GPL-2.0
/*
 * ECDSA-P256 signing for the emulated attestation key. The kernel's crypto
 * API only verifies ECDSA, so signing is assembled from the exported ECC
 * primitives of crypto/ecc.c (FIPS 186-5, 6.4.1):
 *   r = (k*G).x mod n,  s = k^-1 * (z + r*d) mod n.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/ecdh.h>
#include <crypto/internal/ecc.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "emu.h"

#define P256		ECC_CURVE_NIST_P256
#define NDIGITS		TDXGUARD_P256_DIGITS
#define P256_BYTES	(NDIGITS * sizeof(u64))
#define SIGN_ATTEMPTS	16

static void vli_to_be_bytes(const u64 *vli, u8 *out)
{
	unsigned int i;

	for (i = 0; i < NDIGITS; i++)
		put_unaligned_be64(vli[NDIGITS - 1 - i], out + i * sizeof(u64));
}

/* result = (a + b) mod n, for a, b < n */
static void vli_mod_add_n(u64 *result, const u64 *a, const u64 *b, const u64 *n)
{
	u64 carry = 0;
	unsigned int i;

	for (i = 0; i < NDIGITS; i++) {
		u64 sum = a[i] + b[i] + carry;

		carry = carry ? sum <= a[i] : sum < a[i];
		result[i] = sum;
	}
	if (carry || vli_cmp(result, n, NDIGITS) >= 0)
		vli_sub(result, result, n, NDIGITS);
}

static void vli_reduce_once(u64 *v, const u64 *n)
{
	if (vli_cmp(v, n, NDIGITS) >= 0)
		vli_sub(v, v, n, NDIGITS);
}

/**
 * tdxguard_ecdsa_p256_keygen() - make an attestation key pair
 * @priv: NDIGITS digits of private scalar (native order).
 * @pub: 64 bytes: x || y, each big-endian.
 *
 * Return: 0 or the ECC library's error.
 */
int tdxguard_ecdsa_p256_keygen(u64 *priv, u8 *pub)
{
	u64 point[2 * NDIGITS];
	int ret;

	ret = ecc_gen_privkey(P256, NDIGITS, priv);
	if (ret)
		return ret;
	/* ecc_make_pub_key() stores x then y as big-endian byte strings */
	ret = ecc_make_pub_key(P256, NDIGITS, priv, point);
	if (!ret)
		memcpy(pub, point, 2 * P256_BYTES);
	return ret;
}

/**
 * tdxguard_ecdsa_p256_import_key() - take a private key from its byte form
 * @be: 32 bytes: the private scalar, big-endian.
 * @priv: NDIGITS digits of output (native order), for tdxguard_ecdsa_p256_sign().
 *
 * Return: 0, or -EINVAL for a scalar that is no P-256 private key (0, or
 * not below the group order n); @priv is then untouched.
 */
int tdxguard_ecdsa_p256_import_key(const u8 *be, u64 *priv)
{
	const struct ecc_curve *curve = ecc_get_curve(P256);
	u64 d[NDIGITS];
	int ret = -EINVAL;

	vli_from_be64(d, be, NDIGITS);
	if (!vli_is_zero(d, NDIGITS) && vli_cmp(d, curve->n, NDIGITS) < 0) {
		memcpy(priv, d, sizeof(d));
		ret = 0;
	}
	memzero_explicit(d, sizeof(d));
	return ret;
}

/* One attempt with a fresh nonce; -EAGAIN if r or s came out zero. */
static int sign_once(const struct ecc_curve *curve, const u64 *priv,
		     const u64 *z, u8 *sig)
{
	u64 k[NDIGITS], kinv[NDIGITS], r[NDIGITS], s[NDIGITS];
	u64 point[2 * NDIGITS];
	int ret;

	ret = ecc_gen_privkey(P256, NDIGITS, k);
	ret = ret ?: ecc_make_pub_key(P256, NDIGITS, k, point);
	if (ret)
		goto out;
	vli_from_be64(r, point, NDIGITS);
	vli_reduce_once(r, curve->n);
	vli_mod_mult_slow(s, r, priv, curve->n, NDIGITS);
	vli_mod_add_n(s, s, z, curve->n);
	vli_mod_inv(kinv, k, curve->n, NDIGITS);
	vli_mod_mult_slow(s, kinv, s, curve->n, NDIGITS);
	if (vli_is_zero(r, NDIGITS) || vli_is_zero(s, NDIGITS)) {
		ret = -EAGAIN;
		goto out;
	}
	vli_to_be_bytes(r, sig);
	vli_to_be_bytes(s, sig + P256_BYTES);
out:
	memzero_explicit(k, sizeof(k));
	memzero_explicit(kinv, sizeof(kinv));
	return ret;
}

/**
 * tdxguard_ecdsa_p256_sign() - sign a SHA-256 digest
 * @priv: private scalar from tdxguard_ecdsa_p256_keygen().
 * @hash: 32-byte message digest.
 * @sig: 64 bytes of output: r || s, each big-endian.
 *
 * Return: 0 or the ECC library's error.
 */
int tdxguard_ecdsa_p256_sign(const u64 *priv, const u8 *hash, u8 *sig)
{
	const struct ecc_curve *curve = ecc_get_curve(P256);
	u64 z[NDIGITS];
	unsigned int i;
	int ret = -EAGAIN;

	vli_from_be64(z, hash, NDIGITS);
	vli_reduce_once(z, curve->n);
	for (i = 0; i < SIGN_ATTEMPTS && ret == -EAGAIN; i++)
		ret = sign_once(curve, priv, z, sig);
	return ret;
}
