// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: tdxguard_filter cuts a denied PCI device off from the kernel's
 * config space accessors. The q35 guest's edu device (1234:11e8) is named
 * by no rule; with the filter loaded (this module needs it) reading its
 * config space through pci_read_config_*() must fail and read all ones,
 * while an allowed virtio device reads normally.
 */
#include <kunit/test.h>
#include <linux/pci.h>

#include "../filters/filter.h"

static void filter_isolate_denied(struct kunit *test)
{
	struct pci_dev *pdev = pci_get_device(0x1234, 0x11e8, NULL);
	u16 vendor = 0;
	int ret;

	if (!pdev)
		kunit_skip(test, "no edu device");
	if (filter_enforce_audit()) {
		pci_dev_put(pdev);
		kunit_skip(test, "filter loaded in audit mode");
	}
	ret = pci_read_config_word(pdev, PCI_VENDOR_ID, &vendor);
	KUNIT_EXPECT_EQ(test, ret, PCIBIOS_DEVICE_NOT_FOUND);
	KUNIT_EXPECT_EQ(test, vendor, 0xffff);
	KUNIT_EXPECT_TRUE(test, pci_dev_is_disconnected(pdev));
	pci_dev_put(pdev);
}

static void filter_isolate_allowed(struct kunit *test)
{
	struct pci_dev *pdev = pci_get_device(0x1af4, 0x1000, NULL);
	u16 vendor = 0;

	if (!pdev)
		kunit_skip(test, "no virtio-net device");
	KUNIT_EXPECT_EQ(test, 0, pci_read_config_word(pdev, PCI_VENDOR_ID,
						      &vendor));
	KUNIT_EXPECT_EQ(test, vendor, 0x1af4);
	pci_dev_put(pdev);
}

static struct kunit_case filter_isolate_cases[] = {
	KUNIT_CASE(filter_isolate_denied),
	KUNIT_CASE(filter_isolate_allowed),
	{}
};

static struct kunit_suite filter_isolate_suite = {
	.name = "filter_isolate",
	.test_cases = filter_isolate_cases,
};

kunit_test_suite(filter_isolate_suite);

MODULE_DESCRIPTION("KUnit tests for tdxguard_filter's PCI isolation");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
