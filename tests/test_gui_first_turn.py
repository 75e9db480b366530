"""The first start's order: the inspector's name is asked before the demo data starts, so the
demo's progress dialog never covers the question (it did, seen under Xvfb)."""

from __future__ import annotations

import pytest

import ui.app


class _Window:
    def __init__(self, calls: list[str]) -> None:
        self.calls = calls

    def ask_inspector_if_missing(self) -> None:
        self.calls.append("ask name")


@pytest.mark.parametrize(("demo", "ask_name", "expected"), [
    (True, True, ["ask name", "demo"]),
    (True, False, ["demo"]),  # release checks: no question
    (False, True, ["ask name"]),
])
def test_the_name_is_asked_before_the_demo_data_starts(
    monkeypatch: pytest.MonkeyPatch, demo: bool, ask_name: bool, expected: list[str]
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(ui.app, "ensure_demo_data", lambda _w: calls.append("demo"))
    ui.app.first_turn(_Window(calls), demo=demo, ask_name=ask_name)  # type: ignore[arg-type]
    assert calls == expected
