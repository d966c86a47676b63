// SPDX-License-Identifier: GPL-2.0
/*
 * attest_tool: show and measure tdxguard_attest from userspace.
 *
 *   attest_tool report          decode a fresh TDREPORT
 *   attest_tool save-report FILE
 *                               write a fresh TDREPORT to FILE, raw, for a
 *                               replay of the event log off the guest
 *   attest_tool quote           get a quote via configfs-tsm and verify it
 *   attest_tool save-quote FILE write a fresh quote to FILE, raw
 *   attest_tool pck-load KEY CHAIN
 *                               give the emulated quoting enclave a PCK
 *                               private key (PEM) and its PEM chain (leaf,
 *                               intermediate, root); "pck-load none" drops it
 *   attest_tool verify ROOT     get a quote and verify it end to end, from
 *                               its own bytes up to the root CA in ROOT (PEM)
 *   attest_tool event RTMR TEXT measure TEXT into RTMR as an event (type
 *                               0x80000001): the kernel hashes, extends, logs
 *   attest_tool bench SECONDS   requests per second, and the ratio to the
 *                               raw in-kernel cryptography they include
 *   attest_tool bench-rtmr SECONDS ioctl|sysfs|event|refused
 *                               RTMR3 extends per second through one
 *                               interface (each logged), against the raw
 *                               SHA-384 of the same bytes; "refused" is the
 *                               floor: an extend ioctl refused before any
 *                               work (index 4). One interface a run: a
 *                               fast machine fills any log in seconds
 */
#include <time.h>

#include "attest_pck.h"

static void print_hex(const char *name, const __u8 *p, size_t len)
{
	size_t i;

	printf("  %-16s ", name);
	for (i = 0; i < len; i++)
		printf("%02x", p[i]);
	printf("\n");
}

static __u64 le64_at(const __u8 *p)
{
	return le32_at(p) | (__u64)le32_at(p + 4) << 32;
}

static int open_dev(void)
{
	int fd = open(ATTEST_DEV, O_RDWR);

	if (fd < 0)
		perror(ATTEST_DEV);
	return fd;
}

static int cmd_report(void)
{
	__u8 nonce[TDX_REPORTDATA_LEN], report[TDX_REPORT_LEN];
	int fd = open_dev(), i;
	char name[16];

	if (fd < 0)
		return 1;
	for (i = 0; i < TDX_REPORTDATA_LEN; i++)
		nonce[i] = i;
	if (get_report(fd, nonce, report)) {
		perror("TDX_CMD_GET_REPORT0");
		return 1;
	}
	close(fd);
	printf("TDREPORT (%d bytes), type %#x:\n", TDX_REPORT_LEN, report[R_TYPE]);
	print_hex("REPORTDATA", report + R_REPORTDATA, 64);
	printf("  %-16s %#018llx\n", "ATTRIBUTES",
	       (unsigned long long)le64_at(report + R_ATTRIBUTES));
	printf("  %-16s %#018llx\n", "XFAM", (unsigned long long)le64_at(report + R_XFAM));
	print_hex("MRTD", report + R_MRTD, MR_LEN);
	print_hex("MRCONFIGID", report + R_MRCONFIGID, MR_LEN);
	print_hex("MROWNER", report + R_MROWNER, MR_LEN);
	print_hex("MROWNERCONFIG", report + R_MROWNERCONFIG, MR_LEN);
	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "RTMR%d", i);
		print_hex(name, report + R_RTMR(i), MR_LEN);
	}
	print_hex("MRSEAM", report + R_MRSEAM, MR_LEN);
	print_hex("MAC", report + R_MAC, 32);
	return 0;
}

/* A fresh quote over @nonce via configfs-tsm in @quote (QUOTE_MAX); length or -1 */
static int fresh_quote(const __u8 *nonce, __u8 *quote)
{
	int len;

	if (tsm_item_make("attest_tool")) {
		perror(TSM_REPORTS);
		return -1;
	}
	len = quote_get("attest_tool", nonce, quote, QUOTE_MAX);
	tsm_item_remove("attest_tool");
	if (len < 0)
		fprintf(stderr, "quote: %s\n", strerror(-len));
	return len < 0 ? -1 : len;
}

static int cmd_quote(void)
{
	__u8 nonce[TDX_REPORTDATA_LEN] = "tdxguard demo nonce";
	__u8 *quote = malloc(QUOTE_MAX);
	int len = quote ? fresh_quote(nonce, quote) : -1, ok;

	if (len < 0) {
		free(quote);
		return 1;
	}
	ok = quote_verifies(quote, len);
	printf("Quote via configfs-tsm: %d bytes, version %u, TEE type %#x\n", len,
	       le16_at(quote + Q_VERSION), le32_at(quote + Q_TEE_TYPE));
	print_hex("REPORTDATA", quote + Q_B_REPORTDATA, 64);
	print_hex("MRTD", quote + Q_B_MRTD, MR_LEN);
	print_hex("signing key", quote + Q_ATT_KEY, 64);
	printf("  nonce in quote:  %s\n",
	       memcmp(quote + Q_B_REPORTDATA, nonce, 64) ? "NO" : "yes");
	printf("  ECDSA-P256 signature (OpenSSL, published key): %s\n",
	       ok ? "VERIFIED" : "INVALID");
	free(quote);
	return ok ? 0 : 1;
}

static int cmd_save_quote(const char *path)
{
	__u8 nonce[TDX_REPORTDATA_LEN] = { 0 };
	__u8 *quote = malloc(QUOTE_MAX);
	int len = quote ? fresh_quote(nonce, quote) : -1;
	FILE *f;

	if (len < 0) {
		free(quote);
		return 1;
	}
	f = fopen(path, "wb");
	if (!f || fwrite(quote, 1, len, f) != (size_t)len) {
		perror(path);
		if (f)
			fclose(f);
		free(quote);
		return 1;
	}
	free(quote);
	return fclose(f) ? 1 : 0;
}

static int cmd_pck_load(const char *key, const char *chain)
{
	int ret = pck_load(key, chain);

	if (ret)
		fprintf(stderr, "pck-load: %s\n", strerror(-ret));
	return ret ? 1 : 0;
}

static int cmd_pck_none(void)
{
	int ret = write_str(PCK_CHAIN_FILE, "none");

	if (ret)
		fprintf(stderr, "pck-load none: %s\n", strerror(-ret));
	return ret ? 1 : 0;
}

static int cmd_verify(const char *root)
{
	__u8 nonce[TDX_REPORTDATA_LEN] = "tdxguard verify nonce";
	__u8 *quote = malloc(QUOTE_MAX);
	int len = quote ? fresh_quote(nonce, quote) : -1, ok;
	const char *problem = NULL;

	if (len < 0) {
		free(quote);
		return 1;
	}
	ok = quote_chain_verify(quote, len, root, &problem);
	printf("Quote via configfs-tsm: %d bytes, checked against the root CA in %s\n", len, root);
	if (ok)
		printf("  VERIFIED: quote signature, QE report binding, QE report signature\n"
		       "            and PCK chain\n");
	else
		printf("  REJECTED: %s\n", problem);
	free(quote);
	return ok ? 0 : 1;
}

static int cmd_event(int rtmr, const char *text)
{
	struct tdx_event_req req = {
		.rtmr_index = rtmr,
		.event_type = 0x80000001,
		.data_len = strlen(text),
		.data = (uintptr_t)text,
	};
	int fd = open_dev();

	if (fd < 0)
		return 1;
	if (ioctl(fd, TDX_CMD_LOG_EVENT, &req)) {
		perror("TDX_CMD_LOG_EVENT");
		return 1;
	}
	close(fd);
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Raw in-kernel crypto cost in ns, by name, from the emu debugfs file. The
 * kernel measures when the file is read: each call is a fresh sample, taken
 * right after the rate it is compared with, since an emulated machine's
 * speed drifts within a run.
 */
static double raw_cost(const char *name)
{
	char buf[256] = "";
	char *p;

	if (read_file(ATTEST_DEBUGFS "/emu_crypto_cost", buf, sizeof(buf) - 1) <= 0)
		return 0;
	p = strstr(buf, name);
	return p ? strtod(p + strlen(name), NULL) : 0;
}

static void report_rate(const char *metric, double per_s, double raw_ns)
{
	printf("bench: %s: %.1f ops/s\n", metric, per_s);
	printf("bench: %s raw crypto: %.0f ns\n", metric, raw_ns);
	if (per_s > 0 && raw_ns > 0)
		printf("bench: %s / raw crypto: %.2f x\n", metric, 1e9 / per_s / raw_ns);
}

struct bench_ctx {
	int fd;
	__u8 nonce[TDX_REPORTDATA_LEN];
	__u8 report[TDX_REPORT_LEN];
	__u8 *quote;
};

static int bench_report(struct bench_ctx *c)
{
	return get_report(c->fd, c->nonce, c->report);
}

static int bench_quote(struct bench_ctx *c)
{
	return quote_get("attest_bench", c->nonce, c->quote, QUOTE_MAX) < 0;
}

/*
 * Operations per second over @seconds, after a quarter of that untimed (the
 * first calls pay for emulation translating the path), or -1 if one failed.
 */
static double rate(double seconds, int (*op)(struct bench_ctx *), struct bench_ctx *c)
{
	double start;
	long n;
	int timed;

	for (timed = 0; timed < 2; timed++) {
		start = now();
		for (n = 0; now() - start < (timed ? seconds : seconds / 4); n++)
			if (op(c))
				return -1;
	}
	return n / (now() - start);
}

static int cmd_bench(double seconds)
{
	struct bench_ctx c = { .quote = malloc(QUOTE_MAX), .fd = open_dev() };
	double reports = -1, quotes = -1;

	double report_raw = 0, quote_raw = 0;

	if (c.fd >= 0 && c.quote && !tsm_item_make("attest_bench")) {
		reports = rate(seconds, bench_report, &c);
		report_raw = raw_cost("report_ns");
		quotes = rate(seconds, bench_quote, &c);
		quote_raw = raw_cost("quote_ns");
		tsm_item_remove("attest_bench");
	}
	if (c.fd >= 0)
		close(c.fd);
	free(c.quote);
	if (reports < 0 || quotes < 0) {
		fprintf(stderr, "bench: a request failed\n");
		return 1;
	}
	report_rate("attest GET_REPORT0", reports, report_raw);
	report_rate("attest quote round trip", quotes, quote_raw);
	return 0;
}

#define BENCH_EVENT_LEN	256	/* TDXGUARD_COST_EVENT_LEN in the module */

static int extend_once(int fd, int via, const __u8 *data, const __u8 *event)
{
	struct tdx_extend_rtmr_req req = { .index = 3 };
	struct tdx_event_req ev = {
		.rtmr_index = 3, .event_type = 0x80000001, .data_len = BENCH_EVENT_LEN,
		.data = (uintptr_t)event,
	};
	static int sysfs_fd = -1;

	switch (via) {
	case 0:
		memcpy(req.data, data, MR_LEN);
		return ioctl(fd, TDX_CMD_EXTEND_RTMR, &req);
	case 3:
		/* refused by the index check: syscall, copy-in, dispatch only */
		req.index = 4;
		return ioctl(fd, TDX_CMD_EXTEND_RTMR, &req) == -1 && errno == EINVAL ? 0 : -1;
	case 1:
		if (sysfs_fd < 0)
			sysfs_fd = open(ATTEST_SYSFS "/measurements/rtmr3:sha384", O_WRONLY);
		return pwrite(sysfs_fd, data, MR_LEN, 0) == MR_LEN ? 0 : -1;
	default:
		return ioctl(fd, TDX_CMD_LOG_EVENT, &ev);
	}
}

/* extends through interface @via for @seconds from *@start; -1 on error */
static long extends_for(int fd, int via, double seconds, double *start)
{
	__u8 data[MR_LEN] = { 0 }, event[BENCH_EVENT_LEN] = { 0 };
	long n;

	for (n = 0, *start = now(); now() - *start < seconds; n++)
		if (extend_once(fd, via, data, event))
			return -1;
	return n;
}

static int cmd_bench_rtmr(double seconds, const char *name)
{
	static const char * const names[] = { "ioctl", "sysfs", "event", "refused" };
	static const char * const via[] = { "ioctl", "sysfs", "event 256 B", "refused ioctl" };
	static const char * const raw[] = { "extend_ns", "extend_ns", "event256_ns", "extend_ns" };
	char metric[64];
	double start, per_s;
	int fd, i;
	long n;

	for (i = 0; i < 4 && strcmp(name, names[i]); i++)
		;
	if (i == 4) {
		fprintf(stderr, "bench-rtmr: no interface '%s'\n", name);
		return 2;
	}
	fd = open_dev();
	if (fd < 0)
		return 1;
	/* a quarter of the time untimed first: emulation warms up */
	n = extends_for(fd, i, seconds / 4, &start);
	if (n >= 0)
		n = extends_for(fd, i, seconds, &start);
	if (n < 0) {
		perror(via[i]);
		close(fd);
		return 1;
	}
	per_s = n / (now() - start);
	close(fd);
	if (i == 3)
		snprintf(metric, sizeof(metric), "attest RTMR %s (no work)", via[i]);
	else
		snprintf(metric, sizeof(metric), "attest RTMR extend + log via %s", via[i]);
	report_rate(metric, per_s, raw_cost(raw[i]));
	return 0;
}

static int cmd_save_report(const char *path)
{
	__u8 nonce[TDX_REPORTDATA_LEN] = { 0 }, report[TDX_REPORT_LEN];
	int fd = open_dev();
	FILE *f;

	if (fd < 0)
		return 1;
	if (get_report(fd, nonce, report)) {
		perror("TDX_CMD_GET_REPORT0");
		close(fd);
		return 1;
	}
	close(fd);
	f = fopen(path, "wb");
	if (!f || fwrite(report, 1, sizeof(report), f) != sizeof(report)) {
		perror(path);
		if (f)
			fclose(f);
		return 1;
	}
	return fclose(f) ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "report"))
		return cmd_report();
	if (argc == 3 && !strcmp(argv[1], "save-report"))
		return cmd_save_report(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "quote"))
		return cmd_quote();
	if (argc == 3 && !strcmp(argv[1], "save-quote"))
		return cmd_save_quote(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "pck-load") && !strcmp(argv[2], "none"))
		return cmd_pck_none();
	if (argc == 4 && !strcmp(argv[1], "pck-load"))
		return cmd_pck_load(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "verify"))
		return cmd_verify(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "event"))
		return cmd_event(atoi(argv[2]), argv[3]);
	if (argc == 3 && !strcmp(argv[1], "bench"))
		return cmd_bench(atof(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "bench-rtmr"))
		return cmd_bench_rtmr(atof(argv[2]), argv[3]);
	fprintf(stderr, "usage: %s report | save-report FILE | quote | save-quote FILE |\n"
		"       pck-load KEY CHAIN | pck-load none | verify ROOT |\n"
		"       event RTMR TEXT | bench SECONDS |\n"
		"       bench-rtmr SECONDS ioctl|sysfs|event|refused\n", argv[0]);
	return 2;
}
