// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only control of the emulated host, in debugfs (root only), present
 * only with the emu backend:
 *   tdxguard_attest/emu_host_fault       read/write a fault name
 *   tdxguard_attest/emu_attestation_key  the public key, 64 bytes x || y
 *   tdxguard_attest/emu_crypto_cost      raw crypto cost per request (ns),
 *                                        measured when read (make bench)
 *   tdxguard_attest/emu_pck_key          write 32 bytes: the PCK private key
 *   tdxguard_attest/emu_pck_chain        write the PEM chain for that key in
 *                                        one write(2); "none" drops key and
 *                                        chain
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "emu.h"

#define FAULT_NAME_MAX	32
#define COST_ROUNDS	5000

/* Created at init, removed at exit */
static struct dentry *emu_dir;

static ssize_t fault_read(struct file *file, char __user *ubuf, size_t count,
			  loff_t *ppos)
{
	char buf[FAULT_NAME_MAX + 2];
	int len = scnprintf(buf, sizeof(buf), "%s\n", tdxguard_emu_host_fault());

	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static ssize_t fault_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	char buf[FAULT_NAME_MAX];
	int ret;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	ret = tdxguard_emu_host_set_fault(buf);
	return ret ? ret : count;
}

static const struct file_operations fault_fops = {
	.owner = THIS_MODULE,
	.read = fault_read,
	.write = fault_write,
	.llseek = default_llseek,
};

static ssize_t key_read(struct file *file, char __user *ubuf, size_t count,
			loff_t *ppos)
{
	return simple_read_from_buffer(ubuf, count, ppos, tdxguard_emu_host_pub_key(),
				       TDX_ECDSA_P256_KEY_LEN);
}

static const struct file_operations key_fops = {
	.owner = THIS_MODULE,
	.read = key_read,
	.llseek = default_llseek,
};

static ssize_t cost_read(struct file *file, char __user *ubuf, size_t count,
			 loff_t *ppos)
{
	struct tdxguard_crypto_cost cost;
	char buf[160];
	int len, ret;

	if (*ppos)
		return 0;
	ret = tdxguard_emu_crypto_cost(COST_ROUNDS, &cost);
	if (ret)
		return ret;
	len = scnprintf(buf, sizeof(buf),
			"report_ns %llu\nquote_ns %llu\nextend_ns %llu\nevent256_ns %llu\n",
			cost.report_ns, cost.quote_ns, cost.extend_ns, cost.event_ns);
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations cost_fops = {
	.owner = THIS_MODULE,
	.read = cost_read,
	.llseek = default_llseek,
};

static ssize_t pck_key_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	u8 key[TDXGUARD_P256_KEY_BYTES];
	int ret;

	if (*ppos || count != sizeof(key))
		return -EINVAL;
	if (copy_from_user(key, ubuf, count))
		return -EFAULT;
	ret = tdxguard_emu_qe_set_pck_key(key, count);
	memzero_explicit(key, sizeof(key));
	return ret ? ret : count;
}

static const struct file_operations pck_key_fops = {
	.owner = THIS_MODULE,
	.write = pck_key_write,
	.llseek = noop_llseek,
};

/* The whole chain in one write at offset 0: a part of one is no chain */
static ssize_t pck_chain_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	char *pem;
	int ret;

	if (*ppos)
		return -EINVAL;
	if (count > TDXGUARD_EMU_PCK_CHAIN_MAX)
		return -EFBIG;
	pem = memdup_user(ubuf, count);
	if (IS_ERR(pem))
		return PTR_ERR(pem);
	if ((count == 4 || (count == 5 && pem[4] == '\n')) && !memcmp(pem, "none", 4)) {
		tdxguard_emu_qe_forget_pck();
		ret = 0;
	} else {
		ret = tdxguard_emu_qe_set_pck_chain(pem, count);
	}
	kfree(pem);
	return ret ? ret : count;
}

static const struct file_operations pck_chain_fops = {
	.owner = THIS_MODULE,
	.write = pck_chain_write,
	.llseek = noop_llseek,
};

/**
 * tdxguard_emu_debugfs_init() - create the control files
 *
 * Failure only costs the test controls, so it is not an error.
 */
void tdxguard_emu_debugfs_init(void)
{
	emu_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("emu_host_fault", 0600, emu_dir, NULL, &fault_fops);
	debugfs_create_file("emu_attestation_key", 0444, emu_dir, NULL, &key_fops);
	debugfs_create_file("emu_crypto_cost", 0400, emu_dir, NULL, &cost_fops);
	debugfs_create_file("emu_pck_key", 0200, emu_dir, NULL, &pck_key_fops);
	debugfs_create_file("emu_pck_chain", 0200, emu_dir, NULL, &pck_chain_fops);
}

/**
 * tdxguard_emu_debugfs_dir() - the directory the control files are in
 *
 * Return: the dentry (an error pointer if debugfs failed; debugfs calls
 * accept it and do nothing).
 */
struct dentry *tdxguard_emu_debugfs_dir(void)
{
	return emu_dir;
}

/**
 * tdxguard_emu_debugfs_exit() - remove the control files
 */
void tdxguard_emu_debugfs_exit(void)
{
	debugfs_remove_recursive(emu_dir);
}
