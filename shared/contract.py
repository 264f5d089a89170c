"""A job's contract: its keys, their types, defaults and valid values, written once.

Each job type is a frozen dataclass (shared/jobs/): a field per key, made with one of the makers below,
which record how the key is read (shared/keys.py's checks: a bad value is a UserError that names the
key and what is valid), its default, the Processing parameter that sets it, and one line for the docs.

    @dataclass(frozen=True, kw_only=True)
    class ClusterJob(Contract):
        TYPE: ClassVar[str] = "cluster"
        input: str = path(doc="the embedding raster", parameter="INPUT")
        k: Optional[int] = number(8, limits.CLUSTERS, doc="clusters; null or 'auto': chosen", parameter="K")

The worker reads a job's dict into its contract (`ClusterJob.read(job)`); the Processing declarations
and the panel read the same defaults (`ClusterJob.default("k")`); docs/JOBS.md is written from the
contracts (scripts/jobs_doc.py), and tests check all three. Standard library only: both sides import it.
"""

import dataclasses
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, ClassVar, Optional, TypeVar

from . import keys
from .errors import UserError
from .i18n import tr
from .limits import Range

Reader = Callable[[Mapping[str, Any], str, Any], Any]  # (job, key, default) -> the value, or UserError
C = TypeVar("C", bound="Contract")

REQUIRED: Any = dataclasses.MISSING  # the default of a key every job must give


def _key(
    default: Any,
    reader: Reader,
    kind: str,
    valid: str,
    doc: str,
    parameter: "str | tuple[str, ...]",
    options: tuple[str, ...] = (),
    nested: "tuple[tuple[str, type[Contract]], ...]" = (),
    example: Any = None,
) -> Any:
    """A dataclass field with the key's reader and what the docs say of it. parameter: the Processing
    parameter that sets the key ("" for none; a tuple for a list key set by one parameter per item);
    options: a choice's values (its Processing enum lists them in this order); nested: the contracts of a
    dict-valued key, each with the case it applies to ("" for always); example: a valid value of a
    required key that is not a path (a list, a dict), for the docs and tests."""
    metadata = {
        "read": reader,
        "kind": kind,
        "valid": valid,
        "doc": doc,
        "parameter": parameter,
        "options": options,
        "nested": nested,
        "example": example,
    }
    return dataclasses.field(default=default, metadata=metadata)


def number(
    default: Optional[float],
    valid: Range,
    *,
    doc: str,
    parameter: str = "",
    minimum: Optional[float] = None,
    maximum: Optional[float] = None,
    optional: bool = False,
) -> Any:
    """A number in `valid` (whole when valid.integer); `optional`: null or "" stays None."""

    def read(job: Mapping[str, Any], key: str, default: Any) -> Any:
        if optional:
            return keys.number(job, key, default, minimum, maximum, valid.integer, valid, allow_none=True)
        return keys.number(job, key, default, minimum, maximum, valid.integer, valid)

    kind = ("whole number" if valid.integer else "number") + (" or null" if optional else "")
    return _key(default, read, kind, valid.text(), doc, parameter)


def flag(default: bool, *, doc: str, parameter: str = "") -> Any:
    """true or false (keys.flag: also 1/0 and the words yes/no)."""
    return _key(default, keys.flag, "true or false", "", doc, parameter)


def path(*, doc: str, parameter: str = "", optional: bool = False) -> Any:
    """A file path; required unless `optional` (then null, "" or missing: None)."""

    def read(job: Mapping[str, Any], key: str, default: Any) -> Any:
        if optional and not job.get(key):
            return None
        return keys.path(job, key)

    return _key(None if optional else REQUIRED, read, "path" + (" or null" if optional else ""), "", doc, parameter)


def choice(default: Optional[str], options: Sequence[str], *, doc: str, parameter: str = "") -> Any:
    """One of `options` (a catalogue tuple); null or missing: the default."""
    options = tuple(options)

    def read(job: Mapping[str, Any], key: str, default: Any) -> Any:
        return keys.choice(job, key, options, default)

    return _key(default, read, "text", "one of " + ", ".join(options), doc, parameter, options)


def text(default: Optional[str], *, doc: str, parameter: str = "", required: bool = False) -> Any:
    """Free text (a name, a field, a date); null or missing: the default (`required`: refused)."""

    def read(job: Mapping[str, Any], key: str, default: Any) -> Any:
        value = job.get(key)
        if value is None or (required and value == ""):
            if required:
                raise UserError(tr("The job needs %r.") % key)
            return default
        if not isinstance(value, str):
            raise UserError(tr("%s must be text, got %r.") % (keys.label_of(key), value))
        return value

    return _key(REQUIRED if required else default, read, "text", "", doc, parameter)


def custom(
    default: Any,
    reader: Reader,
    *,
    kind: str,
    doc: str,
    valid: str = "",
    parameter: "str | tuple[str, ...]" = "",
    options: Sequence[str] = (),
    nested: "tuple[tuple[str, type[Contract]], ...]" = (),
    example: Any = None,
) -> Any:
    """A key with its own reader (a list, a value with a special word such as 'auto'); `options`: the values
    its Processing enum lists, in order; `nested`: the contracts its dict is read with (see `nested`);
    `default` contract.REQUIRED for a key the job must give (then `example`: a valid value)."""
    return _key(default, reader, kind, valid, doc, parameter, tuple(options), nested, example)


def nested(contract: "type[Contract]", *, doc: str) -> Any:
    """A dict of keys with a contract of its own (the embed job's "outputs", "weights"); null or missing: every
    key its default. Its keys are named in messages as 'outer.inner' ("The job's 'outputs.pca_components'")."""

    def read(job: Mapping[str, Any], key: str, default: Any) -> Any:
        return contract.read(sub_job(job, key), prefix=key + ".")

    return _key(contract.read({}), read, "object", "", doc, "", (), (("", contract),))


def sub_job(job: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """job[key], a dict ({} when null or missing); UserError when it is something else."""
    value = job.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise UserError(tr("%s must be an object of keys {...}, got %r.") % (keys.label_of(key), value))
    return value


class _Prefixed(Mapping[str, Any]):
    """A nested dict seen with its keys named from the top of the job ("source.scale"), so every reader's
    message names the key as the user finds it in the job file."""

    def __init__(self, data: Mapping[str, Any], prefix: str) -> None:
        self.data, self.prefix = data, prefix

    def __getitem__(self, key: str) -> Any:
        if not key.startswith(self.prefix):
            raise KeyError(key)
        return self.data[key[len(self.prefix) :]]

    def __iter__(self) -> Iterator[str]:
        return (self.prefix + k for k in self.data)

    def __len__(self) -> int:
        return len(self.data)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Contract:
    """The base of every job's contract; TYPE is the job's "type", ALGORITHM the Processing algorithm that
    runs it (its name in the terraembed provider; "" when the same as TYPE)."""

    TYPE: ClassVar[str] = ""
    ALGORITHM: ClassVar[str] = ""
    # its keys that say where or how fast the job runs or where its files go, never what it computes (a series
    # leaves them out of a period's settings key, engine/pipeline/series_job.py); a subclass names its own
    RUN_OPTIONS: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def read(cls: type[C], job: Mapping[str, Any], prefix: str = "") -> C:
        """The job's values, every key checked; UserError names the first bad key. Keys the contract does
        not name are left to the framework (type, locale, html_report ...). prefix: where a nested dict
        sits in the job ("source."), for the messages."""
        view = _Prefixed(job, prefix) if prefix else job
        values = {}
        for f in dataclasses.fields(cls):
            default = None if f.default is dataclasses.MISSING else f.default
            values[f.name] = f.metadata["read"](view, prefix + f.name, default)
        return cls(**values)

    @classmethod
    def default(cls, name: str) -> Any:
        """The default of key `name` (KeyError when the contract has no such key, or it is required)."""
        for f in dataclasses.fields(cls):
            if f.name == name and f.default is not dataclasses.MISSING:
                return f.default
        raise KeyError("%s has no default for %r" % (cls.__name__, name))

    @classmethod
    def default_choice(cls, name: str) -> int:
        """The position of choice `name`'s default among its options: the default of the Processing enum
        that sets it (KeyError when `name` is not a choice with a default)."""
        for f in dataclasses.fields(cls):
            if f.name == name and f.metadata["options"] and f.default is not dataclasses.MISSING:
                return int(f.metadata["options"].index(f.default))
        raise KeyError("%s has no choice %r with a default" % (cls.__name__, name))

    @classmethod
    def run_options(cls) -> tuple[str, ...]:
        """Its keys that are RUN_OPTIONS, its own and its bases' (a nested contract's are its own); KeyError
        for a name that is not one of its keys."""
        names = {f.name for f in dataclasses.fields(cls)}
        options = tuple(dict.fromkeys(o for c in reversed(cls.__mro__) for o in vars(c).get("RUN_OPTIONS", ())))
        unknown = [o for o in options if o not in names]
        if unknown:
            raise KeyError("%s has no key %s (RUN_OPTIONS)" % (cls.__name__, ", ".join(unknown)))
        return options

    @classmethod
    def keys(cls) -> list[dict[str, Any]]:
        """Each key as the docs show it: name, kind, default ('required' when none), valid, doc, parameter,
        options (a choice's values, else ()), nested (the contracts of a dict's keys), example (a required key's
        valid value when not a path, else None)."""
        return [
            {
                "name": f.name,
                "kind": f.metadata["kind"],
                "default": "required" if f.default is dataclasses.MISSING else f.default,
                "valid": f.metadata["valid"],
                "doc": f.metadata["doc"],
                "parameter": f.metadata["parameter"],
                "options": f.metadata["options"],
                "nested": f.metadata["nested"],
                "example": f.metadata["example"],
            }
            for f in dataclasses.fields(cls)
        ]

    @classmethod
    def all_keys(cls, prefix: str = "") -> list[dict[str, Any]]:
        """keys() with each nested contract's keys after its key, named "outer.inner" ("case" says which
        value of the outer dict they apply to, e.g. a source's kind)."""
        out = []
        for key in cls.keys():
            out.append(dict(key, name=prefix + key["name"], case=""))
            for case, contract in key["nested"]:
                for inner in contract.all_keys(prefix + key["name"] + "."):
                    out.append(dict(inner, case=inner["case"] or case))
        return out
