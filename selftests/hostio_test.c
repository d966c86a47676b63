// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_hostio: the /dev/tdxguard_hostio interface refuses bad input
 * with the documented errors, allows one campaign at a time, and counts.
 * Needs the module loaded (selftests/guest/40-hostio-hook.sh does).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/tdxguard_hostio.h>

#include "kselftest_harness.h"

#define HOSTIO_DEV "/dev/tdxguard_hostio"

static struct tdxguard_hostio_config good_config(void)
{
	struct tdxguard_hostio_config cfg = {
		.seed = 1,
		.strategy = TDXGUARD_HOSTIO_BITFLIP,
		.kind_mask = (1U << TDXGUARD_HOSTIO_NR_KINDS) - 1,
		.probability = TDXGUARD_HOSTIO_PROB_ONE,
		.nranges = 1,
		/* RAM, never MMIO: selects nothing */
		.ranges[0] = { .lo = 0x1000, .hi = 0x1000,
			       .kind = TDXGUARD_HOSTIO_MMIO },
	};

	return cfg;
}

FIXTURE(hostio)
{
	int fd;
	struct tdxguard_hostio_config cfg;
};

FIXTURE_SETUP(hostio)
{
	self->fd = open(HOSTIO_DEV, O_RDONLY);
	if (self->fd < 0)
		SKIP(return, "%s: %s", HOSTIO_DEV, strerror(errno));
	self->cfg = good_config();
}

FIXTURE_TEARDOWN(hostio)
{
	if (self->fd >= 0)
		close(self->fd);
}

/* One way each to break a configuration; each must give -EINVAL. */
FIXTURE(bad_config)
{
	int fd;
	struct tdxguard_hostio_config cfg;
};

FIXTURE_SETUP(bad_config)
{
	self->fd = open(HOSTIO_DEV, O_RDONLY);
	if (self->fd < 0)
		SKIP(return, "%s: %s", HOSTIO_DEV, strerror(errno));
	self->cfg = good_config();
}

FIXTURE_TEARDOWN(bad_config)
{
	if (self->fd >= 0)
		close(self->fd);
}

FIXTURE_VARIANT(bad_config)
{
	int field;
};

enum {
	BAD_STRATEGY, BAD_KIND_MASK, BAD_PROBABILITY, BAD_SITES, BAD_NRANGES,
	BAD_RANGE_ORDER, BAD_RANGE_KIND, BAD_FLAGS, BAD_RANGE_RESERVED,
};

FIXTURE_VARIANT_ADD(bad_config, strategy) { .field = BAD_STRATEGY };
FIXTURE_VARIANT_ADD(bad_config, kind_mask) { .field = BAD_KIND_MASK };
FIXTURE_VARIANT_ADD(bad_config, probability) { .field = BAD_PROBABILITY };
FIXTURE_VARIANT_ADD(bad_config, sites) { .field = BAD_SITES };
FIXTURE_VARIANT_ADD(bad_config, nranges) { .field = BAD_NRANGES };
FIXTURE_VARIANT_ADD(bad_config, range_order) { .field = BAD_RANGE_ORDER };
FIXTURE_VARIANT_ADD(bad_config, range_kind) { .field = BAD_RANGE_KIND };
FIXTURE_VARIANT_ADD(bad_config, flags) { .field = BAD_FLAGS };
FIXTURE_VARIANT_ADD(bad_config, range_reserved) { .field = BAD_RANGE_RESERVED };

static void break_config(struct tdxguard_hostio_config *cfg, int field)
{
	switch (field) {
	case BAD_STRATEGY:
		cfg->strategy = TDXGUARD_HOSTIO_NR_STRATEGIES;
		break;
	case BAD_KIND_MASK:
		cfg->kind_mask = 1U << TDXGUARD_HOSTIO_NR_KINDS;
		break;
	case BAD_PROBABILITY:
		cfg->probability = TDXGUARD_HOSTIO_PROB_ONE + 1;
		break;
	case BAD_SITES:
		cfg->site_lo = 2;
		cfg->site_hi = 1;
		break;
	case BAD_NRANGES:
		cfg->nranges = TDXGUARD_HOSTIO_MAX_RANGES + 1;
		break;
	case BAD_RANGE_ORDER:
		cfg->ranges[0].lo = cfg->ranges[0].hi + 1;
		break;
	case BAD_RANGE_KIND:
		cfg->ranges[0].kind = TDXGUARD_HOSTIO_NR_KINDS;
		break;
	case BAD_FLAGS:
		cfg->flags = TDXGUARD_HOSTIO_LOG_SELECTED << 1;
		break;
	case BAD_RANGE_RESERVED:
		cfg->ranges[0].reserved = 1;
		break;
	}
}

TEST_F(bad_config, refused_with_einval)
{
	ASSERT_EQ(0, ioctl(self->fd, TDXGUARD_HOSTIO_CONFIGURE, &self->cfg));
	break_config(&self->cfg, variant->field);
	ASSERT_EQ(-1, ioctl(self->fd, TDXGUARD_HOSTIO_CONFIGURE, &self->cfg));
	ASSERT_EQ(EINVAL, errno);
}

/* A trace of @n distinct reads of one config address. */
static struct tdxguard_hostio_event *replay_trace(__u32 n)
{
	struct tdxguard_hostio_event *ev = calloc(n ? n : 1, sizeof(*ev));
	__u32 i;

	for (i = 0; ev && i < n; i++) {
		ev[i].kind = TDXGUARD_HOSTIO_PCI_CFG;
		ev[i].size = 4;
		ev[i].nth = i;
		ev[i].mutated = i;
	}
	return ev;
}

/* The largest trace loads (no 64-entry limit); one more is refused. */
TEST_F(hostio, replay_length_limit)
{
	struct tdxguard_hostio_replay replay = {
		.count = TDXGUARD_HOSTIO_MAX_REPLAY,
	};
	struct tdxguard_hostio_event *ev = replay_trace(replay.count + 1);

	ASSERT_NE(NULL, ev);
	replay.events = (__u64)(unsigned long)ev;
	ASSERT_EQ(0, ioctl(self->fd, TDXGUARD_HOSTIO_SET_REPLAY, &replay));
	replay.count++;
	ASSERT_EQ(-1, ioctl(self->fd, TDXGUARD_HOSTIO_SET_REPLAY, &replay));
	ASSERT_EQ(EINVAL, errno);
	replay.count = 0;
	ASSERT_EQ(0, ioctl(self->fd, TDXGUARD_HOSTIO_SET_REPLAY, &replay));
	free(ev);
}

/* Two entries for one read, an unknown kind, reserved bits: -EINVAL. */
TEST_F(hostio, bad_replay_is_einval)
{
	struct tdxguard_hostio_event *ev = replay_trace(3);
	struct tdxguard_hostio_replay replay = {
		.count = 3, .events = (__u64)(unsigned long)ev,
	};

	ASSERT_NE(NULL, ev);
	ev[2].nth = 0;
	ASSERT_EQ(-1, ioctl(self->fd, TDXGUARD_HOSTIO_SET_REPLAY, &replay));
	ASSERT_EQ(EINVAL, errno);
	ev[2].nth = 2;
	ev[1].kind = TDXGUARD_HOSTIO_NR_KINDS;
	ASSERT_EQ(-1, ioctl(self->fd, TDXGUARD_HOSTIO_SET_REPLAY, &replay));
	ASSERT_EQ(EINVAL, errno);
	ev[1].kind = TDXGUARD_HOSTIO_PCI_CFG;
	replay.reserved = 1;
	ASSERT_EQ(-1, ioctl(self->fd, TDXGUARD_HOSTIO_SET_REPLAY, &replay));
	ASSERT_EQ(EINVAL, errno);
	replay.reserved = 0;
	ASSERT_EQ(0, ioctl(self->fd, TDXGUARD_HOSTIO_SET_REPLAY, &replay));
	replay.events = 8;
	ASSERT_EQ(-1, ioctl(self->fd, TDXGUARD_HOSTIO_SET_REPLAY, &replay));
	ASSERT_EQ(EFAULT, errno);
	free(ev);
}

TEST_F(hostio, bad_pointer_is_efault)
{
	ASSERT_EQ(-1, ioctl(self->fd, TDXGUARD_HOSTIO_CONFIGURE, (void *)8));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(-1, ioctl(self->fd, TDXGUARD_HOSTIO_BEGIN, (void *)8));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(-1, ioctl(self->fd, TDXGUARD_HOSTIO_GET_STATS, (void *)8));
	ASSERT_EQ(EFAULT, errno);
}

TEST_F(hostio, unknown_ioctl_is_enotty)
{
	ASSERT_EQ(-1, ioctl(self->fd, _IO(TDXGUARD_HOSTIO_IOC_MAGIC, 99)));
	ASSERT_EQ(ENOTTY, errno);
}

TEST_F(hostio, short_or_misaligned_read_is_einval)
{
	struct tdxguard_hostio_event ev[2];

	ASSERT_EQ(-1, read(self->fd, ev, sizeof(ev[0]) - 1));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, pread(self->fd, ev, sizeof(ev), 1));
	ASSERT_EQ(EINVAL, errno);
}

TEST_F(hostio, second_open_is_ebusy)
{
	int fd = open(HOSTIO_DEV, O_RDONLY);

	ASSERT_EQ(-1, fd);
	ASSERT_EQ(EBUSY, errno);
}

/* An iteration with nothing selected mutates nothing and logs nothing. */
TEST_F(hostio, idle_iteration_logs_nothing)
{
	struct tdxguard_hostio_stats before, after;
	struct tdxguard_hostio_event ev;
	__u32 iteration = 7;

	ASSERT_EQ(0, ioctl(self->fd, TDXGUARD_HOSTIO_CONFIGURE, &self->cfg));
	ASSERT_EQ(0, ioctl(self->fd, TDXGUARD_HOSTIO_GET_STATS, &before));
	ASSERT_EQ(0, ioctl(self->fd, TDXGUARD_HOSTIO_BEGIN, &iteration));
	ASSERT_EQ(0, ioctl(self->fd, TDXGUARD_HOSTIO_END));
	ASSERT_EQ(0, ioctl(self->fd, TDXGUARD_HOSTIO_GET_STATS, &after));
	ASSERT_EQ(0, pread(self->fd, &ev, sizeof(ev), 0));
	ASSERT_EQ(before.mutated, after.mutated);
}

TEST_HARNESS_MAIN
