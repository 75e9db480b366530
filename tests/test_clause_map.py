"""The clause structure read from a source document's text (auditapp.checklists.clauses).

Small hand-written documents, one per rule of the walk: headings at line starts, 是-sub-items
inside running text (also split across a line break), the annex's indicators, the list of
attachments, an inferred (lost) heading, the numbered style, and a wrapped paragraph's end.
"""

from __future__ import annotations

from auditapp.checklists.clauses import ClauseStyle, InferredHeading, build_clause_map, cn_number, cn_numeral


def _label_of(text: str, passage: str, style: ClauseStyle | None = None) -> tuple[str, bool]:
    """The clause label (and whether inferred) at the start of ``passage`` in ``text``."""
    flat = "".join(text.split())
    clause = build_clause_map(text, style or ClauseStyle()).at(flat.index(passage))
    return clause.label, clause.inferred


NESTED = """一、总体要求
坚持以患者为中心。
二、主要任务
（一）改善就医环境
1.优化标识。一是规范导引标识，二
是完善楼层索引。
2.改善厕所。
（二）优化服务流程
3.推行预约诊疗。
"""


def test_nested_headings_give_chapter_section_item_and_sub_item() -> None:
    assert _label_of(NESTED, "坚持以患者") == ("一", False)
    assert _label_of(NESTED, "改善就医环境") == ("二(一)", False)
    assert _label_of(NESTED, "优化标识") == ("二(一)1", False)
    assert _label_of(NESTED, "规范导引") == ("二(一)1 一", False)
    # "二" ends one line and "是" starts the next: still the second sub-item
    assert _label_of(NESTED, "完善楼层") == ("二(一)1 二", False)
    # a new item resets the sub-item
    assert _label_of(NESTED, "改善厕所") == ("二(一)2", False)
    assert _label_of(NESTED, "推行预约") == ("二(二)3", False)


def test_sentences_end_at_stops_and_at_clause_starts() -> None:
    cmap = build_clause_map(NESTED, ClauseStyle())
    flat = "".join(NESTED.split())
    first, second = flat.index("规范导引"), flat.index("完善楼层")
    # the two sub-items start two sentences (a clause start is a sentence start)
    assert cmap.sentence(first) != cmap.sentence(second)
    # inside one sentence the number does not change
    assert cmap.sentence(first) == cmap.sentence(first + 2)
    assert cmap.sentence_starts == sorted(set(cmap.sentence_starts))


def test_an_item_number_outside_a_section_is_running_text_in_the_nested_style() -> None:
    text = "一、总则\n1.这不是条款。\n"
    assert _label_of(text, "这不是条款") == ("一", False)
    assert _label_of(text, "这不是条款", ClauseStyle(style="numbered")) == ("1", False)


def test_annex_indicators_and_notes() -> None:
    text = NESTED + "附件：1.指标表\n附件1\n评估指标\n11.门诊预约率\n注：按月统计。\n"
    style = ClauseStyle(annex_heading="附件1", annex_label="附件1")
    # the list of attachments is a table of contents, not a clause
    assert _label_of(text, "指标表", style) == ("附件目录", False)
    assert _label_of(text, "评估指标", style) == ("附件1", False)
    assert _label_of(text, "门诊预约率", style) == ("附件1 指标11", False)
    assert _label_of(text, "按月统计", style) == ("附件1 注", False)


def test_an_inferred_heading_marks_what_follows_until_the_next_real_chapter() -> None:
    text = "残缺的段落。\n继续加强管理。\n（二）优化流程\n三、保障措施\n加强领导。\n"
    style = ClauseStyle(inferred=(InferredHeading(1, "二", "heading lost in extraction"),))
    cmap = build_clause_map(text, style)
    flat = "".join(text.split())
    lost = cmap.at(flat.index("继续加强"))
    assert (lost.label, lost.inferred, lost.note) == ("二", True, "heading lost in extraction")
    # a real section under the inferred chapter is labelled, still inferred
    assert _label_of(text, "优化流程", style) == ("二(二)", True)
    # the next real chapter is not
    assert _label_of(text, "加强领导", style) == ("三", False)


def test_a_short_line_ending_a_sentence_ends_the_sub_item_in_a_wrapped_document() -> None:
    width = "一二三四五六七八九十" * 2  # 20 characters a line
    body = [f"{width[:19]}。" if i == 3 else width for i in range(8)]
    text = "一、要求\n（一）标识\n1.一是" + "\n".join(body) + "\n短句结束。\n其后的正文。\n"
    assert _label_of(text, "其后的正文") == ("一(一)1", False)
    # a full-width line ending a sentence does not end the paragraph
    flat = "".join(text.split())
    after_full = flat.index(body[3]) + len(body[3])
    assert build_clause_map(text, ClauseStyle()).at(after_full).label == "一(一)1 一"


def test_chinese_numerals_round_trip() -> None:
    for n in range(1, 40):
        assert cn_number(cn_numeral(n)) == n
    assert (cn_numeral(11), cn_numeral(20), cn_numeral(23)) == ("十一", "二十", "二十三")
