// SPDX-License-Identifier: GPL-2.0
/*
 * The emulated firmware's boot log: a synthetic CCEL in the shape TDVF
 * leaves, built when the emulated TD starts, whose replay gives the
 * emulated RTMR0 and RTMR1. Shown, as the real log area is in
 * /sys/firmware/acpi/tables/data/CCEL, in
 *   /sys/class/misc/tdx_guest/emu/CCEL       read, root only
 * and only while the emulated TDX module runs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/unaligned.h>
#include <linux/vmalloc.h>

#include "emu.h"
#include "eventlog.h"
#include "hash.h"

/* Event types TDVF logs (TCG PC Client PFP) */
#define EV_SEPARATOR			0x00000004
#define EV_EFI_VARIABLE_DRIVER_CONFIG	0x80000001
#define EV_EFI_BOOT_SERVICES_APPLICATION 0x80000003
#define EV_EFI_ACTION			0x80000007
#define EV_EFI_PLATFORM_FIRMWARE_BLOB2	0x8000000a
#define EV_EFI_HANDOFF_TABLES2		0x8000000b

/* The log area: a page, the unused tail 0xff as TDVF leaves it */
#define CCEL_AREA_LEN			SZ_4K
#define BLOB_DESC_LEN			8

/* Built at start of the emulated TD, freed at its end; NULL otherwise */
static u8 *ccel;
static size_t ccel_used;

/* UEFI_PLATFORM_FIRMWARE_BLOB2 / HANDOFF_TABLE_POINTERS2 style event data */
static u32 blob_event(u8 *out, const char *desc, u64 base, u64 len)
{
	out[0] = BLOB_DESC_LEN;
	memset(out + 1, 0, BLOB_DESC_LEN);
	memcpy(out + 1, desc, min_t(size_t, strlen(desc), BLOB_DESC_LEN));
	put_unaligned_le64(base, out + 1 + BLOB_DESC_LEN);
	put_unaligned_le64(len, out + 1 + BLOB_DESC_LEN + 8);
	return 1 + BLOB_DESC_LEN + 16;
}

/* UEFI_VARIABLE_DATA for SecureBoot = 0, EFI global variable GUID */
static u32 secure_boot_event(u8 *out)
{
	static const u8 efi_global_guid[16] = {
		0x61, 0xdf, 0xe4, 0x8b, 0xca, 0x93, 0xd2, 0x11,
		0xaa, 0x0d, 0x00, 0xe0, 0x98, 0x03, 0x2b, 0x8c,
	};
	static const char name[] = "SecureBoot";
	u32 i, n = 0;

	memcpy(out, efi_global_guid, sizeof(efi_global_guid));
	n += sizeof(efi_global_guid);
	put_unaligned_le64(strlen(name), out + n);
	put_unaligned_le64(1, out + n + 8);
	n += 16;
	for (i = 0; i < strlen(name); i++) {
		put_unaligned_le16(name[i], out + n);
		n += 2;
	}
	out[n++] = 0;			/* SecureBoot: off */
	return n;
}

/* UEFI_IMAGE_LOAD_EVENT with no device path */
static u32 image_event(u8 *out, u64 base, u64 len)
{
	memset(out, 0, 32);
	put_unaligned_le64(base, out);
	put_unaligned_le64(len, out + 8);
	return 32;
}

/*
 * Append one event to the log and extend it into rtmr[]: the digest is
 * SHA-384 of @measured if given (what firmware hashed: a HOB, a volume,
 * an image), else of the event data, as TDVF does for variables, actions
 * and separators.
 */
static int log_event(u8 rtmr[][TDX_MR_LEN], u32 index, u32 type, const void *data,
		     u32 len, const char *measured)
{
	struct tdxguard_event ev = {
		.rtmr = index,
		.type = type,
		.data = data,
		.data_len = len,
	};
	int ret;

	if (tdxguard_event_size(len) > CCEL_AREA_LEN - ccel_used)
		return -ENOSPC;
	ret = measured ? tdxguard_sha384(measured, strlen(measured), ev.digest) :
			 tdxguard_sha384(data, len, ev.digest);
	ret = ret ?: tdxguard_sha384_extend(rtmr[index], ev.digest);
	if (ret)
		return ret;
	ccel_used += tdxguard_event_encode(ccel + ccel_used, &ev);
	return 0;
}

static int log_action(u8 rtmr[][TDX_MR_LEN], u32 index, const char *action)
{
	return log_event(rtmr, index, EV_EFI_ACTION, action, strlen(action), NULL);
}

static int log_separator(u8 rtmr[][TDX_MR_LEN], u32 index)
{
	static const u8 zero[4];

	return log_event(rtmr, index, EV_SEPARATOR, zero, sizeof(zero), NULL);
}

/* TDVF's boot, in brief: RTMR0 configuration, RTMR1 the OS loader */
static int build_events(u8 rtmr[][TDX_MR_LEN])
{
	u8 data[64];
	int ret;

	ret = log_event(rtmr, 0, EV_EFI_HANDOFF_TABLES2, data,
			blob_event(data, "TdHob", 0x809000, 0x2000), "tdxguard emulated TD HOB");
	ret = ret ?: log_event(rtmr, 0, EV_EFI_PLATFORM_FIRMWARE_BLOB2, data,
			       blob_event(data, "CFV", 0xff000000, 0x40000),
			       "tdxguard emulated configuration volume");
	ret = ret ?: log_event(rtmr, 0, EV_EFI_VARIABLE_DRIVER_CONFIG, data,
			       secure_boot_event(data), NULL);
	ret = ret ?: log_separator(rtmr, 0);
	ret = ret ?: log_action(rtmr, 1, "Calling EFI Application from Boot Option");
	ret = ret ?: log_separator(rtmr, 1);
	ret = ret ?: log_event(rtmr, 1, EV_EFI_BOOT_SERVICES_APPLICATION, data,
			       image_event(data, 0x7e000000, 0x1000000),
			       "tdxguard emulated kernel image");
	ret = ret ?: log_action(rtmr, 1, "Exit Boot Services Invocation");
	return ret ?: log_action(rtmr, 1, "Exit Boot Services Returned with Success");
}

/**
 * tdxguard_emu_ccel_build() - make the emulated firmware's boot log
 * @rtmr: RTMR0 and RTMR1 of the emulated TD, zero on entry; on return,
 *        what the log replays to.
 *
 * Return: 0, -ENOMEM, or a crypto error (no log then).
 */
int tdxguard_emu_ccel_build(u8 rtmr[][TDX_MR_LEN])
{
	int ret;

	ccel = vmalloc(CCEL_AREA_LEN);
	if (!ccel)
		return -ENOMEM;
	memset(ccel, 0xff, CCEL_AREA_LEN);
	ccel_used = tdxguard_eventlog_header_encode(ccel);
	ret = build_events(rtmr);
	if (ret) {
		pr_err("emulated boot log not built: %d\n", ret);
		tdxguard_emu_ccel_free();
	}
	return ret;
}

/**
 * tdxguard_emu_ccel_free() - drop the emulated boot log, if any
 */
void tdxguard_emu_ccel_free(void)
{
	vfree(ccel);
	ccel = NULL;
	ccel_used = 0;
}

static ssize_t ccel_read(struct file *file, struct kobject *kobj,
			 struct bin_attribute *attr, char *buf, loff_t off, size_t count)
{
	if (!ccel || off < 0 || off >= CCEL_AREA_LEN)
		return 0;
	count = min_t(size_t, count, CCEL_AREA_LEN - off);
	memcpy(buf, ccel + off, count);
	return count;
}

/* Root only, as the firmware's table is */
static struct bin_attribute ccel_attr = {
	.attr = { .name = "CCEL", .mode = 0400 },
	.size = CCEL_AREA_LEN,
	.read = ccel_read,
};

static struct bin_attribute *emu_firmware_attrs[] = {
	&ccel_attr,
	NULL
};

/* The whole emu/ directory only while the emulated firmware has a log */
static bool emu_firmware_group_visible(struct kobject *kobj)
{
	return ccel;
}

static umode_t emu_firmware_attr_visible(struct kobject *kobj, struct bin_attribute *attr,
					 int n)
{
	return attr->attr.mode;
}

/* Not the SIMPLE_ variant: in 6.12 it reads a->mode, not a->attr.mode */
DEFINE_SYSFS_BIN_GROUP_VISIBLE(emu_firmware);

const struct attribute_group tdxguard_emu_firmware_group = {
	.name = "emu",
	.bin_attrs = emu_firmware_attrs,
	.is_bin_visible = SYSFS_GROUP_VISIBLE(emu_firmware),
};
