"""Installer files: the spec, runtime hook, launcher, desktop entry, MIME type, icons, .iss.

Running PyInstaller itself takes minutes, so it stays out of the suite (installer/build.sh
does it and smoke-tests the result); these checks catch the mistakes that would only show
up on a user's machine.
"""

from __future__ import annotations

import ast
import configparser
import ctypes.util
import importlib.util
import os
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
SPEC = INSTALLER / "songloom.spec"


def _spec_calls(name: str) -> list[ast.Call]:
    tree = ast.parse(SPEC.read_text(), filename=str(SPEC))
    return [n for n in ast.walk(tree)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == name]


def _kw(call: ast.Call, key: str):
    return next(ast.literal_eval(k.value) for k in call.keywords if k.arg == key)


def test_spec_builds_both_programs_into_one_folder():
    names = sorted(_kw(c, "name") for c in _spec_calls("EXE"))
    assert names == ["songloom", "songloom-cli"]
    consoles = {_kw(c, "name"): _kw(c, "console") for c in _spec_calls("EXE")}
    assert consoles == {"songloom": False, "songloom-cli": True}
    (collect,) = _spec_calls("COLLECT")
    args = [ast.unparse(a) for a in collect.args]
    assert args == ["*programs", "a.binaries", "a.datas"]  # one folder, shared libs
    # Linux: one executable (each carries a copy of the compiled modules, 74 MB), and
    # songloom-cli a link to it; launch.py picks the program by the name it was called by.
    source = SPEC.read_text()
    assert 'LINK_CLI = sys.platform.startswith("linux")' in source
    assert 'cli_link.symlink_to("songloom")' in source
    assert len(_spec_calls("Analysis")) == 1  # one analysis feeds both programs
    source = SPEC.read_text()
    # What it collects must exist: launcher, runtime hook, resources.
    assert (INSTALLER / "launch.py").is_file()
    assert (INSTALLER / "hooks" / "rthook_songloom.py").is_file()
    assert '(str(ROOT / "resources"), "resources")' in source
    assert 'collect_submodules("core", filter=shipped)' in source
    assert 'collect_submodules("desktop")' in source
    # Training and benchmark code is not shipped: filtered out and excluded.
    tree = ast.parse(source)
    spec_ns: dict = {}
    keep = [n for n in tree.body if (isinstance(n, ast.FunctionDef) and n.name == "shipped")
            or (isinstance(n, ast.Assign) and ast.unparse(n.targets[0]) == "SOURCE_ONLY")]
    exec(compile(ast.Module(body=keep, type_ignores=[]), str(SPEC), "exec"), spec_ns)
    assert set(spec_ns["SOURCE_ONLY"]) == {"core.training", "core.bench"}
    assert "*SOURCE_ONLY" in source  # in excludes too: nothing may pull them in by import
    for name in ("core.training", "core.training.music_train", "core.bench.file_bench"):
        assert not spec_ns["shipped"](name), name
    for name in ("core.music.sample", "core.trainingwheels", "core.commands.source_only"):
        assert spec_ns["shipped"](name), name
    assert 'copy_metadata' in source and '"songloom"' in source  # desktop CLI entry point


def test_spec_dead_weight_filter_keeps_what_the_app_needs():
    tree = ast.parse(SPEC.read_text())
    needed = [n for n in tree.body
              if (isinstance(n, ast.FunctionDef) and n.name == "dead_weight")
              or (isinstance(n, ast.Assign) and ast.unparse(n.targets[0]) == "GTK_ONLY_LIBS")]
    namespace: dict = {}
    exec(compile(ast.Module(body=needed, type_ignores=[]), str(SPEC), "exec"), namespace)
    dead = namespace["dead_weight"]
    for path in ("torch/include/ATen/Tensor.h", "torch/lib/libtorchbind_test.so",
                 "torch/share/cmake/Torch/TorchConfig.cmake", "PySide6/Qt/translations/designer_de.qm",
                 "libcudart.so", "PySide6/Qt/plugins/platformthemes/libqgtk3.so", "libpango-1.0.so.0",
                 "libgio-2.0.so.0", "libharfbuzz.so.0", "libjpeg.so.62",  # GTK's, through GIO
                 "torch/bin/test_jit", "torch/bin/protoc",
                 "resources/models/lyrics-gpt2/optimizer.safetensors",
                 "resources/models/music-gan/checkpoint/opt_g.safetensors"):
        assert dead(path), path
    for path in ("torch/lib/libtorch_cpu.so", "torch/lib/libc10.so", "resources/models/x.safetensors",
                 "resources/models/lyrics-gpt2/model.safetensors", "resources/models/music-gan/generator.safetensors",
                 "PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/translations/qtbase_de.qm",
                 # the Chinese interface: Songloom's translation and Qt's own buttons
                 "resources/i18n/songloom_zh_CN.qm", "PySide6/Qt/translations/qtbase_zh_CN.qm",
                 "transformers/models/gpt2/modeling_gpt2.py", "libfluidsynth.so.3", "libglib-2.0.so.0",
                 "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so",
                 # import torch needs this helper; librosa's lazy_loader reads its stub
                 "torch/bin/torch_shm_manager", "librosa/__init__.pyi"):
        assert not dead(path), path


def _spec_parts(*names: str) -> dict:
    """The spec's top-level functions and assignments called ``names``, run on their own
    (the rest of the spec needs PyInstaller's Analysis)."""
    tree = ast.parse(SPEC.read_text(), filename=str(SPEC))
    keep = [n for n in tree.body
            if (isinstance(n, ast.FunctionDef) and n.name in names)
            or (isinstance(n, ast.Assign) and ast.unparse(n.targets[0]) in names)]
    assert {getattr(n, "name", None) or ast.unparse(n.targets[0]) for n in keep} == set(names)
    namespace: dict = {"ROOT": ROOT}
    exec("import hashlib, os, re\nfrom pathlib import Path", namespace)
    exec(compile(ast.Module(body=keep, type_ignores=[]), str(SPEC), "exec"), namespace)
    return namespace


def test_spec_leaves_out_unused_qt_parts_and_subpackages_but_keeps_what_runs():
    spec = _spec_parts("QT_UNUSED", "INTERFACE_LANGUAGES", "unused_qt_translation",
                       "TRANSFORMERS_MODELS", "UNUSED_PACKAGES", "UNUSED_SUBPACKAGES",
                       "JIT_OVERLOAD", "needs_its_source", "unused_source", "unused_module")
    unused_source, unused_module = spec["unused_source"], spec["unused_module"]
    # Qt's translations: those of the interface languages Songloom ships, no others.
    languages = spec["INTERFACE_LANGUAGES"]
    assert languages == sorted(q.stem.split("_", 1)[1]
                               for q in (ROOT / "resources" / "i18n").glob("songloom_*.qm"))
    for lang in languages:
        assert not unused_source(f"PySide6/Qt/translations/qtbase_{lang}.qm")
    for path in ("PySide6/Qt/translations/qtbase_de.qm", "PySide6/Qt/translations/qt_help_fr.qm",
                 "PySide6/Qt/plugins/platforms/libqvnc.so", "PySide6/Qt/lib/libQt6Network.so.6",
                 "PySide6/Qt/plugins/generic/libqevdevmouseplugin.so",
                 "PySide6/Qt/plugins/imageformats/libqjpeg.so",
                 "PySide6/Qt/plugins/imageformats/libqtiff.so",
                 "numba/cuda/cudadrv/driver.py", "transformers/pipelines/base.py"):
        assert unused_source(path), path
    for path in ("PySide6/Qt/plugins/platforms/libqxcb.so",
                 "PySide6/Qt/plugins/platforms/libqwayland.so",
                 "PySide6/Qt/plugins/platforms/libqoffscreen.so",
                 "PySide6/Qt/plugins/imageformats/libqsvg.so",
                 "PySide6/Qt/plugins/imageformats/libqico.so",
                 "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
                 "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
                 "PySide6/Qt/lib/libQt6Widgets.so.6", "PySide6/Qt/lib/libQt6DBus.so.6",
                 "numba/core/typing/templates.py", "librosa/__init__.pyi"):
        assert not unused_source(path), path
    for name in ("numba.cuda", "numba.cuda.cudadrv.driver", "transformers.pipelines.base",
                 "huggingface_hub.inference._client", "huggingface_hub.cli.download",
                 "transformers.models.bert.modeling_bert", "rich.console"):
        assert unused_module(name), name
    for name in ("numba", "numba.core.decorators", "numba.cudaext", "transformers.generation.utils",
                 "transformers.models.gpt2.modeling_gpt2", "huggingface_hub.file_download",
                 "huggingface_hub.constants", "PySide6.QtWidgets", "librosa.sequence"):
        assert not unused_module(name), name


def test_duplicate_libraries_become_links_to_the_first_copy(tmp_path):
    link = _spec_parts("link_duplicate_libraries")["link_duplicate_libraries"]
    lib = b"\x7fELF" + bytes(range(256)) * 64
    for folder, name, data in (("numpy.libs", "libgfortran-0400.so.5", lib),
                               ("scipy.libs", "libgfortran-0400.so.5", lib),  # same: linked
                               ("scipy.libs", "libgfortran-8f1e.so.5", lib),  # other name: kept
                               ("a.libs", "libquadmath.so.0", lib),
                               ("b.libs", "libquadmath.so.0", lib + b"x")):  # other bytes: kept
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / name).write_bytes(data)
    link(tmp_path)
    copy = tmp_path / "scipy.libs" / "libgfortran-0400.so.5"
    assert copy.is_symlink() and copy.read_bytes() == lib
    assert str(copy.readlink()) == "../numpy.libs/libgfortran-0400.so.5"  # relative: moves along
    for kept in ("numpy.libs/libgfortran-0400.so.5", "scipy.libs/libgfortran-8f1e.so.5",
                 "a.libs/libquadmath.so.0", "b.libs/libquadmath.so.0"):
        assert not (tmp_path / kept).is_symlink(), kept


def test_links_to_left_out_libraries_are_removed(tmp_path):
    remove = _spec_parts("remove_dangling_links")["remove_dangling_links"]
    (tmp_path / "PySide6").mkdir()
    (tmp_path / "PySide6" / "libQt6Widgets.so.6").write_bytes(b"\x7fELF")
    (tmp_path / "libQt6Widgets.so.6").symlink_to("PySide6/libQt6Widgets.so.6")
    (tmp_path / "libQt6Network.so.6").symlink_to("PySide6/libQt6Network.so.6")  # left out
    remove(tmp_path)
    assert (tmp_path / "libQt6Widgets.so.6").is_symlink()
    assert not os.path.lexists(tmp_path / "libQt6Network.so.6")


def test_macos_bundle_declares_the_file_types():
    (bundle,) = _spec_calls("BUNDLE")
    plist = next(k.value for k in bundle.keywords if k.arg == "info_plist")
    text = ast.unparse(plist)
    for needle in ("CFBundleDocumentTypes", "'songloom'", "'mid'", "public.midi-audio",
                   "UTExportedTypeDeclarations", "org.songloom.project"):
        assert needle in text, needle
    assert (ROOT / "resources" / "icons" / "songloom.icns").stat().st_size > 10_000


def test_runtime_hook_prefers_the_bundled_audio_libraries(tmp_path, monkeypatch):
    (tmp_path / "libfluidsynth.so.3").write_bytes(b"")
    (tmp_path / "libportaudio.so.2").write_bytes(b"")
    (tmp_path / "libc.so.6").write_bytes(b"")  # never bundled in reality; must be ignored
    system_find = ctypes.util.find_library
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    spec = importlib.util.spec_from_file_location("rthook", INSTALLER / "hooks" / "rthook_songloom.py")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
        assert ctypes.util.find_library("fluidsynth") == str(tmp_path / "libfluidsynth.so.3")
        assert ctypes.util.find_library("portaudio") == str(tmp_path / "libportaudio.so.2")
        assert ctypes.util.find_library("c") == system_find("c")
    finally:
        ctypes.util.find_library = system_find


@pytest.mark.parametrize("exe, program", [("/opt/Songloom/songloom-cli", "songloom-cli"),
                                          ("C:/Songloom/songloom-cli.exe", "songloom-cli"),
                                          ("/opt/Songloom/songloom", "songloom")])
def test_launcher_picks_the_program_by_executable_name(monkeypatch, exe, program):
    spec = importlib.util.spec_from_file_location("launch", INSTALLER / "launch.py")
    launch = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(launch)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", exe)
    monkeypatch.setattr(sys, "argv", [exe])
    assert launch._program_name() == program


@pytest.mark.parametrize("called_as", ["/opt/Songloom/songloom-cli", "songloom-cli",
                                       "/home/me/.local/bin/songloom-cli"])
def test_launcher_knows_the_cli_link_by_the_name_it_was_called_by(monkeypatch, called_as):
    """Linux bundles have one executable; songloom-cli is a link to it (songloom.spec)."""
    spec = importlib.util.spec_from_file_location("launch", INSTALLER / "launch.py")
    launch = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(launch)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/Songloom/songloom")
    monkeypatch.setattr(sys, "argv", [called_as, "--version"])
    assert launch._program_name() == "songloom-cli"
    monkeypatch.setattr(sys, "argv", ["/opt/Songloom/songloom"])
    assert launch._program_name() == "songloom"


def test_desktop_entry_is_valid_and_opens_songloom_projects():
    entry = INSTALLER / "songloom.desktop"
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str
    parser.read(entry)
    d = parser["Desktop Entry"]
    assert d["Type"] == "Application" and d["Exec"].startswith("songloom ") and "%F" in d["Exec"]
    assert d["Icon"] == "songloom" and "Audio" in d["Categories"].split(";")
    assert "application/x-songloom" in d["MimeType"].split(";")
    if shutil.which("desktop-file-validate"):
        run = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
        assert run.returncode == 0 and not run.stdout.strip(), run.stdout + run.stderr


def test_mime_type_matches_the_desktop_entry():
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    root = ET.parse(INSTALLER / "songloom-mime.xml").getroot()
    (mime,) = root.findall("m:mime-type", ns)
    assert mime.get("type") == "application/x-songloom"
    assert [g.get("pattern") for g in mime.findall("m:glob", ns)] == ["*.songloom"]


def test_icons_exist_at_every_size_they_claim():
    icons = ROOT / "resources" / "icons"
    ET.parse(icons / "songloom.svg")  # well-formed
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        data = (icons / "png" / f"songloom-{size}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", data[16:24]) == (size, size)
    ico = (icons / "songloom.ico").read_bytes()
    assert ico[:4] == b"\x00\x00\x01\x00" and struct.unpack("<H", ico[4:6])[0] >= 5


def test_windows_installer_is_per_user_and_associates_songloom():
    iss = (INSTALLER / "songloom.iss").read_text()
    assert "PrivilegesRequired=lowest" in iss
    assert "runascurrentuser" not in iss.replace("no runascurrentuser", "")
    assert 'Source: "..\\dist\\Songloom\\*"' in iss
    assert 'Subkey: "Software\\Classes\\.songloom"' in iss and "ChangesAssociations=yes" in iss
    assert "{group}\\{#AppName}" in iss  # Start-menu entry
    for rel in ("..\\resources\\icons\\songloom.ico", "..\\resources\\licenses\\songloom.txt"):
        assert (INSTALLER / rel.replace("\\", "/")).resolve().is_file(), rel


def test_build_scripts_are_valid_shell():
    for script, shell in (("build.sh", "bash"), ("linux-install.sh", "sh")):
        run = subprocess.run([shell, "-n", str(INSTALLER / script)], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr


def test_bench_bundle_without_a_build_is_one_error_line(tmp_path, capsys):
    from core.cli import main as cli_main

    assert cli_main(["bench", "bundle", "--bundle", str(tmp_path), "--json"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"songloom-cli: error: {tmp_path}: no built bundle here (run installer/build.sh)"]
