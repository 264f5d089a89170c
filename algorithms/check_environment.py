import json
import os
import platform
import sys

from qgis.core import (
    Qgis,
    QgsProcessingOutputBoolean,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFileDestination,
)

from ..shared.catalogue import DEVICES, MODELS
from ..shared.jobs.embedding import EnvironmentJob
from ..shell import paths, settings
from ..shell.client import RuntimeJobError
from ..shell.i18n import tr
from .base import TerraEmbedAlgorithm

TEXT = {".txt": "text"}
JSON = {".json": "JSON"}


def format_report(shell, runtime, problems):
    lines = [tr("TerraEmbed environment report"), "=============================", ""]
    lines += [
        tr("QGIS %s, QGIS's Python %s (%s)") % (shell["qgis"], shell["python"], shell["executable"]),
        tr("Runtime Python: %s") % shell["runtime_python"],
        "",
    ]
    if runtime:
        lines.append(tr("Runtime: Python %s on %s") % (runtime["python_version"], runtime["platform"]))
        for name, version in runtime["versions"].items():
            lines.append("  %-16s %s" % (name, version or tr("MISSING")))  # no-i18n
        t = runtime["torch"]
        lines += [
            "",
            tr("Devices: CUDA %s%s, MPS %s; torch CUDA build: %s")
            % (
                tr("yes") if t["cuda_available"] else tr("no"),
                (" (%s)" % ", ".join(t["cuda_devices"])) if t["cuda_devices"] else "",
                tr("yes") if t["mps_available"] else tr("no"),
                t.get("torch_cuda_build"),
            ),
            tr("Device that would be used: %s") % device_used(runtime),
            tr("CPU: %s; precision 'auto' runs in %s on %s")
            % (t.get("cpu_bf16", "?"), t.get("precision_auto", "?"), t.get("device", "?")),
            "",
        ]
        lines.append(tr("Model weights available without network:"))
        width = max(map(len, runtime["weights"]), default=0)
        for model_id, w in runtime["weights"].items():
            where = w.get("path") or ("%s/%s" % (w.get("repo"), w.get("file")))
            lines.append(
                "  %-*s %s  %s" % (width, model_id, tr("yes") if w["present"] else tr("no "), where)  # no-i18n
            )
        lock = runtime["lock"]
        if lock.get("checked"):
            lines += [
                "",
                tr("Lock check (%s build): %s")
                % (
                    lock["variant"],
                    "OK" if not lock["differences"] else tr("%d difference(s)") % len(lock["differences"]),
                ),
            ]
            lines += ["  " + d for d in lock["differences"][:20]]
    lines += ["", tr("Ready: %s") % (tr("yes") if not problems else tr("no"))]
    for p in problems:
        lines += [tr("PROBLEM: %s") % p["problem"], tr("    FIX: %s") % p["fix"]]
    return "\n".join(lines) + "\n"


def device_used(runtime):
    """'cuda', or e.g. 'cpu CUDA was requested but ...' ('' when the runtime could not be asked)."""
    torch = (runtime or {}).get("torch") or {}
    return ("%s %s" % (torch.get("device", ""), torch.get("device_message", ""))).strip()  # no-i18n


class CheckEnvironmentAlgorithm(TerraEmbedAlgorithm):
    NAME = "check_environment"
    DISPLAY = tr("Check environment")
    GROUP = tr("Setup")
    GROUP_ID = "setup"
    HELP = tr(
        "Reports QGIS and its Python, the runtime's interpreter and its torch, terratorch, "
        "huggingface_hub, earthengine-api and numpy versions, whether CUDA or MPS work and which device "
        "would be used, whether the CPU computes bf16 natively (AVX512-BF16 or AMX) and so which precision "
        "'auto' runs in, which model weights are available without network, and whether the runtime "
        "matches the plugin's lock. For every missing piece it says the exact fix.\n\n"
        "Outputs: the report (text file), READY (true when embeddings can be computed), PROBLEMS (the "
        "problems as JSON, a list of {\"problem\": ..., \"fix\": ...}; [] when ready) and DEVICE_USED "
        "(the device a run would use, with the reason when it is not the one asked for). It never "
        "fails because something is missing: it reports it."
    )

    DEVICE = "DEVICE"
    OUTPUT = "OUTPUT"
    READY = "READY"
    REPORT = "REPORT"
    PROBLEMS = "PROBLEMS"
    DEVICE_USED = "DEVICE_USED"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(
            QgsProcessingParameterEnum(
                self.DEVICE,
                tr("Device to check"),
                options=list(DEVICES),
                defaultValue=DEVICES.index(EnvironmentJob.default("device")),
            )
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(self.OUTPUT, tr("Report"), tr("Text files (*.txt)"), optional=True)
        )
        self.addOutput(QgsProcessingOutputBoolean(self.READY, tr("Ready")))
        self.addOutput(QgsProcessingOutputString(self.REPORT, tr("Report text")))
        self.addOutput(QgsProcessingOutputString(self.PROBLEMS, tr("Problems and their fixes (JSON)")))
        self.addOutput(QgsProcessingOutputString(self.DEVICE_USED, tr("Device that would be used")))

    def process(self, parameters, context, feedback, tx):
        path = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        if path:  # the text report and its JSON twin, checked before the check runs, committed together
            path = os.path.abspath(path)
            json_path = os.path.splitext(path)[0] + ".json"
            text_partial = tx.add(path, tr("environment report"), TEXT)
            json_partial = tx.add(json_path, tr("environment report (JSON)"), JSON)
        device = self.parameterAsChoice(parameters, self.DEVICE, context, DEVICES)
        python = settings.runtime_python()
        shell = {
            "qgis": Qgis.QGIS_VERSION,
            "python": platform.python_version(),
            "executable": sys.executable,
            "runtime_python": python,
        }
        runtime, problems = None, []
        weights_files = {m: path for m, path in ((m, settings.weights_file(m)) for m in MODELS) if path}
        try:
            runtime = self.run_job_raw(
                {"type": "environment", "device": device, "weights_files": weights_files}, feedback
            )
            problems = runtime["problems"]
        except RuntimeJobError as exc:
            problems = [{"problem": exc.message, "fix": tr("See the message; then run this check again.")}]
            note = paths.this_runtime_dir()[1]  # e.g. an old runtime made for another Python
            if note:
                problems.append({"problem": note, "fix": tr("Run 'Install or update runtime'.")})
        report = format_report(shell, runtime, problems)
        for line in report.splitlines():
            feedback.pushInfo(line)
        outputs = {
            self.READY: not problems,
            self.REPORT: report,
            self.PROBLEMS: json.dumps(problems),
            self.DEVICE_USED: device_used(runtime),
        }
        if path:
            with open(text_partial, "w", encoding="utf-8") as f:
                f.write(report)
            with open(json_partial, "w", encoding="utf-8") as f:
                json.dump(
                    {"shell": shell, "runtime": runtime, "problems": problems, "ready": not problems}, f, indent=2
                )
            outputs[self.OUTPUT] = path
        return outputs
