#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host-side manager of tdxguard-fuzz campaigns (``make fuzz``).

Boots guests with scripts/qemu-run.sh, each running the in-guest executor
(tools/hostio/fuzz-executor.sh) against one QEMU device, and keeps
everything that matters on the host: the kernel console (where the hook
prints every mutation before the driver sees it), findings deduplicated by
crash title (kind of report plus the top frames), a reproducer per
finding, minimized by replaying it without one mutation at a time on
fresh guests, and coverage over time. A guest that oopses, panics or hangs
is restarted with the next seed and the campaign goes on. JOBS guests run
at once.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

# enum tdxguard_hostio_kind
KINDS = {0: "mmio", 1: "pio", 2: "pci-cfg", 3: "vq-len", 4: "mmio-inline",
         5: "pio-inline", 6: "vq-id", 7: "vq-data"}
# QEMU device name -> (PCI vendor, device, guest driver, test module)
TARGETS = {
    "edu": ("1234", "11e8", "tdxguard_edu", "tdxguard_edu"),
    "e1000": ("8086", "100e", "e1000", ""),
    "e1000e": ("8086", "10d3", "e1000e", ""),
    "virtio-net": ("1af4", "1000", "virtio-pci", ""),
    "virtio-blk": ("1af4", "1001", "virtio-pci", ""),
    "virtio-balloon": ("1af4", "1002", "virtio-pci", ""),
    "virtio-console": ("1af4", "1003", "virtio-pci", ""),
    "virtio-rng": ("1af4", "1005", "virtio-pci", ""),
}
# The first line of a kernel report, and what kind of report it is.
REPORT = re.compile(
    r"(BUG: [^\n]*|WARNING: [^\n]*|Oops: [^\n]*|general protection fault[^\n]*|"
    r"kernel BUG at [^\n]*|UBSAN: [^\n]*|Kernel panic - not syncing: [^\n]*|"
    r"INFO: task [^\n]* blocked[^\n]*|watchdog: BUG: soft lockup[^\n]*|"
    r"rcu: INFO: [^\n]*)")
FRAME = re.compile(r"^\s+(?:\? )?([A-Za-z0-9_.]+)\+0x[0-9a-f]+/0x[0-9a-f]+(?: \[(\S+)\])?")
RIP = re.compile(r"RIP: [0-9a-f]+:([A-Za-z0-9_.]+)\+0x")
STAMP = re.compile(r"^\[\s*[0-9.]+\] ")
MUTATION = re.compile(r"tdxguard_hostio: mutation (\d+) (0x[0-9a-f]+|0) (\d+) (\d+) (0x[0-9a-f]+|0) (0x[0-9a-f]+|0)")
BEGIN = re.compile(r"tdxguard_hostio: iteration (\d+) begin")
PROGRESS = re.compile(r"iterations (\d+) in ")
COVERAGE = re.compile(r"coverage (\d+), corpus (\d+)")
# Frames that say how the kernel reported, not where the bug is.
SKIP_FRAMES = re.compile(
    r"^(dump_stack|dump_stack_lvl|show_stack|print_report|kasan_report|"
    r"__kasan_|kasan_|__warn|warn_|report_bug|handle_bug|exc_|asm_exc_|"
    r"panic|__panic|check_panic_on_warn|do_error_trap|do_trap|"
    r"__ubsan_|ubsan_|lockdep_|watchdog_|__report_|printk|_printk)")


def number_free(line):
    """A report line without the numbers that change between runs."""
    line = re.sub(r"0x[0-9a-f]+", "#", line)
    line = re.sub(r"[0-9]+", "#", line)
    return re.sub(r"\s+", " ", line).strip()


def crash_title(console):
    """(title, report line) of the first kernel report in a console log,
    or (None, None). The title is the report's kind and its top two frames
    (of the task, not the interrupt that reported), preferring frames of a
    module other than the hook's: syzkaller-style, stable across runs."""
    lines = [STAMP.sub("", l) for l in console.splitlines()]
    for i, line in enumerate(lines):
        m = REPORT.search(line)
        if not m:
            continue
        frames, rip, in_task = [], None, False
        for later in lines[i + 1:i + 100]:
            r = RIP.search(later)
            rip = rip or (r and r.group(1))
            if "<TASK>" in later:
                frames, in_task = [], True
            if "</TASK>" in later and in_task:
                break
            f = FRAME.match(later)
            if f and "? " not in later[:later.find(f.group(1))] and \
               not SKIP_FRAMES.match(f.group(1)) and f.group(1) not in [x for x, _ in frames]:
                frames.append((f.group(1), f.group(2)))
            if "---[ end" in later or (later.startswith("====") and frames):
                break
        first = [k for k, (_, mod) in enumerate(frames) if mod and mod != "tdxguard_hostio"]
        names = [x for x, _ in frames[first[0] if first else 0:]] or [rip or "?"]
        kind = re.sub(r"CPU: # PID: # |\+#/#", "", number_free(m.group(1)))
        kind = re.sub(r" in \S+.*$", "", kind)
        return kind + " in " + " < ".join(names[:2]), m.group(1)
    return None, None


FINDING = re.compile(r"^(?:finding: iteration \d+|reproduced|not reproduced(?=: hang)): (.*)$",
                     re.M)
HANG = "hang"
# Reports of a task that does not come back: one finding, whichever fires
# first (where a lockup is caught is a matter of timing, not of the bug).
HANG_REPORT = re.compile(r"soft lockup|hard LOCKUP|blocked for more than|rcu.*stall|^hang")


def outcome(console, results, rc):
    """(title, report line) of a boot: the kernel's first report, else the
    first finding tdxguard-fuzz printed (a hang of the stimulus, a
    --detect match), else a guest that stopped talking; (None, None)."""
    title, line = crash_title(console)
    m = FINDING.search(results)
    if not title and m:
        title, line = "finding: " + number_free(m.group(1)), m.group(1)
        title = HANG if HANG_REPORT.search(m.group(1)) else title
    if not title and rc == "hang":
        title, line = HANG, "no output from the guest"
    if title and HANG_REPORT.search(line):
        title = HANG
    return title, line


def repro_mutations(path):
    """The mutations of a reproducer tdxguard-fuzz wrote in the guest."""
    muts = []
    for line in read(path).splitlines():
        f = line.split()
        if len(f) >= 7 and f[0] == "mutation":
            muts.append((f[1], f[2], int(f[3]), int(f[4]), f[5], f[6]))
    return muts


def last_mutations(console):
    """Iteration number and mutations of the last iteration the console
    shows begin, as reproducer "mutation" values."""
    iteration, muts = None, []
    for line in console.splitlines():
        b = BEGIN.search(line)
        if b:
            iteration, muts = int(b.group(1)), []
            continue
        m = MUTATION.search(line)
        if m and iteration is not None:
            kind, addr, nth, size, value, mutated = m.groups()
            muts.append((KINDS.get(int(kind), kind), addr, int(nth), int(size),
                         value, mutated))
    return iteration, muts


def write_repro(path, target, iteration, title, muts, timeout):
    """A tdxguard-fuzz v2 reproducer: device filter off (nth counts per
    address, so it does not change which read an entry names)."""
    vendor, device, driver, _ = TARGETS[target]
    with open(path, "w") as f:
        f.write("# tdxguard-fuzz reproducer v2\nengine module\nseed 0\n")
        f.write("iteration %d\nstrategy guided\nprobability 0\nbudget 0\n" % iteration)
        f.write("kinds %#x\n" % ((1 << len(KINDS)) - 1))
        f.write("device 0000:00:00.0\ndriver %s\ntimeout %g\n" % (driver, timeout))
        f.write("finding %s\n" % title)
        for m in muts:
            f.write("mutation %s %s %d %d %s %s\n" % m)


class Manager:
    """The campaign: boots, findings, statistics; shared by the workers."""

    def __init__(self, args):
        self.a = args
        self.lock = threading.Lock()
        self.start = time.time()
        self.boots = 0
        self.restarts = 0
        self.crashes = 0
        self.iterations = 0
        self.coverage = 0
        self.corpus_entries = 0
        self.findings = {}          # title -> dict
        self.timeline = []          # (seconds, iterations, coverage, distinct)
        self.next_seed = args.seed
        self.stop = False
        self.running = set()        # Popen of the guests being booted
        self.cur_iterations = 0
        os.makedirs(args.out, exist_ok=True)
        self.corpus = os.path.join(args.out, "corpus")      # shared by all guests
        os.makedirs(self.corpus, exist_ok=True)
        self.log = open(os.path.join(args.out, "manager.log"), "a")

    def note(self, text):
        with self.lock:
            self.log.write("%.1f %s\n" % (time.time() - self.start, text))
            self.log.flush()

    def progress(self):
        with self.lock:
            s = time.time() - self.start
            line = ("fuzz %s: %4.0fs boots %d restarts %d iterations %d coverage %d "
                    "corpus %d crashes %d distinct %d" %
                    (self.a.target, s, self.boots, self.restarts,
                     self.iterations + self.cur_iterations, self.coverage,
                     self.corpus_entries, self.crashes, len(self.findings)))
            self.timeline.append((s, self.iterations + self.cur_iterations, self.coverage,
                                  len(self.findings)))
        if self.a.quiet:
            return
        sys.stderr.write("\r" + line[:150].ljust(150))
        sys.stderr.flush()

    def time_left(self):
        return time.time() - self.start < self.a.time and not self.stop

    def boot(self, name, job, timeout, on_output=None, trial_dir=None):
        """Boot one guest with job.conf @job (and the trial files in
        @trial_dir); return (console, results, rc). A fuzzing guest
        (@on_output set) still running when --time is up is stopped
        (rc "time")."""
        d = os.path.join(self.a.out, "boots", name)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(os.path.join(d, "9p"))
        with open(os.path.join(d, "9p", "job.conf"), "w") as f:
            for k, v in job.items():
                f.write("%s='%s'\n" % (k, v))
        for t in sorted(os.listdir(trial_dir)) if trial_dir else []:
            shutil.copy(os.path.join(trial_dir, t), os.path.join(d, "9p", t))
        shutil.copytree(self.corpus, os.path.join(d, "9p", "corpus"))
        with self.lock:
            self.boots += 1
        cmd = [self.a.qemu_run, "--kernel", self.a.kernel, "--initrd", self.a.initrd,
               "--out", d, "--timeout", str(int(timeout)), "--devices",
               self.a.target + " virtio-9p", "--append", self.a.append]
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
        with self.lock:
            self.running.add(p)
        results = os.path.join(d, "results.log")
        console_log = os.path.join(d, "console.log")
        last_size, last_console, last_change = 0, 0, time.time()
        while p.poll() is None:
            time.sleep(1)
            size = os.path.getsize(results) if os.path.exists(results) else 0
            # until the guest's plan writes results, the kernel's console
            # counts as output: a guest still booting on a loaded host is
            # not hung
            csize = os.path.getsize(console_log) if os.path.exists(console_log) else 0
            if not size and csize != last_console:
                last_console, last_change = csize, time.time()
            if size != last_size:
                last_size, last_change = size, time.time()
                if on_output:
                    on_output(read(results))
            if on_output and not self.time_left():
                self.note("%s: time is up" % name)
                kill_boot(p)
                with self.lock:
                    self.running.discard(p)
                self.collect_corpus(d)
                return read(console_log), read(results), "time"
            if time.time() - last_change > self.a.hang:
                self.note("%s: no output for %d s: hang" % (name, self.a.hang))
                kill_boot(p)
                with self.lock:
                    self.running.discard(p)
                self.collect_corpus(d)
                return read(os.path.join(d, "console.log")), read(results), "hang"
        with self.lock:
            self.running.discard(p)
        self.collect_corpus(d)
        return read(os.path.join(d, "console.log")), read(results), p.returncode

    def collect_corpus(self, d):
        """Entries a guest's campaign exported join the shared corpus."""
        src = os.path.join(d, "9p", "corpus")
        for e in os.listdir(src) if os.path.isdir(src) else []:
            if e.startswith("entry-") and not os.path.exists(os.path.join(self.corpus, e)):
                shutil.copy(os.path.join(src, e), self.corpus)

    def kill_all(self):
        """Stop: no new boots, and the running guests go down."""
        self.stop = True
        with self.lock:
            running = list(self.running)
        for p in running:
            kill_boot(p)

    def job(self, mode, seed=0, iterations=None):
        vendor, device, driver, testmod = TARGETS[self.a.target]
        j = {"MODE": mode, "VENDOR": vendor, "DEVICE": device,
             "DRIVER": self.a.driver or driver, "TESTMOD": testmod,
             "ARMED": "1" if self.a.armed else "", "SEED": seed,
             "ITERATIONS": iterations or self.a.iterations,
             "TIMEOUT": self.a.stimulus_timeout,
             "EXTRA": self.a.extra}
        if mode == "fuzz":
            j["EXTRA"] += " --corpus /mnt/host/corpus"
        return j

    def on_fuzz_output(self, results):
        m = c = None
        for line in results.splitlines():
            if line.startswith(("progress:", "stats:")):
                m = PROGRESS.search(line) or m
                c = COVERAGE.search(line) or c
        with self.lock:
            if m:
                self.cur_iterations = int(m.group(1))
            if c:
                self.coverage = max(self.coverage, int(c.group(1)))
                self.corpus_entries = max(self.corpus_entries, int(c.group(2)))
        self.progress()

    def fuzz_once(self, worker):
        with self.lock:
            seed = self.next_seed
            self.next_seed += 1
            self.cur_iterations = 0
        name = "w%d-seed%d" % (worker, seed)
        console, results, rc = self.boot(name, self.job("fuzz", seed), self.a.boot_timeout,
                                         self.on_fuzz_output)
        with self.lock:
            self.iterations += self.cur_iterations
            self.cur_iterations = 0
        title, line = outcome(console, results, rc)
        if title is None:
            self.note("%s: ended without a finding (rc %s)" % (name, rc))
            return
        iteration, muts = last_mutations(console)
        guest_repro = os.path.join(self.a.out, "boots", name, "9p", "repro-1.txt")
        if title.startswith("finding: ") and os.path.exists(guest_repro):
            muts = repro_mutations(guest_repro)     # complete, from the engine log
        with self.lock:
            self.crashes += 1
            self.restarts += 1
            new = title not in self.findings
            if new:
                self.findings[title] = {"title": title, "line": line, "count": 0,
                                        "boot": name, "iteration": iteration,
                                        "mutations": muts}
            self.findings[title]["count"] += 1
        self.note("%s: crash '%s' at iteration %s, %d mutations%s" %
                  (name, title, iteration, len(muts), " (new)" if new else ""))
        if new:
            self.minimize(title)
        self.progress()

    def trials(self, title, trials, tag):
        """Index of the first of @trials (mutation lists) that reproduces
        @title, or None. The guest replays them in order until one does; a
        trial that ends the guest with @title reproduced, one that ends it
        otherwise did not, and the rest are tried on a new guest."""
        f = self.findings[title]
        start = 0
        while start < len(trials) and not self.stop:
            d = os.path.join(self.a.out, "trials")
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(d)
            for k, muts in enumerate(trials[start:], start):
                write_repro(os.path.join(d, "trial-%04d.txt" % k), self.a.target,
                            f["iteration"] or 0, f["line"], muts, 10)
            name = "%s-%d" % (tag, start)
            console, results, rc = self.boot(name, self.job("trials"), self.a.boot_timeout,
                                             trial_dir=d)
            begun = re.findall(r"^executor: trial trial-(\d+)\.txt begin", results, re.M)
            if not begun:
                self.note("%s: no trial ran (rc %s)" % (name, rc))
                return None
            last = int(begun[-1])
            got, _ = outcome(console, results.split("executor: trial trial-%04d.txt begin"
                                                    % last)[-1], rc)
            self.note("%s: trials %d-%d, last %d gave '%s'" % (name, start, len(trials) - 1,
                                                              last, got))
            if got == title:
                return last
            if "trials done" in results or "executor: done" in results:
                return None
            start = last + 1
        return None

    def minimize(self, title):
        """The fewest mutations that still give @title, then one confirming
        replay on a fresh boot. First each mutation alone, from both ends
        inwards (the culprit of a crash is usually last, of a read storm
        first), all in one guest until one reproduces; failing that,
        ddmin: drop halves, then quarters, down to single mutations."""
        f = self.findings[title]
        n = len(self.findings)
        muts = list(f["mutations"])
        if self.a.minimize and len(muts) > 1:
            order = []
            lo, hi = 0, len(muts) - 1
            while lo <= hi:
                order += [hi] if lo == hi else [hi, lo]
                lo, hi = lo + 1, hi - 1
            k = self.trials(title, [[muts[i]] for i in order], "single%d" % n)
            if k is not None:
                muts = [muts[order[k]]]
        parts = 2
        while self.a.minimize and len(muts) >= 2 and not self.stop:
            size = -(-len(muts) // parts)
            chunks = [muts[i:i + size] for i in range(0, len(muts), size)]
            trials = [[m for c in chunks[:i] + chunks[i + 1:] for m in c]
                      for i in range(len(chunks))]
            k = self.trials(title, trials, "min%d-%d" % (n, len(muts)))
            if k is not None:
                muts = trials[k]
                parts = max(parts - 1, 2)
            elif parts >= len(muts):
                break
            else:
                parts = min(parts * 2, len(muts))
        f["minimized"] = muts
        f["replays"] = self.trials(title, [muts], "confirm%d" % n) == 0
        path = os.path.join(self.a.out, "repro-%d.txt" % n)
        write_repro(path, self.a.target, f["iteration"] or 0, f["line"], muts, 10)
        f["repro"] = path

    def worker(self, k):
        while self.time_left():
            self.fuzz_once(k)
            if self.a.max_crashes and self.crashes >= self.a.max_crashes:
                self.stop = True

    def report(self):
        path = os.path.join(self.a.out, "report.txt")
        with open(path, "w") as r:
            s = time.time() - self.start
            r.write("target %s driver %s: %.0f s, %d boots, %d restarts after a crash, "
                    "%d iterations, %d crashes, %d distinct\n" %
                    (self.a.target, self.a.driver or TARGETS[self.a.target][2], s, self.boots,
                     self.restarts, self.iterations, self.crashes, len(self.findings)))
            r.write("corpus: %d entries shared in %s\n" % (len(os.listdir(self.corpus)),
                                                           self.corpus))
            r.write("\ncoverage over time (seconds iterations coverage distinct):\n")
            step = max(1, len(self.timeline) // 20)
            for t in self.timeline[::step] + self.timeline[-1:]:
                r.write("  %6.0f %8d %8d %4d\n" % t)
            r.write("\nfindings:\n")
            for n, f in enumerate(self.findings.values(), 1):
                r.write("%d. %s\n   seen %d times, first in %s iteration %s\n" %
                        (n, f["title"], f["count"], f["boot"], f["iteration"]))
                r.write("   report: %s\n" % f["line"])
                if "repro" in f:
                    r.write("   reproducer %s: %d of %d mutations, replays on a fresh boot: %s\n" %
                            (f["repro"], len(f["minimized"]), len(f["mutations"]),
                             "yes" if f["replays"] else "no"))
        return path


def session_members(sid):
    """Processes of session @sid. timeout(1), which qemu-run.sh runs QEMU
    under, makes a process group of its own, so killing the script's
    group would leave QEMU running: the session is what they share."""
    pids = []
    for e in os.listdir("/proc"):
        if not e.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % e) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(fields) > 4 and int(fields[3]) == sid:
            pids.append(int(e))
    return pids


def kill_boot(p):
    """End a qemu-run.sh started in its own session, and its QEMU."""
    for pid in session_members(p.pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    p.wait()


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--kernel", required=True)
    p.add_argument("--initrd", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--target", required=True, choices=sorted(TARGETS))
    p.add_argument("--driver", default="")
    p.add_argument("--armed", action="store_true", help="planted bugs happen (edu)")
    p.add_argument("--time", type=float, default=600, help="seconds of fuzzing")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--iterations", type=int, default=100000, help="per boot")
    p.add_argument("--max-crashes", type=int, default=0, help="stop after N crashes")
    p.add_argument("--hang", type=int, default=120, help="seconds without output")
    p.add_argument("--stimulus-timeout", type=int, default=10,
                   help="seconds a stimulus may take before it counts as a hang "
                   "(raise it on a loaded host: a starved guest is not a hung one)")
    p.add_argument("--boot-timeout", type=int, default=1800)
    p.add_argument("--no-minimize", dest="minimize", action="store_false")
    p.add_argument("--extra", default="", help="more tdxguard-fuzz options")
    p.add_argument("--append", default="", help="more kernel command line")
    p.add_argument("--qemu-run", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "qemu-run.sh"))
    p.add_argument("--quiet", action="store_true")
    a = p.parse_args()
    m = Manager(a)
    signal.signal(signal.SIGTERM, lambda *_: m.kill_all())
    signal.signal(signal.SIGINT, lambda *_: m.kill_all())
    threads = [threading.Thread(target=m.worker, args=(k,)) for k in range(a.jobs)]
    for t in threads:
        t.start()
    for t in threads:
        while t.is_alive():
            t.join(1)
    m.progress()
    sys.stderr.write("\n")
    path = m.report()
    sys.stdout.write(read(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
