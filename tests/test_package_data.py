"""templates/, wordlists/ and the locale files ship inside the wheel and are found after a non-editable install."""
import subprocess
import sys
import zipfile
from pathlib import Path

import msglint
from msglint import resources

REPO = Path(__file__).resolve().parent.parent


def test_data_directories_are_found():
    assert (resources.templates_dir() / "catalogue.yaml").is_file()
    assert any(resources.templates_dir().glob("en/*.txt.j2"))
    assert resources.wordlists_dir().is_dir()


def test_locale_files_are_package_data():
    from msglint import explain
    package = Path(msglint.__file__).resolve().parent
    assert explain.LOCALE_DIR == package / "locale"
    assert {p.name for p in explain.LOCALE_DIR.glob("*.yml")} == {"en.yml", "zh.yml"}


def test_installed_package_uses_its_own_copy():
    package = Path(msglint.__file__).resolve().parent
    if package.parent == REPO:  # running from a source checkout / editable install
        assert resources.templates_dir() == REPO / "templates"
    else:  # a real install: the data must be inside the package, not borrowed from the checkout
        assert resources.templates_dir() == package / "templates"
        assert resources.wordlists_dir() == package / "wordlists"


def test_wheel_contains_templates_and_wordlists(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (wheel,) = tmp_path.glob("msglint-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "msglint/templates/catalogue.yaml" in names
    assert any(n.startswith("msglint/templates/ja/") and n.endswith(".txt.j2") for n in names)
    assert any(n.startswith("msglint/wordlists/") for n in names)
    # the drafting desk's page, script and stylesheet (served offline from the package)
    assert {"msglint/deskfiles/desk.html", "msglint/deskfiles/desk.js", "msglint/deskfiles/desk.css"} <= names
    assert {"msglint/locale/en.yml", "msglint/locale/zh.yml"} <= names  # explanations in English and Chinese
    assert "msglint/modeldata/message_model.npz" in names  # the text model of CD007, UN008, MK009, RI002, RM010
