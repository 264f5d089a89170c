"""The Explore session as the panel drives it (no widgets): a worker that holds the embedding raster
(shell/session.py), a label layer, and the live layers it keeps up to date.

Every change of the labels asks the worker again with all of them (undo, edits with QGIS's own
tools and reloaded layers need no bookkeeping); only the newest answer is shown. A killed worker
is restarted with the labels kept; a raster replaced on disk reopens the session; removing the
raster's layer ends it. Ending removes the live layers; the worker removes its files.
"""

from qgis.core import QgsCoordinateTransform, QgsProject
from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..algorithms import inputs
from ..shell import i18n, settings
from ..shell.client import RuntimeClient, RuntimeJobError
from ..shell.i18n import tr
from ..shell.session import ENDED, SessionClient
from . import explore_answers as answers
from . import explore_layers as xl
from . import timeline
from .explore_answers import CLASSES, SIMILAR

TIMELINE = "timeline"  # a cell's change over a series (ui/timeline.py)
TOP_SHARE = 0.1  # the share of valid cells a map shows until the user moves the threshold
RESTARTS = 3  # a worker that dies this many times in a row is not restarted again


class ExploreController(QObject):
    """Signals: status(text) for the panel; opened(info); answered(op, result); failed(message) for the
    message bar (the session failed, or a label layer was refused); ended() when the session ends;
    labelsChanged() when the label layer is edited outside the panel."""

    status = pyqtSignal(str)
    ended = pyqtSignal()
    labelsChanged = pyqtSignal()  # the label layer was edited with QGIS's tools
    opened = pyqtSignal(object)
    answered = pyqtSignal(str, object)
    failed = pyqtSignal(str)
    _message = pyqtSignal(object)  # from the client's reader thread, delivered on the GUI thread

    def __init__(self, project=None, runtime=None, storage="auto", parent=None):
        super().__init__(parent)
        self.project = project or QgsProject.instance()
        self.runtime = runtime or (lambda: RuntimeClient(settings.runtime_python()))
        self.storage = storage
        self.client = None
        self.raster = None
        self.labels = None
        self.mode = SIMILAR
        self.class_name = tr("class 1")
        self.threshold = 0.5
        self.threshold_moved = False  # until the user moves the slider, each map shows its top cells
        self.info = None
        self.last = {}  # op -> its last answer
        self.live = {}  # "heat" | "classes" | "outline" -> layer
        self.restarts = 0
        self._asked = {}  # query id -> op
        self._message.connect(self._on_message)
        self.project.layersWillBeRemoved.connect(self._on_layers_removed)

    # -- life -------------------------------------------------------------------------------------
    @property
    def running(self):
        return self.client is not None

    def start(self, raster, labels=None):
        """Open a session on a raster layer; labels: a point layer to resume (else a new one)."""
        self.stop()
        path = inputs.local_raster_path(raster) if raster is not None else None
        if not path:
            raise ValueError(
                tr(
                    "Explore needs an embedding raster that is a local file (a GeoTIFF); save the layer as "
                    "a GeoTIFF first (Export > Save As)."
                )
            )
        if raster.bandCount() < 2:
            raise ValueError(tr("The layer '%s' has one band, so it is not an embedding raster.") % raster.name())
        self.raster = raster
        self.use_labels(labels or self.labels or xl.new_label_layer(raster.crs()))
        self._open()

    def _open(self):
        """Start the session's worker; ValueError (the runtime's message) when it cannot start."""
        request = {"kind": "explore", "input": inputs.local_raster_path(self.raster), "storage": self.storage}
        request["locale"] = i18n.language()  # the worker's messages (engine/i18n.py)
        self.info = None
        client = SessionClient(self.runtime(), request, self._message.emit)
        try:
            client.start()
        except RuntimeJobError as exc:  # no runtime, or it cannot be started: what to install or set
            raise ValueError(exc.message) from exc
        self.client = client
        self.status.emit(tr("Opening the session: loading %s into the runtime...") % self.raster.name())

    def stop(self):
        client, self.client = self.client, None
        if client is not None:
            client.close()
        live, self.live = self.live, {}
        for layer in live.values():
            if self.project.mapLayer(layer.id()) is not None:
                self.project.removeMapLayer(layer.id())
        self.last, self.info, self._asked = {}, None, {}
        if client is not None:
            self.ended.emit()

    def use_labels(self, layer):
        problem = xl.label_layer_problem(layer) or (xl.grid_problem(layer, self.info["grid"]) if self.info else "")
        if problem:
            raise ValueError(problem)
        if self.labels is not layer:  # watched once, however often a session starts on it
            if self.labels is not None:
                self._watch(self.labels, False)
            self._watch(layer, True)
        self.labels = layer
        if self.project.mapLayer(layer.id()) is None:
            self.project.addMapLayer(layer)
        if self.info is not None:
            self.refresh()

    def _watch(self, layer, on):
        for signal in (layer.featureAdded, layer.featureDeleted, layer.geometryChanged, layer.attributeValueChanged):
            try:
                (signal.connect if on else signal.disconnect)(self._labels_edited)
            except TypeError:
                pass

    def _labels_edited(self, *args):
        """An edit of the label layer with QGIS's own tools: the panel's list and the map follow."""
        self.labelsChanged.emit()
        if self.info is not None:
            self.refresh()

    # -- labels -----------------------------------------------------------------------------------
    def add(self, point, crs, sign):
        """A click at point (in crs): a positive (sign 1) or negative (-1) example of the current
        class (in few-shot mode every click is an example of the current class)."""
        if self.labels is None:
            return
        sign = 1 if self.mode == CLASSES else sign
        grid = self.info["grid"] if self.info else ""
        xl.add_label(self.labels, point, crs, sign, self.class_name, self.project.transformContext(), grid)
        self.refresh()

    def label_list(self):
        return xl.read_labels(self.labels, self.raster.crs(), self.project.transformContext()) if self.labels else []

    def remove(self, fids):
        if self.labels is None or not fids:
            return
        if self.labels.isEditable():
            for fid in fids:
                self.labels.deleteFeature(fid)
        else:
            self.labels.dataProvider().deleteFeatures(list(fids))
            self.labels.triggerRepaint()
        self.refresh()

    def undo(self):
        items = self.label_list()
        if items:
            self.remove([items[-1][0]])

    def clear(self):
        self.remove([fid for fid, _ in self.label_list()])

    # -- questions --------------------------------------------------------------------------------
    def refresh(self):
        """Ask the worker with every label; the answer arrives through answered()."""
        if self.client is None or self.info is None:
            return
        labels = [item for _, item in self.label_list()]
        if self.mode == SIMILAR and not any(item["sign"] > 0 for item in labels):
            self.status.emit(tr("Click a place to find places like it (Shift+click or right click: not like this)."))
            return
        self._ask(self.mode, {"labels": labels})

    def suggest(self, count):
        """Ask where to label next (count cells, from every label in the current mode); the answer
        replaces the live point layer of suggestions."""
        if self.client is not None and self.info is not None:
            labels = [item for _, item in self.label_list()]
            self._ask("suggest", {"labels": labels, "mode": self.mode, "suggestion_count": int(count)})

    def set_mode(self, mode):
        self.mode = mode
        self.refresh()

    def set_threshold(self, threshold, by_user=True):
        """Only restyles the live map and reads the area from the last answer's histogram; the
        outline comes from the worker when it is ready."""
        self.threshold = float(threshold)
        self.threshold_moved = self.threshold_moved or by_user
        heat = self.live.get("heat")
        answer = self.last.get(SIMILAR)
        if heat is None or answer is None:
            return None
        xl.style_heat(heat, self.threshold, answer["max"])
        self._ask("outline", {"threshold": self.threshold})
        return self.area_text()

    def area_text(self):
        answer = self.last.get(SIMILAR)
        if not answer or not self.info:
            return ""
        return answers.area_text(answer, self.threshold, self.raster.crs())

    def value_at(self, point, crs):
        """What the live map says at a point (for the hover text), or ""."""
        layer = self.live.get("classes" if self.mode == CLASSES else "heat")
        if layer is None:
            return ""
        p = QgsCoordinateTransform(crs, layer.crs(), self.project.transformContext()).transform(point)
        value, ok = layer.dataProvider().sample(p, 1)
        if not ok or value != value:
            return ""
        if self.mode == CLASSES:
            names = self.last[CLASSES]["classes"]
            prob, _ = layer.dataProvider().sample(p, 2)
            return tr("%s (p = %.2f)") % (names[int(value) - 1], prob)
        return tr("similarity %.3f") % value

    def save(self, folder, prefix=None):
        """Save the live results in folder (through the worker's output transaction)."""
        paths = answers.save_paths(folder, prefix or self.raster.name(), self.last)
        self._ask("save", dict(paths, threshold=self.threshold))
        return paths

    def timeline_at(self, point, crs, series_layer=None):
        """Ask for the timeline of the cell at point (in crs) of the explored series, else of
        series_layer (point None: only open that series); False when there is no series to follow."""
        args = timeline.query(self.info, self.raster, series_layer, point, crs, self.project.transformContext())
        if args is not None:
            self._ask(TIMELINE, args)
        return args is not None

    def _ask(self, op, args):
        if self.client is not None:
            self._asked[self.client.ask(op, args)] = op

    def processing_run(self):
        """(algorithm id, parameters) of the batch run that gives the live result."""
        explored = timeline.explored_input(self.info, self.raster)
        return answers.processing_run(self.mode, explored, self.labels, self.threshold)

    # -- answers ----------------------------------------------------------------------------------
    def _on_message(self, message):
        kind = message.get("type")
        if kind == "progress" and self.info is None:
            self.status.emit(tr("Opening the session: %d %%") % round(100 * message.get("fraction", 0)))
        elif kind == "log" and message.get("level") == "warning":
            self.status.emit(message.get("message", ""))
        elif kind == "answer" and message.get("id") == 0:
            self.info = message["result"]
            problem = xl.grid_problem(self.labels, self.info["grid"])
            if problem:  # a label layer chosen to resume belongs to other embeddings
                self.failed.emit(problem)
                self.use_labels(xl.new_label_layer(self.raster.crs()))
            self.restarts = 0
            self.status.emit(
                tr("Ready: %d x %d cells, %d dimensions (%s), opened in %.1f s. Click a place.")
                % (
                    self.info["width"],
                    self.info["height"],
                    self.info["bands"],
                    self.info["storage"],
                    self.info["open_s"],
                )
            )
            self.opened.emit(self.info)
            self.refresh()
        elif kind == "answer":
            self._on_answer(message)
        elif kind == "error":
            self._on_error(message)
        elif kind == ENDED and self.client is not None:
            self._on_ended(message)

    def _on_answer(self, message):
        result = dict(message["result"], round_trip_ms=message.get("round_trip_ms"))
        op = self._asked.pop(message.get("id"), None)
        if op == "save":
            answers.add_saved(self.project, result, self.threshold, self.last)
            self.status.emit(answers.saved_text(result))
            self.answered.emit("save", result)
            return
        if op is None:
            return
        if op == TIMELINE:  # shown by the panel's chart, no layer (an answer to an opening shows nothing)
            if "to_first" in result:
                self.last[op] = result
                self.answered.emit(op, result)
            return
        self.last[op] = result
        if op == "suggest":  # a live point layer, replaced by the next answer
            self.live["suggest"] = xl.show_suggestions(
                self.project, self.live.get("suggest"), self.raster.crs(), result
            )
            self.status.emit(xl.suggestions_text(result))
            self.answered.emit(op, result)
            return
        self._show(op, result)
        self.answered.emit(op, result)

    def _show(self, op, result):
        layer = answers.show_live(self.project, self.live, op, result)
        if op == SIMILAR:
            if not self.threshold_moved:
                self.threshold = xl.top_share_threshold(result["histogram"]["counts"], TOP_SHARE)
            xl.style_heat(layer, self.threshold, result["max"])
            self._ask("outline", {"threshold": self.threshold})
        elif op == CLASSES:
            xl.style_classes(layer, result["classes"])
        else:
            xl.style_outline(layer)
        if op != "outline":
            self.status.emit(answers.summary(op, result))

    def _on_error(self, message):
        text = message.get("message", tr("The explore session failed."))
        if message.get("kind") == "replaced" and self.raster is not None:
            self.status.emit(tr("The raster changed on disk: reopening the session."))
            self._restart()
            return
        self.status.emit(text)
        if message.get("id") is None:  # the session could not open
            self.client = None
            self.failed.emit(text)
            self.ended.emit()
        elif message.get("kind") != "user":  # a click's own problem stays in the status line
            self.failed.emit(text)

    def _on_ended(self, message):
        self.restarts += 1
        if self.restarts > RESTARTS:
            self.client = None
            self.failed.emit(tr("%s It stopped %d times; press Start to try again.") % (message["message"], RESTARTS))
            self.ended.emit()
            return
        self.status.emit(tr("%s Restarting it; your labels are kept.") % message["message"])
        self._restart()

    def _restart(self):
        client, self.client = self.client, None
        if client is not None:
            client.close(grace_s=0.5)
        try:
            self._open()
        except ValueError as exc:
            self.failed.emit(str(exc))
            self.ended.emit()

    def _on_layers_removed(self, layer_ids):
        if self.raster is not None and self.raster.id() in layer_ids:
            self.raster = None
            self.stop()
            self.status.emit(tr("The embedding layer was removed: the explore session ended."))
        for key, layer in list(self.live.items()):
            if layer.id() in layer_ids:
                del self.live[key]

    def shutdown(self):
        try:
            self.project.layersWillBeRemoved.disconnect(self._on_layers_removed)
        except TypeError:
            pass
        self.stop()
