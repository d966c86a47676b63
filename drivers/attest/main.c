// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_attest: the TDX guest attestation device. Module load and unload:
 * brings the layers up bottom first and the user interfaces last.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>

#include "attest.h"
#include "hash.h"

static char *devname = "tdx_guest";
module_param(devname, charp, 0444);
MODULE_PARM_DESC(devname, "Name of the device under /dev (default tdx_guest)");

static char *backend = "auto";
module_param(backend, charp, 0444);
MODULE_PARM_DESC(backend, "auto (tdcall in a TD, else emu), tdcall or emu");

static int __init tdxguard_attest_init(void)
{
	int ret;

	ret = tdxguard_hash_init();
	if (ret)
		return ret;
	ret = tdxguard_quote_init();
	if (ret)
		goto undo_hash;
	ret = tdxguard_core_init(backend);
	if (ret)
		goto undo_quote;
	ret = tdxguard_measure_init();
	if (ret)
		goto undo_core;
	ret = tdxguard_dev_register(devname);
	if (ret)
		goto undo_measure;
	tdxguard_tsm_register();
	return 0;

undo_measure:
	tdxguard_measure_exit();
undo_core:
	tdxguard_core_exit();
undo_quote:
	tdxguard_quote_exit();
undo_hash:
	tdxguard_hash_exit();
	return ret;
}
module_init(tdxguard_attest_init);

static void __exit tdxguard_attest_exit(void)
{
	/* Release waiters first so unregistering never waits on the host */
	tdxguard_quote_stop();
	tdxguard_tsm_unregister();
	tdxguard_dev_unregister();
	tdxguard_measure_exit();
	/* The backend stops the emulated host before the buffer is freed */
	tdxguard_core_exit();
	tdxguard_quote_exit();
	tdxguard_hash_exit();
}
module_exit(tdxguard_attest_exit);

MODULE_DESCRIPTION("TDX guest attestation device (tdcall and emulated backends)");
MODULE_LICENSE("GPL");
