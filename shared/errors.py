"""Errors the engine raises. A UserError's message reaches the user unchanged, so it says what went
wrong in the user's words and what to do about it."""

from .i18n import tr, translatable


class UserError(Exception):
    """A problem with the user's input or setup, with a message that says how to fix it. `kind`: the
    protocol's error kind it is reported as."""

    kind = "user"


class OutputError(UserError):
    """An output cannot be written; the message says why and what to do."""


class NoImagery(UserError):
    """No image of the collection matches the request (its dates, area and filters): a series run stops or
    skips the period, as the user chose (engine/pipeline/series_job.py). `images`: how many matched."""

    def __init__(self, message: str, images: int = 0) -> None:
        super().__init__(message)
        self.images = images


class Cancelled(Exception):
    """The user cancelled the job."""


def unreadable_raster(path: object, exc: BaseException, what: str = translatable("raster")) -> UserError:
    """The UserError for a file that exists but GDAL cannot open or read: not a raster, or corrupt."""
    cause = exc.__cause__ or exc  # rasterio: "Read failed. See previous exception": GDAL's is the cause
    reason = str(cause).strip() or type(exc).__name__
    return UserError(
        tr(
            "The %s %r is not a raster GDAL can read, or the file is corrupt or truncated "
            "(GDAL: %s). Choose a GeoTIFF or another raster file, or export or download it "
            "again."
        )
        % (tr(what), path, reason)
    )


def complex_raster(path: object, dtype: object, what: str = translatable("raster")) -> UserError:
    """The UserError for a raster of complex values (e.g. Sentinel-1 SLC): read as real numbers, its
    imaginary part would be dropped without a word."""
    return UserError(
        tr(
            "The %s %r holds complex values (%s, such as Sentinel-1 SLC data); TerraEmbed reads real values "
            "only and would drop the imaginary part. Convert it to real values first: the amplitude or "
            "intensity (e.g. `gdal_translate` with a VRT using the 'mod' or 'intensity' pixel function, or "
            "the Raster Calculator), or use Sentinel-1 GRD backscatter."
        )
        % (tr(what), path, dtype)
    )
