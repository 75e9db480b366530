"""Pydantic models of checklist and template files (the YAML schema in checklists/README.md)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from auditapp.errors import InvalidInputError

INSTITUTION_KINDS = ("general", "tcm", "integrated", "specialist", "primary")
APPLICABILITY_TAGS = ("tcm", "tertiary", "obstetrics")
RESPONSE_TYPES = ("yesno", "number", "duration", "choice", "text")
SEVERITIES = ("minor", "major", "critical")
TARGET_OPS = ("<=", ">=", "<", ">", "==")

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
ITEM_ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"

Kind = Literal["general", "tcm", "integrated", "specialist", "primary"]
Tag = Literal["tcm", "tertiary", "obstetrics"]

if TYPE_CHECKING:
    from auditapp.checklists.applicability import InstitutionProfile


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Basis(Strict):
    """One citation: the document, the clause as the document numbers it, its own words.

    ``inferred`` says the label was inferred from the passage's position because the text
    lost its heading (shown as such wherever the citation is shown). ``tcm_only`` says the
    sentence addresses TCM institutions only although its document addresses all (中医医疗机构要…).
    ``encouraged`` says the document only encourages it (鼓励…, 有条件的…, 探索…): good
    practice there, not binding; ``false`` records that an author checked such a word and
    found the sentence still mandatory.
    """

    source: str = Field(min_length=1)
    clause: str = Field(min_length=1)
    quote: str = Field(min_length=1)
    inferred: bool = False
    tcm_only: bool = False
    encouraged: bool | None = None

    def label(self, language: str = "zh_CN") -> str:
        """The clause as a reader sees it, marked when inferred."""
        if not self.inferred:
            return self.clause
        return f"{self.clause}（条款号推定）" if language != "en" else f"{self.clause} (inferred)"


class Target(Strict):
    """A value the source sets (only then is there a target).

    ``source`` names the document that sets it (one of the item's bases). ``applies`` limits
    the judgement to institutions for which these tags hold: a value set by a TCM-only
    document judges TCM hospitals only; elsewhere the number is recorded without a verdict.
    """

    op: Literal["<=", ">=", "<", ">", "=="]
    value: float
    source: str = ""
    applies: list[Tag] = Field(default_factory=list)

    def holds(self, value: float) -> bool:
        return {
            "<=": value <= self.value,
            ">=": value >= self.value,
            "<": value < self.value,
            ">": value > self.value,
            "==": value == self.value,
        }[self.op]

    def text(self) -> str:
        """The target without its unit, as a reader writes it: "≤ 30", "≥ 95" (never "<= 30")."""
        return self.display()

    def display(self, unit: str = "", language: str = "zh_CN") -> str:
        """The target as people read it: "≤ 30 分钟", never "<= 30"."""
        number = int(self.value) if self.value == int(self.value) else self.value
        unit_text = unit_label(unit, language)
        sep = "" if unit_text in ("%", "") else " "
        return f"{_OP_SIGNS[self.op]} {number}{sep}{unit_text}".strip()


_OP_SIGNS = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "==": "="}
# Units written in checklist files, as each language prints them.
_UNITS = {"min": ("分钟", "min"), "分钟": ("分钟", "min"), "秒": ("秒", "s"), "天": ("天", "days"),
          "小时": ("小时", "h"), "人次": ("人次", "visits"), "种": ("种", "kinds"), "级": ("级", "grade"),
          "人/台": ("人/台", "people/devices"), "护士/床": ("护士/床", "nurses per bed")}


def unit_label(unit: str, language: str = "zh_CN") -> str:
    pair = _UNITS.get(unit)
    if pair is None:
        return unit
    return pair[0] if language == "zh_CN" else pair[1]


class ChoiceOption(Strict):
    value: str = Field(min_length=1)
    label: str = Field(min_length=1)
    conform: bool | None = None



class AnswerValueError(InvalidInputError, ValueError):
    """A value an item does not take (catalog code ``answer.*``).

    Also a ValueError, so callers written before the catalog (which caught ValueError
    from ``evaluate``) keep working.
    """


# Measured values beyond this are typing errors (a waiting time of a billion minutes).
MAX_MEASURED = 1_000_000_000
MAX_VALUE_LENGTH = 1000


class Response(Strict):
    type: Literal["yesno", "number", "duration", "choice", "text"] = "yesno"
    unit: str = ""
    target: Target | None = None
    options: list[ChoiceOption] = Field(default_factory=list)

    def validate_value(self, value: float | str | None, *, item: str = "") -> str | None:
        """The one judge of an answer's value: what may be stored for this kind of item.

        Returns the value as it is stored (text), or None for "no value". Raises
        AnswerValueError (an InvalidInputError) with a catalog code: a value for a yes/no item, a number that
        is not one (NaN, infinity, words), a negative duration, an unknown option.
        """
        if value is None:
            return None
        if isinstance(value, bool):
            raise AnswerValueError("answer.value_not_number", item=item, value=str(value))
        text = str(value).strip()
        if text == "":
            return ""
        if len(text) > MAX_VALUE_LENGTH:
            raise AnswerValueError("answer.value_too_long", item=item, limit=MAX_VALUE_LENGTH)
        if self.type == "yesno":
            raise AnswerValueError("answer.value_for_yesno", item=item, value=text[:40])
        if self.type in ("number", "duration"):
            try:
                number = float(text)
            except ValueError:
                raise AnswerValueError("answer.value_not_number", item=item, value=text[:40]) from None
            if not math.isfinite(number):
                raise AnswerValueError("answer.value_not_finite", item=item, value=text[:40])
            if self.type == "duration" and number < 0:
                raise AnswerValueError("answer.value_negative", item=item, value=text[:40])
            if abs(number) > MAX_MEASURED:
                raise AnswerValueError("answer.value_too_large", item=item, value=text[:40], limit=MAX_MEASURED)
            return text
        if self.type == "choice":
            if not any(option.value == text for option in self.options):
                raise InvalidInputError(
                    "answer.value_unknown_option", item=item, value=text[:40], options=", ".join(o.value for o in self.options)
                )
            return text
        return text

    def evaluate(self, value: float | str, *, item: str = "") -> str | None:
        """The result a measured value gives: conform/nonconform by the target, else None.

        The value is judged by :meth:`validate_value` first (InvalidInputError).
        """
        text = self.validate_value(value, item=item)
        if not text:
            return None
        if self.type in ("number", "duration"):
            if self.target is None:
                return None
            return "conform" if self.target.holds(float(text)) else "nonconform"
        if self.type == "choice":
            option = next(o for o in self.options if o.value == text)
            if option.conform is None:
                return None
            return "conform" if option.conform else "nonconform"
        return None


class Item(Strict):
    id: Annotated[str, Field(pattern=ITEM_ID_PATTERN)]
    question: str = Field(min_length=1)
    question_en: str = ""
    # The problem as a rectification list states it when the item is not met (a
    # statement, never a question): "门诊公共卫生间不洁：地面、便池或洗手台有污物或积水".
    problem: str = ""
    problem_en: str = ""
    guidance: str = ""
    guidance_en: str = ""
    basis: list[Basis] = Field(min_length=1)
    response: Response = Field(default_factory=Response)
    applies: list[Tag] = Field(default_factory=list)
    severity: Literal["minor", "major", "critical"] = "minor"
    department: str = ""
    photo_required: bool = False
    # Ids this item replaced when items asking the same thing were merged: answers,
    # findings and carried-over rectifications recorded under them belong to this item.
    formerly: list[Annotated[str, Field(pattern=ITEM_ID_PATTERN)]] = Field(default_factory=list)

    def target_for(self, profile: InstitutionProfile | None) -> Target | None:
        """The target that judges this item for ``profile`` (None: record the value only)."""
        target = self.response.target
        if target is None or profile is None or not target.applies:
            return target
        from auditapp.checklists.applicability import tag_holds

        return target if all(tag_holds(tag, profile) for tag in target.applies) else None

    def evaluate(self, value: float | str, profile: InstitutionProfile | None = None) -> str | None:
        """The result a value gives for ``profile``: by the target that applies to it, if any.

        Without a profile every target judges (as ``Response.evaluate``); with one, a target
        limited to other institutions (``applies``) leaves the value unjudged.
        """
        result = self.response.evaluate(value)
        if self.response.target is not None and self.target_for(profile) is None:
            return None
        return result

    def problem_statement(self, language: str = "zh_CN") -> str:
        """What to fix when the item is not met, worded as a statement for the department.

        Items written before ``problem`` existed get one derived from the question:
        the yes/no particle and the question mark go, and it is said to be unmet.
        """
        if language == "en" and self.problem_en:
            return self.problem_en
        if self.problem and (language != "en" or not self.question_en):
            return self.problem
        if language == "en" and self.question_en:
            return f"Not met: {self.question_en.rstrip('?？ ')}"
        question = self.question.replace("是否", "").rstrip("？?。 ")
        return f"未达到要求：{question}"

    @field_validator("response", mode="before")
    @classmethod
    def _shorthand(cls, value: object) -> object:
        if isinstance(value, str):
            return {"type": value}
        return value


class Section(Strict):
    id: Annotated[str, Field(pattern=ID_PATTERN)]
    title: str = Field(min_length=1)
    title_en: str = ""
    items: list[Item] = Field(min_length=1)


class Checklist(Strict):
    schema_: Literal[1] = Field(default=1, alias="schema")
    id: Annotated[str, Field(pattern=ID_PATTERN)]
    version: int = Field(ge=1)
    title: str = Field(min_length=1)
    title_en: str = ""
    description: str = ""
    applies_to: list[Kind] = Field(default_factory=lambda: cast("list[Kind]", list(INSTITUTION_KINDS)))
    sections: list[Section] = Field(min_length=1)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    _source_path: Path | None = PrivateAttr(default=None)

    @property
    def source_path(self) -> Path | None:
        return self._source_path

    def items(self) -> Iterator[tuple[Section, Item]]:
        for section in self.sections:
            for item in section.items:
                yield section, item


class WalkStage(Strict):
    """One stage of the patient's path (入口, 导诊与标识, 挂号预约 …) and the sections walked there.

    Sections are named ``checklist-id.section-id``; the walk lists every section of the
    template's checklists exactly once, in the order a patient meets them.
    """

    id: Annotated[str, Field(pattern=ID_PATTERN)]
    title: str = Field(min_length=1)
    title_en: str = ""
    sections: list[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*\.[a-z0-9][a-z0-9_-]*$")]] = Field(min_length=1)


class Template(Strict):
    schema_: Literal[1] = Field(default=1, alias="schema")
    id: Annotated[str, Field(pattern=ID_PATTERN)]
    title: str = Field(min_length=1)
    title_en: str = ""
    description: str = ""
    applies_to: list[Kind] = Field(default_factory=lambda: cast("list[Kind]", list(INSTITUTION_KINDS)))
    checklists: list[str] = Field(min_length=1)
    walk: list[WalkStage] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
