/* SPDX-License-Identifier: GPL-2.0 */
/* SHA-384 helpers shared by the emulated TDX module and the event log. */
#ifndef TDXGUARD_HASH_H
#define TDXGUARD_HASH_H

#include <linux/types.h>
#include "tdx_layout.h"

int tdxguard_hash_init(void);
void tdxguard_hash_exit(void);
int tdxguard_sha384(const void *data, size_t len, u8 *out);
int tdxguard_sha384_extend(u8 *mr, const u8 *data);

#endif /* TDXGUARD_HASH_H */
