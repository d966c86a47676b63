// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_attest on two vCPUs: reports pinned to one CPU, extends pinned
 * to another, quotes in flight meanwhile. The TDX module (and the model of
 * it) answers operand busy when a report and an extend overlap; the driver
 * serialises them, so not one extend, report or quote may fail, and the
 * log must still replay to the registers.
 */
#include <pthread.h>
#include <sched.h>

#include "kselftest_harness.h"
#include "attest_eventlog.h"

/* at least; more until MIN_QUOTES overlapped, at most 5x: the log is 1 MiB */
#define EXTENDS		600
#define MIN_QUOTES	5
#define RTMR2_SYSFS	ATTEST_SYSFS "/measurements/rtmr2:sha384"

struct smp {
	int fd, quoting;
	int stop;		/* shared: read and written with __atomic */
	int extends;
	int report_fail, reports, report_cpu_off;
	int extend_fail, extend_cpu_off;
	int quote_fail, quotes;	/* quotes shared: __atomic */
};

#define LOAD(x)		__atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define STORE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELEASE)

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *reporter(void *arg)
{
	struct smp *s = arg;
	__u8 nonce[TDX_REPORTDATA_LEN] = { 0 }, report[TDX_REPORT_LEN], mr[MR_LEN];

	if (pin(0))
		return NULL;
	while (!LOAD(s->stop)) {
		/* what an unprivileged reader of the RTMR files does, and a report */
		s->report_fail += read_file(RTMR2_SYSFS, mr, MR_LEN) != MR_LEN;
		s->report_fail += get_report(s->fd, nonce, report) != 0;
		s->report_cpu_off += sched_getcpu() != 0;
		s->reports++;
	}
	return NULL;
}

static void *extender(void *arg)
{
	struct smp *s = arg;
	struct tdx_extend_rtmr_req req = { .index = 3 };
	int i;

	if (pin(1))
		return NULL;
	/* extends go on until enough quotes were in flight meanwhile */
	for (i = 0; i < EXTENDS || (s->quoting && LOAD(s->quotes) < MIN_QUOTES &&
				    i < 5 * EXTENDS); i++) {
		req.data[0] = i;
		req.data[1] = i >> 8;
		s->extend_fail += ioctl(s->fd, TDX_CMD_EXTEND_RTMR, &req) != 0;
		s->extend_cpu_off += sched_getcpu() != 1;
	}
	s->extends = i;
	return NULL;
}

static void *quoter(void *arg)
{
	struct smp *s = arg;
	__u8 nonce[TDX_REPORTDATA_LEN] = { 0 };
	__u8 *quote = malloc(QUOTE_MAX);

	if (!quote || tsm_item_make("smp")) {
		s->quote_fail++;
		free(quote);
		return NULL;
	}
	while (!LOAD(s->stop)) {
		nonce[0]++;
		s->quote_fail += quote_get("smp", nonce, quote, QUOTE_MAX) < Q_MIN_LEN;
		STORE(s->quotes, s->quotes + 1);
	}
	tsm_item_remove("smp");
	free(quote);
	return NULL;
}

FIXTURE(smp)
{
};

FIXTURE_SETUP(smp)
{
}

FIXTURE_TEARDOWN(smp)
{
}

TEST_F_TIMEOUT(smp, reports_extends_and_quotes_on_two_cpus, 600)
{
	struct smp s = { 0 };
	pthread_t r, e, q;
	struct replay rp = { 0 };
	__u8 nonce[TDX_REPORTDATA_LEN] = { 0 }, report[TDX_REPORT_LEN];
	int quotes = !access(TSM_REPORTS, F_OK), i;
	size_t len;
	__u8 *log;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "needs 2 CPUs, %ld online", sysconf(_SC_NPROCESSORS_ONLN));
	s.fd = open(ATTEST_DEV, O_RDWR);
	if (s.fd < 0)
		SKIP(return, "%s: %s", ATTEST_DEV, strerror(errno));
	s.quoting = quotes;
	ASSERT_EQ(0, pthread_create(&r, NULL, reporter, &s));
	if (quotes)
		ASSERT_EQ(0, pthread_create(&q, NULL, quoter, &s));
	ASSERT_EQ(0, pthread_create(&e, NULL, extender, &s));
	pthread_join(e, NULL);
	STORE(s.stop, 1);
	pthread_join(r, NULL);
	if (quotes)
		pthread_join(q, NULL);

	EXPECT_EQ(0, s.extend_fail) TH_LOG("%d of %d extends failed", s.extend_fail, s.extends);
	EXPECT_EQ(0, s.report_fail) TH_LOG("%d of %d report rounds failed", s.report_fail,
					   s.reports);
	EXPECT_EQ(0, s.extend_cpu_off) TH_LOG("the extender left CPU 1");
	EXPECT_EQ(0, s.report_cpu_off) TH_LOG("the reporter left CPU 0");
	EXPECT_LT(0, s.reports) TH_LOG("no report overlapped the extends");
	if (quotes) {
		EXPECT_EQ(0, s.quote_fail) TH_LOG("%d of %d quotes failed", s.quote_fail, s.quotes);
		EXPECT_LE(1, s.quotes) TH_LOG("no quote overlapped the extends");
	}
	TH_LOG("%d extends, %d report rounds, %d quotes", s.extends, s.reports, s.quotes);

	log = slurp(LOG_SYSFS, &len);
	ASSERT_NE(NULL, log);
	ASSERT_LE(s.extends, tcg_replay(log, len, &rp));
	free(log);
	ASSERT_EQ(0, get_report(s.fd, nonce, report));
	for (i = 2; i < 4; i++)
		EXPECT_EQ(0, memcmp(rp.rtmr[i], report + R_RTMR(i), MR_LEN))
			TH_LOG("RTMR%d does not replay from the log", i);
	close(s.fd);
}

TEST_HARNESS_MAIN
