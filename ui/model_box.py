"""The panel's model part: the model picker (catalogue order, remembered) and what the model needs and
gives, with whether its weights are present."""

from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import QComboBox, QGroupBox, QLabel, QVBoxLayout

from ..shared.catalogue import MODEL_IDS, MODELS
from ..shell.i18n import tr
from . import model_info
from .common import OK_STYLE, WARN_STYLE, escape, remembered


class ModelBox(QGroupBox):
    """Signal: changed(model_id)."""

    changed = pyqtSignal(str)

    def __init__(self, parent=None):
        super().__init__(tr("Model"), parent)
        layout = QVBoxLayout(self)
        self.combo = QComboBox()
        for model in MODELS.values():
            self.combo.addItem(model.label, model.id)
        self.combo.setCurrentIndex(max(0, self.combo.findData(remembered("model", MODEL_IDS[0]))))
        self.combo.currentIndexChanged.connect(lambda *_: self.refresh())
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.RichText)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.combo)
        layout.addWidget(self.info)

    def model_id(self):
        return self.combo.currentData()

    def refresh(self):
        """Show the chosen model's facts (weights may have appeared since), and tell the other parts."""
        info = model_info.describe(self.model_id())
        bands = info["bands"]
        mark = (
            "<span style='%s'>&#10003; present</span>" % OK_STYLE
            if info["weights_present"]
            else "<span style='%s'>&#10007; not present</span>" % WARN_STYLE
        )
        self.info.setText(
            tr(
                "<b>Modality:</b> %s<br><b>Bands needed (%d):</b> %s<br><b>Embedding size:</b> %d<br>"
                "<b>Weights:</b> %s: %s"
            )
            % (info["modality"], len(bands), ", ".join(bands), info["dim"], mark, escape(info["weights_short"]))
        )
        self.info.setToolTip(tr("%s\n\nWeights: %s") % (info["description"], info["weights"]))
        self.changed.emit(self.model_id())
