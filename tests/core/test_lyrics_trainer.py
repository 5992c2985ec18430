"""The English lyrics trainer: the real transformers Trainer path on a tiny synthetic corpus.

No ../shared data: the corpus is generated here, the tokenizer trained here, the GPT-2 is
2 layers x 32 wide. Guards that training lowers the loss, that a stopped run resumes from
its checkpoint (also from the mirror copy when the run folder lost it), and the corpus
builder's line splitting and WordNet parsing.
"""

from __future__ import annotations

import json
import random
import shutil

import pytest

pytest.importorskip("accelerate")  # Trainer needs it

from core.lyrics.corpus import Document  # noqa: E402
from core.paths import models_dir  # noqa: E402
from core.training import lyrics_corpus_en as corpus_en  # noqa: E402
from core.training.lyrics_train import train_tokenizer  # noqa: E402
from core.training.lyrics_trainer import (  # noqa: E402
    StageConfig,
    chunk_dataset,
    find_resume_point,
    load_model,
    mean_nll_all,
    new_model,
    packed_dataset,
    run_stage,
)


def _docs(n: int = 40) -> list[Document]:
    rng = random.Random(3)
    subjects = ["the cat", "my love", "the road", "a bird", "the rain", "your heart"]
    verbs = ["sings of", "waits by", "runs to", "dreams of", "falls on"]
    objects = ["the hill", "the sea", "the town", "the light", "the night"]
    docs = []
    for i in range(n):
        lines = [f"{rng.choice(subjects)} {rng.choice(verbs)} {rng.choice(objects)}"
                 for _ in range(rng.randint(6, 14))]
        docs.append(Document(title=f"song {i}", lines=lines, source=f"synthetic/{i}"))
    return docs


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    import torch

    torch.set_num_threads(1)
    folder = tmp_path_factory.mktemp("tok")
    docs = _docs()
    from core.training.lyrics_trainer import format_document

    tok = train_tokenizer([c for d in docs for c in format_document(d)], 300, folder)
    return docs, tok


def _cfg(**kw) -> StageConfig:
    base = dict(max_steps=24, batch_size=4, context=64, lr=3e-3, warmup_steps=2, save_steps=8,
                eval_windows=8, logging_steps=4)
    return StageConfig(**{**base, **kw})


def test_trainer_lowers_the_loss_and_resumes(tiny, tmp_path):
    import torch

    docs, tok = tiny
    torch.manual_seed(0)
    model = new_model(tok, n_layer=2, n_embd=32, n_head=2, context=64)
    train = packed_dataset(tok, docs[:32], 64, seed=0)
    held = chunk_dataset(tok, docs[32:], 64)
    before, _ = mean_nll_all(model, held)
    mirror = tmp_path / "mirror"
    stage = tmp_path / "stage"
    # A run stopped at step 16 (max_steps 16, the same schedule otherwise) ...
    first = run_stage(model, tok, train, {"songs": held}, stage, _cfg(max_steps=16), mirror)
    assert first["global_step"] == 16
    assert (stage / "checkpoint-16" / "model.safetensors").exists()
    assert (mirror / "checkpoint-16" / "trainer_state.json").exists()
    # ... and the run folder lost: the resume finds the mirror's copy.
    shutil.rmtree(stage)
    fresh = new_model(tok, n_layer=2, n_embd=32, n_head=2, context=64)
    second = run_stage(fresh, tok, train, {"songs": held}, stage, _cfg(), mirror)
    assert second["global_step"] == 24
    log = (stage / "train.log").read_text()
    assert "resume from" in log and "checkpoint-16" in log
    # The resumed run logged only steps after 16 (it did not start over), and its first
    # training loss is near where the first run ended, far below an untrained model's.
    logged = [line.split() for line in log.splitlines() if " loss " in f" {line} "]
    steps = [int(t[2]) for t in logged]
    assert steps and min(steps) > 16, steps
    first_end = [h["loss"] for h in first["log_history"] if "loss" in h][-1]
    resumed = float(logged[0][logged[0].index("loss") + 1])
    assert resumed < first_end + 0.3 < before, (resumed, first_end, before)
    final, _ = load_model(stage / "final")
    after, n = mean_nll_all(final, held)
    assert n > 100 and after < before - 1.0, (before, after)
    info = json.loads((stage / "final" / "songloom.json").read_text())
    assert info["format"].startswith("songloom")
    # The writer's tuned decode settings travel with a retrained model (they were dropped).
    bundled = json.loads((models_dir() / "lyrics-gpt2" / "songloom.json").read_text())
    assert info["decode"] == bundled["decode"]
    assert not list((stage / "final").glob("*.bin"))  # safetensors only
    # The app's own loader (strict weight verification) takes the folder as a tagged model.
    from core.lyrics.model_store import load_lyrics_model

    lm = load_lyrics_model(stage / "final", cached=False)
    assert lm.tagged and lm.model.config.n_layer == 2


def test_resume_point_prefers_the_newer_copy(tmp_path):
    for folder, step in ((tmp_path / "run", 8), (tmp_path / "mirror", 16)):
        ck = folder / f"checkpoint-{step}"
        ck.mkdir(parents=True)
        (ck / "trainer_state.json").write_text("{}")
    (tmp_path / "mirror" / "checkpoint-24").mkdir()  # incomplete: no trainer_state.json
    got = find_resume_point(tmp_path / "run", tmp_path / "mirror")
    assert got == tmp_path / "run" / "checkpoint-16"
    assert (got / "trainer_state.json").exists()


def test_prose_becomes_song_sized_lines():
    text = ("She had not wanted a little girl at all, and when Mary was born she handed her "
            "over to the care of an Ayah, who was made to understand that if she wished to "
            "please the Mem Sahib she must keep the child out of sight as much as possible.")
    lines = corpus_en.sentence_lines(text)
    from core.lyrics.syllables import count_syllables

    assert len(lines) >= 3
    assert all(3 <= count_syllables(x) <= corpus_en.MAX_SYLLABLES for x in lines)
    assert " ".join(lines).split() == text.split()  # nothing lost, nothing reordered
    assert not any(x.lower() in {"and", "but"} for x in lines)
    assert corpus_en.sentences('"Yes, Mr. Darcy." She left. He stayed!') == [
        '"Yes, Mr. Darcy."', "She left.", "He stayed!"]


def test_headings_and_front_matter_are_dropped(tmp_path):
    book = tmp_path / "gutenberg-en" / "texts" / "The-Secret-Garden_113.txt"
    book.parent.mkdir(parents=True)
    book.write_text("THE SECRET GARDEN\n\nby Frances Hodgson Burnett\n\nCHAPTER I\n\n"
                    " I. THERE IS NO ONE LEFT\n\n[Illustration: a garden]\n\n"
                    "It was true, too. She had a little thin face.\n", encoding="utf-8")
    doc = next(corpus_en.gutenberg_documents(tmp_path))
    assert doc.title == "The Secret Garden"
    assert doc.lines == ["It was true, too.", "She had a little thin face."]


def test_wordnet_records(tmp_path):
    (tmp_path / "data.noun").write_text(
        "  1 This software and database is being provided to you\n"
        "15148467 28 n 02 winter 0 wintertime 0 003 @ 15239579 n 0000 | the coldest season of "
        'the year; "in the winter of 1973 the wind was cold"\n', encoding="utf-8")
    docs = list(corpus_en.wordnet_documents(tmp_path))
    assert [(d.title, d.lines) for d in docs] == [
        ("winter", ["the coldest season of the year", "in the winter of 1973 the wind was cold"])]
    assert docs[0].source == "wordnet:noun:15148467"
