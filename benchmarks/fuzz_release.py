"""Release fuzz: the fuzz suite's properties (tests/test_fuzz_*.py) with many more examples.

Runs pytest on the fuzz files with ``L1CORE_FUZZ=release`` (each property's CI example count
times ``RELEASE_FACTOR`` of tests/_fuzz.py, deterministic draws) against the installed
l1core, and prints the examples drawn per property and the run time. Usage, from anywhere:

    python benchmarks/fuzz_release.py            # release counts
    python benchmarks/fuzz_release.py 100        # CI counts times 100
    python benchmarks/fuzz_release.py -- -k enet # extra pytest arguments after --

Exit code: pytest's (0 when every property held).
"""

import os
import subprocess
import sys
import time

TESTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "tests")
FILES = ("test_fuzz_enet.py", "test_fuzz_logistic.py", "test_fuzz_group.py",
         "test_fuzz_multitask.py", "test_fuzz_lars.py")


def main(argv):
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    head = argv[:argv.index("--")] if "--" in argv else argv
    level = head[0] if head else "release"
    env = dict(os.environ, L1CORE_FUZZ=level)
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
           "--hypothesis-show-statistics", *FILES, *extra]
    print(f"L1CORE_FUZZ={level}: {' '.join(cmd)} (in {os.path.normpath(TESTS)})", flush=True)
    start = time.perf_counter()
    rc = subprocess.call(cmd, cwd=TESTS, env=env)
    print(f"fuzz run ({level}) finished in {time.perf_counter() - start:.1f} s, exit code {rc}")
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
