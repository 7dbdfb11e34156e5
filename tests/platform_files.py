"""Payment platforms' exports, written in code in each platform's own layout, for the import-format tests.

Every writer makes a small realistic file (10-30 rows) the way the platform saves it: its file type and
encoding (GBK for Alipay, UTF-8 with a BOM for JD and PayPal, .xlsx for WeChat personal bills), its
preamble and footer lines, its padding (WeChat merchant backticks, Alipay and JD trailing tabs), its
words and its quirks (refunds sharing the payment's id, masked accounts, month-first dates). The rows
are invented; the layouts come from the sources named in each format's `comment` (imports/formats/).
Nothing here is random: the same call writes the same bytes.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from tests.import_files import write_csv, write_xlsx

Row = tuple[object, ...]


def _fields(line: str, separator: str = ",") -> tuple[str, ...]:
    """A header or a row as the platform writes it on one line."""
    return tuple(line.split(separator))


def _table(text: str) -> tuple[tuple[str, ...], ...]:
    """Rows written one a line, cells separated by `|` (a backslash at the end continues the line)."""
    return tuple(_fields(line, "|") for line in text.strip("\n").split("\n"))


def _money(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _total(values: Sequence[str]) -> str:
    return f"{sum((_money(value) for value in values), Decimal('0.00')):.2f}"


# --- 1. WeChat Pay merchant trade bill (交易账单) ------------------------------------------------------

_WECHAT_START = (
    "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类"
)
WECHAT_TRADE_HEADERS = {
    "ALL": _fields(
        f"{_WECHAT_START},应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,"
        "退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注"
    ),
    "SUCCESS": _fields(f"{_WECHAT_START},应结订单金额,代金券金额,商品名称,商户数据包,手续费,费率,订单金额,费率备注"),
    "REFUND": _fields(
        f"{_WECHAT_START},应结订单金额,代金券金额,退款申请时间,退款成功时间,微信退款单号,商户退款单号,退款金额,"
        "充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注"
    ),
}
WECHAT_TRADE_SUMMARY = _fields(
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"
)
WECHAT_APPID = "wx3f8e1c2d4b5a6978"
WECHAT_MCHID = "1900012345"
WECHAT_OPENIDS = (
    "o8Gq45Lw1mZp0aQ2vR7sT3uY9xKc",
    "o8Gq45Nh2kXe4bW6cD1fG5jL0pQr",
    "o8Gq45Rt3sUv6wX8yZ2aB4cD6eFg",
    "o8Gq45Vb7nMm9qP1rS3tU5vW7xYz",
)
WECHAT_ORDER = "42000021012026110312345678"  # + two digits: the 28-digit 微信订单号
# time | order suffix | openid index | 交易类型 | 交易状态 | 付款银行 | 订单金额 | 代金券金额 | 商品名称
WECHAT_PAYMENTS = _table("""
2026-11-03 09:12:45|01|0|JSAPI|SUCCESS|CMB_CREDIT|128.00|0.00|会员月卡
2026-11-03 10:03:18|02|1|NATIVE|SUCCESS|ICBC_DEBIT|50.50|5.00|洗车单次
2026-11-03 11:20:07|03|0|APP|SUCCESS|OTHERS|300.00|0.00|充值300元
2026-11-03 13:45:59|04|2|MICROPAY|SUCCESS|CFT|19.90|0.00|矿泉水
2026-11-03 14:05:09|05|3|MICROPAY|REVOKED|CCB_DEBIT|66.00|0.00|打蜡
2026-11-03 15:30:00|06|1|JSAPI|SUCCESS|OTHERS|88.80|0.00|内饰清洁
2026-11-03 19:05:33|07|2|NATIVE|SUCCESS|CFT|12.00|0.00|纸巾
2026-11-03 20:18:46|08|3|JSAPI|SUCCESS|ABC_CREDIT|1288.00|0.00|年卡
2026-11-03 21:40:02|09|1|APP|SUCCESS|CFT|9.90|0.00|玻璃水
2026-11-03 22:55:31|10|2|JSAPI|SUCCESS|OTHERS|520.00|0.00|充值520元
""")

# time of the refund | the payment's order suffix | 微信退款单号 | 商户退款单号 | 退款金额 | 退款状态
WECHAT_REFUNDS = _table("""
2026-11-03 16:10:22|03|50300000012026110312345678901|RF2026110303A|100.00|SUCCESS
2026-11-03 17:42:10|03|50300000012026110312345678902|RF2026110303B|50.00|PROCESSING
2026-11-03 18:00:00|01|50300000012026110312345678903|RF2026110301A|128.00|SUCCESS
""")


def _tick(cells: Sequence[object]) -> Row:
    """A WeChat bill line: every value, empty ones too, prefixed with a backtick so Excel keeps it text."""
    return tuple(f"`{cell}" for cell in cells)


def _fee(amount: str) -> str:
    return f"{(_money(amount) * Decimal('0.006')).quantize(Decimal('0.00001'))}"


def write_wechat_pay_trade(path: Path, bill_type: str = "ALL") -> Path:
    """The day's 交易账单 as downloadbill/tradebill returns it (UTF-8, no BOM): ALL, SUCCESS or REFUND."""
    payments = {payment[1]: payment for payment in WECHAT_PAYMENTS}
    rows: list[Row] = []
    settled: list[str] = []
    ordered: list[str] = []
    refunded: list[str] = []
    fees: list[str] = []
    if bill_type in ("ALL", "SUCCESS"):
        for when, suffix, who, kind, state, bank, amount, coupon, goods in WECHAT_PAYMENTS:
            if bill_type == "SUCCESS" and state != "SUCCESS":
                continue
            settle = f"{_money(amount) - _money(coupon):.2f}"
            order = (WECHAT_ORDER + suffix, f"WX20261103{suffix}00", WECHAT_OPENIDS[int(who)], kind, state, bank)
            start = (when, WECHAT_APPID, WECHAT_MCHID, "0", "", *order, "CNY", settle, coupon)
            if bill_type == "ALL":
                middle = _fields("0,0,0.00,0.00,,")  # payments carry 0 in the refund id columns
                end: Row = (goods, "", _fee(settle), "0.60%", amount, "0.00", "")
            else:
                middle, end = (), (goods, "", _fee(settle), "0.60%", amount, "")
            rows.append(_tick((*start, *middle, *end)))
            settled.append(settle)
            ordered.append(amount)
            fees.append(_fee(settle))
    if bill_type in ("ALL", "REFUND"):
        for when, suffix, refund_id, out_refund_no, amount, state in WECHAT_REFUNDS:
            paid_at, _, who, kind, _, bank, _, _, goods = payments[suffix]
            fee = f"-{_fee(amount)}"
            order = (WECHAT_ORDER + suffix, f"WX20261103{suffix}00", WECHAT_OPENIDS[int(who)], kind, "REFUND", bank)
            common = (WECHAT_APPID, WECHAT_MCHID, "0", "", *order, "CNY", "0.00", "0.00")
            refund = (refund_id, out_refund_no, amount, "0.00", "ORIGINAL", state)
            end = (goods, "", fee, "0.60%", "0.00", amount, "")
            if bill_type == "ALL":
                rows.append(_tick((when, *common, *refund, *end)))
            else:  # the refund bill dates a row by its payment, the refund by its own two columns
                succeeded = when[:-2] + f"{int(when[-2:]) + 3:02d}" if state == "SUCCESS" else ""
                rows.append(_tick((paid_at, *common, when, succeeded, *refund, *end)))
            settled.append("0.00")
            ordered.append("0.00")
            refunded.append(amount)
            fees.append(fee)
    fee_total = f"{sum((Decimal(fee) for fee in fees), Decimal('0.00000')):.5f}"
    totals = (str(len(rows)), _total(settled), _total(refunded), "0.00", fee_total, _total(ordered), _total(refunded))
    footer = [WECHAT_TRADE_SUMMARY, _tick(totals)]
    return write_csv(path, rows, "utf-8", header=WECHAT_TRADE_HEADERS[bill_type], footer=footer)


# --- 2. WeChat Pay merchant fund-flow bill (资金账单) ---------------------------------------------------

WECHAT_FUND_HEADER = _fields(
    "记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额(元),账户结余(元),"
    "资金变更提交申请人,备注,业务凭证号"
)


def write_wechat_pay_fund(path: Path) -> Path:
    """The same day's 资金账单 (basic account): one line per money movement, no customer anywhere."""
    moves: list[tuple[str, str, str, str, str, Decimal, str, str]] = []
    for when, suffix, _, _, state, _, amount, coupon, _ in WECHAT_PAYMENTS:
        if state != "SUCCESS":
            continue
        settle = _money(amount) - _money(coupon)
        fee = Decimal(_fee(f"{settle:.2f}")).quantize(Decimal("0.01"))
        voucher = f"WX20261103{suffix}00"
        moves.append((when, WECHAT_ORDER + suffix, "交易", "交易", "收入", settle, "", voucher))
        if fee:
            moves.append((when, WECHAT_ORDER + suffix, "交易", "扣除交易手续费", "支出", fee, "", voucher))
    for when, _, refund_id, out_refund_no, amount, state in WECHAT_REFUNDS:
        if state == "SUCCESS":
            note = f"退款总金额{amount}元;含手续费0.00元"
            moves.append((when, refund_id, "退款", "退款", "支出", _money(amount), note, out_refund_no))
    balance = Decimal("5000.00")
    rows: list[Row] = []
    for number, (when, business_id, name, kind, side, amount_moved, note, voucher) in enumerate(moves, 1):
        balance += amount_moved if side == "收入" else -amount_moved
        flow_id = f"4200002101202611031{number:09d}"
        money = (f"{amount_moved:.2f}", f"{balance:.2f}")
        rows.append(_tick((when, business_id, flow_id, name, kind, side, *money, f"{WECHAT_MCHID}API", note, voucher)))
    ins = [f"{move[5]:.2f}" for move in moves if move[4] == "收入"]
    outs = [f"{move[5]:.2f}" for move in moves if move[4] == "支出"]
    summary = _fields("资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额")
    totals = (str(len(rows)), str(len(ins)), _total(ins), str(len(outs)), _total(outs))
    return write_csv(path, rows, "utf-8", header=WECHAT_FUND_HEADER, footer=[summary, _tick(totals)])


# --- 3. Alipay merchant business detail (业务明细) ------------------------------------------------------

ALIPAY_BUSINESS_HEADER = _fields(
    "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,"
    "订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,"
    "券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注"
)
# How 对方账户 is written today (masked), and in full as the older exports wrote it.
ALIPAY_BUYERS_MASKED = ("*明(138******78)", "**燕(yan***@163.com)", "*强(159******21)", "**芳(fang***@qq.com)")
ALIPAY_BUYERS_FULL = ("王明(13812345678)", "李燕(yanli88@163.com)", "赵强(15900001121)", "陈芳(fangchen@qq.com)")
ALIPAY_TRADE = "20261103220014111111111111"  # + two digits: the 28-digit 支付宝交易号
# 业务类型 | trade suffix | 创建时间 | 完成时间 | buyer index | 订单金额 | 退款批次号/请求号 | 门店名称 | 商品名称
ALIPAY_BUSINESS_ROWS = _table("""
交易|01|2026-11-03 09:01:10|2026-11-03 09:01:15|0|58.00||徐汇店|精洗套餐
交易|02|2026-11-03 09:40:02|2026-11-03 09:40:09|1|120.00||徐汇店|镀晶
交易|03|2026-11-03 10:15:30|2026-11-03 10:15:33|2|35.50|||洗车单次
退款|03|2026-11-03 10:15:30|2026-11-03 11:02:47|2|-35.50|RF2026110300103||洗车单次
交易|04|2026-11-03 12:20:00|2026-11-03 12:20:04|3|299.00||静安店|年卡
退款|04|2026-11-03 12:20:00|2026-11-03 15:45:12|3|-100.00||静安店|年卡
交易|05|2026-11-03 13:05:44|2026-11-03 13:05:47|0|12.80||徐汇店|玻璃水
交易|06|2026-11-03 14:30:19|2026-11-03 14:30:25|1|8.00|||停车
交易|07|2026-11-03 16:12:08|2026-11-03 16:12:10|0|66.60||徐汇店|打蜡
交易|08|2026-11-03 17:48:55|2026-11-03 17:49:01|2|1000.00||静安店|储值卡
交易|09|2026-11-03 19:22:36|2026-11-03 19:22:40|3|45.00||静安店|内饰清洁
交易|10|2026-11-03 20:58:13|2026-11-03 20:58:16|1|19.90|||香薰
""")
ALIPAY_START = "#起始日期：[2026年11月03日 00:00:00]   终止日期：[2026年11月04日 00:00:00]"
ALIPAY_ACCOUNT_NUMBER = "#账号：[20881234567890120156]"


def _alipay_list(name: str, end: bool = False) -> Row:
    """The dashed line that opens (or closes) an Alipay merchant list, as long as Alipay draws it."""
    return ("#" + "-" * 41 + name + ("列表结束" + "-" * 36 if end else "列表" + "-" * 40),)


def write_alipay_merchant_business(path: Path, masked: bool = True) -> Path:
    """业务明细 in GBK with its # lines. `masked=False` writes 对方账户 in full, as exports did before masking."""
    buyers = ALIPAY_BUYERS_MASKED if masked else ALIPAY_BUYERS_FULL
    rows: list[Row] = []
    for kind, suffix, created, done, who, amount, batch, store, goods in ALIPAY_BUSINESS_ROWS:
        fee = f"{-_money(amount) * Decimal('0.006'):.2f}"
        ids = (f"{ALIPAY_TRADE}{suffix}\t", f"M202611030{suffix}\t", f"{kind}\t", goods, created, done)
        shop = ("S0101\t" if store else "\t", f"{store}\t", "alipay\t", "\t", f"{buyers[int(who)]}\t")
        money = (amount, amount, *_fields("0.00,0.00,0.00,0.00,0.00,,0.00\t,0.00"), f"{batch}\t", fee, "0.00", "")
        rows.append((*ids, *shop, *money))
    trades = [row[5] for row in ALIPAY_BUSINESS_ROWS if row[0] == "交易"]
    refunds = [row[5] for row in ALIPAY_BUSINESS_ROWS if row[0] == "退款"]
    preamble = [("#支付宝业务明细查询",), (ALIPAY_ACCOUNT_NUMBER,), (ALIPAY_START,), _alipay_list("业务明细")]
    footer = [
        _alipay_list("业务明细", end=True),
        (f"#交易合计：{len(trades)}笔，商家实收共{_total(trades)}元，商家优惠共0.00元",),
        (f"#退款合计：{len(refunds)}笔，商家实收退款共{_total(refunds)}元，商家优惠退款共0.00元",),
        ("#导出时间：[2026年11月04日 05:46:49]",),
    ]
    return write_csv(path, rows, "gbk", header=ALIPAY_BUSINESS_HEADER, preamble=preamble, footer=footer)


# --- 4. Alipay merchant account statement (账务明细) ----------------------------------------------------

ALIPAY_ACCOUNT_HEADER = _fields(
    "账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,支出金额（-元）,账户余额（元）,"
    "交易渠道,业务类型,备注"
)
ALIPAY_ACCOUNT_TRADE = "20261103220014222222222222"
# 账务流水号 | trade suffix (none for a withdrawal) | 商户订单号 | 商品名称 | 发生时间 | 对方账号 | 收入 | 支出 | 业务类型
ALIPAY_ACCOUNT_ROWS = _table("""
20261103000111|01|M1101|洗车套餐|2026-11-03 08:30:12|周婷 (zhouting@126.com)|88.00|0.00|在线支付
20261103000112|02|M1102|洗车套餐|2026-11-03 09:15:40|孙磊 (13911112222)|88.00|0.00|在线支付
20261103000113|03|M1103|年卡|2026-11-03 10:02:05|吴静 (wujing@example.com)|1980.00|0.00|交易付款
20261103000114|02|M1102|洗车套餐|2026-11-03 11:20:00|孙磊 (13911112222)|0.00|-88.00|交易退款
20261103000115|04|M1104|打蜡|2026-11-03 12:45:31|周婷 (zhouting@126.com)|150.00|0.00|在线支付
20261103000116|05|M1105|洗车套餐|2026-11-03 14:05:09|郑浩 (zhenghao@163.com)|88.00|0.00|在线支付
20261103000117|||提现|2026-11-03 16:00:00|招商银行(6225****8888)|0.00|-2000.00|提现
20261103000118|06|M1106|内饰清洁|2026-11-03 17:30:45|吴静 (wujing@example.com)|260.00|0.00|在线支付
20261103000119|03|M1103|年卡|2026-11-03 18:10:10|吴静 (wujing@example.com)|0.00|-500.00|交易退款
20261103000120|07|M1107|洗车套餐|2026-11-03 19:20:20|冯雪 (fengxue@qq.com)|88.00|0.00|在线支付
""")


def write_alipay_merchant_account(path: Path) -> Path:
    """账务明细 in GBK: separate 收入/支出 columns (the unused one 0.00, money out negative), a running balance."""
    balance = Decimal("10000.00")
    rows: list[Row] = []
    for flow, suffix, order, goods, when, account, money_in, money_out, kind in ALIPAY_ACCOUNT_ROWS:
        balance += _money(money_in) + _money(money_out)
        trade = f"{ALIPAY_ACCOUNT_TRADE}{suffix}" if suffix else ""
        ids = (f"{flow}\t", f"{trade}\t", f"{order}\t", f"{goods}\t", when, f"{account}\t")
        rows.append((*ids, money_in, money_out, f"{balance:.2f}", "支付宝", kind, ""))
    ins = [row[6] for row in ALIPAY_ACCOUNT_ROWS if _money(row[6])]
    outs = [row[7] for row in ALIPAY_ACCOUNT_ROWS if _money(row[7])]
    preamble = [("#支付宝账务明细查询",), (ALIPAY_ACCOUNT_NUMBER,), (ALIPAY_START,), _alipay_list("账务明细")]
    footer = [
        _alipay_list("账务明细", end=True),
        (f"#支出合计：{len(outs)}笔，共{_total(outs)}元",),
        (f"#收入合计：{len(ins)}笔，共{_total(ins)}元",),
        ("#导出时间：[2026年11月04日 06:12:03]",),
    ]
    return write_csv(path, rows, "gbk", header=ALIPAY_ACCOUNT_HEADER, preamble=preamble, footer=footer)


# --- 5. Alipay personal statement (交易明细) ------------------------------------------------------------

ALIPAY_PERSONAL_HEADER = _fields(
    "交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,交易订单号,商家订单号,备注"
)
ALIPAY_PERSONAL_TRADE = "20261103220014000011111100"  # + the table's suffix: the 交易订单号
# time | 交易分类 | 交易对方 | 对方账号 | 商品说明 | 收/支 | 金额 | 收/付款方式 | 交易状态 | 交易订单号 suffix | 商家订单号
ALIPAY_PERSONAL_ROWS = _table("""
2026-11-03 12:10:05|餐饮美食|老王面馆|/|牛肉面|支出|28.00|余额|交易成功|01|20261103121005778899
2026-11-03 18:22:41|转账红包|张伟|zha***@163.com|转账|收入|500.00|余额|交易成功|02|
2026-11-04 09:05:00|日用百货|华润万家|/|购物|支出|156.80|花呗|交易成功|03|CRV202611040905001
2026-11-04 20:30:12|退款|华润万家|/|退款-购物|不计收支|56.80|花呗|退款成功|03_CRV20261104RF01|CRV202611040905001
2026-11-05 08:15:33|交通出行|滴滴出行|/|快车|支出|23.50|招商银行储蓄卡(8888)|交易成功|05|DD20261105081533
2026-11-05 14:00:00|充值缴费|中国移动|/|话费充值|支出|100.00|余额宝|交易成功|06|CM2026110514000001
2026-11-06 10:45:20|转账红包|李娜|139****5678|转账|支出|200.00|余额|交易成功|07|
2026-11-06 16:20:00|投资理财|余额宝|/|余额宝-2026.11.05-收益发放|不计收支|0.35|余额宝|交易成功|08|
2026-11-07 11:11:11|日用百货|拼多多平台商户|/|抽纸|支出|19.90|余额|交易关闭|09|PDD2026110711111100
2026-11-07 21:08:09|服饰装扮|优衣库|/|衬衫|支出|199.00|花呗|等待确认收货|10|UQ2026110721080900
2026-11-08 13:30:00|转账红包|张伟|zha***@163.com|收钱码收款|收入|66.00|余额|交易成功|11|
2026-11-08 19:45:10|账户存取|余额宝|/|余额宝-转出到余额|不计收支|1000.00|余额宝|交易成功|12|
""")


def write_alipay_personal(path: Path) -> Path:
    """The app's 交易明细 CSV in GBK: the export's own preamble, space-padded header cells, trailing commas and tabs."""
    incomes = [row[6] for row in ALIPAY_PERSONAL_ROWS if row[5] == "收入"]
    spends = [row[6] for row in ALIPAY_PERSONAL_ROWS if row[5] == "支出"]
    neutral = [row[6] for row in ALIPAY_PERSONAL_ROWS if row[5] == "不计收支"]
    preamble: list[Row] = [
        ("-" * 84,),
        ("导出信息：",),
        ("姓名：林小雨",),
        ("支付宝账户：183****2046",),
        ("起始时间：[2026-11-01 00:00:00]    终止时间：[2026-11-30 23:59:59]",),
        ("导出交易类型：[全部]",),
        ("导出时间：[2026-12-01 09:12:52]",),
        (f"共{len(ALIPAY_PERSONAL_ROWS)}笔记录",),
        (f"收入：{len(incomes)}笔 {_total(incomes)}元",),
        (f"支出：{len(spends)}笔 {_total(spends)}元",),
        (f"不计收支：{len(neutral)}笔 {_total(neutral)}元",),
        (),
        ("特别提示：",),
        ("1.本明细根据支付宝记录生成，与实际交易结果不符时以实际交易为准；",),
        ("2.充值提现、账户转存等记为不计收支；",),
        ("3.本明细仅展示当前账单中的交易，不含已删除的记录；",),
        ("4.本明细仅供个人对账使用。",),
        (),
        ("-" * 24 + "支付宝（中国）网络技术有限公司  电子客户回单" + "-" * 24,),
    ]
    header = (*(f"{text:<20}" for text in ALIPAY_PERSONAL_HEADER), "")
    rows = [(*row[:9], f"{ALIPAY_PERSONAL_TRADE}{row[9]}\t", f"{row[10]}\t", "", "") for row in ALIPAY_PERSONAL_ROWS]
    return write_csv(path, rows, "gbk", header=header, preamble=preamble)


# --- 6. WeChat personal statement (账单明细) ------------------------------------------------------------

WECHAT_PERSONAL_HEADER = _fields(
    "交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注"
)
# time | 交易类型 | 交易对方 | 商品 | 收/支 | 金额 | 支付方式 | 当前状态 | 交易单号 | 商户单号
WECHAT_PERSONAL_ROWS = _table("""
2026-11-02 08:15:30|商户消费|瑞幸咖啡|生椰拿铁|支出|¥15.90|零钱|支付成功|4200002201202611020000001234|LK2026110208153000
2026-11-02 12:40:11|扫二维码付款|兰州拉面|收款方备注:二维码收款|支出|¥22.00|零钱|已转账|10001071012026110200123456789012|/
2026-11-03 19:05:00|转账|陈晨|转账备注:微信转账|收入|¥300.00|/|已存入零钱|1000050001202611030012345678 |/
2026-11-04 10:20:45|微信红包（单发）|陈晨|/|支出|¥88.00|零钱|支付成功|10000499012026110400098765432|/
2026-11-05 13:14:52|商户消费|美团平台商户|美团订单-外卖|支出|¥45.00|招商银行(8888)|已退款(￥5.00)|4200002202202611050000002345|/
2026-11-06 09:00:00|商户消费|京东商城平台商户|蓝牙音箱|支出|¥1299.00|招商银行信用卡(1234)|已全额退款|4200002203202611060000003456|/
2026-11-07 22:30:00|二维码收款|刘洋|/|收入|¥66.00|/|已收钱|1000050002202611070012345679|/
2026-11-08 11:11:11|零钱提现|招商银行(8888)|/|/|¥500.00|招商银行(8888)|提现已到账|207202611080001234567800001|/
2026-11-09 08:00:00|零钱充值|工商银行(6666)|/|/|¥200.00|工商银行(6666)|充值完成|110202611090001234567800002|/
2026-11-10 15:45:30|转账|王芳|转账备注:还饭钱|支出|¥150.00|零钱|对方已收钱|1000050003202611100012345680|/
2026-11-11 17:20:00|转账|王芳|/|支出|¥50.00|零钱|对方已退还|1000050004202611110012345681|/
2026-11-12 18:00:00|微信红包-退款|陈晨|/|收入|¥20.00|/|已存入零钱|1000039901202611120012345682|/
2026-11-13 12:00:00|群收款|赵磊|/|收入|¥80.00|/|已收钱|1000050005202611130012345683|/
2026-11-14 09:30:00|商户消费|滴滴出行|快车订单|支出|¥31.20|零钱|支付成功|4200002204202611140000004567|DD20261114093000
2026-11-15 20:00:00|转账|孙悦|/|支出|¥1000.00|零钱|等待对方收款|1000050006202611150012345684|/
""")


def write_wechat_personal(path: Path) -> Path:
    """The 账单明细 workbook WeChat mails today: 16 preamble lines in column A, then the table (amounts as ¥ text)."""

    def yuan(sign: str) -> list[str]:
        return [row[5].lstrip("¥") for row in WECHAT_PERSONAL_ROWS if row[4] == sign]

    preamble: list[Row] = [
        ("微信支付账单明细",),
        ("微信昵称：[小林]",),
        ("起始时间：[2026-11-01 00:00:00] 终止时间：[2026-11-30 23:59:59]",),
        ("导出类型：[全部]",),
        ("导出时间：[2026-12-01 09:30:15]",),
        (),
        (f"共{len(WECHAT_PERSONAL_ROWS)}笔记录",),
        (f"收入：{len(yuan('收入'))}笔 {_total(yuan('收入'))}元",),
        (f"支出：{len(yuan('支出'))}笔 {_total(yuan('支出'))}元",),
        (f"中性交易：{len(yuan('/'))}笔 {_total(yuan('/'))}元",),
        ("注：",),
        ("1. 充值、提现、零钱通存取、信用卡还款等交易计入中性交易",),
        ("2. 本明细只含当前账单中的交易，已删除的记录不在其中",),
        ("3. 本明细仅供个人对账使用",),
        (),
        ("-" * 22 + "微信支付账单明细列表" + "-" * 20,),
    ]
    rows = [(*row, "/") for row in WECHAT_PERSONAL_ROWS]
    return write_xlsx(path, rows, header=WECHAT_PERSONAL_HEADER, preamble=preamble, sheet="Sheet1")


# --- 7. JD personal statement (京东交易流水) ------------------------------------------------------------

JD_HEADER = _fields("交易时间,商户名称,交易说明,金额,收/付款方式,交易状态,收/支,交易分类,交易订单号,商家订单号,备注")
# time | 商户名称 | 交易说明 | 金额 | 收/付款方式 | 交易状态 | 收/支 | 交易分类 | 交易订单号 | 商家订单号 (last digits)
JD_ROWS = _table("""
2026-11-02 10:15:20|京东平台商户|电动牙刷|131.77(已退款89.84)|招商银行信用卡(1234)|交易成功|支出|数码电器|318200000001|1001
2026-11-03 21:30:00|京东平台商户|退款-电动牙刷|89.84|招商银行信用卡(1234)|退款成功|不计收支|退款|318200000001|1002
2026-11-04 08:05:00|京东超市|抽纸 24包|49.90|京东白条|交易成功|支出|日用百货|318200000002|1003
2026-11-05 19:45:10|京东平台商户|蓝牙耳机|17.72(已全额退款)|京东支付-余额|交易成功|不计收支|数码电器|318200000003|1004
2026-11-06 12:00:00|京东到家|生鲜|68.50|数字人民币-工商银行钱包(5678)|交易成功|支出|食品酒饮|318200000004|1005
2026-11-07 09:30:00|京东平台商户|亲密卡|53.00|京东白条|交易成功|支出|线下消费| |1006
2026-11-08 14:22:33|京东金融|京东小金库收益|0.56|小金库零用钱|交易成功|收入|小金库|200000000000000000000321|2001
2026-11-09 16:40:00|京东平台商户|保温杯|79.00|京东白条|交易关闭|支出|日用百货|318200000005|1007
2026-11-10 10:00:00|京东平台商户|运动鞋|399.00|招商银行信用卡(1234)|交易成功|支出|运动户外|318200000006|1008
2026-11-12 18:00:00|京东平台商户|退款-运动鞋|30.00|招商银行信用卡(1234)|交易成功|收入|网购|318200000006|1009
2026-11-15 20:20:20|京东金融|白条主动还款|1125.43|小金库零用钱|还款成功|不计收支|白条|200000000000000000000654|2002
2026-11-20 07:50:00|京东超市|牛奶|59.90|京东白条|等待付款|支出|食品酒饮|318200000007|1010
""")


def write_jd_personal(path: Path) -> Path:
    """京东交易流水 as the app exports it: UTF-8 with BOM, a long preamble, tabs after the time and order numbers."""

    def amounts(sign: str) -> list[str]:
        return [row[3].split("(")[0] for row in JD_ROWS if row[6] == sign]

    preamble: list[Row] = [
        ("导出信息：",),
        ("京东账号名：jd_7f3a9c2e",),
        ("申请时间：2026-12-01 10:20:30",),
        ("日期区间：2026-11-01 至 2026-11-30",),
        ("导出交易类型：全部",),
        ("导出交易场景：全部",),
        (f"共：{len(JD_ROWS)}笔记录",),
        (f"收入：{len(amounts('收入'))}笔，{_total(amounts('收入'))}元",),
        (f"支出：{len(amounts('支出'))}笔，{_total(amounts('支出'))}元",),
        (f"不计收支：{len(amounts('不计收支'))}笔，{_total(amounts('不计收支'))}元",),
        (),
        ("特别提示",),
        ("1.本明细为每笔订单支付的明细，不含已删除的记录；",),
        ("2.个人资金互转、全额退款等记为不计收支，部分退款的支出金额为扣除退款后的金额；",),
        ("3.本明细与实际交易结果不符时，以实际交易情况为准；",),
        ("4.本明细仅供个人对账使用。",),
        (),
    ]
    rows = [(f"{row[0]}\t", *row[1:8], f"{row[8]}\t", f"{row[9]:0>24}\t", "") for row in JD_ROWS]
    return write_csv(path, rows, "utf-8-sig", header=JD_HEADER, preamble=preamble)


# --- 8. Bank statement (招商银行交易流水) ---------------------------------------------------------------

BANK_HEADER = _fields("记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要")
# 记账日期 | 交易金额 (signed) | 交易摘要 | 对手信息 | 客户摘要
BANK_ROWS = _table("""
2026-11-02|3,500.00|汇入汇款|张三 6214830212345678|货款
2026-11-03|-45.60|快捷支付|财付通-微信支付-瑞幸咖啡|微信支付
2026-11-03|-1,000.00|转账汇款|李四 6222021234567890123|转账
2026-11-04|-3.00|一网通支付|国网上海市电力公司 310000000012345|电费
2026-11-05|-2,000.00|银联ATM取款||银联ATM取款
2026-11-06|12.80|网联退款|支付宝-华润万家 2088000000000001|退款
2026-11-07|8,800.00|代发工资|上海某某科技有限公司 31001234567890000|工资
2026-11-08|-88.00|网联协议支付|支付宝-美团 2088000000000002|美团
2026-11-10|-1,500.00|转账汇款|王五 6217001234567890|房租
2026-11-15|0.92|账户结息||结息
2026-11-18|-66.00|银联快捷支付|京东支付-京东商城|京东
2026-11-20|2,000.00|汇入汇款|张三 6214830212345678|货款
""")


def write_bank_statement(path: Path) -> Path:
    """招商银行 交易流水 as the PDF-to-CSV tools write it (UTF-8): signed amounts with thousands separators."""
    balance = Decimal("10000.00")
    rows: list[Row] = []
    for day, amount, summary, counterparty, note in BANK_ROWS:
        balance += _money(amount)
        rows.append((day, "CNY", amount, f"{balance:,.2f}", summary, counterparty, note))
    return write_csv(path, rows, "utf-8", header=BANK_HEADER)


# --- 9. PayPal activity download -------------------------------------------------------------------------

PAYPAL_HEADER = _fields(
    "Date,Time,TimeZone,Name,Type,Status,Currency,Gross,Fee,Net,From Email Address,To Email Address,Transaction ID,"
    "Shipping Address,Address Status,Item Title,Item ID,Shipping and Handling Amount,Insurance Amount,Sales Tax,"
    "Option 1 Name,Option 1 Value,Option 2 Name,Option 2 Value,Reference Txn ID,Invoice Number,Custom Number,"
    "Quantity,Receipt ID,Balance,Address Line 1,Address Line 2/District/Neighborhood,Town/City,"
    "State/Province/Region/County/Territory/Prefecture/Republic,Zip/Postal Code,Country,Contact Phone Number,"
    "Subject,Note,Country Code,Balance Impact"
)
PAYPAL_SHOP = "payments@walletshop.example.com"
# Date | Time | TimeZone | Name | Type | Status | Currency | Gross | Fee | Net | the customer's email |
# Transaction ID | Item Title | Reference Txn ID | Balance Impact
PAYPAL_ROWS = _table("""
10/28/2026|09:15:42|PDT|Emily Carter|Express Checkout Payment|Partially Refunded|USD|125.00|-4.14|120.86\
|emily.carter@example.com|1AB23456CD7890123|Gift card 125||Credit
10/30/2026|18:20:00|PDT|Jun Nakamura|Website Payment|Completed|JPY|1,500|-104|1,396\
|j.nakamura@example.jp|2CD34567EF8901234|Car wash voucher||Credit
11/01/2026|23:59:59|PST|Lukas Weber|Website Payment|Completed|EUR|89.90|-3.39|86.51\
|lukas.weber@example.de|3EF45678GH9012345|Detailing||Credit
11/02/2026|08:05:10|PST|Emily Carter|Payment Refund|Completed|USD|-25.00|0.83|-24.17\
|emily.carter@example.com|4GH56789JK0123456|Gift card 125|1AB23456CD7890123|Debit
11/03/2026|14:05:09|PST|Maria Gomez|Mobile Payment|Pending|USD|60.00|-2.04|57.96\
|maria.gomez@example.com|5JK67890LM1234567|Wax||Credit
11/03/2026|15:30:00|PST|Tom Lee|Express Checkout Payment|Denied|USD|300.00|0.00|300.00\
|tom.lee@example.com|6LM78901NP2345678|Annual pass||Memo
11/04/2026|10:00:00|PST|Maria Gomez|Express Checkout Payment|Completed|USD|1,234.50|-43.38|1,191.12\
|maria.gomez@example.com|7NP89012QR3456789|Ceramic coating||Credit
11/05/2026|09:00:00|PST||General Withdrawal|Completed|USD|-1,000.00|0.00|-1,000.00\
||8QR90123ST4567890|||Debit
11/06/2026|12:12:12|PST|Lukas Weber|Subscription Payment|Completed|EUR|9.99|-0.64|9.35\
|lukas.weber@example.de|9ST01234UV5678901|Monthly wash club||Credit
11/07/2026|16:45:00|PST|Jun Nakamura|Payment Refund|Completed|JPY|-500|35|-465\
|j.nakamura@example.jp|0UV12345WX6789012|Car wash voucher|2CD34567EF8901234|Debit
11/08/2026|11:30:00|PST|Tom Lee|Express Checkout Payment|Completed|USD|45.00|-1.87|43.13\
|tom.lee@example.com|1WX23456YZ7890123|Interior clean||Credit
11/09/2026|20:00:00|PST|Emily Carter|Express Checkout Payment|Refunded|USD|19.99|-0.99|19.00\
|emily.carter@example.com|2YZ34567AB8901234|Air freshener||Credit
11/09/2026|20:30:00|PST|Emily Carter|Payment Refund|Completed|USD|-19.99|0.69|-19.30\
|emily.carter@example.com|3AB45678CD9012345|Air freshener|2YZ34567AB8901234|Debit
""")


def write_paypal_activity(path: Path) -> Path:
    """An Activity download CSV: UTF-8 with BOM, every cell quoted, US dates, the zone in its own column."""
    balances: dict[str, Decimal] = {}
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(PAYPAL_HEADER)
        for row in PAYPAL_ROWS:
            values = dict(zip(PAYPAL_HEADER[:10], row[:10], strict=True))
            email, txn, item, ref, impact = row[10:]
            currency, named = values["Currency"], bool(values["Name"])
            if impact != "Memo":
                balances[currency] = balances.get(currency, Decimal(0)) + _money(values["Net"])
            balance = balances.get(currency, Decimal(0))
            money_in = impact != "Debit"
            values.update(
                {
                    "From Email Address": email if money_in else PAYPAL_SHOP,
                    "To Email Address": PAYPAL_SHOP if money_in else email,
                    "Transaction ID": txn,
                    "Address Status": "Confirmed" if named else "",
                    "Item Title": item,
                    "Reference Txn ID": ref,
                    "Quantity": "1" if item else "",
                    "Balance": f"{balance:,.0f}" if currency == "JPY" else f"{balance:,.2f}",
                    "Country Code": "US" if named else "",
                    "Balance Impact": impact,
                }
            )
            writer.writerow([values.get(name, "") for name in PAYPAL_HEADER])
    return path


# --- 10. Stripe payments export (unified_payments.csv) ---------------------------------------------------

STRIPE_HEADER = _fields(
    "id,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Converted Amount,Converted Amount Refunded,"
    "Converted Currency,Decline Reason,Description,Fee,Refunded date (UTC),Statement Descriptor,Status,"
    "Seller Message,Taxes On Fee,Card ID,Card Last4,Card Brand,Customer ID,Customer Description,Customer Email,"
    "Invoice ID,PaymentIntent ID"
)
STRIPE_CUSTOMER_COLUMNS = ("Customer ID", "Customer Description", "Customer Email")
STRIPE_CHARGE = "ch_3QkA1bL8sXyZ2026"  # + the table's suffix: the charge id
STRIPE_MESSAGES = {
    "Paid": "Payment complete.",
    "Refunded": "Payment complete.",
    "Failed": "The bank declined the payment.",
}
# id suffix | Created date (UTC) | Amount | Amount Refunded | Currency | Converted Amount (usd) | Status |
# Description | Customer ID | Customer Description | Customer Email | Card Brand | Card Last4
STRIPE_ROWS = _table("""
a001|2026-11-03 06:05:09|49.00|0.00|usd|49.00|Paid|Pro plan (monthly)\
|cus_R2a8Lk3Jx9Qw01|Alice Zhang|alice.zhang@example.com|Visa|4242
a002|2026-11-03 16:30:00|120.00|0.00|usd|120.00|Paid|Detailing package\
|cus_R2a8Lk3Jx9Qw02|Bob Chen|bob.chen@example.com|MasterCard|5454
a003|2026-11-04 02:10:45|49.00|0.00|usd|49.00|Failed|Pro plan (monthly)\
|cus_R2a8Lk3Jx9Qw01|Alice Zhang|alice.zhang@example.com|Visa|0341
a004|2026-11-05 23:59:59|15.00|0.00|usd|15.00|Paid|Single wash\
|||Guest.Buyer@example.com|Visa|1881
a005|2026-11-06 12:00:00|200.00|200.00|usd|200.00|Refunded|Ceramic coating\
|cus_R2a8Lk3Jx9Qw03|Carol Wu|carol.wu@example.com|American Express|8431
a006|2026-11-07 08:20:00|1500|0|jpy|10.05|Paid|Single wash\
|cus_R2a8Lk3Jx9Qw04|Daiki Sato|daiki.sato@example.jp|JCB|0505
a007|2026-11-08 19:45:30|120.00|0.00|usd|120.00|Paid|Detailing package\
|cus_R2a8Lk3Jx9Qw02|Bob Chen|bob.chen@example.com|MasterCard|5454
a008|2026-11-09 01:00:00|75.50|0.00|usd|75.50|Paid|Interior clean\
|cus_R2a8Lk3Jx9Qw05|||Visa|4000
a009|2026-11-10 10:10:10|30.00|0.00|eur|32.40|Paid|Single wash\
|cus_R2a8Lk3Jx9Qw01|Alice Zhang|alice.zhang@example.com|Visa|4242
a010|2026-11-11 22:22:22|60.00|0.00|usd|60.00|Canceled|Wax\
|cus_R2a8Lk3Jx9Qw06|Eve Lin|eve.lin@example.com|Visa|1111
""")


def write_stripe_payments(path: Path, customers: bool = True) -> Path:
    """unified_payments.csv (UTF-8, times UTC); `customers=False` leaves the customer columns empty, as an
    export of guest card payments does."""
    rows: list[Row] = []
    for number, row in enumerate(STRIPE_ROWS, 1):
        suffix, created, amount, refunded, currency, converted, status, description = row[:8]
        customer_id, customer_name, email, brand, last4 = row[8:]
        paid = status in ("Paid", "Refunded")
        values = {
            "id": STRIPE_CHARGE + suffix,
            "Created date (UTC)": created,
            "Amount": amount,
            "Amount Refunded": refunded,
            "Currency": currency,
            "Captured": "true" if paid else "false",
            "Converted Amount": converted,
            "Converted Amount Refunded": converted if _money(refunded) else "0.00",
            "Converted Currency": "usd",
            "Decline Reason": "insufficient_funds" if status == "Failed" else "",
            "Description": description,
            "Fee": f"{_money(converted) * Decimal('0.029') + Decimal('0.30'):.2f}" if paid else "0.00",
            "Refunded date (UTC)": "2026-11-07 09:00:00" if status == "Refunded" else "",
            "Statement Descriptor": "WALLETSHOP",
            "Status": status,
            "Seller Message": STRIPE_MESSAGES.get(status, ""),
            "Taxes On Fee": "0.00",
            "Card ID": f"card_1Qk{number:04d}Zx",
            "Card Last4": last4,
            "Card Brand": brand,
            "Customer ID": customer_id,
            "Customer Description": customer_name,
            "Customer Email": email,
            "Invoice ID": f"in_1Qk{number:04d}Ab" if customer_id else "",
            "PaymentIntent ID": f"pi_3QkA1bL8{number:04d}",
        }
        if not customers:
            values.update(dict.fromkeys(STRIPE_CUSTOMER_COLUMNS, ""))
        rows.append(tuple(values[key] for key in STRIPE_HEADER))
    return write_csv(path, rows, "utf-8", header=STRIPE_HEADER)
