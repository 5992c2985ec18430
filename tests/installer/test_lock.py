"""The hashed locks in installer/locks/: they agree with pyproject.toml, the install scripts
use them with --require-hashes, and a tampered wheel stops pip with its own error."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"


def _lockcheck():
    spec = importlib.util.spec_from_file_location("lockcheck", INSTALLER / "lockcheck.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["lockcheck"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_locks_agree_with_pyproject():
    problems = _lockcheck().check(_pyproject())
    assert problems == [], "\n".join(problems) + "\nrefresh with installer/lock.sh"


def test_locks_pin_the_known_good_builds():
    lc = _lockcheck()
    app = lc.read_lock(lc.LOCKS / "app.txt")
    # 5.25 made `kernels` a hard dependency, and the frozen app failed 6 of 8 self-test steps.
    assert app["transformers"].version < lc.Version("5.25")
    assert "kernels" not in lc.read_lock(lc.LOCKS / "all.txt")
    assert str(lc.read_lock(lc.LOCKS / "torch-cpu.txt")["torch"].version) == "2.13.0+cpu"
    cuda = lc.read_lock(lc.LOCKS / "torch-cuda.txt")
    assert str(cuda["torch"].version) == "2.13.0" and any(n.startswith("nvidia-") for n in cuda)
    build = lc.read_lock(lc.LOCKS / "build.txt")
    assert "pyinstaller" in build and "pyinstaller-hooks-contrib" in build


def test_check_names_each_disagreement():
    lc = _lockcheck()
    pyproject = _pyproject()
    deps = pyproject["project"]["dependencies"]
    deps[:] = [d for d in deps if not d.startswith("transformers")]
    deps += ["transformers>=5.25", "not-locked-anywhere>=1"]
    pyproject["project"]["optional-dependencies"]["test"].append("pytest<1")
    problems = "\n".join(lc.check(pyproject))
    assert "app.txt: transformers==5.24.0 does not satisfy 'transformers>=5.25'" in problems
    assert "app.txt: not-locked-anywhere is required" in problems
    assert "dev.txt: pytest==" in problems and "all.txt: not-locked-anywhere" in problems
    assert "build.txt: pytest" not in problems  # the test extra is not in the build lock


def test_check_refuses_a_pin_without_hash_or_out_of_step(tmp_path):
    lc = _lockcheck()
    locks = tmp_path / "locks"
    shutil.copytree(lc.LOCKS, locks)
    app = (locks / "app.txt").read_text()
    start = app.index("\nnumpy==") + 1
    end = app.index("\n", app.index("# via", start))
    (locks / "app.txt").write_text(app[:start] + "numpy==2.4.6\n" + app[end + 1:])
    dev = (locks / "dev.txt").read_text()
    (locks / "dev.txt").write_text(dev.replace("\nsix==1.17.0", "\nsix==1.16.0"))
    problems = "\n".join(lc.check(_pyproject(), locks))
    assert "app.txt: numpy has no --hash" in problems
    assert "dev.txt: six==1.16.0 but all.txt has 1.17.0" in problems


def test_install_scripts_use_the_locks_with_hashes():
    setup = (INSTALLER / "setup.sh").read_text()
    assert "--require-hashes" in setup and "installer/locks" in setup
    for name in ("app.txt", "dev.txt", "build.txt", "torch-cpu.txt", "torch-cuda.txt"):
        assert name.split(".")[0] in setup, name
    # The stamp that makes a second run a no-op changes with the locks' contents.
    assert "sha256sum" in setup and "locks" in setup.split("stamp", 1)[1]
    assert "pip install -q torch\n" not in setup  # nothing unpinned any more
    for script, extras in (("test.sh", "test,train"), ("build.sh", "build")):
        text = (INSTALLER / script).read_text()
        assert f"SONGLOOM_EXTRAS={extras}" in text and "setup.sh" in text, script
    assert "setup.sh" in (INSTALLER / "run.sh").read_text()


def _wheel(folder: Path) -> Path:
    """A minimal pure-Python wheel, built here so the test needs no index."""
    name = "songloomprobe"
    files = {f"{name}/__init__.py": b"VALUE = 1\n",
             f"{name}-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: songloomprobe\n"
                                               b"Version: 1.0\n",
             f"{name}-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\n"
                                           b"Root-Is-Purelib: true\nTag: py3-none-any\n"}
    record = []
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    record.append(f"{name}-1.0.dist-info/RECORD,,")
    wheel = folder / f"{name}-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        for path, data in files.items():
            zf.writestr(path, data)
        zf.writestr(f"{name}-1.0.dist-info/RECORD", "\n".join(record) + "\n")
    return wheel


def _pip_install(lock: Path, wheels: Path, target: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull  # this machine's pip.conf adds indexes and caps
    return subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-index", "--find-links", str(wheels),
         "--require-hashes", "--no-cache-dir", "--target", str(target), "-r", str(lock)],
        capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.skipif(importlib.util.find_spec("pip") is None, reason="no pip in this Python")
def test_a_tampered_wheel_stops_the_install_with_pips_error(tmp_path):
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    wheel = _wheel(wheels)
    good = hashlib.sha256(wheel.read_bytes()).hexdigest()
    lock = tmp_path / "lock.txt"
    lock.write_text(f"songloomprobe==1.0 --hash=sha256:{good}\n")
    ok = _pip_install(lock, wheels, tmp_path / "ok")
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "ok" / "songloomprobe" / "__init__.py").is_file()
    # One byte changed in the wheel after it was locked: pip must refuse it.
    data = bytearray(wheel.read_bytes())
    data[-30] ^= 1
    wheel.write_bytes(bytes(data))
    bad = _pip_install(lock, wheels, tmp_path / "bad")
    assert bad.returncode != 0
    assert "DO NOT MATCH THE HASHES" in bad.stderr
    assert not (tmp_path / "bad" / "songloomprobe").exists()
