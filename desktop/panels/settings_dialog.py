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
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

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
        button = QPushButton("Browse…")
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
        self.setWindowTitle("Songloom Settings")
        self.settings = settings
        form = QFormLayout(self)
        self.soundfont = _PathField(settings.soundfont, "Bundled SoundFont (FluidR3 Mono GM)",
                                    False, "SoundFonts (*.sf2 *.sf3)")
        self.audio_device = QComboBox()
        self.audio_device.addItem("System default", "")
        for name in audio_output_devices():
            self.audio_device.addItem(name, name)
        self.audio_device.setToolTip("Where Songloom plays; applied at once")
        self.set_audio_device(settings.audio_device)
        self.compute = QComboBox()
        for label, value in (("Automatic (GPU when present)", "auto"), ("CPU", "cpu"),
                             ("NVIDIA CUDA", "cuda"), ("Apple MPS", "mps")):
            self.compute.addItem(label, value)
        self.compute.setCurrentIndex(max(0, self.compute.findData(settings.compute_device)))
        self.music_dir = _PathField(settings.music_model_dir, "Bundled music model", True)
        self.lyrics_dir = _PathField(settings.lyrics_model_dir, "Bundled lyrics model", True)
        self.autosave = QSpinBox()
        self.autosave.setRange(10, 3600)
        self.autosave.setSuffix(" s")
        self.autosave.setValue(settings.autosave_interval_s)
        self.theme = QComboBox()
        for label, value in (("Follow the system", "system"), ("Light", "light"),
                             ("Dark", "dark")):
            self.theme.addItem(label, value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
        form.addRow("SoundFont", self.soundfont)
        form.addRow("Audio output", self.audio_device)
        form.addRow("Compute device", self.compute)
        form.addRow("Music model folder", self.music_dir)
        form.addRow("Lyrics model folder", self.lyrics_dir)
        form.addRow("Autosave every", self.autosave)
        form.addRow("Appearance", self.theme)
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
            self.audio_device.addItem(f"{name} (not connected)", name)
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

    def result_settings(self) -> Settings:
        s = Settings(**{f.name: getattr(self.settings, f.name) for f in fields(Settings)})
        s.soundfont = self.soundfont.text()
        s.audio_device = self.audio_device.currentData()
        s.compute_device = self.compute.currentData()
        s.music_model_dir = self.music_dir.text()
        s.lyrics_model_dir = self.lyrics_dir.text()
        s.autosave_interval_s = self.autosave.value()
        s.theme = self.theme.currentData()
        return s
