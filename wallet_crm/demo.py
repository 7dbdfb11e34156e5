"""A demo database with realistic, seeded data, so a team can try every page before importing.

It is always a separate file flagged `is_demo`; writing demo data into a real database is refused.
The file is built under a temporary name and renamed at the end, so a cancelled or failed run
leaves nothing half-written.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import phonenumbers
from peewee import Database

from wallet_crm.db.bulk import TRANSACTION_COLUMNS, insert_rows
from wallet_crm.db.connection import open_database
from wallet_crm.db.status import DEMO_SETTING
from wallet_crm.errors import KnownError
from wallet_crm.followup.simulate import simulate_team
from wallet_crm.stored_time import db_time

Progress = Callable[[int, int], None]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_CHARS = (
    "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红建文辉力国梅鑫波斌宇浩"
    "凯健俊帆帅旭宁婷雪琳晨欣怡佳子涵梓轩一诺思雨嘉雯子豪宇航博文浩然晓东春燕海燕志强"
)
MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "176",
    "177",
    "178",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
)
MERCHANTS = (
    "城市便利店",
    "好味餐厅",
    "快捷出行",
    "话费充值",
    "网上商城",
    "社区超市",
    "咖啡小站",
    "电影票务",
    "生鲜到家",
    "水电燃气",
)
CHANNELS = ("余额", "储蓄卡", "信用卡")
FAILURE_REASONS = ("余额不足", "银行卡单日限额", "风控拦截", "支付密码错误", "网络超时")
MAX_DEMO_CALLS_PER_DAY = 120  # three agents' working day; more only slows down writing a big demo file
TYPE_WEIGHTS = (("payment", 55), ("transfer", 20), ("top_up", 12), ("withdrawal", 8), ("refund", 5))


class _Draft(NamedTuple):
    when: dt.datetime
    customer_id: int
    amount_fen: int
    status: str
    txn_type: str
    channel: str
    merchant: str | None
    remark: str | None


class Cancelled(KnownError):
    """The user cancelled; nothing was written."""


@dataclass(frozen=True)
class DemoResult:
    path: Path
    customers: int
    transactions: int
    attempts: int = 0  # contact attempts the simulated team logged
    open_tasks: int = 0


def make_mobile(rng: random.Random) -> str:
    """A valid mainland mobile number in E.164, checked with phonenumbers."""
    while True:
        national = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        number = phonenumbers.parse(national, "CN")
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def make_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN_CHARS) + (rng.choice(GIVEN_CHARS) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _amount_fen(rng: random.Random, txn_type: str) -> int:
    """Whole yuan drawn from a skewed distribution, plus fen; integers throughout the stored value."""
    if txn_type == "top_up":
        return rng.choice((50, 100, 200, 300, 500, 1000, 2000)) * 100
    if txn_type == "transfer":
        yuan = int(rng.lognormvariate(5.8, 1.2))
        if rng.random() < 0.05:
            yuan = rng.randrange(5_000, 50_001)
        return yuan * 100 + rng.choice((0, 0, 50, rng.randrange(100)))
    if txn_type == "withdrawal":
        return rng.randrange(2, 60) * 10_000
    if txn_type == "refund":
        return int(rng.lognormvariate(3.8, 0.9)) * 100 + rng.randrange(100)
    yuan = int(rng.lognormvariate(3.9, 1.0))
    if rng.random() < 0.01:
        yuan = rng.randrange(5_000, 20_001)
    return max(yuan, 1) * 100 + rng.randrange(100)


def _status(rng: random.Random, txn_type: str) -> str:
    roll = rng.random()
    if txn_type == "payment":
        return (
            "failed"
            if roll < 0.09
            else "refunded"
            if roll < 0.12
            else "pending"
            if roll < 0.13
            else "closed"
            if roll < 0.15
            else "success"
        )
    return "failed" if roll < 0.05 else "pending" if roll < 0.07 else "success"


def _customer_days(rng: random.Random, profile: str, count: int, days: int) -> list[int]:
    """Whole days before `as_of` for one customer's transactions, shaped by their profile."""
    if profile == "dormant":
        return [rng.randrange(61, days) for _ in range(max(count, 3))]
    if profile == "new":
        return [rng.randrange(0, 7) for _ in range(count)]
    return [rng.randrange(0, days) for _ in range(count)]


def generate(
    as_of: dt.datetime, seed: int, customers: int, transactions: int, days: int = 90
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Customer rows and transaction rows (customer ids 1..n), deterministic for a seed and `as_of`."""
    rng = random.Random(seed)
    stamp = as_of.replace(microsecond=0)
    created = db_time(stamp)
    customer_rows: list[tuple[object, ...]] = []
    phones: set[str] = set()
    for index in range(1, customers + 1):
        phone = make_mobile(rng)
        while phone in phones:
            phone = make_mobile(rng)
        phones.add(phone)
        customer_rows.append((index, f"C{100000 + index}", phone, make_name(rng), created, created))
    profiles = rng.choices(("regular", "dormant", "new", "occasional"), weights=(70, 10, 8, 12), k=customers)
    weights = [rng.paretovariate(1.5) if p == "regular" else 0.4 for p in profiles]
    counts = [1] * customers  # everyone in an export has transacted at least once
    for index in rng.choices(range(customers), weights=weights, k=max(0, transactions - customers)):
        counts[index] += 1
    types = [name for name, _ in TYPE_WEIGHTS]
    type_weights = [weight for _, weight in TYPE_WEIGHTS]
    drafts: list[_Draft] = []
    for index, (profile, count) in enumerate(zip(profiles, counts, strict=True)):
        for days_before in _customer_days(rng, profile, count, days):
            hour = rng.choices(range(24), weights=_HOUR_WEIGHTS)[0]
            day = stamp.date() - dt.timedelta(days=days_before)
            when = dt.datetime.combine(day, dt.time(hour, rng.randrange(60), rng.randrange(60)))
            if when > stamp:  # later today than "now": the same time the day before
                when -= dt.timedelta(days=1)
            txn_type = rng.choices(types, weights=type_weights)[0]
            status = _status(rng, txn_type)
            merchant = rng.choice(MERCHANTS) if txn_type in ("payment", "refund") else None
            remark = rng.choice(FAILURE_REASONS) if status == "failed" else None
            amount = _amount_fen(rng, txn_type)
            drafts.append(_Draft(when, index + 1, amount, status, txn_type, rng.choice(CHANNELS), merchant, remark))
    del drafts[transactions:]
    drafts.sort(key=lambda draft: draft.when)
    numbered: list[tuple[object, ...]] = [
        (f"T{d.when:%Y%m%d}{seq:07d}", d.customer_id, db_time(d.when), *d[2:]) for seq, d in enumerate(drafts, start=1)
    ]
    return customer_rows, numbered


_HOUR_WEIGHTS = (1, 1, 1, 1, 1, 1, 2, 4, 7, 9, 10, 11, 12, 11, 10, 10, 10, 11, 12, 13, 12, 9, 5, 2)


def check_demo_target(path: Path) -> None:
    """Refuse to touch a file that holds real (non-demo) data."""
    if not path.exists() or path.stat().st_size == 0:
        return
    db = open_database(path, bind=False)
    try:
        row = db.execute_sql("SELECT value FROM settings WHERE key = " + db.param, (DEMO_SETTING,)).fetchone()
        has_data = db.execute_sql("SELECT COUNT(*) FROM transactions").fetchone()[0] > 0
    finally:
        db.close()
    if has_data and not (row and json.loads(row[0])):
        raise KnownError(code="demo.real_data", path=str(path))


def create_demo_database(
    path: Path,
    as_of: dt.datetime,
    seed: int = 20261123,
    customers: int = 2000,
    transactions: int = 20000,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    followup: bool = True,
) -> DemoResult:
    """Write a fresh demo database at `path`, replacing an older demo file there.

    With `followup`, three agents also work the follow-up queue over the 90 days (see
    `followup/simulate.py`), so the queue and feedback pages have data; benchmarks turn it off.
    """
    check_demo_target(path)
    partial = path.with_name(path.name + ".partial")
    _remove_sqlite_files(partial)
    customer_rows, txn_rows = generate(as_of, seed, customers, transactions)
    total = len(customer_rows) + len(txn_rows)
    db = open_database(partial, bind=False)
    try:
        with db.atomic():
            _write(db, as_of, customer_rows, txn_rows, total, progress, cancel)
            calls = min(max(8, customers // 50), MAX_DEMO_CALLS_PER_DAY)
            team = simulate_team(db, as_of, seed, calls_per_day=calls, cancel=cancel) if followup else None
    except BaseException:
        db.close()
        _remove_sqlite_files(partial)
        raise
    db.close()
    _remove_sqlite_files(path)
    partial.replace(path)
    return DemoResult(
        path=path,
        customers=len(customer_rows),
        transactions=len(txn_rows),
        attempts=team.attempts if team else 0,
        open_tasks=team.open_tasks if team else 0,
    )


def _write(
    db: Database,
    as_of: dt.datetime,
    customer_rows: list[tuple[object, ...]],
    txn_rows: list[tuple[object, ...]],
    total: int,
    progress: Progress | None,
    cancel: threading.Event | None,
) -> None:
    stamp = db_time(as_of)
    insert_rows(db, "settings", ("key", "value"), [(DEMO_SETTING, "true")])
    insert_rows(
        db,
        "import_batches",
        ("id", "file_name", "sha256", "source", "imported_at", "imported_by", "rows_read", "inserted"),
        [(1, "demo", "", "demo", stamp, "demo", len(txn_rows), len(txn_rows))],
    )
    insert_rows(db, "customers", ("id", "external_id", "phone", "name", "created_at", "updated_at"), customer_rows)
    done = len(customer_rows)
    chunk = 2000
    for start in range(0, len(txn_rows), chunk):
        if cancel is not None and cancel.is_set():
            raise Cancelled(code="cancelled.demo")
        part = txn_rows[start : start + chunk]
        insert_rows(db, "transactions", TRANSACTION_COLUMNS, [(*row, 1) for row in part])
        done += len(part)
        if progress is not None:
            progress(done, total)


def _remove_sqlite_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        candidate = path.with_name(path.name + suffix)
        candidate.unlink(missing_ok=True)
