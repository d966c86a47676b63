/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference tdxguard_attest depends on, in one place.
 * Supported: 6.12 (Debian stock 6.12.117 and our 6.12.95 test kernel).
 */
#ifndef TDXGUARD_ATTEST_COMPAT_H
#define TDXGUARD_ATTEST_COMPAT_H

/* configfs-tsm: struct tsm_ops and tsm_register(ops, priv) as in 6.7..6.16 */
#define TDXGUARD_TSM_REGISTER(ops)	tsm_register(ops, NULL)

#endif /* TDXGUARD_ATTEST_COMPAT_H */
