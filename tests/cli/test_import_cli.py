"""`wallet-crm import`, `imports` and `undo-import` run as the real command."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.import_files import numbered_rows, row, snapshot, write_csv, write_xlsx
from wallet_crm.cli_table import display_width


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wallet_crm", "--db", str(db), *args], capture_output=True, text=True, timeout=120
    )


def test_import_json_then_again_then_history_and_undo(tmp_path: Path) -> None:
    db = tmp_path / "crm.sqlite3"
    path = write_xlsx(tmp_path / "day1.xlsx", [*numbered_rows(3), row("BAD", amount="lots")])

    first = run(db, "import", str(path), "--json")

    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == {
        "file": str(path),
        "format": "generic",
        "profile": None,
        "inserted": 3,
        "duplicates": 0,
        "rejected": 1,
        "skipped": 0,
        "held": 0,
        "customers_created": 3,
        "customers_updated": 0,
        "batch_id": 1,
        "errors": [
            {"row": 8, "field": "amount", "value": "lots", "reason": "not an amount of money", "code": "not_amount"}
        ],
        "errors_not_listed": 0,
        "warnings": [],
        "warnings_not_listed": 0,
        "unknown_words": {},
        "dry_run": False,
    }
    again = json.loads(run(db, "import", str(path), "--json").stdout)
    assert (again["inserted"], again["duplicates"], again["batch_id"]) == (0, 3, None)  # no empty batch

    status = json.loads(run(db, "status", "--json").stdout)
    assert (status["customers"], status["transactions"]) == (3, 3)

    history = json.loads(run(db, "imports", "--json").stdout)
    assert [(b["id"], b["file_name"], b["inserted"], b["undone_at"]) for b in history] == [(1, "day1.xlsx", 3, None)]
    undo = run(db, "undo-import", "1")
    assert undo.returncode == 0 and "批次 1 已撤销：删除交易 3 条、客户 3 位。" in undo.stdout  # C locale: Chinese
    status = json.loads(run(db, "status", "--json").stdout)
    assert (status["customers"], status["transactions"]) == (0, 0)
    refused = run(db, "undo-import", "1")
    assert (
        refused.returncode == 2 and "已于" in refused.stderr and "撤销" in refused.stderr
    )  # Chinese: the CLI's language under a C locale
    assert len(refused.stderr.strip().splitlines()) == 1


def test_dry_run_and_several_files(tmp_path: Path) -> None:
    db = tmp_path / "crm.sqlite3"
    day1 = write_xlsx(tmp_path / "day1.xlsx", numbered_rows(2))
    day2 = write_csv(tmp_path / "day2.csv", numbered_rows(3), "gbk")
    assert run(db, "status").returncode == 0
    before = snapshot(db)

    dry = run(db, "import", str(day1), str(day2), "--dry-run", "--json")

    assert dry.returncode == 0, dry.stderr
    results = [json.loads(line) for line in dry.stdout.splitlines()]
    assert [(r["file"], r["inserted"], r["batch_id"]) for r in results] == [(str(day1), 2, None), (str(day2), 3, None)]
    assert all(r["dry_run"] is True and r["errors_not_listed"] == 0 for r in results)
    assert snapshot(db) == before

    real = run(db, "import", str(day1), str(day2))  # the summary in the command line's language: Chinese here
    assert real.returncode == 0
    lines = real.stdout.splitlines()
    assert "新增 2 条，重复 0 条" in lines[0] and "新增 1 条，重复 2 条" in lines[1]
    assert lines[-1] == "回访队列：新任务 0 个，待处理 0 个"
    again = run(db, "--lang", "en", "import", str(day1), "--dry-run")
    assert "would insert 0, duplicates 2," in again.stdout and "(dry run: nothing written)" in again.stdout


def test_a_file_that_cannot_be_read_exits_2_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "crm.sqlite3"
    good = write_xlsx(tmp_path / "good.xlsx", numbered_rows(2))
    assert run(db, "import", str(good)).returncode == 0
    bad = tmp_path / "notes.xlsx"
    bad.write_text("just some notes, not a spreadsheet\n" * 20, encoding="utf-8")
    before = snapshot(db)

    result = run(db, "import", str(bad))

    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "notes.xlsx" in lines[0] and "Traceback" not in result.stderr
    assert snapshot(db) == before


def test_sheet_option_picks_the_sheet(tmp_path: Path) -> None:
    db = tmp_path / "crm.sqlite3"
    path = write_xlsx(tmp_path / "m.xlsx", numbered_rows(2), other_sheets={"十一月": [("交易单号",)]})
    result = run(db, "import", str(path), "--sheet", "十一月", "--json")
    assert result.returncode == 2 and "十一月" in result.stderr
    assert json.loads(result.stdout)["error"].startswith("No header row found")


def _settled_file(tmp_path: Path) -> Path:
    """An operator's own export: English headers the generic format knows, one status word it doesn't."""
    lines = [
        "Order No,Paid At,Mobile,Amount,Result,Kind",
        "A1,2026-11-03 10:00:00,13812345678,10.00,Settled,payment",
        "A2,2026-11-03 11:00:00,13812345679,20.00,Settled,payment",
        "A3,2026-11-03 12:00:00,13812345670,30.00,Failed,payment",
    ]
    path = tmp_path / "orders.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_unknown_status_words_are_listed_refused_then_mapped_once(tmp_path: Path) -> None:
    db = tmp_path / "crm.sqlite3"
    path = _settled_file(tmp_path)

    dry = json.loads(run(db, "import", str(path), "--dry-run", "--json").stdout)
    assert dry["unknown_words"] == {"status": {"Settled": 2}}
    assert (dry["inserted"], dry["held"]) == (1, 2)

    refused = run(db, "import", str(path), "--json")
    assert refused.returncode == 2
    assert len(refused.stderr.strip().splitlines()) == 1 and "Settled" in refused.stderr
    assert json.loads(refused.stdout)["unknown_words"] == {"status": {"Settled": 2}}
    assert json.loads(run(db, "status", "--json").stdout)["transactions"] == 0

    mapped = json.loads(run(db, "import", str(path), "--word", "status:Settled=success", "--json").stdout)
    assert (mapped["inserted"], mapped["held"], mapped["unknown_words"]) == (3, 0, {})
    assert mapped["profile"]  # the mapping was kept

    again = path.with_name("orders-2.csv")
    again.write_text(path.read_text(encoding="utf-8").replace("A1,", "B1,").replace("A2,", "B2,"), encoding="utf-8")
    second = json.loads(run(db, "import", str(again), "--json").stdout)
    assert (second["inserted"], second["profile"]) == (2, mapped["profile"])  # no --word needed now


def test_row_problems_name_the_field_in_the_command_lines_language(tmp_path: Path) -> None:
    """Chinese names each field by its label and, for --map and --word, its name; English by its label."""
    db = tmp_path / "crm.sqlite3"
    path = tmp_path / "bad.csv"
    path.write_text(
        "交易单号,交易时间,手机号,金额,状态\n"
        "T1,2026-11-01 10:00:00,13812345678,abc,成功\n"
        "T2,2026-11-01 11:00:00,13812345679,12.50,挂起\n"
        "T3,2026-11-01 12:00:00,12345,13.00,成功\n",
        encoding="utf-8",
    )

    chinese = run(db, "--lang", "zh_CN", "import", str(path), "--dry-run").stdout
    assert "  第 2 行，金额（amount） “abc”：不是金额" in chinese
    assert "  警告：第 4 行，手机号（phone） “12345”：" in chinese
    assert "  未对应的状态（status）词 “挂起”：1 行，例如第 3 行；用 --word status:挂起=CODE 对应" in chinese
    english = run(db, "--lang", "en", "import", str(path), "--dry-run").stdout
    assert "  row 2, amount 'abc': not an amount of money" in english
    assert "  unknown status word '挂起': 1 rows, e.g. row 3; map it with --word status:挂起=CODE" in english


def test_the_history_and_the_formats_speak_the_command_lines_language(tmp_path: Path) -> None:
    db = tmp_path / "crm.sqlite3"
    path = write_csv(tmp_path / "day1.csv", numbered_rows(3), "utf-8")
    assert run(db, "import", str(path)).returncode == 0

    header, batch = run(db, "--lang", "zh_CN", "imports").stdout.splitlines()
    assert header.split() == ["批次", "导入时间", "导入人", "新增", "重复", "拒绝", "文件"]
    assert display_width(header[: header.index("文件")]) == len(batch[: batch.index("day1.csv")])
    english = run(db, "--lang", "en", "imports").stdout.splitlines()
    assert english[0].split()[:2] == ["batch", "imported"] and english[1].endswith("day1.csv")

    formats = run(db, "--lang", "zh_CN", "profiles", "list").stdout
    assert formats.startswith("已保存的配置：还没有\n内置格式：\n") and "支付宝商家业务明细" in formats
    assert "Alipay merchant business detail" in run(db, "--lang", "en", "profiles", "list").stdout


def test_map_moves_a_field_and_bad_words_exit_2(tmp_path: Path) -> None:
    db = tmp_path / "crm.sqlite3"
    path = tmp_path / "odd.csv"
    path.write_text("Ref,When,Who,Sum,State,Note\nR1,2026-11-03 10:00:00,VIP-7,12.30,success,x\n", encoding="utf-8")
    refused = run(db, "import", str(path))
    assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1

    mapped = run(
        db, "import", str(path), "--map", "txn_id=Ref", "--map", "occurred_at=2", "--map", "customer_id=Who",
        "--map", "amount=Sum", "--map", "status=State", "--json",
    )  # fmt: skip
    assert mapped.returncode == 0, mapped.stderr
    assert json.loads(mapped.stdout)["inserted"] == 1
    rows = sqlite3.connect(db).execute("SELECT txn_id, amount_fen FROM transactions").fetchall()
    assert rows == [("R1", 1230)]

    for bad in (["--word", "status:Settled=great"], ["--map", "phone"], ["--map", "nosuchfield=Ref"]):
        result = run(db, "import", str(path), *bad)
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, bad


def test_profiles_list_show_export_and_import_between_two_databases(tmp_path: Path) -> None:
    first, second = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    path = _settled_file(tmp_path)
    made = json.loads(
        run(first, "import", str(path), "--word", "status:Settled=success", "--save-as", "shop", "--json").stdout
    )
    assert made["profile"] == "shop"

    listing = json.loads(run(first, "profiles", "list", "--json").stdout)
    assert {"name": "shop", "kind": "profile", "title": "shop"} in listing
    assert any(item["name"] == "wechat_pay_trade" and item["kind"] == "builtin" for item in listing)
    shown = json.loads(run(first, "profiles", "show", "shop").stdout)
    assert shown["words"]["status"]["Settled"] == "success"

    exported = tmp_path / "shop.json"
    assert run(first, "profiles", "export", "shop", str(exported)).returncode == 0
    assert run(second, "profiles", "import", str(exported)).returncode == 0
    imported = json.loads(run(second, "import", str(path), "--json").stdout)
    assert (imported["inserted"], imported["profile"]) == (3, "shop")

    broken = tmp_path / "broken.json"
    broken.write_text('{"id": "x", "name": {"en": "x"}, "words": {"status": {"ok": "fine"}}}', encoding="utf-8")
    refused = run(second, "profiles", "import", str(broken))
    assert refused.returncode == 2 and "fine" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
