"""Bring your own GPT-2: a GPT-2-small-shaped model (768 wide, 12 heads; 2 layers to keep
the test quick) with random weights and a byte-level BPE tokenizer this test trains
itself. The picker finds it in a folder and in a Hugging Face cache, the constraint
writer writes real words to its syllables and rhymes with it, and a folder that is not a
causal LM or asks to run its own code gets one clear error."""

from __future__ import annotations

import json
import shutil

import pytest
from test_lyrics_support import LINES

from core.errors import ModelError
from core.lyrics.model_picker import list_lyrics_models
from core.lyrics.model_store import load_lyrics_model

TEXT = LINES * 20 + [
    "the morning light is on the road and on the river",
    "I will remember every word you said to me tonight",
    "we walked along the street together in the rain",
    "my heart was singing like a bird above the town",
]


@pytest.fixture(scope="module")
def own_gpt2(tmp_path_factory):
    import torch
    from tokenizers import ByteLevelBPETokenizer
    from transformers import GPT2Config, GPT2LMHeadModel, GPT2TokenizerFast

    root = tmp_path_factory.mktemp("models")
    folder = root / "my-gpt2"
    folder.mkdir()
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(TEXT, vocab_size=600, min_frequency=1,
                            special_tokens=["<|endoftext|>"])
    bpe.save(str(folder / "tokenizer.json"))
    tok = GPT2TokenizerFast(tokenizer_file=str(folder / "tokenizer.json"),
                            eos_token="<|endoftext|>", bos_token="<|endoftext|>")
    tok.save_pretrained(folder)
    torch.manual_seed(0)
    config = GPT2Config(vocab_size=len(tok), n_positions=1024, n_embd=768, n_layer=2, n_head=12,
                        bos_token_id=tok.eos_token_id, eos_token_id=tok.eos_token_id)
    GPT2LMHeadModel(config).save_pretrained(folder, safe_serialization=True)
    assert not list(folder.glob("*.bin"))
    return folder


def test_the_picker_finds_it_in_a_folder(own_gpt2, tmp_path, monkeypatch):
    monkeypatch.setenv("SONGLOOM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-hub"))
    (tmp_path / "not-a-model").mkdir()
    entries = list_lyrics_models([own_gpt2.parent, tmp_path / "not-a-model"])
    assert entries[0].source == "bundled" and entries[0].tagged
    mine = [e for e in entries if e.path == own_gpt2]
    assert len(mine) == 1 and mine[0].usable and not mine[0].tagged
    assert mine[0].name == "my-gpt2" and mine[0].source == "folder"
    assert 15 < mine[0].params_m < 20  # 2 layers of GPT-2 small plus embeddings


def test_the_picker_finds_it_in_the_hugging_face_cache(own_gpt2, tmp_path, monkeypatch):
    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = tmp_path / "hub" / "models--someone--songs-gpt2"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(commit)
    shutil.copytree(own_gpt2, repo / "snapshots" / commit)
    bert = tmp_path / "hub" / "models--someone--bert" / "snapshots" / commit
    bert.mkdir(parents=True)
    (bert / "config.json").write_text(json.dumps({"model_type": "bert"}))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setenv("SONGLOOM_DATA_DIR", str(tmp_path / "data"))
    entries = list_lyrics_models()
    cached = [e for e in entries if e.source == "hf-cache"]
    assert [e.name for e in cached] == ["someone/songs-gpt2"]  # GPT-2 only, BERT left out
    lm = load_lyrics_model("someone/songs-gpt2")
    assert lm.folder.name == commit and not lm.tagged


def test_the_writer_writes_real_words_with_it(own_gpt2):
    from core.lyrics.lexicon import load_lexicon
    from core.lyrics.rhyme import rhymes
    from core.lyrics.syllables import count_syllables, words
    from core.lyrics.verse import LyricRequest, write_verse

    lm = load_lyrics_model(own_gpt2)
    lexicon = load_lexicon()
    verse = write_verse(lm, LyricRequest(theme="the road home", lines=4, syllables=5,
                                         rhyme="AABB", seed=1, candidates=6))
    assert all(verse.lines), verse.lines
    for line in verse.lines:
        assert all(lexicon.is_word(w) for w in words(line)), line
        assert abs(count_syllables(line) - 5) <= 1, line
    assert rhymes(verse.lines[0], verse.lines[1]) and rhymes(verse.lines[2], verse.lines[3])
    # Without line tags the end word is not chosen first: a line that opens a rhyme pair
    # must still end on a word that has common rhymes (not "roadsides").
    from core.lyrics.rhyme import last_word
    from core.lyrics.verse import rhymeable_words
    from core.lyrics.word_constraint import vocabulary

    pool = rhymeable_words(lexicon, vocabulary(lexicon, False))
    assert last_word(verse.lines[0]) in pool and last_word(verse.lines[2]) in pool


@pytest.mark.parametrize("change,needle", [
    ({"architectures": ["GPT2ForSequenceClassification"]}, "not a causal language model"),
    ({"auto_map": {"AutoModelForCausalLM": "modeling_mine.MyGPT"}}, "run the model's own code"),
])
def test_a_folder_that_is_no_plain_causal_lm_is_one_clear_error(own_gpt2, tmp_path, change, needle):
    folder = shutil.copytree(own_gpt2, tmp_path / "odd")
    config = json.loads((folder / "config.json").read_text())
    config.update(change)
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelError) as err:
        load_lyrics_model(folder)
    assert needle in str(err.value) and "\n" not in str(err.value)
    (entry,) = [e for e in list_lyrics_models([folder], hf_cache=False, user_models=False)
                if e.path == folder]
    assert not entry.usable and needle in entry.problem


def test_a_tokenizer_that_asks_for_its_own_code_is_refused(own_gpt2, tmp_path):
    folder = shutil.copytree(own_gpt2, tmp_path / "odd-tokenizer")
    cfg = json.loads((folder / "tokenizer_config.json").read_text())
    cfg["auto_map"] = {"AutoTokenizer": ["tokenization_mine.MyTokenizer", None]}
    (folder / "tokenizer_config.json").write_text(json.dumps(cfg))
    with pytest.raises(ModelError, match="tokenizer asks to run its own code"):
        load_lyrics_model(folder)
