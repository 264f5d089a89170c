"""On-disk cache of fetched imagery: request key -> GeoTIFF + provenance JSON.

A key is the SHA-256 of the canonical JSON of the full request (collection, bands, filters,
dates, mask, grid...), so two requests share an entry only when they ask for the same pixels.
Entries live in `<root>/<key[:2]>/<key>.tif` and `<key>.json`; every write goes to a partial name in
the same folder and is renamed into place (shared/atomic.py: a killed writer's leftover is swept by the
next write there), the JSON last, so an entry whose JSON exists is complete. Reading an entry touches
it; when the total size passes the cap, the least recently used entries are removed. Versions before
0.2.0 wrote through `.tmp-*` names that carry no owner: one older than OLD_TEMP_AGE_S is a leftover of a
killed writer and goes with the next write in its folder. Standard library only.
"""

import hashlib
import json
import os
import shutil
import time
from typing import Any, Optional

from ...shared.atomic import atomic_file
from ...shared.catalogue import IMAGERY_CACHE_CAP_MB

CACHE_FORMAT = 1
OLD_TEMP_PREFIX = ".tmp-"  # the temporary names of versions before 0.2.0 (tempfile.mkstemp)
OLD_TEMP_AGE_S = 24 * 3600  # no write of an entry takes a day: such a file's writer is gone


def default_cache_dir() -> str:
    """'terraembed/imagery' under the user's cache folder (platformdirs: $XDG_CACHE_HOME or ~/.cache,
    ~/Library/Caches, %LOCALAPPDATA%); TERRAEMBED_IMAGERY_CACHE overrides."""
    override = os.environ.get("TERRAEMBED_IMAGERY_CACHE")
    if override:
        return override
    import platformdirs

    return os.path.join(platformdirs.user_cache_dir("terraembed", appauthor=False, opinion=False), "imagery")


def request_key(request: dict[str, Any]) -> str:
    """SHA-256 hex of the canonical JSON of a request dict (sorted keys, no whitespace)."""
    text = json.dumps(
        {"cache_format": CACHE_FORMAT, "request": request},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
        allow_nan=False,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def atomic_copy(src: str, dst: str) -> None:
    """Copy src to dst through a partial name in dst's folder and a rename (shared/atomic.py)."""
    with atomic_file(dst) as tmp, open(tmp, "wb") as out, open(src, "rb") as inp:
        shutil.copyfileobj(inp, out, 1 << 20)


def atomic_write_json(obj: object, dst: str) -> None:
    with atomic_file(dst) as tmp, open(tmp, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=1, sort_keys=True)


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


def sweep_old_temps(folder: str, now: Optional[float] = None) -> list[str]:
    """Remove the `.tmp-*` files of older versions' killed writers from folder (older than OLD_TEMP_AGE_S);
    returns their names."""
    now = time.time() if now is None else now
    gone: list[str] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return gone
    for name in names:
        path = os.path.join(folder, name)
        try:
            old = name.startswith(OLD_TEMP_PREFIX) and now - os.path.getmtime(path) > OLD_TEMP_AGE_S
        except OSError:
            continue
        if old:
            _remove(path)
            gone.append(name)
    return gone


class ImageryCache:
    """An LRU-capped folder of GeoTIFF entries. cap_mb <= 0 disables the cache (get misses, put
    stores nothing)."""

    def __init__(self, root: Optional[str] = None, cap_mb: float = IMAGERY_CACHE_CAP_MB) -> None:
        self.root = os.path.abspath(os.path.expanduser(root or default_cache_dir()))
        self.cap_bytes = int(float(cap_mb) * 1024 * 1024)

    @property
    def enabled(self) -> bool:
        return self.cap_bytes > 0

    def _paths(self, key: str) -> tuple[str, str]:
        folder = os.path.join(self.root, key[:2])
        return os.path.join(folder, key + ".tif"), os.path.join(folder, key + ".json")

    def get(self, key: str) -> Optional[tuple[str, dict[str, Any]]]:
        """(tif_path, metadata) for a complete entry, touched as most recently used; else None."""
        if not self.enabled:
            return None
        tif, meta_path = self._paths(key)
        try:
            with open(meta_path, encoding="utf-8") as f:
                meta = json.load(f)
            if os.path.getsize(tif) != meta.get("tif_bytes"):
                return None
        except (OSError, ValueError):
            return None
        now = time.time()
        for p in (tif, meta_path):
            try:
                os.utime(p, (now, now))
            except OSError:
                pass
        return tif, meta

    def put(self, key: str, tif_src: str, metadata: dict[str, Any]) -> Optional[str]:
        """Store a copy of tif_src with its metadata (a JSON-able dict); evict LRU entries over the
        cap. Returns the cached tif path, or None when the entry cannot be kept (cache disabled or
        the file alone is larger than the cap)."""
        if not self.enabled:
            return None
        size = os.path.getsize(tif_src)
        if size > self.cap_bytes:
            return None
        tif, meta_path = self._paths(key)
        sweep_old_temps(os.path.dirname(tif))
        atomic_copy(tif_src, tif)
        meta = dict(metadata, tif_bytes=size, key=key, stored_at=time.time())
        atomic_write_json(meta, meta_path)
        self.evict(keep=key)
        return tif

    def entries(self) -> list[tuple[float, int, str]]:
        """[(last_used, bytes, key)] of the complete entries."""
        out: list[tuple[float, int, str]] = []
        if not os.path.isdir(self.root):
            return out
        for sub in os.listdir(self.root):
            folder = os.path.join(self.root, sub)
            if not os.path.isdir(folder):
                continue
            for name in os.listdir(folder):
                if not name.endswith(".json") or name.startswith("."):
                    continue
                key = name[:-5]
                tif, meta_path = self._paths(key)
                try:
                    used = max(os.path.getmtime(meta_path), os.path.getmtime(tif))
                    size = os.path.getsize(tif) + os.path.getsize(meta_path)
                except OSError:
                    continue
                out.append((used, size, key))
        return out

    def total_bytes(self) -> int:
        return sum(size for _, size, _ in self.entries())

    def remove(self, key: str) -> None:
        tif, meta_path = self._paths(key)
        _remove(meta_path)  # the JSON first: an entry without it is never served
        _remove(tif)

    def evict(self, keep: Optional[str] = None) -> int:
        """Remove least recently used entries until the total is under the cap (never `keep`)."""
        entries = sorted(self.entries())
        total = sum(size for _, size, _ in entries)
        for _, size, key in entries:
            if total <= self.cap_bytes:
                break
            if key == keep:
                continue
            self.remove(key)
            total -= size
        return total
