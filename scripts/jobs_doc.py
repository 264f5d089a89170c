"""Writes docs/JOBS.md from the jobs' contracts (shared/jobs/): every job type's keys, types, defaults and
valid values, the one place they are written. `python3 scripts/jobs_doc.py` rewrites the file;
`--check` exits 1 when it is out of date (tests/quick/test_contracts.py runs the same comparison)."""

import dataclasses
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PATH = os.path.join(ROOT, "docs", "JOBS.md")

HEADER = """# Job files: every job's keys

A job runs without QGIS: `python -m terraembed.engine --job job.json` with the runtime's Python
(README, "Design: two processes"). The job file is a JSON object with `"type"` and the keys below.
This page is written from the jobs' contracts in `shared/jobs/` by `scripts/jobs_doc.py`; the
Processing parameters named here declare the same defaults. A dict of keys (a source, the outputs,
the weights) has its keys listed after it as `outer.inner`; "(earthengine)" marks the keys of one kind
of source. Keys every job takes: `html_report` (a path: the job's HTML report) and `locale` (the
messages' language).
"""


def shown(value):
    if dataclasses.is_dataclass(value):  # a nested contract: its keys follow, each with its default
        return "{...}"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[%s]" % ", ".join(shown(v) for v in value)
    if isinstance(value, str) and value != "required":
        return '"%s"' % value
    return str(value)


def render():
    sys.path.insert(0, os.path.dirname(ROOT))
    package = os.path.basename(ROOT)
    jobs = __import__(package + ".shared.jobs", fromlist=["CONTRACTS"])
    out = [HEADER]
    for job_type, contract in sorted(jobs.CONTRACTS.items()):
        out.append("## `%s`\n\n%s\n" % (job_type, " ".join((contract.__doc__ or "").split())))
        out.append("key | type | default | valid | Processing parameter | meaning")
        out.append("--- | --- | --- | --- | --- | ---")
        for key in contract.all_keys():  # a nested dict's keys after it, as outer.inner
            parameter = key["parameter"]
            parameter = ", ".join(parameter) if isinstance(parameter, tuple) else parameter
            out.append(
                "`%s` | %s | %s | %s | %s | %s"
                % (
                    key["name"],
                    key["kind"],
                    shown(key["default"]),
                    key["valid"],
                    parameter and "`%s`" % parameter,
                    ("(%s) " % key["case"] if key["case"] else "") + key["doc"],
                )
            )
        out.append("")
    return "\n".join(out)


def main(argv):
    text = render()
    if "--check" in argv:
        with open(PATH, encoding="utf-8") as f:
            if f.read() != text:
                print("docs/JOBS.md is out of date: run python3 scripts/jobs_doc.py", file=sys.stderr)
                return 1
        return 0
    with open(PATH, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
