"""Status, type and direction words as a file writes them, to our codes.

A format's own words come first, then the user's (from `--word` or the wizard), then the generic
ones every format shares. A word ending in `*` in a format matches words that start with it
(已退款(￥5.00) under `已退款*`). A word nobody knows stays unknown: the caller decides what that means
(an unknown type is `other`; an unknown status or direction is never guessed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from wallet_crm.imports.format import clean_word


class WordBook:
    """The codes for one field's words, exact words first, then prefixes (longest first)."""

    def __init__(self, layers: Iterable[Mapping[str, str]]) -> None:
        exact: dict[str, str] = {}
        prefixes: dict[str, str] = {}
        for layer in reversed(list(layers)):  # earlier layers win: apply them last
            for word, code in layer.items():
                cleaned = clean_word(word)
                if cleaned.endswith("*") and len(cleaned) > 1:
                    prefixes[cleaned[:-1]] = code
                else:
                    exact[cleaned] = code
        self.exact = exact
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[0]))
        self._cache: dict[str, str | None] = {}

    def code(self, word: str) -> str | None:
        """The code for `word` (as written), None when no layer knows it."""
        found = self._cache.get(word, self)
        if found is not self:
            return found  # type: ignore[return-value]
        cleaned = clean_word(word)
        result = self.exact.get(cleaned)
        if result is None:
            result = next((code for prefix, code in self.prefixes if cleaned.startswith(prefix)), None)
        if len(self._cache) < 100_000:
            self._cache[word] = result
        return result
