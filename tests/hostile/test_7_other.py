"""Class 7: command-line values and training state that raised tracebacks."""

from __future__ import annotations

import pytest
from hostile_harness import assert_clean_error, run_cli


@pytest.mark.parametrize("seed", ["-1", str(2**64), "-99999999999999999999"])
def test_generate_music_with_an_out_of_range_seed(tiny_music, case_dir, seed):
    out = run_cli("generate", "music", "--seed", seed, "--model", tiny_music,
                  "--out", case_dir / "o.mid", cwd=case_dir)
    assert_clean_error(out, "seed")
    assert not (case_dir / "o.mid").exists()


@pytest.mark.parametrize("state, needle", [
    ('{"step": 40, "train_loss": 1.2, "hist', "train_state.json"),
    ("[]", "expected a JSON object"),
    ('{"step": -3}', "step"),
    ('{"step": "ten"}', "step"),
    ('{"step": 1' + "0" * 5000 + "}", "digits"),
    ("", "train_state.json"),
])
def test_train_lyrics_resume_with_a_broken_state(tiny_gpt2, case_dir, state, needle):
    (tiny_gpt2 / "train_state.json").write_text(state)
    text = case_dir / "words.txt"
    text.write_text("the stars are bright above the hill\nand all the night is calm\n")
    out = run_cli("train", "lyrics", "--resume", "--out", tiny_gpt2, "--text", text, cwd=case_dir)
    assert_clean_error(out, needle)
