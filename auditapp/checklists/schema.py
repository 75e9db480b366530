"""Pydantic models of checklist and template files (the YAML schema in checklists/README.md)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

INSTITUTION_KINDS = ("general", "tcm", "integrated", "specialist", "primary")
APPLICABILITY_TAGS = ("tcm", "tertiary", "obstetrics")
RESPONSE_TYPES = ("yesno", "number", "duration", "choice", "text")
SEVERITIES = ("minor", "major", "critical")
TARGET_OPS = ("<=", ">=", "<", ">", "==")

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
ITEM_ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"

Kind = Literal["general", "tcm", "integrated", "specialist", "primary"]
Tag = Literal["tcm", "tertiary", "obstetrics"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Basis(Strict):
    source: str = Field(min_length=1)
    clause: str = Field(min_length=1)
    quote: str = Field(min_length=1)


class Target(Strict):
    op: Literal["<=", ">=", "<", ">", "=="]
    value: float

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
          "小时": ("小时", "h"), "人次": ("人次", "visits"), "种": ("种", "kinds"), "级": ("级", "grade")}


def unit_label(unit: str, language: str = "zh_CN") -> str:
    pair = _UNITS.get(unit)
    if pair is None:
        return unit
    return pair[0] if language == "zh_CN" else pair[1]


class ChoiceOption(Strict):
    value: str = Field(min_length=1)
    label: str = Field(min_length=1)
    conform: bool | None = None


class Response(Strict):
    type: Literal["yesno", "number", "duration", "choice", "text"] = "yesno"
    unit: str = ""
    target: Target | None = None
    options: list[ChoiceOption] = Field(default_factory=list)

    def evaluate(self, value: float | str) -> str | None:
        """The result a measured value gives: conform/nonconform by the target, else None."""
        if self.type in ("number", "duration"):
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise ValueError(f"expected a number, got {value!r}") from None
            if self.target is None:
                return None
            return "conform" if self.target.holds(number) else "nonconform"
        if self.type == "choice":
            for option in self.options:
                if option.value == str(value):
                    if option.conform is None:
                        return None
                    return "conform" if option.conform else "nonconform"
            known = ", ".join(o.value for o in self.options)
            raise ValueError(f"unknown option {value!r} (options: {known})")
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
    applies_to: list[Kind] = Field(default_factory=lambda: list(INSTITUTION_KINDS))
    sections: list[Section] = Field(min_length=1)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    _source_path: Path | None = PrivateAttr(default=None)

    @property
    def source_path(self) -> Path | None:
        return self._source_path

    def items(self) -> Iterator[tuple[Section, Item]]:  # type: ignore[override]
        for section in self.sections:
            for item in section.items:
                yield section, item


class Template(Strict):
    schema_: Literal[1] = Field(default=1, alias="schema")
    id: Annotated[str, Field(pattern=ID_PATTERN)]
    title: str = Field(min_length=1)
    title_en: str = ""
    description: str = ""
    applies_to: list[Kind] = Field(default_factory=lambda: list(INSTITUTION_KINDS))
    checklists: list[str] = Field(min_length=1)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
