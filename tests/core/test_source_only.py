"""The installed app ships without core.training and core.bench (installer/songloom.spec):
its songloom-cli must answer training and benchmark commands with one clear line."""

from __future__ import annotations

import subprocess
import sys

import pytest

# Run the real CLI in a child whose import system cannot find the source-only packages,
# as in the bundle (PyInstaller leaves them out of the archive).
HIDE_SOURCE_ONLY = (
    "import sys\n"
    "class Hide:\n"
    "    def find_spec(self, name, path=None, target=None):\n"
    "        if name.split('.')[:2] in (['core', 'training'], ['core', 'bench']):\n"
    "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
    "sys.meta_path.insert(0, Hide())\n"
    "from core.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


@pytest.mark.parametrize("argv", [
    ["bench", "files"],
    ["train", "music", "--data", "nowhere", "--out", "nowhere"],
    ["train", "lyrics", "--out", "nowhere", "--text", "nowhere.txt"],
    ["bench", "lyrics-constraints"],
])
def test_source_only_commands_say_so_in_one_line(argv, tmp_path):
    (tmp_path / "nowhere.txt").write_text("a line\n")
    r = subprocess.run([sys.executable, "-c", HIDE_SOURCE_ONLY, *argv], capture_output=True,
                       text=True, timeout=120, cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    assert "available from a source checkout" in lines[0]
    assert f"songloom-cli {argv[0]} {argv[1]}" in lines[0]


def test_a_missing_dependency_inside_training_code_keeps_its_own_error():
    """music21 missing is not "not bundled": the user must see which library is missing."""
    code = ("import sys\n"
            "class Broken:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name == 'core.training.music_train':\n"
            "            raise ModuleNotFoundError(\"No module named 'music21'\", name='music21')\n"
            "sys.meta_path.insert(0, Broken())\n"
            "from core.commands.source_only import source_only\n"
            "try:\n"
            "    source_only('core.training.music_train', 'train music')\n"
            "except ModuleNotFoundError as e:\n"
            "    print(type(e).__name__, e.name)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60).stdout.strip()
    assert out == "ModuleNotFoundError music21"
