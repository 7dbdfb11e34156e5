"""The message catalogue: every code in both languages with the same parameters, plural forms in English,
every code the sources use is in it (and none it holds is unused), and errors carry their code across a
pickle and into the command line's language."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tests.import_files import numbered_rows, write_csv
from wallet_crm import messages
from wallet_crm.accounts.roles import RoleRequired
from wallet_crm.db.errors import CLASSES, SERVER_WORDING, DatabaseBusy, classify_database_error
from wallet_crm.errors import KnownError, OperationCancelled
from wallet_crm.imports.reasons import reason_text

SOURCES = Path(__file__).resolve().parents[2] / "wallet_crm"
# A code written where the catalogue is used: `code="db.busy"`, `text("import.rejected", ...)`, `BadValue("missing")`.
# `say(code, ...)`: the command line's helper that prints a code's words (cli_imports.py)
USED = re.compile(r"""(?:code=|messages\.text\(|\btext\(|\bsay\(|BadValue\()\s*f?["']([a-z_]+(?:\.[a-z_]+)?)["']""")


def source_codes() -> set[str]:
    """The codes the sources name, and those `classify_database_error` makes from a driver's error."""
    found = {f"db.{kind}" for kind in CLASSES} | {f"db.{kind}_server" for kind in SERVER_WORDING}
    for path in SOURCES.rglob("*.py"):
        for code in USED.findall(path.read_text(encoding="utf-8")):
            found.add(code if "." in code else f"reason.{code}")
    return found


@pytest.mark.parametrize("code", sorted(messages.CATALOGUE))
def test_every_code_speaks_both_languages_with_the_same_parameters(code: str) -> None:
    entry = messages.CATALOGUE[code]
    assert set(entry) == set(messages.LANGUAGES)
    english, chinese = entry["en"], entry["zh_CN"]
    assert messages.parameters(english) == messages.parameters(chinese)
    if not isinstance(english, str):
        assert set(english) == {"one", "other"}
    for form in [chinese] if isinstance(chinese, str) else list(chinese.values()):
        assert re.search(r"[\u4e00-\u9fff]", form), f"{code}: the Chinese text has no Chinese"
    sample = {name: 2 for name in messages.parameters(english)}
    assert messages.text(code, "en", **sample) != messages.text(code, "zh_CN", **sample)


def test_every_code_the_sources_use_is_in_the_catalogue_and_every_entry_is_used() -> None:
    used = source_codes()
    assert len(used) > 40  # the scan found the raise sites
    assert sorted(used - set(messages.CATALOGUE)) == []
    assert sorted(set(messages.CATALOGUE) - used) == []


def test_english_counts_have_plural_forms() -> None:
    assert messages.text("import.rejected", "en", count=1) == "1 row rejected."
    assert messages.text("import.rejected", "en", count=2_500) == "2,500 rows rejected."
    assert messages.text("import.rejected", "zh_CN", count=1) == "1 行被拒绝。"
    assert messages.text("import.held", "en", count=1).startswith("1 row held until its")


def test_a_known_error_says_its_sentence_in_either_language_and_keeps_its_code_when_pickled() -> None:
    error = OperationCancelled(code="cancelled.import", file="账单.xlsx")
    assert str(error) == "Import of 账单.xlsx cancelled; nothing was written."
    assert error.text("zh_CN") == "已取消导入 账单.xlsx；什么都没有写入。"
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is OperationCancelled and again.text("zh_CN") == error.text("zh_CN")
    plain = KnownError("Not in the catalogue yet.")
    assert plain.text("zh_CN") == "Not in the catalogue yet."


def test_a_database_error_is_classified_with_its_words_in_both_languages(tmp_path: Path) -> None:
    busy = classify_database_error(sqlite3.OperationalError("database is locked"), str(tmp_path / "crm.sqlite3"))
    assert isinstance(busy, DatabaseBusy)
    assert str(busy).startswith(f"The database {tmp_path / 'crm.sqlite3'} is busy")
    assert busy.text("zh_CN").startswith(f"数据库 {tmp_path / 'crm.sqlite3'} 正忙")
    server = classify_database_error(sqlite3.OperationalError("database or disk is full"), "postgresql://db/crm")
    assert server is not None and server.text("zh_CN").startswith("存放 postgresql://db/crm 的服务器磁盘已满")


def test_a_role_refusal_names_the_action_and_roles_in_each_language() -> None:
    refused = RoleRequired("import", "小王", "agent")
    assert str(refused) == "Importing transactions needs the supervisor role; 小王 is signed in as agent."
    assert refused.text("zh_CN") == "导入交易需要主管权限；小王 的角色是坐席。"


def test_import_reasons_come_from_the_catalogue() -> None:
    assert reason_text("not_amount", None, "zh_CN") == "不是金额"
    assert reason_text("too_many_decimals", {"decimals": 2, "currency": "CNY"}, "en") == "more than 2 decimals for CNY"
    assert reason_text("no_such_code") == "no_such_code"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh_CN", "不是 wallet-crm 数据库（它不是 SQLite 文件）。"), ("en", "is not a wallet-crm database")],
)
def test_the_command_line_says_a_refusal_in_its_language(tmp_path: Path, language: str, expected: str) -> None:
    not_a_database = tmp_path / "notes.sqlite3"
    not_a_database.write_text("meeting notes, not a database\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "wallet_crm", "--lang", language, "--db", str(not_a_database), "status"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("wallet-crm: error: ") and expected in line


def test_a_database_error_without_a_name_says_the_database_once() -> None:
    import sqlite3

    from wallet_crm.db.errors import classify_database_error

    busy = classify_database_error(sqlite3.OperationalError("database is locked"))
    assert busy is not None
    assert str(busy).startswith("The database is busy: ")
    assert busy.text("zh_CN").startswith("数据库正忙：")


def refusal(*args: str) -> str:
    """The one line the real command prints for a refusal (exit 2), under the tests' C locale."""
    result = subprocess.run([sys.executable, "-m", "wallet_crm", *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("wallet-crm: error: ") and "Traceback" not in result.stderr
    return line


def test_format_mapping_backup_and_usage_refusals_speak_the_command_lines_language(tmp_path: Path) -> None:
    database = str(tmp_path / "crm.sqlite3")
    profile = tmp_path / "profile.json"
    profile.write_text(
        json.dumps({"id": "商户", "name": {"zh_CN": "商户"}, "words": {"status": {"成功": "ok"}}}, ensure_ascii=False),
        encoding="utf-8",
    )
    orders = write_csv(tmp_path / "orders.csv", numbered_rows(3), encoding="utf-8")
    not_a_backup = tmp_path / "notes.sqlite3"
    with closing(sqlite3.connect(not_a_backup)) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    cases = [
        (
            ("profiles", "import", str(profile)),
            "profile.json（商户）：words.status：“成功”对应的“ok”不是有效代码；可用代码：success、failed、pending、"
            "refunded、closed。",
            "profile.json (商户): words.status: '成功' -> 'ok'; codes are success, failed, pending, refunded, closed.",
        ),
        (
            ("import", str(orders), "--map", "手机=2"),
            "orders.csv，第 1 行：未知字段“手机”；可用字段：txn_id、",
            "orders.csv, row 1: unknown field '手机'; fields are txn_id, ",
        ),
        (
            ("restore", str(not_a_backup)),
            f"{not_a_backup} 不是 wallet-crm 备份（其中没有 wallet-crm 的表）：什么都没有改动。",
            f"{not_a_backup} is not a wallet-crm backup (it holds no wallet-crm tables): nothing was changed.",
        ),
        (("queue", "list", "--limit", "-1"), "--limit 必须是 0（全部）或更大的数", "--limit must be 0 (all) or more"),
        (("queue", "lists"), "（见 wallet-crm queue --help）", "(see wallet-crm queue --help)"),
    ]
    for words, chinese, english in cases:
        assert chinese in refusal("--lang", "zh_CN", "--db", database, *words)
        assert chinese in refusal("--db", database, *words)  # the C locale: Chinese, the app's first language
        assert english in refusal("--lang", "en", "--db", database, *words)
    assert not_a_backup.read_bytes().startswith(b"SQLite format 3")  # refused, untouched


def test_a_refusal_raised_in_the_import_says_both_languages_and_str_stays_english(tmp_path: Path) -> None:
    from wallet_crm.db import close_database, open_database
    from wallet_crm.imports import ImportOptions, import_file
    from wallet_crm.imports.format import FormatError
    from wallet_crm.imports.profiles import import_profile

    db = open_database(tmp_path / "crm.sqlite3")
    try:
        with pytest.raises(FormatError) as bad_json:
            import_profile(db, "{not json", "商户.json", dt.datetime(2026, 11, 20, 10, 0))
        assert str(bad_json.value).startswith("商户.json: not JSON (")
        assert bad_json.value.text("zh_CN").startswith("商户.json：不是 JSON（")
        orders = write_csv(tmp_path / "orders.csv", numbered_rows(3), encoding="utf-8")
        with pytest.raises(KnownError) as no_sheet:
            import_file(db, orders, ImportOptions(mapping={"txn_id": 0, "occurred_at": 0}))
        assert str(no_sheet.value) == "orders.csv, row 1: the mapping uses one column for two fields."
        assert no_sheet.value.text("zh_CN") == "orders.csv，第 1 行：映射把同一列用于两个字段。"
    finally:
        close_database()
