#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Collect one lane's results: count them with kunit.py, judge the console.

Step output arrives framed by markers written by the guest's /init:
    ### tdxguard step NAME begin
    ... one KTAP document ...
    ### tdxguard step NAME end rc=N [seconds=S]
Each step's document is counted by the kernel tree's own
``tools/testing/kunit/kunit.py parse``. A step that never ended, ended with a
non-zero status but no failed test, or produced no test at all is a failure;
so is any kernel oops, BUG, WARN, KASAN or kmemleak report, panic, hang or
timeout seen on the console.

Prints a line per step and ``lane NAME: N passed, N failed, N skipped``, and
writes ``passed failed skipped`` to OUT/counts.
"""

import argparse
import os
import re
import subprocess
import sys

BEGIN = re.compile(r'^### tdxguard step (\S+) begin$')
END = re.compile(r'^### tdxguard step (\S+) end rc=(\d+)(?: seconds=(\d+))?$')
PLAN_END = '### tdxguard plan end'
SUMMARY = re.compile(r'Testing complete\. Ran (\d+) tests?:?(.*)$')

# What on the kernel console means the kernel under test misbehaved.
BAD_CONSOLE = re.compile(
    r'(Oops|BUG:|WARNING:|kernel BUG|general protection fault|'
    r'Kernel panic|KASAN:|UBSAN:|unreferenced object|'
    r'INFO: task .* blocked|soft lockup|hard LOCKUP|Call Trace:)')


class Counts:
    """passed/failed/skipped totals, summed over steps."""

    def __init__(self):
        self.passed = self.failed = self.skipped = 0

    def add(self, other):
        self.passed += other.passed
        self.failed += other.failed
        self.skipped += other.skipped

    def __str__(self):
        return (f'{self.passed} passed, {self.failed} failed, '
                f'{self.skipped} skipped')


def kunit_count(kunit_py, lines, save_as):
    """Count one KTAP document with kunit.py parse; return Counts, log."""
    save_as = os.path.abspath(save_as)
    with open(save_as, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    proc = subprocess.run([sys.executable, kunit_py, 'parse', save_as],
                          capture_output=True, text=True, check=False)
    counts = Counts()
    match = None
    for line in proc.stdout.splitlines():
        match = SUMMARY.search(line) or match
    if not match:
        counts.failed = 1
        return counts, proc.stdout + proc.stderr
    fields = dict((k.strip(), int(v)) for k, v in
                  re.findall(r'(\w+): (\d+)', match.group(2)))
    counts.passed = fields.get('passed', 0)
    counts.skipped = fields.get('skipped', 0)
    counts.failed = (fields.get('failed', 0) + fields.get('crashed', 0) +
                     fields.get('errors', 0))
    if int(match.group(1)) == 0:
        counts.failed = max(counts.failed, 1)
    return counts, proc.stdout


def split_steps(results):
    """Yield (name, lines, rc or None, seconds or None) per step, in order."""
    name, lines = None, []
    for raw in results:
        line = raw.rstrip('\r\n').replace('\r', '')
        m = BEGIN.match(line)
        if m:
            if name:
                yield name, lines, None, None
            name, lines = m.group(1), []
            continue
        m = END.match(line)
        if m and name == m.group(1):
            yield name, lines, int(m.group(2)), m.group(3)
            name, lines = None, []
            continue
        if name:
            lines.append(line)
    if name:
        yield name, lines, None, None


def failed_tests(parse_log):
    """Each test kunit.py marked failed or crashed, with the diagnostic
    lines it printed for that test (at most the last 12)."""
    found, diag = [], []
    for raw in parse_log.splitlines():
        line = raw.split('] ', 1)[-1] if raw.startswith('[') else raw
        if '[FAILED]' in line or '[CRASHED]' in line:
            if line.startswith('='):
                found.append(line.strip('= '))
            else:
                text = '\n'.join('      | ' + d for d in diag[-12:])
                found.append(line.strip() + ('\n' + text if text else ''))
            diag = []
        elif line.startswith('=') or '[PASSED]' in line or '[SKIPPED]' in line:
            diag = []
        else:
            diag.append(line)
    return found


def judge_steps(args, out_dir):
    """Count every step; return (Counts, list of failure messages)."""
    total, failures = Counts(), []
    results_path = os.path.join(out_dir, 'results.log')
    if not os.path.exists(results_path):
        return total, ['no results: the guest never wrote to its results port']
    with open(results_path, errors='replace') as f:
        content = f.readlines()
    step_dir = os.path.join(out_dir, 'steps')
    os.makedirs(step_dir, exist_ok=True)
    for name, lines, rc, seconds in split_steps(content):
        counts, log = kunit_count(args.kunit_py, lines,
                                  os.path.join(step_dir, name + '.ktap'))
        with open(os.path.join(step_dir, name + '.parsed'), 'w') as f:
            f.write(log)
        note = ''
        if rc is None:
            counts.failed = max(counts.failed, 1)
            note = ' (did not finish)'
            failures.append(f'step {name} did not finish')
        elif rc != 0 and counts.failed == 0:
            counts.failed += 1
            note = f' (exit status {rc})'
            failures.append(f'step {name} exited with status {rc}')
        for test in failed_tests(log):
            failures.append(f'step {name}: {test}')
        took = f' ({seconds} s)' if seconds is not None else ''
        print(f'  {args.lane}/{name}: {counts}{note}{took}')
        total.add(counts)
    if not any(PLAN_END in l for l in content):
        failures.append('the guest did not reach the end of its plan')
        if total.failed == 0:
            total.failed = 1
    return total, failures


EXPECT_BEGIN = re.compile(r'tdxguard: expect-crash begin (\S+)')
EXPECT_END = re.compile(r'tdxguard: expect-crash end (\S+)')
REPORT_SPAN = 60
REPORT_END = re.compile(r'^=+$|---\[ end trace')


# What a report is, by its title line: the lock validator's and the
# context checker's reports are named so a failure says which checker fired.
REPORT_KINDS = (
    (re.compile(r'WARNING: (possible circular locking dependency|'
                r'possible recursive locking|inconsistent lock state|'
                r'suspicious RCU usage|bad unlock balance|'
                r'held lock freed|lock held when returning)'), 'lockdep: {0}'),
    (re.compile(r'BUG: (sleeping function called from invalid context|'
                r'scheduling while atomic|workqueue leaked lock)'),
     'context check: {0}'),
    (re.compile(r'UBSAN: (\S+)'), 'UBSAN: {0}'),
    (re.compile(r'KASAN: (\S+)'), 'KASAN: {0}'),
    (re.compile(r'unreferenced object'), 'kmemleak: unreferenced object'),
)


def report_kind(console, start):
    """Name the report starting at line START (first title in its span)."""
    for line in report_span(console, start):
        for pattern, name in REPORT_KINDS:
            m = pattern.search(line)
            if m:
                return name.format(m.group(1) if m.groups() else '')
    return console[start].strip()


def report_span(console, start):
    """The lines of the report around line START: up to its end marker
    (KASAN's rule of equals signs, WARN's "end trace"), at most REPORT_SPAN."""
    span = []
    for line in console[start:start + REPORT_SPAN]:
        span.append(line)
        if len(span) > 1 and REPORT_END.search(line):
            break
    return span


def expected_reports(console):
    """Indexes of console lines that belong to an expected crash report.

    A step that plants a bug on purpose brackets it with
    "tdxguard: expect-crash begin MODULE" and "... end MODULE" in the kernel
    log. Inside that window a report is expected only if the report itself
    (up to its end marker: the call trace) names MODULE; any other
    report, inside the window or not, still fails the run."""
    expected, module, skip_to = set(), None, 0
    for i, line in enumerate(console):
        m = EXPECT_BEGIN.search(line)
        if m:
            module = m.group(1)
            continue
        if EXPECT_END.search(line):
            module = None
            continue
        if i < skip_to or not module or not BAD_CONSOLE.search(line):
            continue
        span = report_span(console, i)
        skip_to = i + len(span)
        if any('[' + module + ']' in l for l in span):
            expected.update(range(i, skip_to))
    return expected


def qemu_log_tail(out_dir, lines=10):
    """The last lines QEMU printed (its assertion or error, if it died)."""
    try:
        with open(os.path.join(out_dir, 'qemu.log'), errors='replace') as f:
            return [l.rstrip('\n') for l in f][-lines:] or ['(empty)']
    except FileNotFoundError:
        return ['(no qemu.log)']


def judge_console(out_dir, qemu_rc):
    """Failure messages from the kernel console and QEMU's exit."""
    failures = []
    path = os.path.join(out_dir, 'console.log')
    try:
        with open(path, errors='replace') as f:
            console = [l.rstrip('\r\n') for l in f]
    except FileNotFoundError:
        console = []
    expected = expected_reports(console)
    bad = [i for i, l in enumerate(console)
           if BAD_CONSOLE.search(l) and i not in expected]
    if bad:
        first = bad[0]
        excerpt = console[max(0, first - 3):first + 25]
        failures.append('kernel reported a problem: ' +
                        report_kind(console, first) + ' (' + path + '):\n' +
                        '\n'.join('      | ' + l for l in excerpt))
    console_tail = '\n'.join('      | ' + l for l in console[-15:])
    if qemu_rc == 124:
        failures.append('timeout: the guest hung or ran too long; last console lines:\n' +
                        console_tail)
    elif qemu_rc == 123:
        failures.append('the kernel did not start /init in time; last console lines:\n' +
                        console_tail)
    elif qemu_rc not in (None, 0):
        failures.append(f'QEMU exited with status {qemu_rc}; its log ends:\n' +
                        '\n'.join('      | ' + l for l in qemu_log_tail(out_dir)))
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--lane', required=True)
    parser.add_argument('--out', required=True, help='lane output directory')
    parser.add_argument('--kunit-py', required=True)
    parser.add_argument('--qemu-rc', type=int, default=None)
    parser.add_argument('--ktap', help='count this KTAP file, no guest')
    parser.add_argument('--console-only', action='store_true',
                        help='only judge the console (no counted steps)')
    args = parser.parse_args()

    if args.console_only:
        failures = judge_console(args.out, args.qemu_rc)
        for msg in failures:
            print(f'  FAIL {msg}')
        return 1 if failures else 0
    if args.ktap:
        with open(args.ktap) as f:
            lines = [l.rstrip('\n') for l in f]
        total, log = kunit_count(args.kunit_py, lines,
                                 os.path.join(args.out, 'all.ktap'))
        failures = [f'{args.lane}: {t}' for t in failed_tests(log)]
    else:
        total, failures = judge_steps(args, args.out)
        console_failures = judge_console(args.out, args.qemu_rc)
        if console_failures:
            total.failed += 1
        failures += console_failures

    for msg in failures:
        print(f'  FAIL {msg}')
    print(f'lane {args.lane}: {total}')
    with open(os.path.join(args.out, 'counts'), 'w') as f:
        f.write(f'{total.passed} {total.failed} {total.skipped}\n')
    return 1 if total.failed else 0


if __name__ == '__main__':
    sys.exit(main())
