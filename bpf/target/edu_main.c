// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_edu: probe() of QEMU's edu device (1234:11e8) written with five
 * planted host-input bugs of the kinds real drivers have. The honest device
 * never triggers them; a host that lies does. By default each bug is caught
 * just before it would happen and reported as "planted bug <name> caught",
 * so test runs stay free of crash reports; armed=1 lets the bugs happen
 * (KASAN out-of-bounds read, allocator warning, hang, divide error, array
 * index out of bounds). Four read their registers with ioread32(); the
 * fifth with inline readl(), which only a kernel routing inline reads
 * through x86_io_read() lets tdxguard_hostio see.
 *
 * Built for tests only; never install it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/iopoll.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "edu.h"

#define EDU_VENDOR		0x1234
#define EDU_DEVICE		0x11e8

/* BAR0 registers (QEMU docs/specs/edu.rst) */
#define EDU_IDENT		0x00	/* 0xRRrr00ed: major, minor, magic */
#define EDU_LIVENESS		0x04	/* reads back the complement */
#define EDU_FACTORIAL		0x08	/* write n, read n! when not busy */
#define EDU_STATUS		0x20
#define EDU_STATUS_BUSY		BIT(0)
#define EDU_IRQ_STATUS		0x24	/* raised interrupts; 0 at probe */
#define EDU_DMA_COUNT		0x90

#define EDU_MAGIC		0xed
#define EDU_MAJOR		1
#define EDU_LIVE_PATTERN	0x5a5aa5a5
#define EDU_FACT_INPUT		3	/* 3! = 6 */
#define EDU_POLL_US		10
#define EDU_TIMEOUT_US		100000

/* Sizes the planted bugs overrun. */
#define EDU_INFO_SIZE		16
#define EDU_INFO_BASE		8
#define EDU_SLOT_SIZE		SZ_32K
#define EDU_ALLOC_MAX		SZ_4M	/* largest kmalloc (MAX_PAGE_ORDER) */
#define EDU_DRAIN_MAX		4096
#define EDU_WINDOW		SZ_4K
#define EDU_IRQ_SOURCE		0xff	/* low byte: number of the source */

/**
 * enum edu_bug - the planted bugs
 * @EDU_BUG_OOB_LENGTH: MMIO minor version used as a block length, unchecked
 * @EDU_BUG_HUGE_ALLOC: config-space revision used as an allocation count
 * @EDU_BUG_LOOP_BOUND: MMIO DMA count used as a loop bound (hang)
 * @EDU_BUG_DIV_ZERO: MMIO factorial result used as a divisor
 * @EDU_BUG_IRQ_INDEX: interrupt status, read with inline readl(), used as
 *	a table index unchecked
 * @EDU_NR_BUGS: number of bugs
 */
enum edu_bug {
	EDU_BUG_OOB_LENGTH,
	EDU_BUG_HUGE_ALLOC,
	EDU_BUG_LOOP_BOUND,
	EDU_BUG_DIV_ZERO,
	EDU_BUG_IRQ_INDEX,
	EDU_NR_BUGS,
};

static const char *const edu_bug_names[EDU_NR_BUGS] = {
	[EDU_BUG_OOB_LENGTH] = "oob-length",
	[EDU_BUG_HUGE_ALLOC] = "huge-alloc",
	[EDU_BUG_LOOP_BOUND] = "loop-bound",
	[EDU_BUG_DIV_ZERO] = "div-zero",
	[EDU_BUG_IRQ_INDEX] = "irq-index",
};

/* Per interrupt source of the edu device: the weight its handler gets. */
static const u8 edu_irq_weight[] = { 1, 2, 4, 8 };

static bool armed;
module_param(armed, bool, 0644);
MODULE_PARM_DESC(armed, "let the planted bugs happen instead of reporting them");

/* The bench file belongs to the first bound device; probe/remove serialise. */
static struct pci_dev *edu_bench_owner;
static struct dentry *edu_debugfs_dir;

/*
 * The planted-bug gate: true when the bug at the call site fires with this
 * host value and the driver is not armed, in which case it is reported and
 * the caller bails out instead of executing the bug.
 */
static bool edu_caught(struct pci_dev *pdev, enum edu_bug bug, bool fires,
		       u64 value)
{
	if (!fires || armed)
		return false;
	pci_err(pdev, "planted bug %s caught: host value %#llx\n",
		edu_bug_names[bug], value);
	return true;
}

/* Bug 1: the minor version gives the length of an info block, unchecked. */
static int edu_read_info(struct pci_dev *pdev, void __iomem *regs)
{
	u32 ident = ioread32(regs + EDU_IDENT);
	u32 len = EDU_INFO_BASE + ((ident >> 16) & 0xff);
	u8 *info, last;
	u32 i;

	if ((ident & 0xff) != EDU_MAGIC || ident >> 24 != EDU_MAJOR)
		return -ENODEV;
	if (edu_caught(pdev, EDU_BUG_OOB_LENGTH, len > EDU_INFO_SIZE, len))
		return -EIO;
	/*
	 * vmalloc: KASAN poisons the rest of the page, so every length the
	 * host can give is caught on every run, whatever the heap holds.
	 */
	info = vzalloc(EDU_INFO_SIZE);
	if (!info)
		return -ENOMEM;
	for (i = 0; i < EDU_INFO_SIZE; i++)
		info[i] = ident >> (8 * (i % 4));
	last = READ_ONCE(info[len - 1]);	/* past the block when len > 16 */
	vfree(info);
	pci_dbg(pdev, "info block ends with %#x\n", last);
	return 0;
}

/* Bug 2: the revision in config space counts slots to allocate. */
static int edu_alloc_slots(struct pci_dev *pdev)
{
	size_t bytes;
	void *slots;
	u8 rev;

	if (pci_read_config_byte(pdev, PCI_REVISION_ID, &rev))
		return -EIO;
	bytes = (size_t)rev * EDU_SLOT_SIZE;
	if (edu_caught(pdev, EDU_BUG_HUGE_ALLOC, bytes > EDU_ALLOC_MAX, rev))
		return -EIO;
	slots = kmalloc(bytes, GFP_KERNEL);
	if (!slots)
		return -ENOMEM;
	kfree(slots);
	return 0;
}

/* Bug 3: the DMA count register bounds a register-draining loop. */
static int edu_drain(struct pci_dev *pdev, void __iomem *regs)
{
	u32 count = ioread32(regs + EDU_DMA_COUNT);
	u32 i;

	if (edu_caught(pdev, EDU_BUG_LOOP_BOUND, count > EDU_DRAIN_MAX, count))
		return -EIO;
	for (i = 0; i < count; i++)
		ioread32(regs + EDU_STATUS);
	return 0;
}

/* Bug 4: the factorial result divides the window size. */
static int edu_check_factorial(struct pci_dev *pdev, void __iomem *regs)
{
	u32 status, fact;
	int ret;

	iowrite32(EDU_FACT_INPUT, regs + EDU_FACTORIAL);
	ret = read_poll_timeout(ioread32, status, !(status & EDU_STATUS_BUSY),
				EDU_POLL_US, EDU_TIMEOUT_US, false,
				regs + EDU_STATUS);
	if (ret)
		return ret;
	fact = ioread32(regs + EDU_FACTORIAL);
	if (edu_caught(pdev, EDU_BUG_DIV_ZERO, fact == 0, fact))
		return -EIO;
	pci_dbg(pdev, "%u windows per page\n", EDU_WINDOW / fact);
	return 0;
}

/*
 * Bug 5: the low byte of the interrupt status names the raised source and
 * indexes its table unchecked. Read with readl(), as many real drivers
 * read their registers: invisible to the ioread*() interposer.
 */
static int edu_check_irq(struct pci_dev *pdev, void __iomem *regs)
{
	u32 src = readl(regs + EDU_IRQ_STATUS) & EDU_IRQ_SOURCE;
	u8 weight;

	if (edu_caught(pdev, EDU_BUG_IRQ_INDEX,
		       src >= ARRAY_SIZE(edu_irq_weight), src))
		return -EIO;
	weight = READ_ONCE(edu_irq_weight[src]);	/* past the table if > 3 */
	pci_dbg(pdev, "interrupt weight %u\n", weight);
	return 0;
}

static int edu_check_liveness(void __iomem *regs)
{
	iowrite32(EDU_LIVE_PATTERN, regs + EDU_LIVENESS);
	return ioread32(regs + EDU_LIVENESS) == ~EDU_LIVE_PATTERN ? 0 : -ENODEV;
}

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	void __iomem *regs;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	regs = pcim_iomap(pdev, 0, 0);
	if (!regs)
		return -ENOMEM;
	ret = edu_alloc_slots(pdev);
	if (!ret)
		ret = edu_read_info(pdev, regs);
	if (!ret)
		ret = edu_check_liveness(regs);
	if (!ret)
		ret = edu_check_factorial(pdev, regs);
	if (!ret)
		ret = edu_drain(pdev, regs);
	if (!ret)
		ret = edu_check_irq(pdev, regs);
	if (ret)
		return ret;
	if (!edu_bench_owner) {
		edu_bench_owner = pdev;
		edu_bench_register(edu_debugfs_dir, regs);
	}
	return 0;
}

static void edu_remove(struct pci_dev *pdev)
{
	if (edu_bench_owner == pdev) {
		edu_bench_unregister();
		edu_bench_owner = NULL;
	}
}

static const struct pci_device_id edu_ids[] = {
	{ PCI_DEVICE(EDU_VENDOR, EDU_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_ids);

static struct pci_driver edu_driver = {
	.name = KBUILD_MODNAME,
	.id_table = edu_ids,
	.probe = edu_probe,
	.remove = edu_remove,
};

static int __init edu_init(void)
{
	int ret;

	edu_debugfs_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	ret = pci_register_driver(&edu_driver);
	if (ret)
		debugfs_remove_recursive(edu_debugfs_dir);
	return ret;
}

static void __exit edu_exit(void)
{
	pci_unregister_driver(&edu_driver);
	debugfs_remove_recursive(edu_debugfs_dir);
}

module_init(edu_init);
module_exit(edu_exit);

MODULE_DESCRIPTION("tdxguard: planted-bug fuzzing target for QEMU edu (tests only)");
MODULE_LICENSE("GPL");
