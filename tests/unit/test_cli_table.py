"""Terminal columns line up in Chinese too: a wide character takes two cells."""

from __future__ import annotations

from wallet_crm.cli_table import cut, display_width, line, pad


def test_display_width_counts_wide_characters_twice_and_combining_marks_not_at_all() -> None:
    assert display_width("task") == 4
    assert display_width("任务") == 4
    assert display_width("ＡＢ") == 4  # full-width Latin
    assert display_width("e\u0301") == 1  # e + a combining acute accent
    assert display_width("小王 Li") == 7


def test_cut_never_splits_a_wide_character() -> None:
    assert cut("张三丰大侠", 5) == "张三"
    assert cut("张三丰大侠", 6) == "张三丰"
    assert cut("abcdef", 4) == "abcd"
    assert cut("short", 10) == "short"


def test_pad_fills_to_the_display_width_on_either_side() -> None:
    assert pad("任务", 6) == "任务  "
    assert pad("任务", 6, right=True) == "  任务"
    assert pad("toolong", 3) == "toolong"  # never cut here


def test_a_line_of_chinese_and_english_cells_puts_each_column_at_the_same_place() -> None:
    widths, right = (6, 8), (True, False)
    chinese = line(["任务", "状态", "原因"], widths, right)
    english = line(["task", "status", "explanation"], widths, right)
    assert display_width(chinese.split("原因")[0]) == display_width(english.split("explanation")[0]) == 18
    assert line(["104", "待处理", "新客户"], widths, right) == "   104  待处理    新客户"
