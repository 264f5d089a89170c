"""The folder this test process imports `terraembed` from (scripts/package_path.py makes it), for the
child processes a test starts: a worker, a job file, a fresh interpreter."""

import os

import terraembed

PKG_PATH = os.path.dirname(os.path.dirname(os.path.abspath(terraembed.__file__)))
