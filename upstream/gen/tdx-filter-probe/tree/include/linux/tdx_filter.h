/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * TDX guest device filter: the driver core's question before a probe.
 */
#ifndef _LINUX_TDX_FILTER_H
#define _LINUX_TDX_FILTER_H

struct device;
struct device_driver;

#ifdef CONFIG_TDX_DEVICE_FILTER
int tdx_filter_check_probe(struct device *dev, const struct device_driver *drv);
#else
static inline int tdx_filter_check_probe(struct device *dev,
					 const struct device_driver *drv)
{
	return 0;
}
#endif

#endif /* _LINUX_TDX_FILTER_H */
