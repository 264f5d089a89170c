from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputBoolean,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
)

from ..shared.errors import Cancelled
from ..shell import install, paths, settings
from ..shell.i18n import tr
from . import compat
from .base import TerraEmbedAlgorithm


class InstallRuntimeAlgorithm(TerraEmbedAlgorithm):
    NAME = "install_runtime"
    DISPLAY = tr("Install or update runtime")
    GROUP = tr("Setup")
    GROUP_ID = "setup"
    HELP = tr(
        "Creates or updates the TerraEmbed runtime: a separate Python environment (venv) with "
        "torch, terratorch, huggingface_hub, earthengine-api, rasterio and scikit-learn at the exact "
        "versions of the plugin's lock file. QGIS's own Python is never modified: the models run in a "
        "worker process that uses this environment.\n\n"
        "Torch build: 'auto' picks the CUDA build when an NVIDIA driver is present, else the CPU build "
        "(from the PyTorch CPU index; if that index cannot be reached, PyPI's build, which also runs on "
        "the CPU). The first install downloads about 1 GB (CPU) to 5 GB (CUDA); a second run with "
        "nothing to change takes seconds. Packages the lock does not name are removed.\n\n"
        "Folder: empty = the folder in the settings, else one per Python version in your user data "
        "folder, shared by all QGIS profiles (Linux ~/.local/share/terraembed/py3.11, Windows "
        "%LOCALAPPDATA%\\terraembed\\py3.12, macOS ~/Library/Application Support/terraembed/py3.12); "
        "a runtime made earlier in the QGIS profile is reused when it has the same Python version.\n\n"
        "Platforms: Linux x86_64 and aarch64, Windows x86_64, macOS on Apple silicon; Python 3.11 to "
        "3.13 (not Intel Macs: PyTorch has no build for them)."
    )

    VENV_DIR = "VENV_DIR"
    VARIANT = "VARIANT"
    BASE_PYTHON = "BASE_PYTHON"
    DEV = "DEV"
    PYTHON = "PYTHON"
    OK = "OK"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(
            QgsProcessingParameterString(
                self.VENV_DIR, tr("Runtime folder (empty = default)"), defaultValue="", optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(self.VARIANT, tr("Torch build"), options=list(install.VARIANTS), defaultValue=0)
        )
        base = QgsProcessingParameterFile(
            self.BASE_PYTHON, tr("Base Python used to create the venv (empty = automatic)"), optional=True
        )
        compat.advanced(base)
        self.addParameter(base)
        dev = QgsProcessingParameterBoolean(self.DEV, tr("Also install the test tools"), defaultValue=False)
        compat.advanced(dev)
        self.addParameter(dev)
        self.addOutput(QgsProcessingOutputString(self.PYTHON, tr("Runtime Python")))
        self.addOutput(QgsProcessingOutputBoolean(self.OK, tr("Runtime ready")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        venv_dir = self.parameterAsString(parameters, self.VENV_DIR, context).strip() or settings.runtime_dir()
        variant = install.VARIANTS[self.parameterAsEnum(parameters, self.VARIANT, context)]
        base = self.parameterAsFile(parameters, self.BASE_PYTHON, context) or None
        installer = install.Installer(
            venv_dir,
            variant=variant,
            base_python=base,
            dev=self.parameterAsBoolean(parameters, self.DEV, context),
            log=feedback.pushConsoleInfo,
            is_cancelled=feedback.isCanceled,
            progress=lambda f: feedback.setProgress(100 * f),
        )
        feedback.pushInfo(tr("Runtime folder: %s") % venv_dir)
        note = paths.this_runtime_dir()[1]
        if note:
            feedback.pushWarning(note)
        try:
            summary = installer.run()
        except Cancelled:
            raise QgsProcessingException(tr("Cancelled. Run the algorithm again to finish the installation.")) from None
        except install.InstallError as exc:
            raise QgsProcessingException(str(exc)) from exc
        feedback.pushInfo(tr("Runtime ready (%s build): %s") % (summary["variant"], summary["python"]))
        return {self.PYTHON: summary["python"], self.OK: True}
