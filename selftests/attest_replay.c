// SPDX-License-Identifier: GPL-2.0
/*
 * attest_replay: replay the boot-time CCEL (when the firmware provides one,
 * or else the emulator's synthetic one) and the tdxguard runtime event
 * log per RTMR, read the registers from a
 * fresh TDREPORT (or from one saved in a file, as a verifier off the
 * guest has it), and say for each RTMR whether the logs explain it.
 * Exit status 0 only if all four match.
 *
 *   attest_replay [--ccel FILE] [--log FILE] [--report FILE] [--quiet]
 */
#include "attest_eventlog.h"

static int replay_file(const char *what, const char *path, struct replay *r)
{
	size_t len;
	__u8 *log = slurp(path, &len);
	int n;

	if (!log) {
		fprintf(stderr, "%s: %s: %s\n", what, path, strerror(errno));
		return -1;
	}
	n = tcg_replay(log, len, r);
	free(log);
	if (n < 0)
		fprintf(stderr, "%s: %s: malformed TCG2 event log\n", what, path);
	else
		printf("%s: %s: %d events\n", what, path, n);
	return n;
}

static int bad_args(const char *prog)
{
	fprintf(stderr, "usage: %s [--ccel FILE] [--log FILE] [--report FILE] [--quiet]\n",
		prog);
	return 2;
}

static void hex(const __u8 *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		printf("%02x", p[i]);
}

/* read_report: REPORT from a saved TDREPORT file, or fresh from the device */
static int read_report(const char *path, __u8 *report)
{
	__u8 nonce[TDX_REPORTDATA_LEN] = { 0 };
	size_t len;
	__u8 *saved;
	int fd;

	if (path) {
		saved = slurp(path, &len);
		if (!saved || len != TDX_REPORT_LEN) {
			fprintf(stderr, "%s: not a %d-byte TDREPORT\n", path, TDX_REPORT_LEN);
			free(saved);
			return -1;
		}
		memcpy(report, saved, TDX_REPORT_LEN);
		free(saved);
		return 0;
	}
	fd = open(ATTEST_DEV, O_RDWR);
	if (fd < 0 || get_report(fd, nonce, report)) {
		perror(ATTEST_DEV);
		return -1;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	const char *ccel = NULL, *log = LOG_SYSFS, *saved = NULL;
	__u8 report[TDX_REPORT_LEN];
	struct replay r = { 0 };
	int i, quiet = 0, bad = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--ccel") && i + 1 < argc)
			ccel = argv[++i];
		else if (!strcmp(argv[i], "--log") && i + 1 < argc)
			log = argv[++i];
		else if (!strcmp(argv[i], "--report") && i + 1 < argc)
			saved = argv[++i];
		else if (!strcmp(argv[i], "--quiet"))
			quiet = 1;
		else
			return bad_args(argv[0]);
	}
	if (!ccel && !saved && !access(CCEL_DATA, R_OK))
		ccel = CCEL_DATA;
	if (!ccel && !saved && !access(CCEL_EMU, R_OK))
		ccel = CCEL_EMU;
	if (!ccel)
		printf("boot log (CCEL): none; RTMRs start from zero\n");
	else if (replay_file("boot log (CCEL)", ccel, &r) < 0)
		return 1;
	if (replay_file("runtime log", log, &r) < 0)
		return 1;
	if (read_report(saved, report))
		return 1;
	for (i = 0; i < 4; i++) {
		int match = !memcmp(r.rtmr[i], report + R_RTMR(i), MR_LEN);

		bad += !match;
		printf("RTMR%d: %-8s %u events replayed", i, match ? "MATCH" : "MISMATCH",
		       r.events[i]);
		if (!quiet || !match) {
			printf("\n  replayed ");
			hex(r.rtmr[i], MR_LEN);
			printf("\n  register ");
			hex(report + R_RTMR(i), MR_LEN);
		}
		printf("\n");
	}
	printf("verdict: %s\n", bad ? "the logs do NOT explain the registers" :
				      "every RTMR replays from the logs");
	return bad ? 1 : 0;
}
