import os
import sys

from .worker import main

code = main()
# Leave at once: a job's helper threads (prefetch, listeners) must not keep a finished worker alive.
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
