"""The pop style's training side: POP909 songs read from synthetic folders in the
dataset's layout (the real corpus is not needed), the piano split into harmony and bass,
keys and chords from the annotations, a third style slot in the network, warm start
from a two-style model, and the accelerate-driven loop."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from core.errors import ModelError
from core.io import smf
from core.model.chords import Chord
from core.music import weights
from core.training import music_data as gdata
from core.training import pop909_data as pop
from core.training.music_train import phrase_weights

BEAT_S = 0.5  # 120 BPM, the file's default tempo: one beat = 480 ticks = 0.5 s


def _track(name: str, notes: list[tuple[float, float, int]]) -> bytes:
    events = [(0, 0, smf.meta_event(smf.META_TRACK_NAME, name.encode()))]
    for start, end, pitch in notes:  # beats
        events.append((round(start * 480), 2, bytes((0x90, pitch, 80))))
        events.append((round(end * 480), 1, bytes((0x80, pitch, 0))))
    return smf.encode_track(events, max(round(e * 480) for _, e, _ in notes))


def make_song(root: Path, number: str = "001", bars: int = 8, offset_beats: float = 1.0,
              key: str = "G:maj") -> Path:
    """A POP909-style folder: a one-beat pickup, then ``bars`` 4/4 bars of a melody in
    quarter notes and a piano playing a held bass note under a left-hand arpeggio and a
    right-hand chord on beats 2 and 4 (I-vi-IV-V in G)."""
    folder = root / "pop909" / "POP909" / number
    folder.mkdir(parents=True)
    roots = [43, 40, 36, 38]  # G2 E2 C2 D2
    melody, piano = [], []
    for b in range(bars):
        t0 = offset_beats + 4 * b
        r = roots[b % 4]
        melody += [(t0 + k, t0 + k + 1, 67 + 2 * k) for k in range(4)]
        piano.append((t0, t0 + 4, r))  # held bass note
        piano.append((t0 + 1, t0 + 2, r + 7))  # arpeggio over it: harmony
        piano += [(t0 + 1, t0 + 2, p) for p in (r + 28, r + 31, r + 36)]
        piano += [(t0 + 3, t0 + 4, p) for p in (r + 28, r + 31, r + 36)]
    data = smf.encode_smf([_track("MELODY", melody), _track("BRIDGE", [(1, 2, 100)]),
                           _track("PIANO", piano)], 480)
    (folder / f"{number}.mid").write_bytes(data)
    beats = [f"{i * BEAT_S} {1.0 if i % 2 == 0 else 0.0} "
             f"{1.0 if i >= offset_beats and (i - offset_beats) % 4 == 0 else 0.0}"
             for i in range(int(offset_beats) + 4 * bars + 1)]
    (folder / "beat_midi.txt").write_text("\n".join(beats) + "\n")
    names = ["G:maj", "E:min", "C:maj/3", "D:7"]
    chords = [f"{(offset_beats + 4 * b) * BEAT_S}\t{(offset_beats + 4 * b + 4) * BEAT_S}\t"
              f"{names[b % 4]}" for b in range(bars)]
    (folder / "chord_midi.txt").write_text("0.0\t0.5\tN\n" + "\n".join(chords) + "\n")
    (folder / "key_audio.txt").write_text(f"0.3\t{bars * 2 + 1}\t{key}\n")
    return folder


def test_labels_read_as_keys_and_chords():
    assert pop.parse_key_label("Gb:maj") == (6, "major")
    assert pop.parse_key_label("C#:min") == (1, "minor")
    assert pop.parse_chord_label("F#:min7/b7") == Chord(6, "m7", 4)
    assert pop.parse_chord_label("C:maj/3") == Chord(0, "", 4)
    assert pop.parse_chord_label("A:hdim7") == Chord(9, "m7b5")
    assert pop.parse_chord_label("N") is None and pop.parse_chord_label("X:weird") is None


def test_a_pop909_song_becomes_melody_harmony_and_bass_on_its_beats(tmp_path):
    folder = make_song(tmp_path)
    song = pop.parse_pop909_song(folder, heldout=False)
    assert song is not None and song.style == "pop"
    # Downbeats start after the one-beat pickup: bar lines at steps 4, 20, ...
    assert song.bar_starts.tolist() == [4 + 16 * b for b in range(8)]
    melody = song.notes[song.notes[:, 0] == 0]
    assert melody[:4, 1].tolist() == [4, 8, 12, 16] and melody[:4, 3].tolist() == [67, 69, 71, 73]
    bass = song.notes[song.notes[:, 0] == 2]
    harmony = song.notes[song.notes[:, 0] == 1]
    # The held root is the bass (one per bar, whole bar); the fifth struck over it is not.
    assert bass[:4, 3].tolist() == [43, 40, 36, 38] and (bass[:, 2] - bass[:, 1] == 16).all()
    assert 50 in harmony[:, 3] and 100 not in song.notes[:, 3]  # BRIDGE left out
    assert song.keys.tolist() == [[round(0.3 / BEAT_S * 4), 7, 0]]


def test_pop_phrases_take_the_annotated_key_and_a_style_index(tmp_path):
    song = pop.parse_pop909_song(make_song(tmp_path, key="E:min"), heldout=False)
    gdata.save_parsed(song, tmp_path / "cache")
    back = gdata.load_cached_songs(tmp_path / "cache")[0]
    assert np.array_equal(back.keys, song.keys)
    phrases = gdata.build_phrases([back], 1, ("lieder", "chorale", "pop"))
    assert len(phrases) == 5  # 8 bars: phrases starting at bars 0..4
    # The notes are in G major, the annotation says E minor: the annotation wins.
    assert set(phrases.key.tolist()) == {4} and set(phrases.minor.tolist()) == {1}
    assert set(phrases.style.tolist()) == {2}


def test_chord_slots_follow_the_annotation_per_half_bar(tmp_path):
    folder = make_song(tmp_path)
    song = pop.parse_pop909_song(folder, heldout=False)
    slots = pop.chord_slots(folder, song.keys, song.bar_starts)
    assert len(slots) == 2 * len(song.bar_starts)
    romans = [s[2].roman(s[0], s[1]) for s in slots[:8]]
    assert romans == ["I", "I", "vi", "vi", "IV6", "IV6", "V7", "V7"]


def test_unusable_folders_are_skipped_not_fatal(tmp_path):
    folder = make_song(tmp_path)
    (folder / "beat_midi.txt").write_text("garbage\n")
    assert pop.parse_pop909_song(folder, heldout=False) is None
    assert pop.parse_pop909(tmp_path, tmp_path / "cache", log=lambda m: None) == 0


def test_piano_split_takes_the_lowest_sounding_note_below_middle_c():
    piano = np.asarray([[0, 16, 40, ], [4, 8, 47], [0, 4, 64], [8, 12, 50], [12, 16, 62]])
    # 40 held: the bass; 47 struck over it: harmony; 50 struck over 40 too: harmony;
    # 62 is above the split even though nothing lower sounds at its onset... 40 still does.
    assert pop.split_piano(piano).tolist() == [True, False, False, False, False]
    alone = np.asarray([[0, 4, 45], [4, 8, 52], [4, 8, 52]])
    assert pop.split_piano(alone).tolist() == [True, True, False]  # one bass per pitch


def test_batch_shares_per_style():
    style = np.asarray([0] * 70 + [1] * 10 + [2] * 920)
    p = phrase_weights(style, {2: 0.34})
    assert p[style == 2].sum() == pytest.approx(0.34)
    # Lieder and chorales keep their natural 7:1 proportion in the rest.
    assert p[style == 0].sum() / p[style == 1].sum() == pytest.approx(7.0)
    assert phrase_weights(style, {}) is None


def test_configs_name_their_styles_and_old_ones_get_the_two(tmp_path):
    base = {"z_dim": 8, "ctx_dim": 8, "g_channels": 16, "d_channels": 8, "d_hidden": 16}
    (tmp_path / "config.json").write_text(json.dumps(base))
    assert weights.read_config(tmp_path)["styles"] == ("lieder", "chorale")
    three = weights.generator_shapes(base | {"styles": ("lieder", "chorale", "pop")})
    assert three["bars.0.fc.weight"][1] == weights.generator_shapes(base)["bars.0.fc.weight"][1] + 1
    for bad in ([], "pop", ["pop", "pop"], [1]):
        (tmp_path / "config.json").write_text(json.dumps(base | {"styles": bad}))
        with pytest.raises(ModelError, match="styles"):
            weights.read_config(tmp_path)


torch = pytest.importorskip("torch")


def test_widened_model_plays_the_old_styles_exactly_as_before():
    from core.music import numpy_net as net
    from core.music.model import Critic, GanConfig, Generator, sample_latents, widen_styles

    old = GanConfig(z_dim=8, ctx_dim=8, g_channels=16, d_channels=8, d_hidden=16)
    new = GanConfig(z_dim=8, ctx_dim=8, g_channels=16, d_channels=8, d_hidden=16,
                    styles=("lieder", "chorale", "pop"))
    torch.manual_seed(0)
    g_old, c_old = Generator(old), Critic(old)
    g_new, c_new = Generator(new), Critic(new)
    g_new.load_state_dict(widen_styles(g_old.state_dict(), old, new, critic=False))
    c_new.load_state_dict(widen_styles(c_old.state_dict(), old, new, critic=True))
    lat = sample_latents(2, 4, 8, torch.Generator().manual_seed(1))
    ctx = torch.zeros(2, 3, 16, 84)
    for style in (0, 1):
        a = net.condition(style, 5, 1, 2, n_styles=2)
        b = net.condition(style, 5, 1, 2, n_styles=3)
        ya = g_old(*lat, torch.from_numpy(a), ctx)
        yb = g_new(*lat, torch.from_numpy(b), ctx)
        assert torch.allclose(ya, yb, atol=1e-5)
        x = torch.sigmoid(ya).detach()
        x = torch.cat([torch.zeros(2, 3, 2, 16, 84), x], dim=3)
        assert torch.allclose(c_old(x, torch.from_numpy(a)), c_new(x, torch.from_numpy(b)),
                              atol=1e-5)
    # The new slot is its own input: pop is not lieder.
    pop_c = torch.from_numpy(net.condition(2, 5, 1, 2, n_styles=3))
    lied = torch.from_numpy(net.condition(0, 5, 1, 2, n_styles=3))
    assert not torch.allclose(g_new(*lat, pop_c, ctx), g_new(*lat, lied, ctx))
    with pytest.raises(ValueError, match="extend"):
        widen_styles(g_old.state_dict(), old, GanConfig(styles=("pop", "lieder", "chorale")),
                     critic=False)


def test_three_style_training_warm_starts_resumes_and_samples_pop(tmp_path):
    from gan_corpus import jsb_file

    from core.music.model import Critic, GanConfig, Generator
    from core.music.sample import MusicGenerator
    from core.training.music_train import export_model, train

    tiny = dict(z_dim=8, ctx_dim=8, g_channels=16, d_channels=8, d_hidden=16)
    cache, pop_cache = tmp_path / "cache", tmp_path / "cache-pop"
    for song in gdata.load_jsb(jsb_file(tmp_path))[:8]:
        gdata.save_parsed(song, cache)
    for n in ("001", "002", "003"):
        make_song(tmp_path / "data", n)
    assert pop.parse_pop909(tmp_path / "data", pop_cache, log=lambda m: None) == 3
    # A two-style model to start from (as the shipped one is).
    old_cfg = GanConfig(**tiny)
    old_dir = tmp_path / "old"
    export_model(Generator(old_cfg), old_cfg, Critic(old_cfg), old_dir, {})
    out, mirror = tmp_path / "run", tmp_path / "mirror"
    logs: list[str] = []
    train(Path("unused"), out, steps=2, cache_dir=[cache, pop_cache], batch=4,
          styles=("lieder", "chorale", "pop"), style_share={"pop": 0.5}, init_from=old_dir,
          mirror=mirror, cfg=GanConfig(**tiny, styles=("lieder", "chorale", "pop")),
          device="cpu", log=logs.append)
    assert any("warm start" in m for m in logs)
    assert json.loads((mirror / "checkpoint" / "state.json").read_text())["step"] == 2
    # The run folder's checkpoint is lost: resume takes the mirror's.
    for f in (out / "checkpoint").iterdir():
        f.unlink()
    train(Path("unused"), out, steps=3, resume=True, cache_dir=[cache, pop_cache], batch=4,
          device="cpu", mirror=mirror, log=logs.append)
    assert any("resumed at step 2" in m for m in logs)
    config = json.loads((out / "config.json").read_text())
    assert config["styles"] == ["lieder", "chorale", "pop"] and config["train_steps"] == 3
    gen = MusicGenerator.from_folder(out)
    assert gen.styles == ("lieder", "chorale", "pop")
    assert set(gen.priors.register) == {"lieder", "chorale", "pop"}
    assert gen.condition("pop", 0, 0).shape == (1, 17)
    # The app's style list need not name pop yet: the model's own list is enough.
    song = gen.generate(bars=2, seed=1, style="pop", form=None)[0]
    assert song.bar_count() <= 2
    with pytest.raises(Exception, match="trained on"):
        MusicGenerator.from_folder(old_dir).condition("pop", 0, 0)


def test_the_originality_index_holds_every_pop_melody(tmp_path):
    from gan_corpus import jsb_file

    from core.training.music_evaluate import write_originality_index

    cache, pop_cache = tmp_path / "cache", tmp_path / "cache-pop"
    chorales = gdata.load_jsb(jsb_file(tmp_path))[:6]
    for song in chorales:
        gdata.save_parsed(song, cache)
    for i, n in enumerate(("001", "002", "003", "004", "005", "006")):
        folder = make_song(tmp_path / "data", n)
        gdata.save_parsed(pop.parse_pop909_song(folder, heldout=i == 0), pop_cache)
    model = tmp_path / "model"
    model.mkdir()
    # Held-out chorales stay out as before; a held-out pop song is indexed all the same.
    count = write_originality_index(model, [cache, pop_cache])
    assert count == sum(not s.heldout for s in chorales) + 6
