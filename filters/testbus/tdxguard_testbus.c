// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_testbus: registers a bus of its own ("tdxguard_testbus"), one
 * device on it and one driver that matches every device of the bus. The
 * driver's probe counts its calls in the read-only parameter "probed".
 * With tdxguard_filter loaded first the probe must never run: the filter
 * has no rule for this bus and denies buses it does not know.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

static int probed;
module_param(probed, int, 0444);
MODULE_PARM_DESC(probed, "how often the test driver's probe ran");

static int tdxguard_testbus_match(struct device *dev,
				  const struct device_driver *drv)
{
	return 1;
}

static const struct bus_type tdxguard_testbus_type = {
	.name = "tdxguard_testbus",
	.match = tdxguard_testbus_match,
};

static int tdxguard_testbus_probe(struct device *dev)
{
	probed++;
	dev_info(dev, "test driver probed (%d)\n", probed);
	return 0;
}

static struct device_driver tdxguard_testbus_driver = {
	.name = "tdxguard_testdrv",
	.bus = &tdxguard_testbus_type,
	.probe = tdxguard_testbus_probe,
};

static void tdxguard_testbus_release(struct device *dev)
{
}

static struct device tdxguard_testbus_dev = {
	.init_name = "tgb0",
	.bus = &tdxguard_testbus_type,
	.release = tdxguard_testbus_release,
};

static int __init tdxguard_testbus_init(void)
{
	int ret;

	ret = bus_register(&tdxguard_testbus_type);
	if (ret)
		return ret;
	ret = device_register(&tdxguard_testbus_dev);
	if (ret)
		goto put_dev;
	ret = driver_register(&tdxguard_testbus_driver);
	if (ret)
		goto del_dev;
	return 0;
del_dev:
	device_unregister(&tdxguard_testbus_dev);
	goto unreg_bus;
put_dev:
	put_device(&tdxguard_testbus_dev);
unreg_bus:
	bus_unregister(&tdxguard_testbus_type);
	return ret;
}

static void __exit tdxguard_testbus_exit(void)
{
	driver_unregister(&tdxguard_testbus_driver);
	device_unregister(&tdxguard_testbus_dev);
	bus_unregister(&tdxguard_testbus_type);
}

module_init(tdxguard_testbus_init);
module_exit(tdxguard_testbus_exit);

MODULE_DESCRIPTION("tdxguard: a bus unknown to the filter, for its tests");
MODULE_LICENSE("GPL");
