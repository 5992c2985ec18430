"""Tools > Settings: the dialog over desktop.settings (imported only when it is opened)."""

from __future__ import annotations

from dataclasses import fields

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from desktop.i18n import LANGUAGE_NAMES, translate
from desktop.settings import Settings


def audio_output_devices() -> list[str]:
    """Names of the output devices PortAudio sees (empty when it cannot be asked)."""
    try:
        import sounddevice

        return [d["name"] for d in sounddevice.query_devices() if d["max_output_channels"] > 0]
    except Exception:  # noqa: BLE001 - no PortAudio or no devices: just the default
        return []


class _PathField(QWidget):
    def __init__(self, value: str, placeholder: str, pick_folder: bool, file_filter: str = ""):
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit(value)
        self.edit.setPlaceholderText(placeholder)
        button = QPushButton(translate("Settings", "Browse…"))
        row.addWidget(self.edit, 1)
        row.addWidget(button)

        def browse():
            if pick_folder:
                chosen = QFileDialog.getExistingDirectory(self, placeholder, self.edit.text())
            else:
                chosen, _ = QFileDialog.getOpenFileName(self, placeholder, self.edit.text(),
                                                        file_filter)
            if chosen:
                self.edit.setText(chosen)

        button.clicked.connect(browse)

    def text(self) -> str:
        return self.edit.text().strip()


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent=None):
        super().__init__(parent)
        self.setWindowTitle(translate("Settings", "Songloom Settings"))
        self.settings = settings
        form = QFormLayout(self)
        self.soundfont = _PathField(
            settings.soundfont, translate("Settings", "Bundled SoundFont (FluidR3 Mono GM)"),
            False, translate("Settings", "SoundFonts (*.sf2 *.sf3)"))
        self.audio_device = QComboBox()
        self.audio_device.addItem(translate("Settings", "System default"), "")
        for name in audio_output_devices():
            self.audio_device.addItem(name, name)
        self.audio_device.setToolTip(translate("Settings", "Where Songloom plays; applied at once"))
        self.set_audio_device(settings.audio_device)
        self.compute = QComboBox()
        for label, value in ((translate("Settings", "Automatic (GPU when present)"), "auto"),
                             ("CPU", "cpu"), ("NVIDIA CUDA", "cuda"), ("Apple MPS", "mps")):
            self.compute.addItem(label, value)
        self.compute.setCurrentIndex(max(0, self.compute.findData(settings.compute_device)))
        self.music_dir = _PathField(settings.music_model_dir,
                                    translate("Settings", "Bundled music model"), True)
        self.lyrics_dir = _PathField(settings.lyrics_model_dir,
                                     translate("Settings", "Bundled lyrics model"), True)
        self.autosave = QSpinBox()
        self.autosave.setRange(10, 3600)
        self.autosave.setSuffix(translate("Settings", " s"))
        self.autosave.setValue(settings.autosave_interval_s)
        self.theme = QComboBox()
        for label, value in ((translate("Settings", "Follow the system"), "system"),
                             (translate("Settings", "Light"), "light"),
                             (translate("Settings", "Dark"), "dark")):
            self.theme.addItem(label, value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
        # Each language in its own words; the choice applies at the next start (the
        # widgets set their texts when they are built).
        self.language = QComboBox()
        self.language.addItem(translate("Settings", "Follow the system"), "system")
        for value, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, value)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.language.setToolTip(translate("Settings", "Takes effect after a restart"))
        form.addRow(translate("Settings", "SoundFont"), self.soundfont)
        form.addRow(translate("Settings", "Audio output"), self.audio_device)
        form.addRow(translate("Settings", "Compute device"), self.compute)
        form.addRow(translate("Settings", "Music model folder"), self.music_dir)
        form.addRow(translate("Settings", "Lyrics model folder"), self.lyrics_dir)
        form.addRow(translate("Settings", "Autosave every"), self.autosave)
        form.addRow(translate("Settings", "Appearance"), self.theme)
        form.addRow(translate("Settings", "Language"), self.language)
        self.language_note = QLabel(translate("Settings", "Takes effect after a restart"))
        self.language_note.setEnabled(False)  # greyed: a note, not a setting
        form.addRow("", self.language_note)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel
                                   | QDialogButtonBox.RestoreDefaults)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.RestoreDefaults).clicked.connect(self._defaults)
        form.addRow(buttons)
        self.resize(560, 0)

    def set_audio_device(self, name: str) -> None:
        """Select the output ``name``; one not connected now stays listed and chosen (it is
        used when it is back, the default until then)."""
        i = self.audio_device.findData(name or "")
        if i < 0:
            self.audio_device.addItem(
                translate("Settings", "{name} (not connected)").format(name=name), name)
            i = self.audio_device.count() - 1
        self.audio_device.setCurrentIndex(i)

    def _defaults(self) -> None:
        d = Settings()
        self.soundfont.edit.setText(d.soundfont)
        self.audio_device.setCurrentIndex(0)
        self.compute.setCurrentIndex(0)
        self.music_dir.edit.setText("")
        self.lyrics_dir.edit.setText("")
        self.autosave.setValue(d.autosave_interval_s)
        self.theme.setCurrentIndex(0)
        self.language.setCurrentIndex(0)

    def result_settings(self) -> Settings:
        s = Settings(**{f.name: getattr(self.settings, f.name) for f in fields(Settings)})
        s.soundfont = self.soundfont.text()
        s.audio_device = self.audio_device.currentData()
        s.compute_device = self.compute.currentData()
        s.music_model_dir = self.music_dir.text()
        s.lyrics_model_dir = self.lyrics_dir.text()
        s.autosave_interval_s = self.autosave.value()
        s.theme = self.theme.currentData()
        s.language = self.language.currentData()
        return s
