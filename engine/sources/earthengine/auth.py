"""Project, credentials and ee.Initialize (once per process and settings). Credentials (key contents,
tokens) are never logged."""

import json
import os
import threading
from typing import Any, Optional

from ....shared.errors import UserError
from ....shared.jobs.sources import EarthEngineRequest
from ...context import JobContext
from ...i18n import tr, translatable
from .retry import REGISTER_URL, _http_status, _short, with_retries

EE_SCOPES = ["https://www.googleapis.com/auth/earthengine", "https://www.googleapis.com/auth/cloud-platform"]


# ------------------------------------------------------------------------------------------------
# Project, credentials, initialisation
# ------------------------------------------------------------------------------------------------
NO_PROJECT = translatable(
    "No Google Cloud project is set for Earth Engine. Set one in the plugin settings (Earth Engine "
    "project), in the source's 'project', or in the EE_PROJECT or GOOGLE_CLOUD_PROJECT environment "
    "variable; the project must be registered for Earth Engine (%s)."
)
NO_CREDENTIALS = translatable(
    "No Earth Engine credentials found. Run `earthengine authenticate` once in a terminal of the "
    "runtime (or ee.Authenticate() in Python), or set a service-account key file (JSON) in the "
    "plugin settings or the source's 'service_account_key'."
)


def _key_file(given: Optional[str]) -> Optional[str]:
    """The service-account key file: the source's (given), else TERRAEMBED_EE_KEY_FILE's; None: neither."""
    path = given or os.environ.get("TERRAEMBED_EE_KEY_FILE") or None
    if not path:
        return None
    path = os.path.expanduser(str(path))
    if not os.path.isfile(path):
        raise UserError(tr("The Earth Engine service-account key file %s does not exist.") % path)
    return path


def _read_key_file(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as f:
            info = json.load(f)
        if (
            not isinstance(info, dict)
            or info.get("type") != "service_account"
            or "private_key" not in info
            or "client_email" not in info
        ):
            raise ValueError
    except (OSError, ValueError):
        raise UserError(
            tr(
                "The file %s is not a Google service-account key (a JSON file with type "
                "'service_account', client_email and private_key, from the Cloud console)."
            )
            % path
        ) from None
    return info


def _ee_credentials_file_project() -> Optional[str]:
    try:
        import ee

        with open(ee.oauth.get_credentials_path(), encoding="utf-8") as f:
            return json.load(f).get("project") or None
    except (OSError, ValueError, ImportError, AttributeError):
        return None


def resolve_project(given: Optional[str], key_info: Optional[dict[str, Any]] = None) -> str:
    """The Cloud project: the source's (given), else the environment's, the key file's, the one
    `earthengine set_project` stored; UserError when none."""
    project = (
        given
        or os.environ.get("TERRAEMBED_EE_PROJECT")
        or os.environ.get("EE_PROJECT")
        or os.environ.get("GOOGLE_CLOUD_PROJECT")
    )
    if not project and key_info:
        project = key_info.get("project_id")
    if not project:
        project = _ee_credentials_file_project()
    if not project:
        raise UserError(tr(NO_PROJECT) % REGISTER_URL)
    return str(project)


def _user_credentials_available() -> bool:
    import ee

    if os.path.isfile(ee.oauth.get_credentials_path()):
        return True
    if os.environ.get("GOOGLE_APPLICATION_CREDENTIALS"):
        return True
    try:
        from google.auth import _cloud_sdk

        return os.path.isfile(_cloud_sdk.get_application_default_credentials_path())
    except Exception:  # a private helper; its absence only means no gcloud ADC file is found
        return False


def load_credentials(key_path: Optional[str], ctx: JobContext, limits: dict[str, Any]) -> Any:
    """Credentials for ee.Initialize: the service-account key when given, else the user's stored
    credentials (`earthengine authenticate`, or gcloud application-default credentials)."""
    import ee

    if key_path:
        from google.oauth2 import service_account

        info = _read_key_file(key_path)
        try:
            return service_account.Credentials.from_service_account_info(info, scopes=EE_SCOPES)
        except ValueError:
            raise UserError(
                tr("The service-account key file %s could not be read (bad private key).") % key_path
            ) from None
    if not _user_credentials_available():
        raise UserError(tr(NO_CREDENTIALS))

    def load() -> Any:
        try:
            return ee.data.get_persistent_credentials()
        except ee.EEException:
            raise UserError(tr(NO_CREDENTIALS)) from None

    return with_retries(load, ctx, limits, "the credentials check")


_INIT_LOCK = threading.Lock()
_INIT_KEY = None


def ensure_initialized(asked: EarthEngineRequest, ctx: JobContext, limits: dict[str, Any]) -> str:
    """ee.Initialize once per process and (project, credentials, endpoint); returns the project. asked: the
    source read through its contract (its project, service_account_key and api_url)."""
    global _INIT_KEY
    key_path = _key_file(asked.service_account_key)
    key_info = _read_key_file(key_path) if key_path else None
    project = resolve_project(asked.project, key_info)
    api_url = asked.api_url or os.environ.get("TERRAEMBED_EE_API_URL") or None
    init_key = (project, key_path, key_info.get("private_key_id") if key_info else None, api_url)
    try:
        import ee
        from ee import _state
    except ImportError as exc:
        raise UserError(
            tr(
                "The Earth Engine client (earthengine-api) is not available in the TerraEmbed runtime "
                "(%s). Run 'Install or update runtime'."
            )
            % exc
        ) from None
    with _INIT_LOCK:
        if _INIT_KEY == init_key and ee.data.is_initialized():
            return project
        credentials = load_credentials(key_path, ctx, limits)
        if ee.data.is_initialized():
            ee.Reset()  # other settings than the last fetch: start clean (algorithms, credentials)
        _INIT_KEY = None
        # Our own retry loop (with cancel and messages) replaces the client's silent one.
        ee.data.setMaxRetries(0)
        try:  # the initialisation's own requests (ee.data.setDeadline needs an initialised client)
            _state.get_state().deadline_ms = int(limits["request_timeout_s"] * 1000)
        except Exception:  # a private detail of the client; setDeadline below bounds every later request
            pass
        ctx.log(
            tr("Earth Engine: initialising (project %s, %s)")
            % (project, tr("service account") if key_path else tr("user credentials"))
        )

        def init() -> None:
            try:
                ee.Initialize(credentials, url=api_url, project=project)
            except ee.EEException as exc:
                if "project" in str(exc).lower() and _http_status(exc) is None:
                    raise UserError(tr(NO_PROJECT) % REGISTER_URL + " (%s)" % _short(exc)) from None
                raise

        with_retries(init, ctx, limits, "initialisation", project)
        ee.data.setDeadline(int(limits["request_timeout_s"] * 1000))  # the public way, for every later request
        _INIT_KEY = init_key
    return project
