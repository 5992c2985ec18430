"""Whole songs with a form: the GAN writes each distinct section under its chords, repeats
reuse that material, and the shaping rules make the cadences land (numpy only).

``compose`` is what ``MusicGenerator.generate`` runs unless it is asked for the raw
network (``form=None``). The steps, each for what a songwriter must hear:

1. the plan (core/music/form.py): sections, 2- and 4-bar phrases, cadences, which section
   repeats which, and the chords: the user's, or drawn from the style's own songs;
2. each section heard for the first time is written by the network, phrase after phrase,
   with its chords as a pitch bonus (chord tones favoured, strongly on beats 1 and 3 and
   for the bass where a chord begins) and the key mask as before; a chorus repeats
   within itself (its later phrases begin as its first, ending anew);
3. a repeated section copies its first occurrence: whole (a chorus), or with the same
   rhythm and new pitches, or with a new ending (the network's second draw for it);
4. the shaping rules (core/music/shaping.py): chord tones, bars filled where the style's
   songs play, no note longer than a bar, cadences, breaths, the held final chord.

Settings per style come from the model folder (``sampler.json``, "compose"; see
core/music/settings.py); the chords come from ``chord_tables.json``.
"""

from __future__ import annotations

import copy

import numpy as np

from core.errors import SongloomError
from core.model.chords import Chord
from core.model.pianoroll import (
    BAR_STEPS,
    N_PITCHES,
    N_TRACKS,
    PHRASE_BARS,
    TRACK_ROLES,
    roll_to_song,
)
from core.model.sections import MAX_SECTION_BARS, auto_form, parse_form
from core.model.song import Song
from core.music import numpy_net as net
from core.music import shaping
from core.music.form import (
    SongPlan,
    assign_chords,
    parse_chord_spec,
    plan_from_song,
    plan_structure,
)

_PC = (np.arange(N_PITCHES) + 24) % 12


def chord_bonus(beat_chords: list[Chord], weights: dict, registers: np.ndarray | None = None
                ) -> np.ndarray:
    """(tracks, steps, 84) log-probability bonus for chord tones: melody on strong beats
    (1 and 3) and weak ones, harmony, bass (and the chord's bass note where it begins).
    ``registers`` (tracks, 84) bool: the rows each part sings in; the bonus stays there,
    or a bass root two octaves down would outbid the part's range profile."""
    steps = len(beat_chords) * 4
    out = np.zeros((N_TRACKS, steps, N_PITCHES))
    w = {k: float(weights.get(k, 0.0)) for k in
         ("melody_strong", "melody_weak", "harmony", "bass", "bass_root")}
    for b, c in enumerate(beat_chords):
        tones = np.isin(_PC, c.pitch_classes)
        sl = slice(b * 4, b * 4 + 4)
        out[0, sl, tones] += w["melody_strong"] if b % 2 == 0 else w["melody_weak"]
        out[1, sl, tones] += w["harmony"]
        out[2, sl, tones] += w["bass"]
        if b % 4 == 0 or c != beat_chords[b - 1]:
            out[2, sl, _PC == c.bass_pc] += w["bass_root"]
    if registers is not None:
        out *= registers[:, None, :]
    return out


def lift_choruses(bonus: np.ndarray, plan: SongPlan, lift: float, centre: int) -> None:
    """A chorus sung higher than the verses: in its bars the melody's pitch bonus rises by
    ``lift`` (log-probability) an octave above the melody's register ``centre`` row and
    falls as much an octave below, so the network's choice leans upwards there."""
    if not lift:
        return
    tilt = lift * (np.arange(N_PITCHES) - centre) / 12.0
    for s in plan.sections:
        if s.kind == "chorus":
            bonus[0, s.start_bar * BAR_STEPS:s.end_bar * BAR_STEPS] += tilt


def register_rows(gen, style: str, within: float = 3.0) -> np.ndarray | None:
    """(tracks, 84) bool: rows whose range-profile log-probability is within ``within``
    of the part's most likely row (about the middle 95 % of where the part sounds)."""
    if gen.priors is None:
        return None
    reg = gen.priors.register[style]
    return reg >= reg.max(axis=1, keepdims=True) - within


def form_bars(bars: int | None, form: str | None) -> int:
    """The song's length in bars: the form's, or ``bars`` for an automatic form."""
    return sum(n for _, n in _form(bars, form))


def _form(bars: int | None, form: str | None) -> list[tuple[str, int]]:
    if form in (None, "", "auto"):
        if bars is None:
            raise SongloomError("give the song's length (bars) or a form")
        return auto_form(bars)
    spec = parse_form(form)
    total = sum(n for _, n in spec)
    if bars is not None and bars != total:
        raise SongloomError(f"the form {form!r} lasts {total} bars, not {bars}; leave the "
                            "length out or change the form")
    return spec


class _Writer:
    """Network draws for one song: latents per section, each draw a fresh variation."""

    def __init__(self, gen, seed, variation, cond, mask, temperature, style, cancel):
        self.gen, self.seed, self.variation = gen, seed, variation
        self.cond, self.mask, self.temperature, self.style = cond, mask, temperature, style
        self.cancel = cancel

    def draw(self, tag: int, bars: int, context: np.ndarray, bonus: np.ndarray) -> np.ndarray:
        """(3, 2, bars*16, 84) from the network, seeded by the song and ``tag``: the best
        of the generator's candidate latents, judged by the critic on the first phrase
        (as MusicGenerator.generate does, but the candidates decoded as one batch), then
        the section's later phrases, each seeing the bar before it."""
        g = self.gen
        var = 1000 * (self.variation + 1) + tag  # song variations and sections never share
        phrases = -(-bars // PHRASE_BARS)
        span = PHRASE_BARS * BAR_STEPS
        bonus = _pad(bonus, phrases * span)
        k = max(1, g.candidates if g.critic is not None else 1)
        draws = [g._latents(self.seed, var, phrases * PHRASE_BARS, c) for c in range(k)]
        batch = [np.concatenate(parts) for parts in zip(*draws, strict=True)]
        noise = np.random.default_rng(np.random.SeedSequence([self.seed, var, 1]))
        cond = np.repeat(self.cond, k, axis=0)
        with net.single_blas_thread():
            first = g._phrase(batch, 0, cond, np.repeat(context, k, axis=0), noise,
                              self.temperature, self.mask, style=self.style,
                              pitch_bonus=bonus[None, :, :span])
            best = 0
            if k > 1:
                before = np.zeros_like(first[:, :, :, :BAR_STEPS])
                before[:, :, 0] = np.repeat(context, k, axis=0) > 0
                window = np.concatenate([before, first], axis=3).astype(np.float32)
                best = int(np.argmax(net.critic_score(g.critic, window, cond)))
        out = np.zeros((N_TRACKS, 2, phrases * span, N_PITCHES), np.uint8)
        out[:, :, :span] = first[best]
        latents = draws[best]
        for p in range(1, phrases):
            self.cancel.check()
            ctx = out[None, :, 0, p * span - BAR_STEPS:p * span].astype(np.float32)
            with net.single_blas_thread():
                out[:, :, p * span:(p + 1) * span] = g._phrase(
                    latents, p, self.cond, ctx, noise, self.temperature, self.mask,
                    style=self.style, pitch_bonus=bonus[None, :, p * span:(p + 1) * span])[0]
        return _mark_onsets(out[:, :, :bars * BAR_STEPS])


def _mark_onsets(roll: np.ndarray) -> np.ndarray:
    """Flag every note's first step in the onset map (the decoder flags re-strikes only),
    so a copied section keeps its first notes even after a note of the same pitch."""
    start = roll[:, 0].astype(bool)
    start[:, 1:] &= ~roll[:, 0, :-1].astype(bool)
    roll[:, 1] |= start.astype(roll.dtype)
    return roll


def _pad(bonus: np.ndarray, steps: int) -> np.ndarray:
    out = np.zeros((bonus.shape[0], steps, bonus.shape[2]))
    out[:, :min(steps, bonus.shape[1])] = bonus[:, :steps]
    return out


def write_material(gen, plan: SongPlan, writer: _Writer, bonus: np.ndarray, progress) -> np.ndarray:
    """The whole song's roll before shaping: new sections drawn, repeats copied/varied."""
    steps = plan.bars * BAR_STEPS
    roll = np.zeros((N_TRACKS, 2, steps, N_PITCHES), np.uint8)
    for i, sec in enumerate(plan.sections):
        writer.cancel.check()
        lo, hi = sec.start_bar * BAR_STEPS, sec.end_bar * BAR_STEPS
        context = (roll[None, :, 0, lo - BAR_STEPS:lo].astype(np.float32) if lo else
                   np.zeros((1, N_TRACKS, BAR_STEPS, N_PITCHES), np.float32))
        if sec.source is None:
            roll[..., lo:hi, :] = writer.draw(2 * i, sec.bars, context, bonus[:, lo:hi])
            if sec.inner_repeat:
                first = sec.phrases[0]
                for ph in sec.phrases[1:]:
                    if ph.bars == first.bars and ph.bars > 2:  # same opening, own ending
                        n = (ph.bars - 2) * BAR_STEPS
                        a, b = first.start_bar * BAR_STEPS, ph.start_bar * BAR_STEPS
                        roll[..., b:b + n, :] = roll[..., a:a + n, :]
        else:
            src = plan.sections[sec.source]
            roll[..., lo:hi, :] = roll[..., src.start_bar * BAR_STEPS:src.end_bar * BAR_STEPS, :]
            if sec.variation in ("rhythm", "ending"):
                alt = writer.draw(2 * i + 1, sec.bars, context, bonus[:, lo:hi])
                if sec.variation == "rhythm":  # every part: its rhythm, the new draw's notes
                    for t in range(N_TRACKS):
                        roll[t, :, lo:hi] = _same_rhythm_new_pitches(
                            roll[t, :, lo:hi], alt[t], melody=t == 0, allowed=writer.mask)
                else:
                    tail = min(2, sec.phrases[-1].bars) * BAR_STEPS
                    roll[0, :, hi - tail:hi] = alt[0, :, -tail:]
        progress((i + 1) / len(plan.sections), f"section {i + 1} of {len(plan.sections)}")
    return roll


def _same_rhythm_new_pitches(track: np.ndarray, alt: np.ndarray, melody: bool = False,
                             allowed: np.ndarray | None = None) -> np.ndarray:
    """A part's notes with their times kept and their pitches taken from ``alt`` (the
    network's other draw over the same chords). Accompaniment: at each onset, the notes
    sounding in ``alt`` there (else at its nearest onset), lowest to lowest, so a chord
    stays a chord. Melody: the pitch of ``alt``'s nearest note start; where that would
    repeat the previous pitch though the original moved, the original's step is kept
    instead (taking what ``alt`` holds gave a verse of ten C5s in a row)."""
    notes = shaping.roll_to_notes(track[None])[0]
    other = shaping.roll_to_notes(alt[None])[0]
    if not notes or not other:
        return track
    starts = np.array([a for a, _, _ in other])
    by_onset: dict[int, list[list[int]]] = {}
    for n in notes:
        by_onset.setdefault(n[0], []).append(n)
    out = []
    prev_old = prev_new = None
    for s0, group in sorted(by_onset.items()):
        if melody:
            s, e, old = max(group, key=lambda n: n[2])
            new = other[int(np.argmin(np.abs(starts - s0) * 2 + (starts > s0)))][2]
            if prev_new is not None and new == prev_new and old != prev_old:
                new = max(0, min(N_PITCHES - 1, prev_new + old - prev_old))
                if allowed is not None and not allowed[new]:  # the key's nearest step
                    new += 1 if old > prev_old else -1
                    new = max(0, min(N_PITCHES - 1, new))
            out.append([s, e, new])
            prev_old, prev_new = old, new
            continue
        here = sorted(q for a, b, q in other if a <= s0 < b)
        if not here:
            near = starts[int(np.argmin(np.abs(starts - s0)))]
            here = sorted(q for a, _, q in other if a == near)
        group.sort(key=lambda n: n[2])
        for i, (s, e, _) in enumerate(group):
            out.append([s, e, here[min(i * len(here) // len(group), len(here) - 1)]])
    return shaping.notes_to_roll([out], track.shape[1])[0]


def shape_song(roll: np.ndarray, plan: SongPlan, tonic: int, allowed, seed: int,
               settings: dict, registers: tuple[int, int, int], tracks_to_shape=(0, 1, 2)
               ) -> np.ndarray:
    """The shaping rules over the whole song (core/music/shaping.py), for the tracks in
    ``tracks_to_shape`` (the others stay exactly as they are). Every choice a rule draws
    is seeded by the section's material, so an exact repeat is shaped exactly alike."""
    steps = roll.shape[2]
    tracks = shaping.roll_to_notes(roll)
    kept = [list(map(list, t)) for t in tracks]
    chords = plan.beat_chords
    bounds = [s.start_bar * BAR_STEPS for s in plan.sections[1:]]
    tracks = [shaping.split_long_notes(shaping.cut_at(t, bounds)) for t in tracks]
    for t in (shaping.HARMONY, shaping.BASS):
        tracks[t] = shaping.split_at_chord_changes(tracks[t], chords, steps)
    shaping.conform(tracks, chords, allowed, tuple(bounds))
    instrumental = set(settings.get("instrumental_sections", []))
    sung = [s for s in plan.sections if s.kind not in instrumental] or plan.sections
    silent = [s for s in plan.sections if s not in sung]
    for s in silent:  # an instrumental intro or outro: the voice waits
        lo, hi = s.start_bar * BAR_STEPS, s.end_bar * BAR_STEPS
        tracks[0] = [n for n in tracks[0] if not lo <= n[0] < hi]
    fill = settings.get("fill_tracks", [False, False, False])
    thin = [int(x) for x in settings.get("fill_min_steps", [1, 1, 1])]
    cadence_bars = {p.end_bar - 1 for p in plan.phrases()}
    for s in plan.sections:
        own = set(range(s.start_bar, s.end_bar))
        if fill[0] and s in sung:
            bars = [b for b in range(s.start_bar, s.end_bar) if b not in cadence_bars]
            tracks[0] = shaping.fill_empty_bars(tracks[0], bars, chords, allowed, registers[0],
                                                donors_first=own, min_steps=thin[0])
        for t in (1, 2):
            if fill[t]:
                tracks[t] = shaping.fill_empty_bars(tracks[t], sorted(own), chords, allowed,
                                                    registers[t], whole_chord=t == 1,
                                                    donors_first=own, min_steps=thin[t])
    share = float(settings.get("melody_diminution", 0.0))
    for i, s in enumerate(plan.sections):  # before the restated openings: they copy it
        material = s.source if s.source is not None else i
        for j, ph in enumerate(s.phrases if s in sung else []):
            rng = np.random.default_rng(np.random.SeedSequence([seed, material, j, 17]))
            tracks[0] = shaping.diminish(tracks[0], list(range(ph.start_bar, ph.end_bar - 1)),
                                         chords, allowed, rng, share)
    _restate_openings(tracks, plan)
    figure = float(settings.get("accompaniment_figure_share", 0.0))
    for i, s in enumerate(plan.sections):
        material = s.source if s.source is not None else i
        for j, ph in enumerate(s.phrases):
            rng = np.random.default_rng(np.random.SeedSequence([seed, material, j, 15]))
            bars = list(range(ph.start_bar, ph.end_bar - 1))
            for t in (1, 2):
                tracks[t] = shaping.keep_figure(tracks[t], bars, chords, allowed, rng, figure)
    leap = int(settings.get("bass_max_leap", 0))
    smoothed = []
    for s in plan.sections:  # section by section: a repeat is smoothed as its first time
        lo, hi = s.start_bar * BAR_STEPS, s.end_bar * BAR_STEPS
        smoothed += shaping.smooth_bass([n for n in tracks[2] if lo <= n[0] < hi], leap, allowed)
    tracks[2] = sorted(smoothed)
    shaping.conform(tracks, chords, allowed, tuple(bounds))  # the filled bars too
    last_sung = sung[-1].phrases[-1] if sung else None
    for i, s in enumerate(plan.sections):
        material = s.source if s.source is not None else i
        for j, ph in enumerate(s.phrases):
            bar = ph.end_bar - 1
            nxt = ph.end_bar * BAR_STEPS if ph.end_bar < plan.bars else None
            rng = np.random.default_rng(np.random.SeedSequence([seed, material, j, 13]))
            before = [list(n) for n in tracks[0]] if s in silent else None
            # The song's last sung note is the tonic, even when an instrumental outro follows.
            shaping.cadence(tracks, bar, ph.cadence, plan.chord_at(bar), tonic, allowed, rng,
                            settings, nxt, melody_on_tonic=ph is last_sung)
            if before is not None:
                tracks[0] = before
    tracks[0] = shaping.melody_monophonic(tracks[0])
    if settings.get("resolve_dissonances", False):
        tracks[0] = shaping.resolve_dissonances(tracks[0], chords, allowed)
    out = [tracks[t] if t in tracks_to_shape else kept[t] for t in range(N_TRACKS)]
    return shaping.notes_to_roll(out, steps)


def _restate_openings(tracks, plan: SongPlan) -> None:
    """A chorus's later phrases open with its first phrase's opening as it now sounds
    (the fills may have changed both, each from its own neighbours)."""
    for s in plan.sections:
        repeats_within = s.inner_repeat or (s.source is not None
                                            and plan.sections[s.source].inner_repeat)
        if not repeats_within:  # (a returning chorus repeats within itself as it did)
            continue
        first = s.phrases[0]
        n = (first.bars - 2) * BAR_STEPS
        a = first.start_bar * BAR_STEPS
        for ph in s.phrases[1:]:
            if ph.bars != first.bars or ph.bars <= 2:
                continue
            b = ph.start_bar * BAR_STEPS
            for t in range(N_TRACKS):
                keep = [x for x in tracks[t] if not b <= x[0] < b + n]
                for x in keep:
                    if x[0] < b < x[1]:
                        x[1] = b
                copied = [[x[0] - a + b, min(x[1] - a + b, b + n), x[2]] for x in tracks[t]
                          if a <= x[0] < a + n]
                tracks[t] = sorted(x for x in keep + copied if x[1] > x[0])


def compose(gen, bars: int | None = None, form: str | None = None, chords: str | None = None,
            seed: int = 0, key: int = 0, mode: str = "major", style: str = "lieder",
            temperature: float = 1.0, allow_chromatic: bool = False, variation: int = 0,
            tempo: float = 96.0, title: str = "", progress=None, cancel=None,
            arrangement: str | None = None) -> Song:
    """A song with a form: see the module docstring. ``key`` is a pitch class and
    ``mode`` "major" or "minor" (already checked by the caller); ``arrangement``: the
    arrangement style written for (its settings, its chord table)."""
    from core.jobs import NEVER_CANCELLED, no_progress
    from core.music.song_rolls import key_mask

    progress, cancel = progress or no_progress, cancel or NEVER_CANCELLED
    spec = _form(bars, form)
    if any(n > MAX_SECTION_BARS for _, n in spec):  # auto forms of very long songs
        spec = [(k, n) for k, total in spec for n in _chunks(total)]
    settings = gen.compose_settings(style, arrangement)
    rng = np.random.default_rng(np.random.SeedSequence([seed, variation, 11]))
    plan = plan_structure(spec, rng, settings)
    user = parse_chord_spec(chords, key, mode) if chords else None
    assign_chords(plan, key, mode, table_style(gen, style, settings), rng, gen.chord_tables,
                  user, allow_chromatic)
    mask = None if allow_chromatic else key_mask(key, mode)
    bonus = chord_bonus(plan.beat_chords, settings.get("chord_weight", {}),
                        register_rows(gen, style))
    lift_choruses(bonus, plan, float(settings.get("chorus_lift", 0.0)), registers(gen, style)[0])
    cond = gen.condition(style, key, int(mode == "minor"))
    writer = _Writer(gen, seed, variation, cond, mask, temperature, style, cancel)
    roll = write_material(gen, plan, writer, bonus, progress)
    roll = shape_song(roll, plan, key, mask, seed, settings, registers(gen, style))
    song = roll_to_song(roll, key, mode, tempo, style, title or "Generated")
    tpb = song.ticks_per_bar()
    song.sections = plan.song_sections(tpb)
    song.chords = plan.chord_events(tpb)
    return song


def table_style(gen, style: str, settings: dict) -> str:
    """Whose progressions the song draws: the settings' ``chord_table`` where the model's
    chord tables have it (a model folder from before the pop table: the style's own)."""
    name = settings.get("chord_table") or style
    tables = gen.chord_tables
    return name if tables is not None and name in tables.styles else style


def _chunks(total: int) -> list[int]:
    out = []
    while total > 0:
        out.append(min(MAX_SECTION_BARS, total))
        total -= out[-1]
    return out


def registers(gen, style: str) -> tuple[int, int, int]:
    """Each part's most likely pitch row (its register) from the model's pitch priors."""
    if gen.priors is None:
        return (48, 40, 24)
    reg = gen.priors.register[style]
    return tuple(int(np.argmax(reg[t])) for t in range(N_TRACKS))  # type: ignore[return-value]


def regenerate_track(gen, song: Song, role: str, seed: int, temperature: float = 1.0,
                     style: str = "lieder", allow_chromatic: bool = False,
                     progress=None, cancel=None, arrangement: str | None = None) -> Song:
    """A new ``role`` track over the song's chords and form, the other tracks kept note for
    note: the network writes it with the chords as its pitch bonus, the shaping rules end
    its phrases. A song without chords is regenerated as before (the network alone)."""
    if not song.chords:
        return gen.regenerate_track(song, role, seed, temperature, style, allow_chromatic,
                                    progress=progress, cancel=cancel)
    from core.music.song_rolls import key_mask

    plan = plan_from_song(song)
    settings = gen.compose_settings(style, arrangement)
    bonus = chord_bonus(plan.beat_chords, settings.get("chord_weight", {}),
                        register_rows(gen, style))
    lift_choruses(bonus, plan, float(settings.get("chorus_lift", 0.0)), registers(gen, style)[0])
    out = gen.regenerate_track(song, role, seed, temperature, style, allow_chromatic,
                               progress=progress, cancel=cancel, pitch_bonus=bonus)
    from core.model.pianoroll import song_to_roll

    mask = None if allow_chromatic else key_mask(song.key, song.mode)
    t = TRACK_ROLES.index(role)
    roll = song_to_roll(out, plan.bars)
    shaped = shape_song(roll, plan, song.key, mask, seed, settings, registers(gen, style), (t,))
    result = copy.deepcopy(out)
    from core.music.song_rolls import ensure_track, roll_track_notes

    ensure_track(result, role, t, style).notes = roll_track_notes(shaped[t], 0)
    return result


def set_chords(song: Song, text: str, allow_chromatic: bool = False) -> Song:
    """A copy of ``song`` with the chords typed in ``text`` (as --chords: one progression,
    or one per section kind) laid over its sections; sections the text does not name keep
    their chords. One clear error when a progression does not fit its section."""
    from core.model.chords import check_in_key
    from core.music.form import BEATS_PER_BAR, tile_progression

    plan = plan_from_song(song)
    user = parse_chord_spec(text, song.key, song.mode)
    for bars in user.values():
        check_in_key(bars, song.key, song.mode, allow_chromatic)
    beats = list(plan.beat_chords) or [Chord(song.key, "" if song.mode == "major" else "m")] * (
        plan.bars * BEATS_PER_BAR)
    for sec in plan.sections:
        prog = user.get(sec.kind, user.get("*"))
        if prog is None:
            continue
        if sec.bars % len(prog):
            raise SongloomError(f"progression of {len(prog)} bars does not fit the {sec.bars}-bar "
                                f"{sec.kind} (use a progression whose length divides {sec.bars})")
        lo = sec.start_bar * BEATS_PER_BAR
        beats[lo:lo + sec.bars * BEATS_PER_BAR] = tile_progression(prog, sec.bars)
    plan.beat_chords = beats
    out = copy.deepcopy(song)
    out.chords = plan.chord_events(song.ticks_per_bar())
    return out
