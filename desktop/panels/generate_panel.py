"""The generation panel (right dock): music and lyric options, progress and Cancel,
variations to audition A/B, and the history of generations.

A plain widget: it emits requests with the options as dataclasses and shows what it is
told (busy / progress / idle / variations / history). The controller in
desktop/controllers/generation_controller.py runs the jobs, so this panel is testable on its own.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.errors import SongloomError
from core.model.chords import check_in_key, parse_progression
from core.model.requests import RHYME_SCHEMES, LyricParams, MusicParams
from core.model.sections import PRESETS, parse_form
from core.model.song import ROLES
from core.model.styles import REGISTRY, STYLE_NAMES, get_style
from core.model.theory import KEY_CHOICE_NAMES
from desktop.i18n import translate
from desktop.panels.zh_lyric_options import ZhLyricOptions
from desktop.widgets.action_combo import ActionItemCombo
from desktop.widgets.builders import push_button, text_field
from desktop.widgets.elided_label import ElidedLabel
from desktop.widgets.scroll_page import fill_with_scroll

MAX_SEED = 2**31 - 1
DEFAULT_BARS = 8
CUSTOM_FORM = "custom"
# (shown, MusicParams.form): "auto" follows Bars; a preset or custom form fixes the length.
FORM_CHOICES = ((QT_TRANSLATE_NOOP("Generate", "auto (from Bars)"), "auto"),
                *((name, name) for name in PRESETS),  # (translated as shown)
                (QT_TRANSLATE_NOOP("Generate", "custom…"), CUSTOM_FORM))
# Names the interface shows for core's choices (the requests keep the English value).
SHOWN_NAMES = (
    QT_TRANSLATE_NOOP("Generate", "verse-chorus"),
    QT_TRANSLATE_NOOP("Generate", "verse-chorus-bridge"),
    QT_TRANSLATE_NOOP("Generate", "lieder"), QT_TRANSLATE_NOOP("Generate", "chorale"),
    QT_TRANSLATE_NOOP("Generate", "pop"), QT_TRANSLATE_NOOP("Generate", "rock"),
    QT_TRANSLATE_NOOP("Generate", "ballad"), QT_TRANSLATE_NOOP("Generate", "electronic"),
    QT_TRANSLATE_NOOP("Generate", "folk"), QT_TRANSLATE_NOOP("Generate", "free"),
    QT_TRANSLATE_NOOP("Generate", "major"), QT_TRANSLATE_NOOP("Generate", "minor"),
    QT_TRANSLATE_NOOP("Generate", "melody"), QT_TRANSLATE_NOOP("Generate", "harmony"),
    QT_TRANSLATE_NOOP("Generate", "bass"), QT_TRANSLATE_NOOP("Generate", "drums"),
    QT_TRANSLATE_NOOP("Generate", "modern"), QT_TRANSLATE_NOOP("Generate", "poetic"),
)
STYLE_BANDS = (  # core.model.styles' descriptions, shown translated in the tooltips
    QT_TRANSLATE_NOOP("Generate", "voice and piano songs: flute melody, piano, acoustic bass"),
    QT_TRANSLATE_NOOP("Generate", "four-part Bach chorales: choir and organ"),
    QT_TRANSLATE_NOOP("Generate", "synth voice, electric piano comping, finger bass, standard kit"),
    QT_TRANSLATE_NOOP(
        "Generate", "distortion lead, overdriven guitar chords, pick bass in eighths, power kit"),
    QT_TRANSLATE_NOOP("Generate", "tenor sax, piano arpeggios, held bass, brushes"),
    QT_TRANSLATE_NOOP(
        "Generate", "saw lead, warm pad, synth bass pumping off-beats, four on the floor"),
    QT_TRANSLATE_NOOP(
        "Generate", "fiddle, strummed steel-string guitar, acoustic bass root-fifth, brushes"),
)
PANEL_WIDTH = 316  # the dock's starting width (see GeneratePanel.sizeHint)
BUNDLED_MODEL = QT_TRANSLATE_NOOP("Generate", "Bundled model")


def _fill(combo, values) -> None:
    """Items showing each value in the interface language, the value as their data."""
    for value in values:
        combo.addItem(translate("Generate", value), value)


def _select(combo, value) -> None:
    combo.setCurrentIndex(max(0, combo.findData(value)))


class SeedField(QWidget):
    """A seed with a dice button and a lock: unlocked seeds are re-rolled per request."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.spin = QSpinBox()
        self.spin.setRange(0, MAX_SEED)
        self.spin.setMinimumWidth(70)  # ten digits fit when the dock is wider; never clipped
        self.spin.setToolTip(translate(
            "Generate", "The same seed and options give the same result"))
        self.dice = QToolButton()
        self.dice.setText(translate(
            "Generate", "Roll"))  # words, not an emoji: fonts without it show a box
        self.dice.setToolTip(translate("Generate", "Roll a new random seed"))
        self.lock = QCheckBox(translate("Generate", "Lock"))
        self.lock.setToolTip(translate(
            "Generate", "Keep this seed for the next generation (else a new one is rolled)"))
        self.lock.setChecked(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.spin, 1)
        row.addWidget(self.dice)
        row.addWidget(self.lock)
        self.dice.clicked.connect(self.roll)

    def roll(self) -> int:
        import secrets  # a fresh, unpredictable seed; imported on first roll, not at start-up

        self.spin.setValue(secrets.randbelow(MAX_SEED))
        return self.spin.value()

    def next_seed(self) -> int:
        """The seed for a request: the shown one when locked, a fresh one otherwise."""
        return self.spin.value() if self.lock.isChecked() else self.roll()


def _row(*widgets: QWidget) -> QHBoxLayout:
    """Widgets side by side, sharing the width."""
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    return row


def _form(box: QWidget) -> QFormLayout:
    """A form whose rows put the field under its label when the dock is too narrow for
    both side by side (the panel never scrolls sideways, and nothing is cut off)."""
    form = QFormLayout(box)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    return form


def _spin(lo: int, hi: int, value: int, tip: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(lo, hi)
    box.setValue(value)
    box.setToolTip(tip)
    return box


def _dspin(lo: float, hi: float, value: float, step: float, tip: str, decimals: int = 2):
    box = QDoubleSpinBox()
    box.setRange(lo, hi)
    box.setDecimals(decimals)
    box.setSingleStep(step)
    box.setValue(value)
    box.setToolTip(tip)
    return box


class GeneratePanel(QWidget):
    music_requested = Signal(object)  # MusicParams
    regenerate_track_requested = Signal(str, object)  # role, MusicParams
    continue_requested = Signal(object)  # MusicParams (bars = how many to add)
    lyrics_requested = Signal(object)  # LyricParams
    cancel_requested = Signal()
    variation_auditioned = Signal(int)
    variation_kept = Signal(int)
    history_restore_requested = Signal(int)  # entry number

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        # The dock's width: its content fits (no sideways scrolling) and on a 1024-pixel
        # screen the piano roll keeps the larger share; the user may widen the dock.
        return QSize(PANEL_WIDTH, super().sizeHint().height())

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("GeneratePanel")
        inner = QWidget()
        column = QVBoxLayout(inner)
        column.addWidget(self._music_box())
        column.addWidget(self._lyrics_box())
        column.addWidget(self._job_box())
        column.addWidget(self._variations_box())
        column.addWidget(self._history_box(), 1)
        fill_with_scroll(self, inner)
        self._history_numbers: list[int] = []
        self.set_idle(translate("Generate", "Ready"))

    # -- building ----------------------------------------------------------------------
    def _music_box(self) -> QGroupBox:
        box = QGroupBox(translate("Generate", "Music"))
        form = _form(box)
        # 8 bars: two 4-bar phrases, the smallest whole song sketch (a verse a songwriter
        # can sing two lines to); 4 bars gave a fragment that stopped mid-phrase.
        self.bars = _spin(1, 512, DEFAULT_BARS, translate(
            "Generate", "How many bars to generate (1-512)"))
        self.key = QComboBox()
        self.key.addItems(KEY_CHOICE_NAMES)
        self.key.setToolTip(translate(
            "Generate", "Every note is in this key unless chromatic notes are allowed"))
        self.mode = QComboBox()
        _fill(self.mode, ("major", "minor"))
        key_row = _row(self.key, self.mode)
        self.style = QComboBox()
        for i, name in enumerate(STYLE_NAMES):
            spec = REGISTRY[name]
            self.style.addItem(translate("Generate", name), name)
            lo, hi = spec.tempo_range
            self.style.setItemData(i, translate("Generate", "{name}: {band}; {lo}-{hi} BPM").format(
                name=translate("Generate", name), band=translate("Generate", spec.description),
                lo=lo, hi=hi),
                                   Qt.ItemDataRole.ToolTipRole)
        self.style.setToolTip(translate(
            "Generate", "The band: instruments, how harmony and bass are played, and drums for "
            "pop, rock, ballad, electronic and folk"))
        self.tempo = _dspin(20, 300, 96, 1, translate(
            "Generate", "Tempo in beats per minute"), decimals=0)
        self.style.currentIndexChanged.connect(
            lambda _i: self._style_changed(self.style.currentData()))
        self.humanize = QCheckBox(translate("Generate", "Humanize drums"))
        self.humanize.setChecked(True)
        self.humanize.setToolTip(translate(
            "Generate", "Play each drum hit a few ms and a little louder or softer off the "
            "grid, the same way for the same seed"))
        self.form_choice = QComboBox()
        for label, value in FORM_CHOICES:
            self.form_choice.addItem(translate("Generate", label), value)
        self.form_choice.setToolTip(translate(
            "Generate", "The song's sections: automatic for the bars asked, a preset, or your "
            "own sequence (custom)"))
        self.form_text = text_field(
            translate("Generate", "intro verse chorus verse chorus outro"), translate(
                "Generate", "Sections in order: intro, verse, pre-chorus, chorus, bridge, outro, "
                "A, B, C; a length as verse:16"))
        self.form_choice.currentIndexChanged.connect(self._form_changed)
        self.chords = text_field(translate("Generate", "from the style, or e.g. I vi IV V"), translate(
            "Generate", "The progression, as chord names (C Am F G) or Roman numerals "
            "(I vi IV V); bars with | (C Am | F G). Empty: the style's own"))
        self.music_seed = SeedField()
        self.temperature = _dspin(0.1, 2.0, 1.0, 0.1, translate(
            "Generate", "Lower: safer, sparser; higher: busier"))
        self.variations = _spin(1, 8, 1, translate(
            "Generate", "How many takes to generate, to audition A/B"))
        self.chromatic = QCheckBox(translate("Generate", "Allow notes outside the key"))
        self.generate_music_button = push_button(translate("Generate", "Generate music"),
                                                 self._request_music)
        self.generate_music_button.setDefault(True)
        self.role = QComboBox()
        _fill(self.role, [r for r in ROLES if r in ("melody", "harmony", "bass", "drums")])
        self.regenerate_button = push_button(
            translate("Generate", "Regenerate"), self._request_regenerate,
            translate("Generate", "Keep the other tracks, write this one anew"))
        regen_row = _row(self.role, self.regenerate_button)
        self.continue_bars = _spin(1, 64, 4, translate(
            "Generate", "Bars to append after the song's end"))
        self.continue_button = push_button(
            translate("Generate", "Continue"), self._request_continue,
            translate("Generate", "Append bars that follow on from the existing music"))
        cont_row = _row(self.continue_bars, self.continue_button)
        form.addRow(translate("Generate", "Bars"), self.bars)
        form.addRow(translate("Generate", "Key"), key_row)
        form.addRow(translate("Generate", "Style"), self.style)
        form.addRow(translate("Generate", "Tempo"), self.tempo)
        form.addRow(translate("Generate", "Form"), self.form_choice)
        form.addRow("", self.form_text)
        self.form_text_label = form.labelForField(self.form_text)
        form.addRow(translate("Generate", "Chords"), self.chords)
        form.addRow(translate("Generate", "Seed"), self.music_seed)
        form.addRow(translate("Generate", "Temperature"), self.temperature)
        form.addRow(translate("Generate", "Variations"), self.variations)
        form.addRow(self.chromatic)
        form.addRow(self.humanize)
        form.addRow(self.generate_music_button)
        form.addRow(translate("Generate", "Track"), regen_row)
        form.addRow(translate("Generate", "Add bars"), cont_row)
        self._form_changed()
        return box

    def form_value(self) -> str:
        value = self.form_choice.currentData()
        return self.form_text.text().strip() if value == CUSTOM_FORM else value

    def _form_changed(self, *_args) -> None:
        """The custom field shows only for a custom form; a form other than auto fixes the
        length, so Bars is greyed then (it still says what auto would use)."""
        custom = self.form_choice.currentData() == CUSTOM_FORM
        self.form_text.setVisible(custom)
        if self.form_text_label is not None:
            self.form_text_label.setVisible(custom)
        self.bars.setEnabled(self.form_choice.currentData() == "auto")

    def check_form_and_chords(self, params: MusicParams) -> str:
        """"" when the form and chords read, else the one-line reason (said in the status
        line; nothing is generated)."""
        try:
            if params.form not in ("", "auto"):
                parse_form(params.form)
            elif params.form == "" and self.form_choice.currentData() == CUSTOM_FORM:
                raise SongloomError(translate(
                    "Generate", "type the custom form's sections, e.g. "
                    "\"intro verse chorus outro\""))
            if params.chords:
                bars = parse_progression(params.chords, params.key, params.mode)
                check_in_key(bars, params.key, params.mode, params.allow_chromatic)
        except SongloomError as exc:
            return exc.reason
        return ""

    def _lyrics_box(self) -> QGroupBox:
        box = QGroupBox(translate("Generate", "Lyrics"))
        form = _form(box)
        self.theme = text_field(translate("Generate", "a theme or title (empty: free writing)"))
        self.lines = _spin(1, 64, 4, translate("Generate", "Number of lines"))
        self.syllables_from_melody = QCheckBox(translate("Generate", "From the melody"))
        self.syllables_from_melody.setChecked(True)
        self.syllables_from_melody.setToolTip(
            translate("Generate", "One line per melody phrase, as many syllables as the phrase has "
                                  "notes"))
        self.syllables = _spin(1, 32, 8, translate("Generate", "Syllables per line"))
        self.syllables.setEnabled(False)
        self.syllables_from_melody.toggled.connect(lambda on: self.syllables.setEnabled(not on))
        syl_row = _row(self.syllables_from_melody, self.syllables)
        self.phrases_hint = ElidedLabel("")
        self.phrases_hint.setToolTip(translate(
            "Generate", "Lines beyond the melody's phrases are not sung (not aligned to notes, "
            "not in the MIDI export)"))
        self.lines.valueChanged.connect(self._update_phrases_hint)
        # Lines follow the melody's phrase count until the user sets a number themselves.
        self._lines_follow_melody = True
        self._setting_lines = False
        self.lines.valueChanged.connect(self._lines_changed)
        self.lines_row = QHBoxLayout()
        self.lines_row.addWidget(self.lines)
        self.lines_row.addWidget(self.phrases_hint, 1)
        self.rhyme = QComboBox()
        _fill(self.rhyme, RHYME_SCHEMES)
        self.lyric_temperature = _dspin(0.1, 2.0, 0.9, 0.1, translate(
            "Generate", "Lower: plainer words; higher: bolder"))
        self.diction = QComboBox()
        _fill(self.diction, ("modern", "poetic"))
        self.diction.setToolTip(translate(
            "Generate", "modern: today's words only; poetic: allows thee, thou, o'er"))
        self.lyric_seed = SeedField()
        self.model_choice = ActionItemCombo("?")
        self.model_choice.addItem(translate("Generate", BUNDLED_MODEL), "")
        self.model_choice.addItem(translate("Generate", "Choose a folder…"), "?")
        self.model_choice.setToolTip(translate(
            "Generate", "The bundled model, or any GPT-2 model folder on this computer"))
        self.model_choice.activated.connect(self._maybe_choose_model)
        self.generate_lyrics_button = push_button(translate("Generate", "Generate lyrics"),
                                                  self._request_lyrics)
        form.addRow(translate("Generate", "Theme"), self.theme)
        form.addRow(translate("Generate", "Lines"), self.lines_row)
        form.addRow(translate("Generate", "Syllables"), syl_row)
        form.addRow(translate("Generate", "Rhyme"), self.rhyme)
        form.addRow(translate("Generate", "Temperature"), self.lyric_temperature)
        form.addRow(translate("Generate", "Words"), self.diction)
        form.addRow(translate("Generate", "Seed"), self.lyric_seed)
        form.addRow(translate("Generate", "Model"), self.model_choice)
        form.addRow(self.generate_lyrics_button)
        # English or 中文; with 中文 a tune pattern or the melody sets lines and lengths
        self.zh_options = ZhLyricOptions(
            form, [self.lines_row, syl_row, self.rhyme, self.diction, self.model_choice],
            self.theme, self)
        return box

    def _job_box(self) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.cancel_button = push_button(translate("Generate", "Cancel"), self.cancel_requested)
        self.cancel_button.setShortcut("Esc")
        self.status = QLabel()
        self.status.setWordWrap(True)
        # Long messages wrap onto more lines; they never widen the dock.
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        col = QVBoxLayout()
        col.addWidget(self.progress)
        col.addWidget(self.status)
        row.addLayout(col, 1)
        row.addWidget(self.cancel_button)
        return box

    def _variations_box(self) -> QGroupBox:
        box = QGroupBox(translate("Generate", "Variations"))
        col = QVBoxLayout(box)
        self.variation_list = QListWidget()
        self.variation_list.setMaximumHeight(110)
        self.variation_list.itemDoubleClicked.connect(
            lambda _item: self.variation_auditioned.emit(self.variation_list.currentRow()))
        self.audition_button = push_button(
            translate("Generate", "Listen"),
            lambda: self._emit_row(self.variation_list, self.variation_auditioned),
            translate("Generate", "Play the selected take without changing the song"))
        self.keep_button = push_button(
            translate("Generate", "Keep this take"),
            lambda: self._emit_row(self.variation_list, self.variation_kept),
            translate("Generate", "Put the selected take in the song (undoable)"))
        col.addWidget(self.variation_list)
        col.addLayout(_row(self.audition_button, self.keep_button))
        self.set_variations([])
        return box

    def _history_box(self) -> QGroupBox:
        box = QGroupBox(translate("Generate", "History"))
        col = QVBoxLayout(box)
        self.history_list = QListWidget()
        self.history_list.setToolTip(translate(
            "Generate", "Every generation with its options and seed"))
        self.history_list.itemDoubleClicked.connect(lambda _i: self._request_restore())
        self.restore_button = push_button(
            translate("Generate", "Bring back"), self._request_restore,
            translate("Generate", "Replace the song with this earlier result (undoable)"))
        col.addWidget(self.history_list, 1)
        col.addWidget(self.restore_button)
        return box

    # -- requests ----------------------------------------------------------------------
    def music_params(self, roll_seed: bool = True) -> MusicParams:
        seed = self.music_seed.next_seed() if roll_seed else self.music_seed.spin.value()
        return MusicParams(
            bars=self.bars.value(), seed=seed,
            key=self.key.currentIndex(), mode=self.mode.currentData(),
            style=self.style.currentData(), tempo=float(self.tempo.value()),
            temperature=round(self.temperature.value(), 2),
            variations=self.variations.value(), allow_chromatic=self.chromatic.isChecked(),
            humanize=self.humanize.isChecked(), form=self.form_value(),
            chords=self.chords.text().strip())

    def lyric_params(self, roll_seed: bool = True) -> LyricParams:
        seed = self.lyric_seed.next_seed() if roll_seed else self.lyric_seed.spin.value()
        return self.zh_options.apply(LyricParams(
            theme=self.theme.text().strip(), lines=self.lines.value(),
            syllables_from_melody=self.syllables_from_melody.isChecked(),
            syllables=self.syllables.value(), rhyme=self.rhyme.currentData(),
            temperature=round(self.lyric_temperature.value(), 2),
            seed=seed, model_dir=self.model_choice.currentData() or "",
            diction=self.diction.currentData()))

    def follow_song_key(self, key: int, mode: str, tempo: float) -> None:
        """Show the song's key, mode and tempo (a new or re-keyed song): generating then
        fits what is already there unless the user picks otherwise."""
        self.key.setCurrentIndex(key % 12)
        _select(self.mode, mode)
        self.tempo.setValue(round(tempo))

    def set_music_params(self, p: MusicParams) -> None:
        self.bars.setValue(p.bars)
        self.music_seed.spin.setValue(p.seed)
        self.key.setCurrentIndex(p.key % 12)
        _select(self.mode, p.mode)
        _select(self.style, p.style)
        self.tempo.setValue(p.tempo)
        self.temperature.setValue(p.temperature)
        self.variations.setValue(p.variations)
        self.chromatic.setChecked(p.allow_chromatic)
        self.humanize.setChecked(bool(getattr(p, "humanize", True)))
        form = getattr(p, "form", "auto") or "auto"
        index = self.form_choice.findData(form)
        if index < 0:  # the user's own sequence
            index = self.form_choice.findData(CUSTOM_FORM)
            self.form_text.setText(form)
        self.form_choice.setCurrentIndex(index)
        self.chords.setText(getattr(p, "chords", ""))

    def set_lyric_params(self, p: LyricParams) -> None:
        """Show saved lyric options (a reopened project); the model folder is kept only
        while it still exists."""
        import os

        self.theme.setText(p.theme)
        self.lines.setValue(p.lines)
        self._lines_follow_melody = False  # the saved number was the user's
        self.syllables_from_melody.setChecked(p.syllables_from_melody)
        self.syllables.setValue(p.syllables)
        _select(self.rhyme, p.rhyme)
        self.lyric_temperature.setValue(p.temperature)
        _select(self.diction, p.diction if p.diction in ("modern", "poetic") else "modern")
        self.lyric_seed.spin.setValue(p.seed)
        if p.model_dir and os.path.isdir(p.model_dir):
            self.add_model_folder(p.model_dir)
        self.zh_options.show_params(p)

    def _style_changed(self, name: str) -> None:
        """A style whose usual tempo range leaves out the tempo shown brings its own tempo
        (a rock song at a lieder's 72 BPM is not what the user picked rock for)."""
        if name not in REGISTRY:
            return
        spec = get_style(name)
        lo, hi = spec.tempo_range
        if not lo <= self.tempo.value() <= hi:
            self.tempo.setValue(spec.default_tempo)

    def _request_music(self) -> None:
        params = self.music_params()
        problem = self.check_form_and_chords(params)
        if problem:
            self._say_problem(problem)
            return
        self.music_requested.emit(params)

    def _say_problem(self, problem: str) -> None:
        """A request that cannot run: the reason in red in the status line."""
        shown = html.escape(problem, quote=False)
        self.status.setText(f"<span style='color:#c62828'>{shown}</span>")

    def _request_regenerate(self) -> None:
        self.regenerate_track_requested.emit(self.role.currentData(), self.music_params())

    def _request_continue(self) -> None:
        params = self.music_params()
        params.bars = self.continue_bars.value()
        self.continue_requested.emit(params)

    def _request_lyrics(self) -> None:
        problem = self.zh_options.check() if self.zh_options.value() == "zh" else ""
        if problem:  # an unknown tune pattern: said here, nothing is written
            self._say_problem(problem)
            return
        self.lyrics_requested.emit(self.lyric_params())

    def _request_restore(self) -> None:
        row = self.history_list.currentRow()
        if 0 <= row < len(self._history_numbers):
            self.history_restore_requested.emit(self._history_numbers[row])

    def _maybe_choose_model(self, index: int) -> None:
        if self.model_choice.itemData(index) != "?":
            return
        folder = QFileDialog.getExistingDirectory(self, translate("Generate", "GPT-2 model folder"))
        if folder:
            self.add_model_folder(folder)
        else:
            self.model_choice.setCurrentIndex(0)

    def add_model_folder(self, folder: str, select: bool = True, label: str = "") -> None:
        at = self.model_choice.findData(folder)
        if at < 0:
            at = self.model_choice.count() - 1  # before translate("Generate", "Choose a folder…")
            self.model_choice.insertItem(at, label or folder, folder)
        if select:
            self.model_choice.setCurrentIndex(at)

    def set_lyrics_models(self, entries) -> None:
        """Offer the GPT-2 models found on this computer (core.lyrics.model_picker entries:
        folders and the Hugging Face cache); the current choice stays."""
        for e in entries:
            if e.source == "bundled":
                continue
            if e.usable:
                size = f", {e.params_m:g}M" if e.params_m else ""
                self.add_model_folder(str(e.path), select=False, label=f"{e.name}{size}")

    @staticmethod
    def _emit_row(widget: QListWidget, signal) -> None:
        if widget.currentRow() >= 0:
            signal.emit(widget.currentRow())

    # -- what the controller tells us ----------------------------------------------------
    def _buttons(self) -> list[QPushButton]:
        return [self.generate_music_button, self.regenerate_button, self.continue_button,
                self.generate_lyrics_button, self.restore_button, self.keep_button]

    def set_busy(self, what: str) -> None:
        for b in self._buttons():
            b.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setValue(0)
        self.progress.setRange(0, 0)  # busy until the first progress report
        self.status.setText(what)

    def set_progress(self, fraction: float, message: str) -> None:
        if self.progress.maximum() == 0:
            self.progress.setRange(0, 1000)
        self.progress.setValue(int(fraction * 1000))
        if message:
            self.status.setText(message)

    def set_idle(self, message: str = "") -> None:
        for b in self._buttons():
            b.setEnabled(True)
        several = self.variation_list.count() > 1
        self.keep_button.setEnabled(several)
        self.audition_button.setEnabled(several)
        self.cancel_button.setEnabled(False)
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        if message:
            self.status.setText(message)

    def set_melody_phrases(self, count: int) -> None:
        """Say how many lines the melody can carry (one per phrase), and ask for that many
        unless the user has chosen a number of lines."""
        self._phrases = count
        if count and self._lines_follow_melody and self.lines.value() != count:
            self._setting_lines = True
            try:
                self.lines.setValue(min(count, self.lines.maximum()))
            finally:
                self._setting_lines = False
        self._update_phrases_hint()

    def _lines_changed(self, _value: int) -> None:
        if not self._setting_lines:
            self._lines_follow_melody = False

    def _update_phrases_hint(self) -> None:
        count = getattr(self, "_phrases", None)
        if count is None:
            return
        text = (translate("Generate", "of 1 phrase") if count == 1 else
                translate("Generate", "of {count} phrases").format(count=count) if count
                else translate("Generate", "no melody yet"))
        over = bool(count) and self.lines.value() > count
        self.phrases_hint.setText(text + (" ⚠" if over else ""))
        self.phrases_hint.setStyleSheet("color: #d64545;" if over else "")
        self.phrases_hint.setToolTip(
            translate("Generate", "The melody has {count} phrases: lines beyond them are not "
                      "sung (not aligned to notes, not in the MIDI export)").format(count=count)
            if over else translate(
                "Generate", translate(
                    "Generate", "One line per melody phrase, as many syllables as the phrase has "
                                "notes")))

    @property
    def busy(self) -> bool:
        return self.cancel_button.isEnabled()

    def set_variations(self, labels: list[str], current: int = 0) -> None:
        self.variation_list.clear()
        self.variation_list.addItems(labels)
        if labels:
            self.variation_list.setCurrentRow(current)
        enabled = len(labels) > 1
        self.audition_button.setEnabled(enabled)
        self.keep_button.setEnabled(enabled)
        self.variation_list.parentWidget().setVisible(bool(labels))

    def set_history(self, entries: list[tuple[int, str]]) -> None:
        self._history_numbers = [n for n, _ in entries]
        self.history_list.clear()
        self.history_list.addItems([label for _, label in entries])
        if entries:
            self.history_list.setCurrentRow(len(entries) - 1)
