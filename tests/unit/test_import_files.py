"""Which files go in (xlsx, xls, CSV in UTF-8 or GBK, several sheets) and which are refused, changing nothing."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import msoffcrypto.format.ooxml
import pytest
import xlwt
from peewee import Database

from tests.import_files import HEADER, PREAMBLE, numbered_rows, row, snapshot, write_csv, write_xlsx
from wallet_crm.db.models import Customer, Transaction
from wallet_crm.errors import UnreadableFileError
from wallet_crm.imports import ImportOptions, NoCustomerError, import_file, preview_file

GBK_ROWS = [
    row("T001", "2026-11-03 14:05:09", "C001", "张三", "13812345678", "消费", "￥1,234.50", "支付成功", "备注：测试"),
    row("T002", "2026/11/3 14:05", "C002", "欧阳娜娜", "+86 139 1234 5678", "转账", "-88.00", "失败"),
]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("gbk", ","), ("gb18030", "\t"), ("utf-8-sig", ","), ("utf-8", ","), ("utf-8", "\t")],
)
def test_csv_in_each_encoding_and_separator(db: Database, tmp_path: Path, encoding: str, delimiter: str) -> None:
    preamble = [("微信支付账单明细",), ("起始时间：[2026-11-01 00:00:00] 终止时间：[2026-11-03 23:59:59]",)]
    footer = [("合计", "", "", "", "", "", "1146.50"), ("#导出时间：2026-11-05",)]
    path = write_csv(tmp_path / "bill.csv", GBK_ROWS, encoding, delimiter, preamble=preamble, footer=footer)

    preview = preview_file(db, path)
    result = import_file(db, path)

    assert preview.encoding == ("gb18030" if encoding.startswith("gb") else "utf-8-sig")
    assert preview.delimiter == delimiter and preview.header_row == 3
    assert (result.inserted, result.rejected, result.skipped) == (2, 0, 2)
    assert Customer.get(Customer.external_id == "C002").name == "欧阳娜娜"
    assert Transaction.get(Transaction.txn_id == "T001").remark == "备注：测试"
    refund = Transaction.get(Transaction.txn_id == "T002")
    assert (refund.amount_fen, refund.direction, refund.currency) == (8800, "out", "CNY")


@pytest.mark.sqlite_only
def test_a_csv_that_is_neither_utf8_nor_gbk_is_refused_not_guessed(db: Database, db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "big5.csv"
    text = ",".join(HEADER) + "\nT001,2026-11-03 14:05:09,C001,陳大文,13812345678,消費,12.50,成功,\n"
    path.write_bytes(text.encode("big5", errors="replace") + bytes(range(0x80, 0x100)))
    before = snapshot(db_path)
    with pytest.raises(UnreadableFileError, match="neither UTF-8 nor GBK"):
        import_file(db, path)
    assert snapshot(db_path) == before


def test_an_old_xls_workbook_is_read(db: Database, tmp_path: Path) -> None:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("交易")
    lines = [*PREAMBLE, HEADER, *numbered_rows(3), row("T009", phone=13812345678.0, amount=12.5)]
    for row_index, line in enumerate(lines):
        for column, value in enumerate(line):
            if value is not None:
                sheet.write(row_index, column, value)
    path = tmp_path / "old.xls"
    book.save(str(path))

    result = import_file(db, path)

    assert (result.inserted, result.rejected) == (4, 0)
    assert Transaction.get(Transaction.txn_id == "T009").amount_fen == 1250


def test_the_sheet_with_transactions_is_chosen_and_another_can_be_asked_for(db: Database, tmp_path: Path) -> None:
    summary = [("汇总",), ("日期", "笔数"), ("2026-11-03", 3)]
    path = write_xlsx(tmp_path / "multi.xlsx", numbered_rows(3), other_sheets={"说明": summary})

    preview = preview_file(db, path)
    assert preview.sheet_names == ("交易明细", "说明") and preview.sheet == "交易明细"
    assert preview.header_row == 4 and len(preview.rows) == 3 and preview.rows[0][0] == "T00001"
    assert preview.missing == () and preview.mapping["amount"] == 6
    assert [column.field for column in preview.columns][:3] == ["txn_id", "occurred_at", "customer_id"]

    with pytest.raises(UnreadableFileError, match="No header row found in sheet '说明'"):
        import_file(db, path, ImportOptions(sheet="说明"))
    with pytest.raises(UnreadableFileError, match="no sheet named 'Sheet9'"):
        import_file(db, path, ImportOptions(sheet="Sheet9"))
    assert import_file(db, path, ImportOptions(sheet="交易明细")).inserted == 3


def _encrypted_workbook(tmp_path: Path) -> Path:
    plain = write_xlsx(tmp_path / "plain.xlsx", numbered_rows(2))
    target = io.BytesIO()
    with plain.open("rb") as handle:
        msoffcrypto.format.ooxml.OOXMLFile(handle).encrypt("secret", target)
    path = tmp_path / "locked.xlsx"
    path.write_bytes(target.getvalue())
    return path


def _bomb(tmp_path: Path) -> Path:
    """A real workbook whose sheet part inflates 1,000-fold: 200 MB of zeros in a ~200 KB file."""
    path = tmp_path / "bomb.xlsx"
    source = write_xlsx(tmp_path / "seed.xlsx", numbered_rows(1))
    with zipfile.ZipFile(source) as seed, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in seed.infolist():
            bomb.writestr(item, seed.read(item))
        with bomb.open("xl/padding.xml", "w") as part:
            block = b"0" * (1024 * 1024)
            for _ in range(200):
                part.write(block)
    return path


def _truncated(tmp_path: Path) -> Path:
    data = write_xlsx(tmp_path / "whole.xlsx", numbered_rows(50)).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def _zip_of_other_things(tmp_path: Path) -> Path:
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.txt", "not a workbook")
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: (tmp / "r.pdf").write_bytes(b"%PDF-1.7\n" + bytes(500)) and tmp / "r.pdf", "a PDF"),
        (lambda tmp: (tmp / "x.xlsx").write_bytes(b"\x00\x01binary" * 100) and tmp / "x.xlsx", "binary data"),
        (lambda tmp: (tmp / "e.csv").write_bytes(b"") or tmp / "e.csv", "is empty"),
        (lambda tmp: (tmp / "p.xls").write_text("<html><table></table></html>") and tmp / "p.xls", "web page"),
        (lambda tmp: tmp / "missing.xlsx", "no such file"),
        (_encrypted_workbook, "password-protected"),
        (_bomb, "decompression bomb"),
        (_truncated, "damaged"),
        (_zip_of_other_things, "not an Excel workbook"),
    ],
    ids=["pdf", "binary", "empty", "html", "missing", "encrypted", "bomb", "truncated", "zip"],
)
@pytest.mark.sqlite_only
def test_what_is_not_a_readable_spreadsheet_is_refused_and_changes_nothing(
    db: Database, db_path: Path, tmp_path: Path, make: object, message: str
) -> None:
    write_xlsx(tmp_path / "ok.xlsx", numbered_rows(2))
    import_file(db, tmp_path / "ok.xlsx")
    path = make(tmp_path)  # type: ignore[operator]
    before = snapshot(db_path)
    with pytest.raises(UnreadableFileError, match=message) as caught:
        import_file(db, path)
    assert path.name in str(caught.value) and "\n" not in str(caught.value)
    assert snapshot(db_path) == before


@pytest.mark.sqlite_only
def test_a_sheet_without_the_needed_columns_names_what_is_missing(db: Database, db_path: Path, tmp_path: Path) -> None:
    header = ("交易单号", "交易时间", "金额", "客户编号")
    path = write_xlsx(tmp_path / "thin.xlsx", [("T1", "2026-11-03 10:00:00", 10, "C1")], header=header)
    before = snapshot(db_path)
    with pytest.raises(UnreadableFileError) as caught:
        import_file(db, path)
    assert "row 4" in str(caught.value) and "no column for status" in str(caught.value)
    assert snapshot(db_path) == before
    assert preview_file(db, path).missing == ("status",)


@pytest.mark.sqlite_only
def test_a_file_that_names_no_customer_is_refused_in_one_line(db: Database, db_path: Path, tmp_path: Path) -> None:
    header = ("交易单号", "交易时间", "金额", "交易状态", "备注")
    path = write_xlsx(tmp_path / "nobody.xlsx", [("T1", "2026-11-03 10:00:00", 10, "成功", "")], header=header)
    before = snapshot(db_path)
    with pytest.raises(NoCustomerError, match=r"nobody\.xlsx names no customer") as caught:
        import_file(db, path)
    assert "\n" not in str(caught.value)
    assert snapshot(db_path) == before
    assert not preview_file(db, path).names_customer
