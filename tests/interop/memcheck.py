#!/usr/bin/env python3
"""The interop subset under valgrind memcheck: interop.py with KEEL_INTEROP_SUBSET=1 (one suite
and group in each loop, every other step whole), every keel process it starts run by valgrind.
Fails unless every one of them ends with no invalid access, no use of an uninitialised value
and no leak (definite, indirect or possible).

  memcheck.py KEEL_BINARY TLS_DATA_DIR
"""
import glob
import os
import re
import stat
import subprocess
import sys
import tempfile

keel, data = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
here = os.path.dirname(os.path.abspath(__file__))

with tempfile.TemporaryDirectory(prefix="keel-memcheck-") as work:
    wrapper = os.path.join(work, "keel")
    with open(wrapper, "w") as f:
        f.write("#!/bin/sh\n"
                "exec valgrind --error-exitcode=97 --track-origins=yes --leak-check=full "
                "--show-leak-kinds=definite,indirect,possible "
                "--errors-for-leak-kinds=definite,indirect,possible "
                f"--log-file={work}/valgrind.%p.log {keel} \"$@\"\n")
    os.chmod(wrapper, os.stat(wrapper).st_mode | stat.S_IEXEC)
    run = subprocess.run([sys.executable, os.path.join(here, "interop.py"), wrapper, data],
                         env=dict(os.environ, KEEL_INTEROP_SUBSET="1"), capture_output=True,
                         text=True)
    print(run.stdout[-3000:])
    if run.returncode != 0:
        print(run.stderr[-3000:])
        sys.exit("memcheck: the interop subset failed under valgrind")

    clean, dirty, unfinished = 0, [], []
    for log in sorted(glob.glob(os.path.join(work, "valgrind.*.log"))):
        with open(log) as f:
            text = f.read()
        summary = re.search(r"ERROR SUMMARY: (\d+) errors", text)
        command = re.search(r"Command: (.*)", text)
        what = command.group(1) if command else log
        if summary is None:
            unfinished.append(what)  # killed before it could report (none should be)
        elif summary.group(1) != "0":
            dirty.append(f"{what}\n{text}")
        else:
            clean += 1
    print(f"memcheck: {clean} keel processes clean, {len(dirty)} with errors, "
          f"{len(unfinished)} ended without a report")
    for report in dirty[:3]:
        print(report)
    for what in unfinished[:10]:
        print("no report: " + what)
    if dirty or unfinished or clean == 0:
        sys.exit(1)
