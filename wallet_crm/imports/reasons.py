"""Why a cell can't be used, or what the import noticed about it: a code, its parameters, and its words.

Parsers raise `BadValue(code, **params)`; the CLI's JSON carries the English sentence and the code,
and the wizard shows the sentence in the interface language. The words are the message catalogue's
`reason.<code>` entries (`wallet_crm.messages`), so a new reason is one entry there.
"""

from __future__ import annotations

from collections.abc import Mapping

from wallet_crm.messages import CATALOGUE, text

ORDER_WORDS = {
    "mdy": {
        "en": "month-first (if wrong, choose day-first, or --date-order dmy)",
        "zh_CN": "月在前（如不对，请选“日在前”）",
    },
    "dmy": {
        "en": "day-first (if wrong, choose month-first, or --date-order mdy)",
        "zh_CN": "日在前（如不对，请选“月在前”）",
    },
}


def reason_text(code: str, params: Mapping[str, object] | None = None, language: str = "en") -> str:
    """The sentence for `code` in `language`, from the message catalogue (the code itself when unknown)."""
    key = f"reason.{code}"
    if key not in CATALOGUE:
        return code
    values = dict(params or {})
    if code == "date_order_assumed" and isinstance(values.get("order"), str):
        values["order"] = ORDER_WORDS.get(str(values["order"]), values["order"])
    try:
        return text(key, language, **values)
    except (KeyError, IndexError):  # a parameter missing: the sentence as written beats none
        template = CATALOGUE[key].get(language) or CATALOGUE[key]["en"]
        return template if isinstance(template, str) else template["other"]
