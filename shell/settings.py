"""Plugin settings (QgsSettings under 'terraembed/'), with environment overrides for servers,
qgis_process and tests. Shell side only.

Resolution order for each value: environment variable, then QgsSettings, then the default.
"""

import os
from typing import Any, Optional

from ..shared import catalogue, values
from . import paths

PREFIX = "terraembed/"

# key: (environment variable, default)
DEFAULTS = {
    "runtime_dir": ("TERRAEMBED_RUNTIME_DIR", ""),  # "" = paths.find_runtime_dir
    "runtime_python": ("TERRAEMBED_RUNTIME_PYTHON", ""),  # "" = the runtime_dir venv's python
    "device": ("TERRAEMBED_DEVICE", "auto"),
    "batch_size": ("TERRAEMBED_BATCH_SIZE", 0),  # 0 = the model's default
    "offline": ("TERRAEMBED_OFFLINE", False),
    "weights_cache": ("TERRAEMBED_WEIGHTS_CACHE", ""),  # "" = huggingface_hub's own cache
    "ee_project": ("TERRAEMBED_EE_PROJECT", ""),
    "ee_service_account_key": ("TERRAEMBED_EE_KEY_FILE", ""),
    "imagery_cache_dir": ("TERRAEMBED_IMAGERY_CACHE", ""),
    "imagery_cache_cap_mb": ("TERRAEMBED_IMAGERY_CACHE_MB", catalogue.IMAGERY_CACHE_CAP_MB),
    "scheduler": ("TERRAEMBED_SCHEDULER", ""),  # "" = no Dask cluster (see README)
    "warm_minutes": ("TERRAEMBED_WARM_MINUTES", 5),  # desktop QGIS keeps the runtime this long; 0 = never
}


def _qsettings() -> Any:
    from qgis.core import QgsSettings

    return QgsSettings()


def get(key: str) -> Any:
    env_name, default = DEFAULTS[key]
    raw = os.environ.get(env_name)
    if raw is None:
        value = _qsettings().value(PREFIX + key, default)
    else:
        value = raw
    if isinstance(default, bool):
        answer = values.yes_no(value)
        return default if answer is None else answer
    if isinstance(default, int):
        try:
            return int(value)
        except (TypeError, ValueError):
            return default
    return value if value is not None else default


def set_value(key: str, value: object) -> None:
    _qsettings().setValue(PREFIX + key, value)


def weights_file(model_id: str) -> str:
    """The user's local weights file for a model ('' when none)."""
    return (
        os.environ.get("TERRAEMBED_WEIGHTS_%s" % model_id.upper())
        or _qsettings().value(PREFIX + "weights/" + model_id, "")
        or ""
    )


def set_weights_file(model_id: str, path: Optional[str]) -> None:
    set_value("weights/" + model_id, path or "")


def runtime_dir() -> str:
    """The runtime folder: the setting, else the per-user default of shell/paths.py."""
    return get("runtime_dir") or paths.this_runtime_dir()[0]


def runtime_python() -> str:
    return get("runtime_python") or paths.venv_python(runtime_dir())
