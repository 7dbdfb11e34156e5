"""Currencies: ISO 4217 codes, the words exports use for them, and their minor units.

Money is stored as an integer number of minor units (分 for CNY, cents for USD, yen for JPY) with
its currency beside it, and two currencies are never added together. The minor units come from the
ISO 4217 list (maintained by SIX Group): two decimals unless listed in `_EXPONENTS`.
"""

from __future__ import annotations

HOME_CURRENCY = "CNY"
# Active ISO 4217 codes (2024 list), less precious metals, funds and testing codes.
_CODE_LIST = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD "
    "CAD CDF CHF CLF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP "
    "GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD "
    "KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK "
    "NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD "
    "SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD "
    "XCG XOF XPF YER ZAR ZMW ZWG "
)
_CODES = frozenset(_CODE_LIST.split())
_EXPONENTS = {
    **dict.fromkeys(
        [
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ],
        0,
    ),
    **dict.fromkeys(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"], 3),
    "CLF": 4,
}
_WORDS = {
    "人民币": "CNY", "人民币元": "CNY", "元": "CNY", "rmb": "CNY", "¥": "CNY", "￥": "CNY",
    "美元": "USD", "美金": "USD", "us$": "USD", "港币": "HKD", "港元": "HKD", "hk$": "HKD",
    "日元": "JPY", "欧元": "EUR", "€": "EUR", "英镑": "GBP", "£": "GBP", "新台币": "TWD", "澳门元": "MOP",
    "澳元": "AUD", "加元": "CAD", "新加坡元": "SGD", "韩元": "KRW", "泰铢": "THB",
}  # fmt: skip


def currency_code(text: str) -> str | None:
    """The ISO 4217 code `text` names (`usd`, `人民币`, `RMB`), None when it names none we know."""
    cleaned = text.strip()
    upper = cleaned.upper()
    if upper in _CODES:
        return upper
    return _WORDS.get(cleaned.lower())


def minor_units(code: str) -> int:
    """Decimals of the currency's minor unit: 2 for CNY and USD, 0 for JPY, 3 for KWD."""
    return _EXPONENTS.get(code, 2)


def format_minor(amount: int, code: str) -> str:
    """`123450, CNY` -> `¥1,234.50`; `5000, USD` -> `USD 50.00`: one amount as a person reads it."""
    exponent = minor_units(code)
    sign = "-" if amount < 0 else ""
    whole, part = divmod(abs(amount), 10**exponent)
    number = f"{whole:,}" + (f".{part:0{exponent}d}" if exponent else "")
    return f"{sign}¥{number}" if code == HOME_CURRENCY else f"{sign}{code} {number}"


def signed_minor(amount: int, direction: str | None) -> int:
    """The amount with money out negative, as a statement shows it."""
    return -amount if direction == "out" else amount


def format_totals(home: int, others: tuple[tuple[str, int], ...]) -> str:
    """`¥1,280.00 + USD 50.00`: totals per currency side by side, never added together."""
    parts = [format_minor(home, HOME_CURRENCY)] if home or not others else []
    parts += [format_minor(total, code) for code, total in others]
    return " + ".join(parts)


def in_units(amount: int, code: str) -> float:
    """Minor units as a number of the currency's units, for a spreadsheet cell (exact to the printed decimals)."""
    return float(amount / 10 ** minor_units(code))
