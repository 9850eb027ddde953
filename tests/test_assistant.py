"""The interactive drafting assistant, driven end to end."""
import os
import pty
import select
import subprocess
import sys
import time

from click.testing import CliRunner

from msglint.cli import main

# search "damaged photo", pick 1, language en, buyer name, a wrong order ID then a right one,
# seller, product, accept
SESSION = "\n".join([
    "damaged photo", "1", "en", "Melissa", "12345", "113-5529107-3341628", "Lumora Home", "glass carafe", "a",
]) + "\n"


def test_interactive_session_accepts_a_clean_draft():
    result = CliRunner().invoke(main, ["draft", "--marketplace", "US"], input=SESSION)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Hello Melissa,")
    assert "113-5529107-3341628" in result.stdout and "glass carafe" in result.stdout
    assert "Scenarios matching 'damaged photo':" in result.stderr
    assert "order_id: '12345' is not an Amazon order ID" in result.stderr  # validated, asked again
    assert "No findings." in result.stderr


def test_interactive_change_a_value_relints_and_refuses_to_accept_errors(tmp_path):
    out = tmp_path / "reply.txt"
    answers = "\n".join([
        "1", "en", "", "113-5529107-3341628", "Vellby Home", "Linen cushion cover", "UPS", "2026-12-05",
        "c", "product", "cover, see www.vellby-shop.com",  # a link typed into a free-text value
        "a",                                               # refused: the draft has an error
        "c", "product", "Linen cushion cover",
        "a",
    ]) + "\n"
    result = CliRunner().invoke(main, ["draft", "--output", str(out)], input=answers)
    assert result.exit_code == 0, result.stderr
    assert "CU001 [error]" in result.stderr
    assert "The draft still has errors" in result.stderr
    assert out.read_text("utf-8").startswith("Hello,\n")  # no buyer name: greeting fallback
    assert "www.vellby-shop.com" not in out.read_text("utf-8")


def test_interactive_edit_in_editor_is_relinted(monkeypatch):
    import click
    monkeypatch.setattr(click, "edit", lambda text, **kw: text + "\nCall me on (415) 555-0171.\n")
    answers = "\n".join(["1", "en", "Ann", "113-5529107-3341628", "Vellby Home", "Lamp", "UPS",
                         "2026-12-05", "e", "q"]) + "\n"
    result = CliRunner().invoke(main, ["draft"], input=answers)
    assert result.exit_code == 0
    assert "CP001 [error]" in result.stderr
    assert "Quit: nothing was written." in result.stderr
    assert result.stdout == ""


def test_interactive_session_under_a_pseudo_terminal(tmp_path):
    """A real terminal: prompts are answered as a person would type them."""
    out = tmp_path / "reply.txt"
    master, slave = pty.openpty()
    env = dict(os.environ, TERM="dumb", COLUMNS="100")
    proc = subprocess.Popen([sys.executable, "-m", "msglint", "draft", "--output", str(out)],
                            stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    transcript = b""
    seen = 0

    def read_until(marker: bytes, timeout: float = 60) -> None:
        """Read until ``marker`` appears in output that arrived after the previous answer."""
        nonlocal transcript, seen
        end = time.time() + timeout
        while marker not in transcript[seen:]:
            assert time.time() < end, f"timed out waiting for {marker!r}; got {transcript[-500:]!r}"
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    transcript += os.read(master, 4096)
                except OSError:
                    break
        seen = transcript.index(marker, seen) + len(marker)

    steps = [
        (b"Number, or words", b"wrong item\n"),
        (b"Number, or words", b"1\n"),
        (b"Language", b"de\n"),
        (b"buyer_name", b"Jonas\n"),
        (b"order_id", b"302-4471829-5530621\n"),
        (b"seller_name", b"Nordlicht Haushalt\n"),
        (b"product", b"Thermoskanne 1 l, silber\n"),
        (b"received_item", b"Thermoskanne 1 l, schwarz\n"),
        (b"tracking_number", b"\n"),
        (b"send_by", b"2026-12-01\n"),
        (b"[a]ccept", b"a\n"),
    ]
    try:
        for marker, answer in steps:
            read_until(marker)
            os.write(master, answer)
        end = time.time() + 60
        while proc.poll() is None and time.time() < end:  # keep draining the terminal until it exits
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    transcript += os.read(master, 4096)
                except OSError:  # the child closed the terminal: it is exiting
                    break
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            raise AssertionError(transcript.decode("utf-8", "replace")[-1500:]) from None
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    assert proc.returncode == 0, transcript.decode("utf-8", "replace")[-2000:]
    text = out.read_text("utf-8")
    assert text.startswith("Guten Tag Jonas,") and "302-4471829-5530621" in text
    assert "bis zum 1. Dezember 2026 zu" in text  # not sent yet: the day it will be, no claim it was sent


def test_interactive_carrier_prompt_offers_the_marketplace_carriers():
    answers = "\n".join(["where is my order", "1", "ja", "", "503-1182736-4459102", "ノルド商店", "ラタン バスケット",
                         "Colissimo", "yamato", "2026-12-01", "", "a"]) + "\n"
    result = CliRunner().invoke(main, ["draft", "--marketplace", "JP"], input=answers)
    assert result.exit_code == 0, result.stderr
    assert "[ヤマト運輸 / 日本郵便 / 佐川急便 / 西濃運輸 / 福山通運]" in result.stderr
    assert "carrier: 'Colissimo' is not a carrier on the JP marketplace" in result.stderr   # asked again
    assert "ヤマト運輸にて配送中" in result.stdout and "2026年12月1日までにお届けの予定" in result.stdout
