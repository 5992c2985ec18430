"""The Chinese model's real data and training path on a tiny synthetic corpus laid out like
chinese-poetry: documents, OpenCC simplification, the Trainer run, its mirror and resume."""

from __future__ import annotations

import json

import numpy as np
import pytest
from zh_support import TUNE, synthetic_docs


def _corpus(root):
    docs = synthetic_docs(30)
    ci = [{"author": "甲", "rhythmic": d.title, "paragraphs": ["，".join(d.lines) + "。"]}
          for d in docs if d.kind == "ci"]
    (root / "宋词").mkdir(parents=True)
    (root / "宋词" / "ci.song.0.json").write_text(json.dumps(ci, ensure_ascii=False), "utf-8")
    tang = [{"author": "乙", "title": "東風", "paragraphs": ["東風吹夢到長安，", "歸來雲水間。"]}] * 3
    (root / "全唐诗").mkdir()
    (root / "全唐诗" / "poet.tang.0.json").write_text(json.dumps(tang, ensure_ascii=False), "utf-8")
    return root


def test_data_pipeline_simplifies_tang_poems_and_tags_lines(tmp_path):
    pytest.importorskip("opencc")  # the `train` extra
    from core.training.lyrics_zh_data import load_documents, main

    root = _corpus(tmp_path / "chinese-poetry")
    docs = load_documents(root)
    tang = [d for d in docs if d.source == "全唐诗"]
    assert tang[0].title == "东风" and tang[0].lines == ["东风吹梦到长安", "归来云水间"]
    assert sum(d.title == TUNE for d in docs) == 30
    assert main(["--data", str(root), "--out", str(tmp_path / "data"), "--min-count", "1"]) == 0
    stats = json.loads((tmp_path / "data" / "stats.json").read_text("utf-8"))
    assert stats["documents"] == len(docs) and stats["heldout_documents"] >= 0
    ids = np.load(tmp_path / "data" / "train.npy")
    assert ids.dtype == np.int32 and len(ids) > 500


def test_trainer_runs_mirrors_and_resumes(tmp_path):
    pytest.importorskip("opencc")
    from core.training.lyrics_zh_data import main as data_main
    from core.training.lyrics_zh_train import main as train_main

    root = _corpus(tmp_path / "chinese-poetry")
    data = tmp_path / "data"
    data_main(["--data", str(root), "--out", str(data), "--min-count", "1"])
    held = np.load(data / "heldout.npy")
    if len(held) < 64:  # a tiny corpus may hold out too little: score on training blocks
        np.save(data / "heldout.npy", np.load(data / "train.npy")[:256])
    common = ["--data", str(data), "--out", str(tmp_path / "run" / "ckpt"),
              "--mirror", str(tmp_path / "mirror"), "--layers", "1", "--width", "32",
              "--heads", "2", "--context", "32", "--batch", "4", "--save-every", "2",
              "--eval-every", "100", "--eval-blocks", "4", "--final-eval-blocks", "4",
              "--threads", "1"]
    assert train_main([*common, "--steps", "4"]) == 0
    assert sorted(p.name for p in (tmp_path / "mirror").glob("checkpoint-*")) == [
        "checkpoint-2", "checkpoint-4"]
    final = json.loads((tmp_path / "run" / "final" / "training.json").read_text())
    assert final["step"] == 4 and np.isfinite(final["heldout_ppl"])
    assert (tmp_path / "run" / "final" / "model.safetensors").exists()
    # runs/ lost: the mirror brings the run back and it continues from step 4
    import shutil

    shutil.rmtree(tmp_path / "run" / "ckpt")
    assert train_main([*common, "--steps", "6", "--resume"]) == 0
    final = json.loads((tmp_path / "run" / "final" / "training.json").read_text())
    assert final["step"] == 6
    log = (tmp_path / "run" / "train.log").read_text().splitlines()
    assert "checkpoint-4" in [json.loads(x) for x in log if '"resume"' in x][-1]["resume"]
    # a warm restart: weights and AdamW moments kept, a fresh warm-up and cosine at a new peak
    # (the checkpoint's own scheduler has decayed to 0 and carries the old peak)
    import torch

    from core.training.lyrics_zh_train import restart_factor

    assert train_main([*common, "--steps", "10", "--resume", "--restart-at", "6",
                       "--warmup", "2", "--lr", "5e-3"]) == 0
    opt = torch.load(tmp_path / "run" / "ckpt" / "checkpoint-8" / "optimizer.pt",
                     weights_only=True)
    assert opt["param_groups"][0]["lr"] == pytest.approx(5e-3 * restart_factor(8, 6, 2, 10))
    assert opt["param_groups"][0]["lr"] > 1e-3


def test_restart_factor_warms_up_then_decays_to_zero():
    from core.training.lyrics_zh_train import restart_factor

    assert restart_factor(99, 100, 10, 200) == 0.0
    assert restart_factor(100, 100, 10, 200) == pytest.approx(0.1)
    assert restart_factor(109, 100, 10, 200) == pytest.approx(1.0)
    assert restart_factor(110, 100, 10, 200) == pytest.approx(1.0)
    assert restart_factor(155, 100, 10, 200) == pytest.approx(0.5)
    assert 0 < restart_factor(199, 100, 10, 200) < 0.01
    assert restart_factor(200, 100, 10, 200) == 0.0
