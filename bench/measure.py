#!/usr/bin/env python3
"""measure.py -- CMD ARGS...: runs CMD, prints "<wall seconds> <peak RSS KiB> <exit code>".

Peak RSS is the largest resident set of CMD or any process it waited for
(getrusage(RUSAGE_CHILDREN).ru_maxrss, like /usr/bin/time's "Maximum resident set size").
stdout/stderr of CMD go to the files in $MEASURE_OUT / $MEASURE_ERR (default /dev/null).
"""
import os, resource, subprocess, sys, time

cmd = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else sys.argv[1:]
out = open(os.environ.get("MEASURE_OUT", os.devnull), "wb")
err = open(os.environ.get("MEASURE_ERR", os.devnull), "wb")
t0 = time.monotonic()
rc = subprocess.run(cmd, stdout=out, stderr=err).returncode
wall = time.monotonic() - t0
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"{wall:.3f} {rss} {rc}")
