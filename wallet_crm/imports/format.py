"""An import format: what a platform's export (or a user's own profile) looks like, as plain data.

Built-in formats are JSON files in `imports/formats/`, one per platform; a profile the user makes in
the wizard is the same object, stored in the database. Nothing here knows a platform by name: a new
platform is a new data file. The keys of a format (all optional but `id` and `name`):

- `match`: header texts that must all appear in the header row for the format to be recognised
  (compared after `normalise_header`: case, spaces, punctuation and a bracketed unit don't count).
  `header`: for a user's profile, the exact header row it was made from; that row is recognised first.
- `columns`: field -> header texts, the first one present in the header row wins; `"#3"` names the
  third column (1-based), for a header cell that is empty or repeated.
- `words`: field -> {word as written: code}, for `status`, `txn_type` and `direction`; compared after
  cleaning, case-insensitively; a key ending in `*` matches any word starting with what precedes it.
- `defaults`: field -> code, used when the column is absent or its cell is empty (a merchant's
  business list has no status column: every row is completed business, `"status": "success"`).
- `rules`: a list of `{"if": {field: [words]}, "columns": {...}, "set": {field: code}}`; the first rule
  whose `if` matches a row (the raw word in that field's column) takes that row's columns and codes
  from it (a WeChat refund row takes its amount from 退款金额 and its id from 微信退款单号).
- `signed_amounts`: the amount's sign is its direction (a minus is money out, no sign money in).
- `refunds_share_ids`: a refund row without a refund id repeats its payment's id; it is keyed
  `<id>#refund` so both are kept (elsewhere only a clash in the file or the database does that).
- `derive_ids`: the file has no transaction id (a bank statement): each row's key is a digest of its
  cells, so the same row in a later file or a second import is found again; identical rows in one
  file are told apart by their order.
- `date_order`: "ymd", "dmy" or "mdy" for slash dates like 03/04/2026 (default: detected).
- `timezone`: the zone the file's times are written in (an IANA name or "UTC"); default: a header that
  says UTC, else a time-zone column, else the operator's zone.
- `decimal_mark`: "." or ","; default: read from each value, an ambiguous `12,34` is rejected.
- `footer`: texts that start the summary under the data (总交易单数, #交易合计): that row and every row
  after it are skipped, not rejected.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from wallet_crm.errors import KnownError
from wallet_crm.messages import Localized, listed

FIELD_NAMES = (
    "txn_id",
    "refund_id",
    "occurred_at",
    "occurred_time",
    "timezone",
    "customer_id",
    "phone",
    "platform_user",
    "email",
    "counterparty",
    "name",
    "amount",
    "amount_in",
    "amount_out",
    "direction",
    "currency",
    "status",
    "txn_type",
    "channel",
    "merchant",
    "remark",
)
# The fields that can say who the customer is, strongest first (the kind is recorded on the customer).
IDENTITY_FIELDS = ("customer_id", "phone", "platform_user", "email", "counterparty", "name")
CODES: dict[str, tuple[str, ...]] = {
    "status": ("success", "failed", "pending", "refunded", "closed"),
    "txn_type": ("payment", "transfer", "top_up", "withdrawal", "refund", "other"),
    "direction": ("in", "out", "none"),
}
WORD_FIELDS = tuple(CODES)
DATE_ORDERS = ("ymd", "dmy", "mdy")
DECIMAL_MARKS = (".", ",")
_ID = re.compile(r"^[^\s/\\][^/\\\x00-\x1f]{0,63}$")
_COLUMN_INDEX = re.compile(r"^#(\d{1,4})$")
_BRACKETED = re.compile(r"[(（\[【].*?[)）\]】]")
_IGNORED = re.compile(r"[\s_\-:：/.*#'\"`]+")


class FormatError(KnownError):
    """A format or profile that can't be used as written (a bad key, field, code or column)."""


def place(where: str | Localized, en: str = "", zh_cn: str | None = None) -> dict[str, str]:
    """Where in a format a problem is, in each language (a catalogue parameter): `where` (a file name, or
    already in both) followed by `en` in English and `zh_cn` (`en` when not given) in Chinese."""
    start = {"en": where, "zh_CN": where} if isinstance(where, str) else where
    return {"en": start["en"] + en, "zh_CN": start["zh_CN"] + (en if zh_cn is None else zh_cn)}


def normalise_header(text: object) -> str:
    """A header cell as compared with a format's texts: `交易金额（元）` and `交易金额` are the same."""
    if text is None:
        return ""
    cleaned = str(text).replace("\ufeff", "").strip().lower()
    cleaned = _BRACKETED.sub("", cleaned)
    return _IGNORED.sub("", cleaned)


@dataclass(frozen=True)
class Rule:
    """Row-by-row exceptions of a format: where the row's `if` words match, other columns and codes."""

    when: Mapping[str, frozenset[str]]  # field -> normalised words (a trailing * is a prefix)
    columns: Mapping[str, tuple[str, ...]]
    set: Mapping[str, str]


@dataclass(frozen=True)
class ImportFormat:
    id: str
    name: Mapping[str, str]  # language -> name
    match: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    words: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    defaults: Mapping[str, str] = field(default_factory=dict)
    rules: tuple[Rule, ...] = ()
    signed_amounts: bool = False
    refunds_share_ids: bool = False
    derive_ids: bool = False
    date_order: str | None = None
    timezone: str | None = None
    decimal_mark: str | None = None
    footer: tuple[str, ...] = ()
    builtin: bool = False

    def title(self, language: str) -> str:
        return self.name.get(language) or self.name.get("en") or next(iter(self.name.values()), self.id)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form, as `parse_format` reads it (a profile's export, the files in `formats/`)."""
        data: dict[str, Any] = {"id": self.id, "name": dict(self.name)}
        if self.match:
            data["match"] = list(self.match)
        if self.header:
            data["header"] = list(self.header)
        if self.columns:
            data["columns"] = {name: list(texts) for name, texts in self.columns.items()}
        if self.words:
            data["words"] = {name: dict(words) for name, words in self.words.items()}
        if self.defaults:
            data["defaults"] = dict(self.defaults)
        if self.rules:
            data["rules"] = [_rule_dict(rule) for rule in self.rules]
        for key in ("date_order", "timezone", "decimal_mark"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        if self.signed_amounts:
            data["signed_amounts"] = True
        if self.refunds_share_ids:
            data["refunds_share_ids"] = True
        if self.derive_ids:
            data["derive_ids"] = True
        if self.footer:
            data["footer"] = list(self.footer)
        return data


def _rule_dict(rule: Rule) -> dict[str, Any]:
    data: dict[str, Any] = {"if": {name: sorted(words) for name, words in rule.when.items()}}
    if rule.columns:
        data["columns"] = {name: list(texts) for name, texts in rule.columns.items()}
    if rule.set:
        data["set"] = dict(rule.set)
    return data


_KEYS = {
    "id",
    "name",
    "match",
    "header",
    "columns",
    "words",
    "defaults",
    "rules",
    "signed_amounts",
    "refunds_share_ids",
    "derive_ids",
    "date_order",
    "timezone",
    "decimal_mark",
    "footer",
    "comment",
}


def parse_format(data: object, where: str | Localized, builtin: bool = False) -> ImportFormat:
    """An `ImportFormat` from its JSON form, every key checked; `FormatError` names the first problem.

    `where` names the file or profile in the refusal (a file name, or a `Localized`: "profile x")."""
    where = place(where)
    if not isinstance(data, dict):
        raise FormatError(code="format.not_object", where=where)
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise FormatError(code="format.unknown_keys", where=where, keys=listed(unknown))
    format_id = data.get("id")
    if not isinstance(format_id, str) or not _ID.match(format_id):
        raise FormatError(code="format.bad_id", where=where)
    where = place(where, f" ({format_id})", f"（{format_id}）")
    name = data.get("name")
    if not isinstance(name, dict) or not name or not all(isinstance(v, str) and v for v in name.values()):
        raise FormatError(code="format.bad_name", where=where)
    date_order = _choice(data, "date_order", DATE_ORDERS, where)
    decimal_mark = _choice(data, "decimal_mark", DECIMAL_MARKS, where)
    timezone = data.get("timezone")
    if timezone is not None:
        from wallet_crm.imports.zones import zone_for

        if not isinstance(timezone, str) or zone_for(timezone) is None:
            raise FormatError(code="format.unknown_zone", where=where, zone=timezone)
    signed, share = data.get("signed_amounts", False), data.get("refunds_share_ids", False)
    derive = data.get("derive_ids", False)
    if not all(isinstance(flag, bool) for flag in (signed, share, derive)):
        raise FormatError(code="format.flags", where=where)
    return ImportFormat(
        id=format_id,
        name={str(k): str(v) for k, v in name.items()},
        match=_texts(data.get("match", []), place(where, ": match", "：match")),
        header=_texts(data.get("header", []), place(where, ": header", "：header"), allow_empty_items=True),
        columns=_columns(data.get("columns", {}), where),
        words=_words(data.get("words", {}), where),
        defaults=_codes(data.get("defaults", {}), place(where, ": defaults", "：defaults")),
        rules=tuple(
            _rule(rule, place(where, f": rule {number}", f"：第 {number} 条规则"))
            for number, rule in enumerate(data.get("rules", []), 1)
        ),
        signed_amounts=signed,
        refunds_share_ids=share,
        derive_ids=derive,
        date_order=date_order,
        timezone=timezone,
        decimal_mark=decimal_mark,
        footer=_texts(data.get("footer", []), place(where, ": footer", "：footer")),
        builtin=builtin,
    )


def _choice(data: dict[str, Any], key: str, choices: Sequence[str], where: Localized) -> str | None:
    value = data.get(key)
    if value is not None and value not in choices:
        raise FormatError(code="format.choice", where=where, key=key, choices=listed(choices))
    return value


def _texts(value: object, where: Localized, allow_empty_items: bool = False) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise FormatError(code="format.not_texts", where=where)
    if not allow_empty_items and not all(item.strip() for item in value):
        raise FormatError(code="format.empty_text", where=where)
    return tuple(value)


def _field(name: object, where: Localized) -> str:
    if name not in FIELD_NAMES:
        raise FormatError(code="format.unknown_field", where=where, name=name, fields=listed(FIELD_NAMES))
    return str(name)


def _columns(value: object, where: Localized) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise FormatError(code="format.columns_shape", where=where)
    return {
        _field(name, where): _texts(texts, place(where, f": columns.{name}", f"：columns.{name}"))
        for name, texts in value.items()
    }


def _words(value: object, where: Localized) -> dict[str, dict[str, str]]:
    if not isinstance(value, dict):
        raise FormatError(code="format.words_shape", where=where)
    result: dict[str, dict[str, str]] = {}
    for name, words in value.items():
        if name not in CODES:
            raise FormatError(code="format.words_field", where=where, name=name, fields=listed(CODES))
        if not isinstance(words, dict):
            raise FormatError(code="format.words_map", where=where, name=name)
        result[name] = {}
        for word, code in words.items():
            if code not in CODES[name]:
                raise FormatError(
                    code="format.word_code", where=where, name=name, word=word, value=code, codes=listed(CODES[name])
                )
            if not clean_word(word):
                raise FormatError(code="format.empty_word", where=where, name=name)
            result[name][str(word)] = str(code)
    return result


def _codes(value: object, where: Localized) -> dict[str, str]:
    if not isinstance(value, dict):
        raise FormatError(code="format.codes_map", where=where)
    result: dict[str, str] = {}
    for name, code in value.items():
        if name == "currency":
            from wallet_crm.money import currency_code

            if not isinstance(code, str) or currency_code(code) is None:
                raise FormatError(code="format.unknown_currency", where=where, value=code)
            result[name] = currency_code(code) or code
            continue
        if name not in CODES:
            raise FormatError(code="format.no_default", where=where, fields=listed(CODES), name=name)
        if code not in CODES[name]:
            raise FormatError(code="format.default_code", where=where, name=name, value=code, codes=listed(CODES[name]))
        result[name] = str(code)
    return result


def _rule(value: object, where: Localized) -> Rule:
    if not isinstance(value, dict) or not isinstance(value.get("if"), dict) or not value["if"]:
        raise FormatError(code="format.bad_rule", where=where)
    extra = sorted(set(value) - {"if", "columns", "set", "comment"})
    if extra:
        raise FormatError(code="format.unknown_keys", where=where, keys=listed(extra))
    when = {
        _field(name, where): frozenset(
            clean_word(word) for word in _texts(words, place(where, f": if.{name}", f"：if.{name}"))
        )
        for name, words in value["if"].items()
    }
    return Rule(when=when, columns=_columns(value.get("columns", {}), where), set=_codes(value.get("set", {}), where))


_WORD_EDGES = " \t\r\n\u00a0\u3000\u200b\u200c\u200d\u2060\ufeff"


def clean_word(word: object) -> str:
    """A word as compared: trimmed of padding, a leading backtick or apostrophe, and lower-cased."""
    text = str(word).strip(_WORD_EDGES)
    if text[:1] in ("`", "'"):
        text = text[1:].strip(_WORD_EDGES)
    return text.lower()


def column_index(text: str) -> int | None:
    """`#3` -> 2 (0-based), for columns named by position; None for a header text."""
    match = _COLUMN_INDEX.match(text)
    return int(match.group(1)) - 1 if match else None
