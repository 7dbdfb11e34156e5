"""What the installers are made of: one version, the icon drawn from its SVG, the .deb's menu entry and control."""

from __future__ import annotations

import configparser
import importlib.util
import tomllib
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

import wallet_crm
from wallet_crm.cli import build_parser
from wallet_crm.ui.icon import WINDOW_ICON_SIZES, app_icon

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def make_icons() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_icons", ROOT / "packaging" / "make_icons.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_version_is_the_one_in_pyproject(capsys: pytest.CaptureFixture[str]) -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert wallet_crm.__version__ == pyproject["project"]["version"], "stale metadata: pip install -e . again"
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--version"])
    assert capsys.readouterr().out.strip() == f"wallet-crm {pyproject['project']['version']}"


def test_the_committed_icons_are_what_the_svg_draws(qapp: QApplication, make_icons: ModuleType) -> None:
    assert make_icons.stale_files() == [], "run `make icons` after changing resources/icons/wallet-crm.svg"


def test_the_check_notices_a_changed_svg(qapp: QApplication, make_icons: ModuleType, tmp_path: Path) -> None:
    changed = tmp_path / "changed.svg"
    changed.write_text(make_icons.SVG.read_text(encoding="utf-8").replace("#2f6fb3", "#b3302f"), encoding="utf-8")
    stale = make_icons.stale_files(changed)
    assert "wallet-crm.ico" in stale and "wallet-crm-16.png" in stale and "wallet-crm-512.png" in stale


def test_the_ico_holds_bitmaps_and_a_png_qt_can_read(qapp: QApplication, make_icons: ModuleType) -> None:
    data = make_icons.ICO.read_bytes()
    assert data[:4] == b"\0\0\1\0"  # reserved, type 1 (icon)
    images = make_icons.ico_images(make_icons.ICO)
    assert sorted(images) == sorted(make_icons.ICO_BITMAP_SIZES + make_icons.ICO_PNG_SIZES)
    corner, centre = images[48].pixelColor(0, 0), images[48].pixelColor(24, 40)
    assert corner.alpha() == 0 and centre.alpha() == 255  # a transparent rounded corner, an opaque wallet
    assert all(len(path.read_bytes()) < 20_000 for path in make_icons.ICO.parent.glob("*.png"))  # committed: small


def test_the_window_icon_has_every_size(qapp: QApplication) -> None:
    sizes = app_icon().availableSizes()
    assert sizes == [QSize(size, size) for size in WINDOW_ICON_SIZES]


def test_the_desktop_entry_names_the_app_in_english_and_chinese() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read(ROOT / "packaging" / "linux" / "wallet-crm.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert (desktop["Type"], desktop["Name"], desktop["Exec"], desktop["Icon"]) == (
        "Application",
        "wallet-crm",
        "wallet-crm",
        "wallet-crm",
    )
    assert desktop["Name[zh_CN]"] == "钱包回访 CRM" and desktop["Comment"] and desktop["Comment[zh_CN]"]
    assert "Office" in desktop["Categories"].split(";")


def test_the_deb_control_depends_on_what_qt_loads() -> None:
    control = (ROOT / "packaging" / "linux" / "control.in").read_text(encoding="utf-8")
    fields = dict(line.split(": ", 1) for line in control.splitlines() if line and not line.startswith(" "))
    assert fields["Package"] == "wallet-crm" and fields["Version"] == "@VERSION@"
    depends = control.split("Depends: ", 1)[1].split("\nDescription:")[0]
    for package in ("libgl1", "libegl1", "libxkbcommon0", "libxcb-cursor0", "fonts-noto-cjk"):
        assert package in depends
    # The CI machine installs these for Qt: a computer that installs the .deb must get them too.
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    ci_packages = ci.split("packages=(", 1)[1].split(")", 1)[0].split()
    for package in ci_packages:
        if package.startswith("lib"):
            assert package in depends, package
