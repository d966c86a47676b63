// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_filter console guard: does a device carry a registered console?
 * Its tty (ttyS0 for the serial console) is a descendant of the device, so
 * unbinding the device would cut the operator's console off.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/console.h>
#include <linux/device.h>
#include <linux/kdev_t.h>
#include <linux/tty_driver.h>

#include "filter.h"

#define FILTER_CONSOLES_MAX	8

/**
 * struct filter_console_walk - the search for a console tty
 * @devts: device numbers of the registered consoles' ttys
 * @count: entries in @devts
 */
struct filter_console_walk {
	dev_t devts[FILTER_CONSOLES_MAX];
	unsigned int count;
};

static void filter_console_collect(struct filter_console_walk *walk)
{
	struct tty_driver *drv;
	struct console *con;
	int index;

	console_list_lock();
	for_each_console(con) {
		if (!con->device || walk->count == FILTER_CONSOLES_MAX)
			continue;
		drv = con->device(con, &index);
		if (drv)
			walk->devts[walk->count++] =
				MKDEV(drv->major, drv->minor_start) + index;
	}
	console_list_unlock();
}

static int filter_console_match(struct device *dev, void *data)
{
	struct filter_console_walk *walk = data;
	unsigned int i;

	for (i = 0; i < walk->count; i++)
		if (dev->devt && dev->devt == walk->devts[i])
			return 1;
	return device_for_each_child(dev, data, filter_console_match);
}

/**
 * filter_device_feeds_console() - is a registered console's tty @dev or
 * one of its descendants
 * @dev: the device
 *
 * Context: process context, may sleep.
 *
 * Return: true when unbinding @dev would remove a console.
 */
bool filter_device_feeds_console(struct device *dev)
{
	struct filter_console_walk walk = {};

	filter_console_collect(&walk);
	return walk.count && filter_console_match(dev, &walk) > 0;
}
