"""The parsed-data cache of msglint's YAML files: same data as YAML, never stale, never fatal."""
import json

import pytest

from msglint import datafile


def _load(path):
    datafile.load.cache_clear()
    return datafile.load(path)


def test_second_load_reads_the_cache_and_gives_the_same_data(tmp_path, monkeypatch):
    monkeypatch.setenv("MSGLINT_CACHE_DIR", str(tmp_path / "cache"))
    src = tmp_path / "de.yml"
    src.write_text("terms:\n  ask: [bitte, 'no', 5]\n", encoding="utf-8")
    first = _load(src)
    cached = list((tmp_path / "cache" / "msglint" / "data").glob("*.json"))
    assert len(cached) == 1
    assert json.loads(cached[0].read_text("utf-8")) == {"data": {"terms": {"ask": ["bitte", "no", 5]}}}
    second = _load(src)
    assert second.data == first.data == {"terms": {"ask": ["bitte", "no", 5]}}
    # line numbers still come from the file's own text
    assert second.line_of("terms", "ask") == 2


def test_an_edited_file_is_parsed_again(tmp_path, monkeypatch):
    monkeypatch.setenv("MSGLINT_CACHE_DIR", str(tmp_path / "cache"))
    src = tmp_path / "fr.yml"
    src.write_text("terms:\n  ask: [merci]\n", encoding="utf-8")
    _load(src)
    src.write_text("terms:\n  ask: [mercy]\n", encoding="utf-8")  # same size, same second
    assert _load(src).data == {"terms": {"ask": ["mercy"]}}


def test_a_corrupt_cache_file_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("MSGLINT_CACHE_DIR", str(tmp_path / "cache"))
    src = tmp_path / "es.yml"
    src.write_text("a: [1, 2]\n", encoding="utf-8")
    _load(src)
    for f in (tmp_path / "cache" / "msglint" / "data").glob("*.json"):
        f.write_text("{not json", encoding="utf-8")
    assert _load(src).data == {"a": [1, 2]}


def test_data_json_cannot_hold_is_not_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("MSGLINT_CACHE_DIR", str(tmp_path / "cache"))
    src = tmp_path / "it.yml"
    src.write_text("1: uno\nwhen: 2026-12-07\n", encoding="utf-8")  # an int key and a date
    assert _load(src).data == {1: "uno", "when": __import__("datetime").date(2026, 12, 7)}
    assert not list((tmp_path / "cache").rglob("*.json"))


def test_an_unwritable_cache_directory_only_costs_time(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("MSGLINT_CACHE_DIR", str(blocker))  # a file where the directory should be
    src = tmp_path / "ja.yml"
    src.write_text("terms: {ask: [ください]}\n", encoding="utf-8")
    assert _load(src).data == {"terms": {"ask": ["ください"]}}


def test_a_yaml_mistake_names_its_line_and_is_not_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("MSGLINT_CACHE_DIR", str(tmp_path / "cache"))
    src = tmp_path / "en.yml"
    src.write_text("terms:\n  ask: [please\n  give: x\n", encoding="utf-8")
    with pytest.raises(datafile.DataError, match=r"en\.yml:\d+: not valid YAML"):
        _load(src)
    assert not list((tmp_path / "cache").rglob("*.json"))
