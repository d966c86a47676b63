// SPDX-License-Identifier: GPL-2.0
/*
 * Findings: kernel log records (from /dev/kmsg) that say the kernel
 * crashed, warned, detected memory corruption or stalled, or that match a
 * pattern the user asked for.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

#define KMSG_RECORD	8192

/* What the kernel prints when something went wrong. */
static const char *const kmsg_crash_patterns[] = {
	"BUG:",			/* BUG: KASAN, soft lockup, sleeping in atomic */
	"WARNING:",		/* WARN() */
	"Oops",			/* "Oops: divide error", page faults */
	"kernel BUG at",
	"general protection fault",
	"UBSAN:",
	"Kernel panic",
	"INFO: task",		/* hung task */
	"INFO: rcu",		/* RCU stall */
	"rcu: INFO:",
};

/**
 * kmsg_open() - start watching the kernel log from now on
 * @w: the watcher; @w->patterns may already hold extra patterns
 *
 * Return: 0 or a negative errno.
 */
int kmsg_open(struct kmsg_watch *w)
{
	w->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (w->fd < 0)
		return -errno;
	if (lseek(w->fd, 0, SEEK_END) < 0)
		return -errno;
	return 0;
}

static bool kmsg_matches(const struct kmsg_watch *w, const char *msg)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kmsg_crash_patterns); i++)
		if (strstr(msg, kmsg_crash_patterns[i]))
			return true;
	for (i = 0; i < (size_t)w->npatterns; i++)
		if (strstr(msg, w->patterns[i]))
			return true;
	return false;
}

/* The text of a record: after the "prio,seq,ts,flags;" header, one line. */
static const char *kmsg_text(char *rec)
{
	char *msg = strchr(rec, ';');
	char *nl;

	if (!msg)
		return NULL;
	msg++;
	nl = strchr(msg, '\n');
	if (nl)
		*nl = '\0';
	return msg;
}

/**
 * kmsg_scan() - read the records logged since the last scan
 * @w: the watcher
 * @line: receives the first record that is a finding
 * @len: room in @line
 *
 * Return: 1 when a finding was seen, 0 when none, negative errno on error.
 */
int kmsg_scan(struct kmsg_watch *w, char *line, size_t len)
{
	char rec[KMSG_RECORD];
	int found = 0;

	for (;;) {
		ssize_t n = read(w->fd, rec, sizeof(rec) - 1);
		const char *msg;

		if (n < 0 && errno == EPIPE)
			continue;	/* records overwritten; go on */
		if (n < 0 && errno == EAGAIN)
			return found;
		if (n < 0)
			return -errno;
		rec[n] = '\0';
		msg = kmsg_text(rec);
		if (!found && msg && kmsg_matches(w, msg)) {
			snprintf(line, len, "%s", msg);
			found = 1;
		}
	}
}

/**
 * kmsg_close() - stop watching
 * @w: the watcher
 */
void kmsg_close(struct kmsg_watch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
}

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/**
 * finding_signature() - a finding's line without the numbers that change
 * from run to run (addresses, values, offsets, PIDs)
 * @line: the kernel log line
 * @sig: receives the signature: every number (a word of hex digits and
 *	'x' that holds a decimal digit) becomes "#"
 * @len: room in @sig
 */
void finding_signature(const char *line, char *sig, size_t len)
{
	char prev = ' ';
	size_t o = 0;

	while (*line && o + 1 < len) {
		const char *p = line;
		bool digit = false;

		if (!word_char(prev)) {
			while (isxdigit((unsigned char)*p) || *p == 'x')
				digit |= isdigit((unsigned char)*p++);
		}
		if (p > line && digit && !word_char(*p)) {
			sig[o++] = '#';
			prev = p[-1];
			line = p;
			continue;
		}
		prev = *line;
		sig[o++] = *line++;
	}
	sig[o] = '\0';
}
