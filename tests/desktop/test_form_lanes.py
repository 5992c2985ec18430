"""The section and chord lanes above the ruler, and the Generate panel's Form and Chords,
driven through the real widgets: mouse double-clicks, typed text, the right-click menus'
actions, undo; the generation request carries the form and chords to the real sampler."""

from __future__ import annotations

import copy

import pytest
from PySide6.QtCore import QPoint, Qt

from core.model.chords import Chord, ChordEvent
from core.model.requests import MusicParams
from core.model.sections import Section
from core.model.song import Note, Song, Track
from desktop.pianoroll.commands import SongDocument
from desktop.pianoroll.editor import PianoRollEditor

BAR = 1920


def make_song() -> Song:
    song = Song(title="Form", tracks=[
        Track("Lead", role="melody", notes=[Note(0, 480, 72, 90)]),
        Track("Piano", role="harmony", channel=1, notes=[Note(0, 1920, 60, 80)]),
        Track("Bass", role="bass", channel=2, notes=[Note(0, 1920, 36, 100)]),
    ])
    song.sections = [Section("verse", 0, 4 * BAR), Section("chorus", 4 * BAR, 4 * BAR),
                     Section("verse", 8 * BAR, 4 * BAR)]
    song.chords = [ChordEvent(b * BAR, BAR, Chord(r, q))
                   for b, (r, q) in enumerate([(0, ""), (9, "m"), (5, ""), (7, "")] * 3)]
    return song


@pytest.fixture
def editor(qtbot):
    doc = SongDocument(make_song())
    ed = PianoRollEditor(doc)
    qtbot.addWidget(ed)
    ed.resize(1000, 600)
    ed.show()
    qtbot.waitExposed(ed)
    ed.mapping.px_per_tick = 60 / BAR  # one bar = 60 px: all 12 bars on screen
    ed.mapping.set_scroll(x=0)
    return ed


def bar_x(ed, bar: float) -> int:
    return round(ed.mapping.tick_to_x(bar * BAR))


def double_click(qtbot, lane, x: int) -> None:
    qtbot.mouseDClick(lane, Qt.LeftButton, pos=QPoint(x, lane.height() // 2))


def type_in(qtbot, field, text: str) -> None:
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key_Return)


def _find(menu, text: str):
    for a in menu.actions():
        if a.text() == text:
            return a
        found = _find(a.menu(), text) if a.menu() else None
        if found:
            return found
    return None


def menu_action(menu, text: str):
    found = _find(menu, text)
    assert found is not None, f"no {text!r} in the menu"
    return found


def test_lanes_sit_above_the_ruler_and_label_sections(editor):
    lanes = (editor.section_lane, editor.chord_lane, editor.ruler)
    ys = [w.mapTo(editor, QPoint(0, 0)).y() for w in lanes]
    assert ys == sorted(ys) and ys[0] < ys[1] < ys[2]
    editor.section_lane.repaint()
    assert [label for _, label in editor.section_lane.shown] == ["Verse 1", "Chorus", "Verse 2"]
    editor.chord_lane.repaint()
    assert [t for _, t in editor.chord_lane.shown][:4] == ["C", "Am", "F", "G"]


def test_lanes_follow_the_shared_mapping(editor):
    lane = editor.section_lane
    before = lane.item_rect(1).x()
    editor.mapping.set_scroll(x=240)
    assert lane.item_rect(1).x() == before - 240
    editor.mapping.zoom_x(2.0, anchor_x=0)
    assert lane.item_rect(1).x() == pytest.approx(editor.mapping.tick_to_x(4 * BAR))
    assert editor.chord_lane.item_rect(1).x() == pytest.approx(editor.mapping.tick_to_x(BAR))


def test_double_click_renames_a_section_in_one_undo_step(qtbot, editor):
    doc, lane = editor.doc, editor.section_lane
    double_click(qtbot, lane, bar_x(editor, 9))
    assert lane.editor.isVisible() and lane.editor.text() == "verse"
    type_in(qtbot, lane.editor, "bridge")
    assert not lane.editor.isVisible()
    assert [s.name for s in doc.song.sections] == ["verse", "chorus", "bridge"]
    lane.repaint()
    assert [label for _, label in lane.shown] == ["Verse", "Chorus", "Bridge"]
    doc.undo_stack.undo()
    assert [s.name for s in doc.song.sections] == ["verse", "chorus", "verse"]


def test_an_unknown_section_kind_is_said_in_the_lane(qtbot, editor):
    doc, lane = editor.doc, editor.section_lane
    before = copy.deepcopy(doc.song.sections)
    double_click(qtbot, lane, bar_x(editor, 1))
    type_in(qtbot, lane.editor, "banana")
    assert lane.message.isVisible() and "unknown section 'banana'" in lane.message.text()
    assert lane.editor.isVisible()  # still open to correct
    assert doc.song.sections == before and doc.undo_stack.count() == 0
    qtbot.keyClick(lane.editor, Qt.Key_Escape)
    assert not lane.editor.isVisible() and not lane.message.isVisible()


def test_right_click_adds_removes_and_resizes_sections(editor):
    doc, lane = editor.doc, editor.section_lane
    menu_action(lane.build_menu(bar_x(editor, 5)), "Remove Section").trigger()
    assert [s.name for s in doc.song.sections] == ["verse", "verse"]
    # The gap left behind takes a new section of the kind picked (by its title, as shown).
    menu_action(lane.build_menu(bar_x(editor, 4.5)), "Pre-chorus").trigger()
    assert [(s.name, s.start // BAR, s.duration // BAR) for s in doc.song.sections] == [
        ("verse", 0, 4), ("pre-chorus", 4, 4), ("verse", 8, 4)]
    # One bar longer eats into the next section; shorter gives the bar back as a gap.
    menu_action(lane.build_menu(bar_x(editor, 1)), "One Bar Longer").trigger()
    assert [(s.start // BAR, s.duration // BAR) for s in doc.song.sections][:2] == [(0, 5), (5, 3)]
    menu_action(lane.build_menu(bar_x(editor, 9)), "One Bar Shorter").trigger()
    assert doc.song.sections[2].duration == 3 * BAR
    assert doc.undo_stack.count() == 4
    for _ in range(4):
        doc.undo_stack.undo()
    assert doc.song.sections == make_song().sections


def test_a_section_cannot_grow_over_a_one_bar_neighbour(editor):
    doc, lane = editor.doc, editor.section_lane
    doc.song.sections[1].duration = BAR
    doc.song.sections[1].start = 4 * BAR
    doc.song.sections[0].duration = 4 * BAR
    assert not menu_action(lane.build_menu(bar_x(editor, 1)), "One Bar Longer").isEnabled()


def test_editing_a_chord_by_numeral_offers_to_regenerate_the_accompaniment(qtbot, editor):
    doc, lane = editor.doc, editor.chord_lane
    assert not editor.follow_chords_button.isVisible()
    double_click(qtbot, lane, bar_x(editor, 2.5))
    assert lane.editor.text() == "F"
    type_in(qtbot, lane.editor, "ii")  # Roman numeral in C major: Dm
    assert doc.song.chords[2].chord == Chord(2, "m")
    assert editor.follow_chords_button.isVisible()
    with qtbot.waitSignal(editor.follow_chords_requested) as sig:
        qtbot.mouseClick(editor.follow_chords_button, Qt.LeftButton)
    assert sig.args == [("harmony", "bass")]
    assert not editor.follow_chords_button.isVisible()
    double_click(qtbot, lane, bar_x(editor, 3.5))
    type_in(qtbot, lane.editor, "Bb/D")  # a name works too
    assert doc.song.chords[3].chord == Chord(10, "", 2)
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert doc.song.chords == make_song().chords


def test_a_bad_chord_symbol_is_said_inline_and_changes_nothing(qtbot, editor):
    doc, lane = editor.doc, editor.chord_lane
    double_click(qtbot, lane, bar_x(editor, 0.5))
    type_in(qtbot, lane.editor, "H7")
    assert lane.message.isVisible() and "H7" in lane.message.text()
    assert doc.song.chords == make_song().chords and doc.undo_stack.count() == 0
    assert not editor.follow_chords_button.isVisible()


def test_roman_numeral_display(editor):
    lane = editor.chord_lane
    menu_action(lane.build_menu(bar_x(editor, 1)), "Show Roman Numerals").trigger()
    lane.repaint()
    assert [t for _, t in lane.shown][:4] == ["I", "vi", "IV", "V"]


# -- the Generate panel's Form and Chords --------------------------------------------------
@pytest.fixture
def panel(qtbot):
    from desktop.panels.generate_panel import GeneratePanel

    p = GeneratePanel()
    qtbot.addWidget(p)
    p.show()
    return p


def test_form_choice_and_chords_travel_in_the_request(qtbot, panel):
    assert panel.music_params().form == "auto" and panel.bars.isEnabled()
    panel.form_choice.setCurrentIndex(panel.form_choice.findData("AABA"))
    assert not panel.bars.isEnabled() and not panel.form_text.isVisible()
    panel.chords.setText("I vi IV V")
    with qtbot.waitSignal(panel.music_requested) as sig:
        qtbot.mouseClick(panel.generate_music_button, Qt.LeftButton)
    params = sig.args[0]
    assert (params.form, params.chords, params.form_bars) == ("AABA", "I vi IV V", None)
    panel.form_choice.setCurrentIndex(panel.form_choice.findData("custom"))
    assert panel.form_text.isVisible()
    panel.form_text.setText("intro verse:4 chorus outro")
    assert panel.music_params().form == "intro verse:4 chorus outro"
    panel.set_music_params(MusicParams(form="verse-chorus", chords="C G"))
    assert panel.form_choice.currentData() == "verse-chorus" and panel.chords.text() == "C G"
    panel.set_music_params(MusicParams(form="A B A"))
    assert panel.form_choice.currentData() == "custom" and panel.form_text.text() == "A B A"


@pytest.mark.parametrize("form, chords, said", [
    ("custom:intro versus", "", "unknown section 'versus'"),
    ("auto", "C Am H7", "H7"),
    ("auto", "C F#", "F#"),  # outside C major with chromatic notes off
])
def test_bad_form_or_chords_are_one_line_and_nothing_is_asked(qtbot, panel, form, chords,
                                                              said):
    if form.startswith("custom:"):
        panel.form_choice.setCurrentIndex(panel.form_choice.findData("custom"))
        panel.form_text.setText(form.split(":", 1)[1])
    panel.chords.setText(chords)
    asked = []
    panel.music_requested.connect(asked.append)
    qtbot.mouseClick(panel.generate_music_button, Qt.LeftButton)
    assert not asked and said in panel.status.text()


def test_the_request_generates_that_form_over_those_chords_and_follow_keeps_the_melody():
    from desktop.runtime import generation_jobs as jobs

    params = MusicParams(form="AABA", chords="I vi IV V", seed=3, key=7)
    song = jobs.generate_music(params)[0]
    assert [s.name for s in song.sections] == ["A", "A", "B", "A"]
    assert song.bar_count() == 32
    assert [e.chord.roman(7, "major") for e in song.chords][:4] == ["I", "vi", "IV", "V"]
    # A chord edited, then harmony and bass follow it; the melody is kept note for note.
    song.chords[1].chord = Chord(0, "")  # IV in G
    melody = copy.deepcopy(song.melody_track().notes)
    out = jobs.regenerate_tracks(song, ("harmony", "bass"), MusicParams(seed=9, key=7))
    assert out.melody_track().notes == melody
    assert out.track_by_role("bass").notes != song.track_by_role("bass").notes


def test_follow_the_chords_in_the_app_rewrites_harmony_and_bass_in_one_undo_step(qtbot):
    from generation_helpers import make_window, run_job

    from desktop.runtime import generation_jobs as jobs

    song = jobs.generate_music(MusicParams(form="verse-chorus", chords="I vi IV V", seed=5))[0]
    window = make_window(qtbot, song)
    controller, roll = window.generation, window.editor
    melody = copy.deepcopy(window.doc.song.melody_track().notes)
    bass = copy.deepcopy(window.doc.song.track_by_role("bass").notes)
    roll.chord_lane.apply_text(0, "IV")  # what typing "IV" + Enter in the lane does
    assert roll.follow_chords_button.isVisibleTo(roll)
    steps = window.doc.undo_stack.count()
    name, delivered = run_job(qtbot, controller, lambda: (
        roll.follow_chords_button.click(), controller.job)[1])
    assert delivered and name == "Follow the chords"
    now = window.doc.song
    assert now.melody_track().notes == melody and now.track_by_role("bass").notes != bass
    assert now.chords[0].chord == Chord(5, "")  # the edited chord stays
    assert window.doc.undo_stack.count() == steps + 1
    assert not roll.follow_chords_button.isVisibleTo(roll)


def test_a_new_song_closes_an_open_field(qtbot, editor):
    lane = editor.chord_lane
    double_click(qtbot, lane, bar_x(editor, 0.5))
    assert lane.editor.isVisible()
    editor.doc.reset(Song())
    assert not lane.editor.isVisible() and lane.editing is None
