"""The Chinese catalogue is complete and keeps every placeholder of its source text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from wallet_crm.resources import resources_dir

PLACEHOLDER = re.compile(r"%\d|%n|\{\w+\}")


def test_every_message_is_translated_with_its_placeholders() -> None:
    tree = ET.parse(resources_dir() / "i18n" / "wallet_crm_zh_CN.ts")
    messages = list(tree.getroot().iter("message"))
    assert len(messages) > 50
    for message in messages:
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None and translation.get("type") not in ("unfinished", "obsolete", "vanished"), source
        forms = [form.text or "" for form in translation.findall("numerusform")] or [translation.text or ""]
        for text in forms:
            assert text.strip(), f"empty translation for {source!r}"
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)), source
