"""Each platform's real export goes in through its own built-in format (imports/formats/*.json).

The files come from `tests/platform_files.py`, written in each platform's layout. The expected values
below are worked out by hand from the rows those writers hold: times in Asia/Shanghai (the default
operator zone), amounts as magnitudes in minor units of their currency beside a direction, refunds
as their own transactions, and the customer each row names (kind and value).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from peewee import Database

from tests.platform_files import (
    WECHAT_OPENIDS,
    write_alipay_merchant_account,
    write_alipay_merchant_business,
    write_alipay_personal,
    write_bank_statement,
    write_jd_personal,
    write_paypal_activity,
    write_stripe_payments,
    write_wechat_pay_fund,
    write_wechat_pay_trade,
    write_wechat_personal,
)
from wallet_crm.errors import KnownError
from wallet_crm.imports import ImportResult, import_file
from wallet_crm.imports.formats import builtin_formats, load_builtin_formats

# occurred_at, amount (minor units), currency, direction, status, txn_type, customer kind, customer value
Stored = tuple[str, int, str, str | None, str, str, str, str]


def _transactions(db: Database) -> dict[str, Stored]:
    rows = db.execute_sql(
        """SELECT t.txn_id, t.occurred_at, t.amount_fen, t.currency, t.direction, t.status, t.txn_type,
                  c.id_kind, COALESCE(c.external_id, c.phone)
             FROM transactions t JOIN customers c ON c.id = t.customer_id"""
    ).fetchall()
    return {str(row[0]): (str(row[1]), row[2], row[3], row[4], row[5], row[6], row[7], row[8]) for row in rows}


def _column(db: Database, name: str) -> dict[str, object]:
    """txn_id -> one more column of `transactions` (type_word, channel, merchant, remark)."""
    assert name in ("type_word", "channel", "merchant", "remark")
    return {str(row[0]): row[1] for row in db.execute_sql(f"SELECT txn_id, {name} FROM transactions").fetchall()}


def _customers(db: Database) -> set[tuple[str, str | None, str | None]]:
    return {
        (row[0], row[1], row[2])
        for row in db.execute_sql("SELECT id_kind, external_id, name FROM customers").fetchall()
    }


def _count(db: Database, table: str) -> int:
    return int(db.execute_sql(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def _counts(result: ImportResult) -> tuple[int, int, int, int]:
    return result.inserted, result.duplicates, result.rejected, result.skipped


def _again_inserts_nothing(db: Database, path: Path, first: ImportResult) -> None:
    again = import_file(db, path)
    assert (again.inserted, again.duplicates) == (0, first.inserted)


def _refused_for_no_customer(db: Database, path: Path, title: str) -> None:
    with pytest.raises(KnownError, match=r"names no customer") as caught:
        import_file(db, path)
    assert re.search(re.escape(title), str(caught.value)), str(caught.value)
    assert "\n" not in str(caught.value)
    assert _count(db, "transactions") == 0 and _count(db, "customers") == 0


def test_every_format_file_loads_and_names_its_source() -> None:
    formats = {fmt.id: fmt for fmt in load_builtin_formats()}
    assert set(formats) >= {
        "generic",
        "wechat_pay_trade",
        "wechat_pay_fund",
        "alipay_merchant_business",
        "alipay_merchant_account",
        "alipay_personal",
        "wechat_personal",
        "jd_personal",
        "bank_statement",
        "paypal_activity",
        "stripe_payments",
    }
    for fmt in builtin_formats():
        assert fmt.match and fmt.name.get("zh_CN") and fmt.name.get("en"), fmt.id


# --- WeChat Pay merchant bills ---------------------------------------------------------------------------

WX = "42000021012026110312345678"  # the 微信订单号 prefix; the rows add two digits
O1, O2, O3, O4 = WECHAT_OPENIDS
WX_PAYMENTS: dict[str, Stored] = {
    WX + "01": ("2026-11-03 09:12:45", 12800, "CNY", "in", "success", "payment", "platform_user", O1),
    WX + "02": ("2026-11-03 10:03:18", 4550, "CNY", "in", "success", "payment", "platform_user", O2),
    WX + "03": ("2026-11-03 11:20:07", 30000, "CNY", "in", "success", "payment", "platform_user", O1),
    WX + "04": ("2026-11-03 13:45:59", 1990, "CNY", "in", "success", "payment", "platform_user", O3),
    WX + "05": ("2026-11-03 14:05:09", 6600, "CNY", "in", "closed", "payment", "platform_user", O4),
    WX + "06": ("2026-11-03 15:30:00", 8880, "CNY", "in", "success", "payment", "platform_user", O2),
    WX + "07": ("2026-11-03 19:05:33", 1200, "CNY", "in", "success", "payment", "platform_user", O3),
    WX + "08": ("2026-11-03 20:18:46", 128800, "CNY", "in", "success", "payment", "platform_user", O4),
    WX + "09": ("2026-11-03 21:40:02", 990, "CNY", "in", "success", "payment", "platform_user", O2),
    WX + "10": ("2026-11-03 22:55:31", 52000, "CNY", "in", "success", "payment", "platform_user", O3),
}
WX_REFUNDS: dict[str, Stored] = {
    "50300000012026110312345678901": (
        "2026-11-03 16:10:22",
        10000,
        "CNY",
        "out",
        "success",
        "refund",
        "platform_user",
        O1,
    ),
    "50300000012026110312345678902": (
        "2026-11-03 17:42:10",
        5000,
        "CNY",
        "out",
        "pending",
        "refund",
        "platform_user",
        O1,
    ),
    "50300000012026110312345678903": (
        "2026-11-03 18:00:00",
        12800,
        "CNY",
        "out",
        "success",
        "refund",
        "platform_user",
        O1,
    ),
}


def test_wechat_pay_all_bill_keeps_refunds_apart_from_their_payments(db: Database, tmp_path: Path) -> None:
    path = write_wechat_pay_trade(tmp_path / "All2026-11-03.csv")

    result = import_file(db, path)

    assert result.format_id == "wechat_pay_trade"
    assert _counts(result) == (13, 0, 0, 2)  # the summary line and its totals line are skipped
    assert not result.unknown_words and result.errors == ()
    assert _transactions(db) == {**WX_PAYMENTS, **WX_REFUNDS}
    assert _customers(db) == {("platform_user", openid, None) for openid in WECHAT_OPENIDS}
    assert _column(db, "channel")[WX + "04"] == "MICROPAY"  # 交易类型 is the channel, not our type
    assert _column(db, "type_word")[WX + "04"] is None
    assert _column(db, "merchant")[WX + "01"] == "1900012345"
    assert _column(db, "remark")[WX + "02"] == "洗车单次"
    _again_inserts_nothing(db, path, result)


def test_wechat_pay_refund_and_success_bills_are_the_same_transactions(db: Database, tmp_path: Path) -> None:
    refunds = import_file(db, write_wechat_pay_trade(tmp_path / "Refund2026-11-03.csv", "REFUND"))
    assert refunds.format_id == "wechat_pay_trade"
    assert _counts(refunds) == (3, 0, 0, 2)
    assert _transactions(db) == WX_REFUNDS  # dated by 退款申请时间, not by the payment's 交易时间

    success = import_file(db, write_wechat_pay_trade(tmp_path / "Success2026-11-03.csv", "SUCCESS"))
    assert _counts(success) == (9, 0, 0, 2)  # the revoked payment is not in a SUCCESS bill

    everything = import_file(db, write_wechat_pay_trade(tmp_path / "All2026-11-03.csv"))
    assert _counts(everything) == (1, 12, 0, 2)  # only the revoked payment is new
    assert _transactions(db) == {**WX_PAYMENTS, **WX_REFUNDS}


def test_wechat_pay_fund_bill_is_refused_as_naming_no_customer(db: Database, tmp_path: Path) -> None:
    path = write_wechat_pay_fund(tmp_path / "FundFlow2026-11-03.csv")
    _refused_for_no_customer(db, path, "WeChat Pay merchant fund-flow bill")


# --- Alipay merchant bills -------------------------------------------------------------------------------

ALI = "20261103220014111111111111"


def test_alipay_business_detail_with_masked_buyers_names_no_customer(db: Database, tmp_path: Path) -> None:
    # Today's 业务明细 masks every 对方账户 (*明(138******78)): no row says who the buyer is.
    path = write_alipay_merchant_business(tmp_path / "20881234567890120156_20261103_业务明细.csv")
    _refused_for_no_customer(db, path, "Alipay merchant business detail")


def test_alipay_business_detail_refunds_share_the_trade_number(db: Database, tmp_path: Path) -> None:
    path = write_alipay_merchant_business(tmp_path / "业务明细.csv", masked=False)

    result = import_file(db, path)

    assert result.format_id == "alipay_merchant_business"
    assert _counts(result) == (12, 0, 0, 4)  # the list-end line, 交易合计, 退款合计, 导出时间
    assert not result.unknown_words and result.errors == ()
    ming, yan, qiang, fang = "王明(13812345678)", "李燕(yanli88@163.com)", "赵强(15900001121)", "陈芳(fangchen@qq.com)"
    assert _transactions(db) == {
        ALI + "01": ("2026-11-03 09:01:15", 5800, "CNY", "in", "success", "payment", "platform_user", ming),
        ALI + "02": ("2026-11-03 09:40:09", 12000, "CNY", "in", "success", "payment", "platform_user", yan),
        ALI + "03": ("2026-11-03 10:15:33", 3550, "CNY", "in", "success", "payment", "platform_user", qiang),
        "RF2026110300103": ("2026-11-03 11:02:47", 3550, "CNY", "out", "success", "refund", "platform_user", qiang),
        ALI + "04": ("2026-11-03 12:20:04", 29900, "CNY", "in", "success", "payment", "platform_user", fang),
        ALI + "04#refund": ("2026-11-03 15:45:12", 10000, "CNY", "out", "success", "refund", "platform_user", fang),
        ALI + "05": ("2026-11-03 13:05:47", 1280, "CNY", "in", "success", "payment", "platform_user", ming),
        ALI + "06": ("2026-11-03 14:30:25", 800, "CNY", "in", "success", "payment", "platform_user", yan),
        ALI + "07": ("2026-11-03 16:12:10", 6660, "CNY", "in", "success", "payment", "platform_user", ming),
        ALI + "08": ("2026-11-03 17:49:01", 100000, "CNY", "in", "success", "payment", "platform_user", qiang),
        ALI + "09": ("2026-11-03 19:22:40", 4500, "CNY", "in", "success", "payment", "platform_user", fang),
        ALI + "10": ("2026-11-03 20:58:16", 1990, "CNY", "in", "success", "payment", "platform_user", yan),
    }
    assert _customers(db) == {("platform_user", who, None) for who in (ming, yan, qiang, fang)}
    assert _column(db, "type_word")[ALI + "04#refund"] == "退款"
    assert _column(db, "merchant")[ALI + "01"] == "徐汇店" and _column(db, "merchant")[ALI + "03"] is None
    _again_inserts_nothing(db, path, result)


def test_alipay_account_statement_reads_separate_in_and_out_columns(db: Database, tmp_path: Path) -> None:
    path = write_alipay_merchant_account(tmp_path / "20881234567890120156_20261103_账务明细.csv")

    result = import_file(db, path)

    assert result.format_id == "alipay_merchant_account"
    assert _counts(result) == (9, 0, 1, 4)  # the withdrawal names only a masked bank card
    assert not result.unknown_words
    assert [(error.row, error.field_name) for error in result.errors] == [(12, "platform_user")]
    ting, lei, jing = "周婷 (zhouting@126.com)", "孙磊 (13911112222)", "吴静 (wujing@example.com)"
    hao, xue = "郑浩 (zhenghao@163.com)", "冯雪 (fengxue@qq.com)"
    assert _transactions(db) == {
        "20261103000111": ("2026-11-03 08:30:12", 8800, "CNY", "in", "success", "payment", "platform_user", ting),
        "20261103000112": ("2026-11-03 09:15:40", 8800, "CNY", "in", "success", "payment", "platform_user", lei),
        "20261103000113": ("2026-11-03 10:02:05", 198000, "CNY", "in", "success", "payment", "platform_user", jing),
        "20261103000114": ("2026-11-03 11:20:00", 8800, "CNY", "out", "success", "refund", "platform_user", lei),
        "20261103000115": ("2026-11-03 12:45:31", 15000, "CNY", "in", "success", "payment", "platform_user", ting),
        "20261103000116": ("2026-11-03 14:05:09", 8800, "CNY", "in", "success", "payment", "platform_user", hao),
        "20261103000118": ("2026-11-03 17:30:45", 26000, "CNY", "in", "success", "payment", "platform_user", jing),
        "20261103000119": ("2026-11-03 18:10:10", 50000, "CNY", "out", "success", "refund", "platform_user", jing),
        "20261103000120": ("2026-11-03 19:20:20", 8800, "CNY", "in", "success", "payment", "platform_user", xue),
    }
    assert _customers(db) == {("platform_user", who, None) for who in (ting, lei, jing, hao, xue)}
    assert _column(db, "type_word")["20261103000113"] == "交易付款"
    assert _column(db, "channel")["20261103000111"] == "支付宝"
    _again_inserts_nothing(db, path, result)


# --- Personal statements ---------------------------------------------------------------------------------

AP = "20261103220014000011111100"


def test_alipay_personal_statement_in_gbk_names_the_counterparty(db: Database, tmp_path: Path) -> None:
    path = write_alipay_personal(tmp_path / "支付宝交易明细(20261101-20261130).csv")
    assert path.read_bytes().decode("gbk").startswith("-" * 84)

    result = import_file(db, path)

    assert result.format_id == "alipay_personal"
    assert _counts(result) == (12, 0, 0, 0)
    assert not result.unknown_words and result.errors == ()
    c = "counterparty"
    assert _transactions(db) == {
        AP + "01": ("2026-11-03 12:10:05", 2800, "CNY", "out", "success", "payment", c, "老王面馆"),
        AP + "02": ("2026-11-03 18:22:41", 50000, "CNY", "in", "success", "transfer", c, "张伟"),
        AP + "03": ("2026-11-04 09:05:00", 15680, "CNY", "out", "success", "payment", c, "华润万家"),
        AP + "03_CRV20261104RF01": ("2026-11-04 20:30:12", 5680, "CNY", "none", "refunded", "refund", c, "华润万家"),
        AP + "05": ("2026-11-05 08:15:33", 2350, "CNY", "out", "success", "payment", c, "滴滴出行"),
        AP + "06": ("2026-11-05 14:00:00", 10000, "CNY", "out", "success", "payment", c, "中国移动"),
        AP + "07": ("2026-11-06 10:45:20", 20000, "CNY", "out", "success", "transfer", c, "李娜"),
        AP + "08": ("2026-11-06 16:20:00", 35, "CNY", "none", "success", "other", c, "余额宝"),
        AP + "09": ("2026-11-07 11:11:11", 1990, "CNY", "out", "closed", "payment", c, "拼多多平台商户"),
        AP + "10": ("2026-11-07 21:08:09", 19900, "CNY", "out", "pending", "payment", c, "优衣库"),
        AP + "11": ("2026-11-08 13:30:00", 6600, "CNY", "in", "success", "transfer", c, "张伟"),
        AP + "12": ("2026-11-08 19:45:10", 100000, "CNY", "none", "success", "other", c, "余额宝"),
    }
    names = ("老王面馆", "张伟", "华润万家", "滴滴出行", "中国移动", "李娜", "余额宝", "拼多多平台商户", "优衣库")
    assert _customers(db) == {(c, name, name) for name in names}
    assert _column(db, "type_word")[AP + "08"] == "投资理财"
    assert _column(db, "channel")[AP + "05"] == "招商银行储蓄卡(8888)"
    _again_inserts_nothing(db, path, result)


def test_wechat_personal_workbook_reads_yuan_signs_and_status_words(db: Database, tmp_path: Path) -> None:
    path = write_wechat_personal(tmp_path / "微信支付账单(20261101-20261130).xlsx")

    result = import_file(db, path)

    assert result.format_id == "wechat_personal"
    assert _counts(result) == (15, 0, 0, 0)
    assert not result.unknown_words and result.errors == ()
    c = "counterparty"
    assert _transactions(db) == {
        "4200002201202611020000001234": (
            "2026-11-02 08:15:30",
            1590,
            "CNY",
            "out",
            "success",
            "payment",
            c,
            "瑞幸咖啡",
        ),
        "10001071012026110200123456789012": (
            "2026-11-02 12:40:11",
            2200,
            "CNY",
            "out",
            "success",
            "payment",
            c,
            "兰州拉面",
        ),
        "1000050001202611030012345678": ("2026-11-03 19:05:00", 30000, "CNY", "in", "success", "transfer", c, "陈晨"),
        "10000499012026110400098765432": ("2026-11-04 10:20:45", 8800, "CNY", "out", "success", "transfer", c, "陈晨"),
        "4200002202202611050000002345": (
            "2026-11-05 13:14:52",
            4500,
            "CNY",
            "out",
            "refunded",
            "payment",
            c,
            "美团平台商户",
        ),
        "4200002203202611060000003456": (
            "2026-11-06 09:00:00",
            129900,
            "CNY",
            "out",
            "refunded",
            "payment",
            c,
            "京东商城平台商户",
        ),
        "1000050002202611070012345679": ("2026-11-07 22:30:00", 6600, "CNY", "in", "success", "payment", c, "刘洋"),
        "207202611080001234567800001": (
            "2026-11-08 11:11:11",
            50000,
            "CNY",
            "none",
            "success",
            "withdrawal",
            c,
            "招商银行(8888)",
        ),
        "110202611090001234567800002": (
            "2026-11-09 08:00:00",
            20000,
            "CNY",
            "none",
            "success",
            "top_up",
            c,
            "工商银行(6666)",
        ),
        "1000050003202611100012345680": ("2026-11-10 15:45:30", 15000, "CNY", "out", "success", "transfer", c, "王芳"),
        "1000050004202611110012345681": ("2026-11-11 17:20:00", 5000, "CNY", "out", "refunded", "transfer", c, "王芳"),
        "1000039901202611120012345682": ("2026-11-12 18:00:00", 2000, "CNY", "in", "success", "refund", c, "陈晨"),
        "1000050005202611130012345683": ("2026-11-13 12:00:00", 8000, "CNY", "in", "success", "transfer", c, "赵磊"),
        "4200002204202611140000004567": (
            "2026-11-14 09:30:00",
            3120,
            "CNY",
            "out",
            "success",
            "payment",
            c,
            "滴滴出行",
        ),
        "1000050006202611150012345684": ("2026-11-15 20:00:00", 100000, "CNY", "out", "pending", "transfer", c, "孙悦"),
    }
    assert len(_customers(db)) == 12 and all(kind == c for kind, _, _ in _customers(db))
    assert _column(db, "type_word")["10000499012026110400098765432"] == "微信红包（单发）"
    _again_inserts_nothing(db, path, result)


def test_jd_statement_keeps_refund_notes_and_rejects_a_row_without_an_order_number(
    db: Database, tmp_path: Path
) -> None:
    path = write_jd_personal(tmp_path / "京东交易流水(申请时间2026年12月01日10时20分30秒).csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    result = import_file(db, path)

    assert result.format_id == "jd_personal"
    assert _counts(result) == (11, 0, 1, 0)
    assert not result.unknown_words
    assert [(error.row, error.field_name) for error in result.errors] == [(24, "txn_id")]  # the 亲密卡 row
    c, shop, market, fin = "counterparty", "京东平台商户", "京东超市", "京东金融"
    assert _transactions(db) == {
        "318200000001": ("2026-11-02 10:15:20", 13177, "CNY", "out", "success", "payment", c, shop),
        "318200000001#refund": ("2026-11-03 21:30:00", 8984, "CNY", "none", "refunded", "refund", c, shop),
        "318200000002": ("2026-11-04 08:05:00", 4990, "CNY", "out", "success", "payment", c, market),
        "318200000003": ("2026-11-05 19:45:10", 1772, "CNY", "none", "success", "payment", c, shop),
        "318200000004": ("2026-11-06 12:00:00", 6850, "CNY", "out", "success", "payment", c, "京东到家"),
        "200000000000000000000321": ("2026-11-08 14:22:33", 56, "CNY", "in", "success", "other", c, fin),
        "318200000005": ("2026-11-09 16:40:00", 7900, "CNY", "out", "closed", "payment", c, shop),
        "318200000006": ("2026-11-10 10:00:00", 39900, "CNY", "out", "success", "payment", c, shop),
        "318200000006#refund": ("2026-11-12 18:00:00", 3000, "CNY", "in", "success", "refund", c, shop),
        "200000000000000000000654": ("2026-11-15 20:20:20", 112543, "CNY", "none", "success", "other", c, fin),
        "318200000007": ("2026-11-20 07:50:00", 5990, "CNY", "out", "pending", "payment", c, market),
    }
    assert _customers(db) == {(c, name, name) for name in (shop, market, "京东到家", fin)}
    remarks = _column(db, "remark")
    assert "已退款89.84" in str(remarks["318200000001"]) and "已全额退款" in str(remarks["318200000003"])
    assert _column(db, "type_word")["318200000006#refund"] == "网购"  # 退款-… in 交易说明 makes it a refund
    _again_inserts_nothing(db, path, result)


# --- Bank statement --------------------------------------------------------------------------------------


def test_bank_statement_signed_amounts_and_counterparties(db: Database, tmp_path: Path) -> None:
    path = write_bank_statement(tmp_path / "招商银行交易流水.csv")

    result = import_file(db, path)

    assert result.format_id == "bank_statement"
    assert _counts(result) == (10, 0, 2, 0)  # ATM cash and interest name no counterparty
    assert not result.unknown_words
    c = "counterparty"
    stored = sorted(value for value in _transactions(db).values())
    assert stored == sorted(
        [
            ("2026-11-02 00:00:00", 350000, "CNY", "in", "success", "transfer", c, "张三 6214830212345678"),
            ("2026-11-03 00:00:00", 4560, "CNY", "out", "success", "payment", c, "财付通-微信支付-瑞幸咖啡"),
            ("2026-11-03 00:00:00", 100000, "CNY", "out", "success", "transfer", c, "李四 6222021234567890123"),
            ("2026-11-04 00:00:00", 300, "CNY", "out", "success", "payment", c, "国网上海市电力公司 310000000012345"),
            ("2026-11-06 00:00:00", 1280, "CNY", "in", "success", "refund", c, "支付宝-华润万家 2088000000000001"),
            (
                "2026-11-07 00:00:00",
                880000,
                "CNY",
                "in",
                "success",
                "other",
                c,
                "上海某某科技有限公司 31001234567890000",
            ),
            ("2026-11-08 00:00:00", 8800, "CNY", "out", "success", "payment", c, "支付宝-美团 2088000000000002"),
            ("2026-11-10 00:00:00", 150000, "CNY", "out", "success", "transfer", c, "王五 6217001234567890"),
            ("2026-11-18 00:00:00", 6600, "CNY", "out", "success", "payment", c, "京东支付-京东商城"),
            ("2026-11-20 00:00:00", 200000, "CNY", "in", "success", "transfer", c, "张三 6214830212345678"),
        ]
    )
    assert len(_customers(db)) == 9
    _again_inserts_nothing(db, path, result)


def test_bank_rows_without_ids_are_told_apart_by_their_order_and_found_again(db: Database, tmp_path: Path) -> None:
    header = "记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要"
    same = "2026-11-03,CNY,-45.60,,快捷支付,财付通-微信支付-瑞幸咖啡,咖啡"
    path = tmp_path / "流水.csv"
    path.write_text(f"{header}\n{same}\n{same}\n", encoding="utf-8")

    first = import_file(db, path)
    ids = sorted(_transactions(db))

    assert first.inserted == 2 and len(set(ids)) == 2
    assert all(txn_id.startswith("auto-") for txn_id in ids)
    later = tmp_path / "流水-更长.csv"
    later.write_text(f"{header}\n{same}\n{same}\n{same}\n", encoding="utf-8")
    again = import_file(db, later)
    assert (again.inserted, again.duplicates) == (1, 2)  # the third identical row is new


# --- PayPal and Stripe -----------------------------------------------------------------------------------


def test_paypal_activity_month_first_dates_zones_and_currencies(db: Database, tmp_path: Path) -> None:
    path = write_paypal_activity(tmp_path / "Download.CSV")
    assert path.read_bytes().startswith(b'\xef\xbb\xbf"Date","Time","TimeZone"')

    result = import_file(db, path)

    assert result.format_id == "paypal_activity"
    assert _counts(result) == (12, 0, 1, 0)  # the withdrawal to the bank names nobody
    assert not result.unknown_words
    e = "email"
    emily, jun, lukas = "emily.carter@example.com", "j.nakamura@example.jp", "lukas.weber@example.de"
    maria, tom = "maria.gomez@example.com", "tom.lee@example.com"
    assert _transactions(db) == {
        # 09:15:42 PDT (UTC-7) is 16:15:42 UTC, 00:15:42 the next day in Shanghai
        "1AB23456CD7890123": ("2026-10-29 00:15:42", 12500, "USD", "in", "refunded", "payment", e, emily),
        "2CD34567EF8901234": ("2026-10-31 09:20:00", 1500, "JPY", "in", "success", "payment", e, jun),
        # PST (UTC-8) from 1 November 2026
        "3EF45678GH9012345": ("2026-11-02 15:59:59", 8990, "EUR", "in", "success", "payment", e, lukas),
        "4GH56789JK0123456": ("2026-11-03 00:05:10", 2500, "USD", "out", "success", "refund", e, emily),
        "5JK67890LM1234567": ("2026-11-04 06:05:09", 6000, "USD", "in", "pending", "payment", e, maria),
        "6LM78901NP2345678": ("2026-11-04 07:30:00", 30000, "USD", "none", "failed", "payment", e, tom),
        "7NP89012QR3456789": ("2026-11-05 02:00:00", 123450, "USD", "in", "success", "payment", e, maria),
        "9ST01234UV5678901": ("2026-11-07 04:12:12", 999, "EUR", "in", "success", "payment", e, lukas),
        "0UV12345WX6789012": ("2026-11-08 08:45:00", 500, "JPY", "out", "success", "refund", e, jun),
        "1WX23456YZ7890123": ("2026-11-09 03:30:00", 4500, "USD", "in", "success", "payment", e, tom),
        "2YZ34567AB8901234": ("2026-11-10 12:00:00", 1999, "USD", "in", "refunded", "payment", e, emily),
        "3AB45678CD9012345": ("2026-11-10 12:30:00", 1999, "USD", "out", "success", "refund", e, emily),
    }
    assert _customers(db) == {
        (e, emily, "Emily Carter"),
        (e, jun, "Jun Nakamura"),
        (e, lukas, "Lukas Weber"),
        (e, maria, "Maria Gomez"),
        (e, tom, "Tom Lee"),
    }
    assert _column(db, "type_word")["4GH56789JK0123456"] == "Payment Refund"
    _again_inserts_nothing(db, path, result)


CH = "ch_3QkA1bL8sXyZ2026"


def test_stripe_payments_utc_times_lower_case_currencies_and_customer_ids(db: Database, tmp_path: Path) -> None:
    path = write_stripe_payments(tmp_path / "unified_payments.csv")

    result = import_file(db, path)

    assert result.format_id == "stripe_payments"
    assert _counts(result) == (10, 0, 0, 0)
    assert not result.unknown_words and result.errors == ()
    k = "customer_id"
    alice, bob = "cus_R2a8Lk3Jx9Qw01", "cus_R2a8Lk3Jx9Qw02"
    assert _transactions(db) == {
        CH + "a001": ("2026-11-03 14:05:09", 4900, "USD", "in", "success", "payment", k, alice),
        CH + "a002": ("2026-11-04 00:30:00", 12000, "USD", "in", "success", "payment", k, bob),
        CH + "a003": ("2026-11-04 10:10:45", 4900, "USD", "in", "failed", "payment", k, alice),
        CH + "a004": (
            "2026-11-06 07:59:59",
            1500,
            "USD",
            "in",
            "success",
            "payment",
            "email",
            "guest.buyer@example.com",
        ),
        CH + "a005": ("2026-11-06 20:00:00", 20000, "USD", "in", "refunded", "payment", k, "cus_R2a8Lk3Jx9Qw03"),
        CH + "a006": ("2026-11-07 16:20:00", 1500, "JPY", "in", "success", "payment", k, "cus_R2a8Lk3Jx9Qw04"),
        CH + "a007": ("2026-11-09 03:45:30", 12000, "USD", "in", "success", "payment", k, bob),
        CH + "a008": ("2026-11-09 09:00:00", 7550, "USD", "in", "success", "payment", k, "cus_R2a8Lk3Jx9Qw05"),
        CH + "a009": ("2026-11-10 18:10:10", 3000, "EUR", "in", "success", "payment", k, alice),
        CH + "a010": ("2026-11-12 06:22:22", 6000, "USD", "in", "closed", "payment", k, "cus_R2a8Lk3Jx9Qw06"),
    }
    assert _customers(db) == {
        (k, alice, "Alice Zhang"),
        (k, bob, "Bob Chen"),
        (k, "cus_R2a8Lk3Jx9Qw03", "Carol Wu"),
        (k, "cus_R2a8Lk3Jx9Qw04", "Daiki Sato"),
        (k, "cus_R2a8Lk3Jx9Qw05", None),
        (k, "cus_R2a8Lk3Jx9Qw06", "Eve Lin"),
        ("email", "guest.buyer@example.com", None),
    }
    emails = dict(db.execute_sql("SELECT external_id, email FROM customers").fetchall())
    assert emails[alice] == "alice.zhang@example.com"
    _again_inserts_nothing(db, path, result)


def test_stripe_export_without_customer_columns_filled_is_refused(db: Database, tmp_path: Path) -> None:
    path = write_stripe_payments(tmp_path / "unified_payments.csv", customers=False)
    _refused_for_no_customer(db, path, "Stripe payments export")
