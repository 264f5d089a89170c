"""Reading the keys of a job: the one family of checks every job uses (embed, embed_features,
the analysis jobs, Earth Engine sources, the Dask options). A bad value is a UserError that names
the key and what is valid, in the wording of the shell's parameter checks (limits.Range):
"The job's 'workers' must be a whole number between 1 and 32, got 40."

A number is first checked against the range its Processing parameter declares (`valid`, from
shared/limits.py: a job file gets the same message as the dialog), then against the narrower bounds the
code needs (`minimum`, `maximum`).
"""

from collections.abc import Mapping, Sequence
from typing import Any, Literal, Optional, overload

from .errors import UserError
from .i18n import tr
from .limits import Range
from .values import yes_no

Job = Mapping[str, Any]  # a job, or a part of one (its "source")


def label_of(key: str) -> str:
    return tr("The job's %r") % key


@overload
def number(
    job: Job,
    key: str,
    default: Optional[float] = None,
    minimum: Optional[float] = None,
    maximum: Optional[float] = None,
    integer: bool = False,
    valid: Optional[Range] = None,
    label: Optional[str] = None,
    allow_none: Literal[False] = False,
) -> float: ...
@overload
def number(
    job: Job,
    key: str,
    default: Optional[float] = None,
    minimum: Optional[float] = None,
    maximum: Optional[float] = None,
    integer: bool = False,
    valid: Optional[Range] = None,
    label: Optional[str] = None,
    *,
    allow_none: Literal[True],
) -> Optional[float]: ...
@overload
def number(
    job: Job,
    key: str,
    default: Optional[float] = None,
    minimum: Optional[float] = None,
    maximum: Optional[float] = None,
    integer: bool = False,
    valid: Optional[Range] = None,
    label: Optional[str] = None,
    allow_none: bool = False,
) -> Optional[float]: ...
def number(
    job: Job,
    key: str,
    default: Optional[float] = None,
    minimum: Optional[float] = None,
    maximum: Optional[float] = None,
    integer: bool = False,
    valid: Optional[Range] = None,
    label: Optional[str] = None,
    allow_none: bool = False,
) -> Optional[float]:
    """job[key] as an int (integer=True) or a finite float; `default` when the key is missing, None
    or "" (None itself when allow_none). UserError when it is not a number, not whole (integer), or
    outside `valid` (a limits.Range) or [minimum, maximum]."""
    return _read(job, key, default, minimum, maximum, integer, valid, label, allow_none)


def _read(
    job: Job,
    key: str,
    default: Optional[float],
    minimum: Optional[float],
    maximum: Optional[float],
    integer: bool,
    valid: Optional[Range],
    label: Optional[str],
    allow_none: bool,
) -> Optional[float]:
    """number()'s reading and checks (an int when integer or `valid` is, else a float)."""
    value: Any = job.get(key)  # JSON: a number, a string or anything a job file holds
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_none:
            return None
        value = default
    label = label or label_of(key)
    lo = valid.minimum if valid is not None else None
    hi = valid.maximum if valid is not None else None
    if minimum is not None and (lo is None or minimum > lo):
        lo = minimum
    if maximum is not None and (hi is None or maximum < hi):
        hi = maximum
    checks = [valid] if valid is not None else []
    checks.append(Range(lo, hi, integer=integer or bool(valid is not None and valid.integer)))
    for check in checks:
        problem = check.problem(label, value, tr)
        if problem:
            raise UserError(problem)
    if isinstance(value, str):
        value = value.strip()
    if checks[-1].integer:
        return int(value) if isinstance(value, int) else int(float(value))
    return float(value)


@overload
def whole(
    job: Job,
    key: str,
    default: Optional[int] = None,
    minimum: Optional[int] = None,
    maximum: Optional[int] = None,
    valid: Optional[Range] = None,
    label: Optional[str] = None,
    allow_none: Literal[False] = False,
) -> int: ...
@overload
def whole(
    job: Job,
    key: str,
    default: Optional[int] = None,
    minimum: Optional[int] = None,
    maximum: Optional[int] = None,
    valid: Optional[Range] = None,
    label: Optional[str] = None,
    *,
    allow_none: Literal[True],
) -> Optional[int]: ...
@overload
def whole(
    job: Job,
    key: str,
    default: Optional[int] = None,
    minimum: Optional[int] = None,
    maximum: Optional[int] = None,
    valid: Optional[Range] = None,
    label: Optional[str] = None,
    allow_none: bool = False,
) -> Optional[int]: ...
def whole(
    job: Job,
    key: str,
    default: Optional[int] = None,
    minimum: Optional[int] = None,
    maximum: Optional[int] = None,
    valid: Optional[Range] = None,
    label: Optional[str] = None,
    allow_none: bool = False,
) -> Optional[int]:
    """number(..., integer=True)."""
    value = _read(job, key, default, minimum, maximum, True, valid, label, allow_none)
    return None if value is None else int(value)


def flag(job: Job, key: str, default: bool = False) -> bool:
    """job[key] as a bool: true/false, 1/0, or the words of values.yes_no (true, false, yes, no, on, off, 1, 0)."""
    value = job.get(key)
    answer = yes_no(value, default)
    if answer is not None:
        return answer
    raise UserError(tr("%s must be true or false, got %r.") % (label_of(key), value))


def choice(job: Job, key: str, options: Sequence[str], default: Optional[str] = None) -> Optional[str]:
    """job[key], one of `options` (compared without case or surrounding spaces, returned as the option is
    written); `default` when the key is missing or null. UserError names the key and the options."""
    value = job.get(key)
    if value is None:
        return default
    if isinstance(value, str):
        for option in options:
            if value.strip().lower() == option.lower():
                return option
    raise UserError(tr("%s must be one of %s, got %r.") % (label_of(key), ", ".join(options), value))


def path(job: Job, key: str) -> str:
    """job[key], a file path the job needs."""
    value: object = job.get(key)
    if not value or not isinstance(value, str):
        raise UserError(tr("The job needs %r: a file path.") % key)
    return value
