"""The explore session's door (engine/session.py finds it by kind): opening one, and answering its queries."""

from ...shared.errors import UserError
from ..i18n import tr
from ..session import Replaced
from . import explore_save, explore_suggest, timeline
from .explore import ExploreSession


def open_session(job, ctx):
    """The explore session a shell asked for (engine/session.py finds it by kind); a series is explored
    on its last period, with timelines."""
    path, series = timeline.explored(job.get("input"))
    session = ExploreSession(path, ctx, job.get("storage") or "auto", series=series)
    if series is not None:
        timeline.opened(session, series["path"])  # opened now: the first click pays only its reads
    return session


def answer(session, op, args, files, qid, ctx):
    """The result of one query (a dict), or raise UserError."""
    if op in ("similarity", "fewshot", "suggest") and session.replaced():
        raise Replaced(tr("The raster %r changed on disk since the session opened; reopen the session.") % session.path)
    if op == "similarity":
        return session.similarity(args.get("labels") or [], files.new("heat", qid, ".tif"))
    if op == "fewshot":
        return session.fewshot(args.get("labels") or [], files.new("classes", qid, ".tif"), int(args.get("seed", 0)))
    if op == "suggest":
        return explore_suggest.suggest(session, args.get("labels") or [], args)
    if op == "outline":
        return explore_save.outline(session, float(args["threshold"]), files.new("outline", qid, ".geojson"))
    if op == "save":
        return explore_save.save(session, args, ctx)
    if op == "timeline":
        return timeline.answer(session, args)
    if op == "info":
        return session.info()
    raise UserError(tr("Unknown query %r.") % op)
