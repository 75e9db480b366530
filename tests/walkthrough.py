"""Walk the app as a hospital leader does, with real input, and save a screenshot per step.

    /usr/bin/python3 tests/walkthrough.py OUT_DIR [--size 1366x768] [--lang zh_CN|en] [--display :81] [--demo]

Starts its own X server (Xvfb), window manager (openbox) and accessibility bus, then
the app on an empty data folder (a first start: the institutions are created by hand)
or, with ``--demo``, on the demo data (its TCM hospital of level 3 and its floor plan),
and drives it with xdotool: mouse
clicks where a person would click, keys, Chinese text pasted from the clipboard. Widgets
are found by their visible text through the accessibility tree (AT-SPI), so the script
clicks what a person sees, at the place it is drawn. Needs the Debian packages xvfb
openbox xdotool xclip imagemagick at-spi2-core dbus-x11 python3-pyatspi, hence the
system Python. Look at every PNG it writes; it also stops with an error when an expected
button or dialog does not appear.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TS = REPO / "resources" / "i18n" / "auditapp_zh_CN.ts"
APP = REPO / ".venv" / "bin" / "auditapp"

import contextlib  # noqa: E402

import pyatspi  # noqa: E402  (system package python3-pyatspi)


class WalkError(RuntimeError):
    pass


class Words:
    """The window's words: English sources, or their Chinese translations from the .ts."""

    def __init__(self, language: str) -> None:
        self.chinese = language == "zh_CN"
        self.table: dict[tuple[str, str], str] = {}
        for context in ET.parse(TS).getroot().iter("context"):
            name = context.findtext("name", "")
            for message in context.iter("message"):
                source = message.findtext("source", "")
                translation = message.findtext("translation", "") or ""
                if source and translation:
                    self.table[(name, source)] = translation
                    self.table.setdefault(("", source), translation)

    def __call__(self, english: str, context: str = "") -> str:
        """The text as the window shows it; ``context`` picks a class's own translation."""
        if not self.chinese:
            return english.replace("&", "")
        text = self.table.get((context, english)) or self.table.get(("", english), english)
        return text.replace("&", "")


class Desktop:
    def __init__(self, out: Path, size: str, display: str, language: str) -> None:
        self.out = out
        self.display = display
        self.language = language
        self.work = Path(tempfile.mkdtemp(prefix="auditapp-walk-"))
        self.env = dict(os.environ)
        runtime = self.work / "run"
        runtime.mkdir(mode=0o700)
        self.env.update(
            DISPLAY=display,
            LANG="zh_CN.UTF-8" if language == "zh_CN" else "en_US.UTF-8",
            LC_ALL="zh_CN.UTF-8" if language == "zh_CN" else "en_US.UTF-8",
            XDG_CONFIG_HOME=str(self.work / "config"),
            XDG_DATA_HOME=str(self.work / "share"),
            XDG_CACHE_HOME=str(self.work / "cache"),
            XDG_RUNTIME_DIR=str(runtime),
            QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",
            QT_ACCESSIBILITY="1",
        )
        self.env.pop("QT_QPA_PLATFORM", None)
        self.procs: list[subprocess.Popen] = []
        self.size = size
        self.count = 0
        self.notes: list[str] = []

    # -- processes ---------------------------------------------------------------

    def spawn(self, *cmd: str, log: str) -> subprocess.Popen:
        handle = open(self.work / log, "w")  # noqa: SIM115
        proc = subprocess.Popen(cmd, env=self.env, stdout=handle, stderr=subprocess.STDOUT, cwd=REPO)
        self.procs.append(proc)
        return proc

    def start(self) -> None:
        if subprocess.run(["xdotool", "getdisplaygeometry"], env=self.env, capture_output=True).returncode == 0:
            raise WalkError(f"display {self.display} is already in use; choose another with --display")
        self.spawn("Xvfb", self.display, "-screen", "0", f"{self.size}x24", "-nolisten", "tcp", "-noreset", log="xvfb.log")
        self._wait_for(lambda: subprocess.run(["xdotool", "getdisplaygeometry"], env=self.env, capture_output=True).returncode == 0,
                       "the X server")
        out = subprocess.run(["dbus-launch", "--sh-syntax"], env=self.env, capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            if "=" in line and not line.startswith("export"):
                key, value = line.rstrip(";").split("=", 1)
                self.env[key] = value.strip("'")
        # pyatspi in this process talks to the same session bus.
        os.environ.update({k: self.env[k] for k in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR")})
        wm = self.spawn("openbox", log="openbox.log")
        # A window manager is what makes raising, focus and maximizing behave as on a desktop.
        self._wait_for(lambda: "_NET_SUPPORTING_WM_CHECK(WINDOW)" in subprocess.run(
            ["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env=self.env, capture_output=True, text=True).stdout,
            "the window manager", alive=wm)
        self.spawn("/usr/libexec/at-spi-bus-launcher", "--launch-immediately", log="atspi.log")
        time.sleep(2)

    def _wait_for(self, ready, what: str, *, alive: subprocess.Popen | None = None, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
        end = time.time() + timeout
        while not ready():
            if (alive is not None and alive.poll() is not None) or time.time() > end:
                raise WalkError(f"{what} did not start")
            time.sleep(0.3)

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        pid = self.env.get("DBUS_SESSION_BUS_PID")
        if pid:
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pid), signal.SIGTERM)

    def clean(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)

    def settings(self, **values: object) -> None:
        folder = self.work / "config" / "auditapp"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "settings.json").write_text(json.dumps(values), encoding="utf-8")

    # -- finding what is on the screen -------------------------------------------

    def app(self, timeout: float = 60):  # type: ignore[no-untyped-def]
        end = time.time() + timeout
        while time.time() < end:
            for app in pyatspi.Registry.getDesktop(0):
                if app is not None and app.name == "auditapp":
                    return app
            time.sleep(0.5)
        raise WalkError("the app did not appear on the accessibility bus")

    def nodes(self, root=None):  # type: ignore[no-untyped-def]
        stack = [root or self.app()]
        while stack:
            node = stack.pop()
            if node is None:
                continue
            yield node
            try:
                stack.extend(reversed([c for c in node]))
            except Exception:
                continue

    def find(self, name: str, role: str | tuple[str, ...] | None = None, *, timeout: float = 20, contains: bool = False, within=None):  # type: ignore[no-untyped-def]
        """The first showing widget named ``name`` (and of ``role``), waiting up to ``timeout`` s."""
        roles = (role,) if isinstance(role, str) else role
        end = time.time() + timeout
        while True:
            for node in self.nodes(within):
                try:
                    node_name = node.name or ""
                    if (name in node_name if contains else node_name == name) and (roles is None or node.getRoleName() in roles):  # noqa: SIM102
                        if node.getState().contains(pyatspi.STATE_SHOWING):
                            return node
                except Exception:
                    continue
            if time.time() > end:
                near = sorted({f"{n.getRoleName()} {n.name!r}" for n in self.nodes(within)
                               if n is not None and n.name and name.split()[-1] in n.name})[:8]
                raise WalkError(f"not on screen: {role or 'widget'} {name!r}; similar: {near}")
            time.sleep(0.4)

    def find_all(self, name: str, role: str | None = None, *, within=None) -> list:  # type: ignore[no-untyped-def]
        """Every showing widget named ``name`` (and of ``role``), in tree order."""
        found = []
        for node in self.nodes(within):
            try:
                if node.name == name and (role is None or node.getRoleName() == role) and node.getState().contains(
                        pyatspi.STATE_SHOWING):
                    found.append(node)
            except Exception:
                continue
        return found

    def exists(self, name: str, role: str | None = None, contains: bool = False) -> bool:
        try:
            self.find(name, role, timeout=0.5, contains=contains)
            return True
        except WalkError:
            return False

    @staticmethod
    def extents(node) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
        e = node.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        return e.x, e.y, e.width, e.height

    # -- acting --------------------------------------------------------------------

    def xdotool(self, *args: str) -> str:
        return subprocess.run(["xdotool", *args], env=self.env, capture_output=True, text=True).stdout

    def click(self, node, *, double: bool = False, dx: int | None = None, dy: int | None = None) -> None:  # type: ignore[no-untyped-def]
        x, y, w, h = self.extents(node)
        px, py = x + (dx if dx is not None else w // 2), y + (dy if dy is not None else h // 2)
        self.xdotool("mousemove", str(px), str(py))
        time.sleep(0.15)
        self.xdotool("click", *(["--repeat", "2", "--delay", "120"] if double else []), "1")
        time.sleep(0.6)

    def press(self, name: str, role: str | tuple[str, ...] | None = "push button", **kw: object) -> None:
        self.click(self.find(name, role, **kw))  # type: ignore[arg-type]

    def key(self, *keys: str) -> None:
        for k in keys:
            self.xdotool("key", "--clearmodifiers", k)
            time.sleep(0.35)

    def type(self, text: str) -> None:
        """ASCII by key presses, like typing."""
        self.xdotool("type", "--delay", "40", text)
        time.sleep(0.4)

    def paste(self, text: str) -> None:
        """Chinese text the way a person without an input method gets it in: the clipboard."""
        subprocess.run(["xclip", "-selection", "clipboard"], input=text.encode("utf-8"), env=self.env, check=True)
        time.sleep(0.2)
        self.key("ctrl+v")

    def shot(self, name: str, note: str = "") -> Path:
        time.sleep(0.8)
        self.count += 1
        path = self.out / f"{self.count:02d}-{name}.png"
        subprocess.run(["import", "-window", "root", str(path)], env=self.env, check=True)
        self.notes.append(f"{path.name}: {note}" if note else path.name)
        return path


DEMO_TCM, DEMO_GENERAL = "示例市中医院", "示例区人民医院"


def walk(desk: Desktop, w: Words, sample: Path, plan: Path, *, demo: bool = False) -> None:
    """The whole job, step by step; each step ends with a screenshot."""
    zh = desk.language == "zh_CN"
    ok = "确定" if zh else "OK"
    desk.settings(language=desk.language)
    data = desk.work / "data"
    desk.spawn(str(APP), "--data-dir", str(data), *(["--demo"] if demo else []), log="app.log")
    desk.app()

    # First start: the inspector's name.
    prompt = desk.find(w("Welcome"), "dialog", timeout=300 if demo else 90)  # the demo data takes a while
    desk.shot("first-start-name", "first start asks for the inspector's name")
    desk.click(desk.find(w("Your name as inspector (shown in visits and in the change history):"), "text", within=prompt))
    desk.paste("王院长")
    desk.key("Return")
    if demo:
        tcm_name, general_name = DEMO_TCM, DEMO_GENERAL
        desk.find(tcm_name, "table cell", contains=True, timeout=90)
        desk.shot("home-demo", "the demo hospitals and their visits; every button visible")
        _walk_from_visit(desk, w, sample, plan, data, tcm_name=tcm_name, general_name=general_name, demo=True)
        return
    desk.shot("home-empty", "empty home screen says what to do first")

    # A TCM hospital of level 3 and a general hospital of level 2.
    for name, tcm in (("示例中医院", True), ("示例综合医院", False)):
        desk.press(w("New institution…"))
        dialog = desk.find(w("New institution"), "dialog")
        desk.paste(name)  # the name field has the focus
        if tcm:
            desk.click(desk.find("综合医院" if zh else "General hospital", "combo box", within=dialog))
            desk.key("Down", "Return")
        else:
            desk.click(desk.find(w("Level 3"), "combo box", within=dialog))
            desk.key("Up", "Return")
        desk.shot(f"new-institution-{'tcm' if tcm else 'general'}", "default departments follow the kind; ▲ full size")
        desk.press(ok, within=dialog)
    desk.shot("home-two-institutions")
    _walk_from_visit(desk, w, sample, plan, data, tcm_name="示例中医院", general_name="示例综合医院", demo=False)


def _visit_dialog(desk: Desktop, w: Words, name: str):  # type: ignore[no-untyped-def]
    """The New visit dialog of the institution whose name starts with ``name``."""
    return desk.find(w("New visit — %1").replace("%1", name), "dialog", contains=True)


def _walk_from_visit(desk: Desktop, w: Words, sample: Path, plan: Path, data: Path, *,
                     tcm_name: str, general_name: str, demo: bool) -> None:
    zh = desk.language == "zh_CN"
    ok = "确定" if zh else "OK"
    yes = "是" if zh else "Yes"

    # A test visit of the general hospital, to be deleted at the end.
    desk.click(desk.find(general_name, "table cell", contains=True))
    desk.press(w("Start a new visit…"))
    desk.press(ok, within=_visit_dialog(desk, w, general_name))
    desk.find(w("Checklist item"), "page tab", timeout=90)
    desk.press(w("◀ Home"))

    # The visit of the TCM hospital.
    desk.click(desk.find(tcm_name, "table cell", contains=True))
    desk.press(w("Start a new visit…"))
    dialog = _visit_dialog(desk, w, tcm_name)
    desk.shot("new-visit-dialog", "checklist titles without ids; inspector filled in")
    desk.press(ok, within=dialog)
    desk.find(w("Checklist item"), "page tab", timeout=90)
    desk.shot("visit-opened", "items in the service's (template) order")

    # Answers by keyboard: 1, 1, then 2 — the note gets the focus — a note, Esc, arrows.
    desk.key("1", "1", "2")
    desk.paste("二楼男卫生间有异味，无洗手液")
    desk.shot("after-2-note-typed", "after 2 the cursor is in the note")
    desk.key("Escape")
    desk.key("Down")
    desk.shot("esc-then-down", "Esc returned to the list, ↓ moved on")
    desk.key("Up")
    desk.shot("up-back", "↑ back on the problem")
    # Seventeen more answers, most by key, some by clicking the big result buttons, then
    # back to the problem (Home, then Down twice: it is the third item).
    desk.key("Down")
    for index in range(17):
        if index % 4 == 3:
            desk.press(f"1  {w('Conform', 'ItemPanel')}", "check box")  # a checkable button
        elif index % 6 == 5:
            desk.key("3")
        else:
            desk.key("1")
    desk.shot("twenty-answered", "20 answers: counts in the header, the list marks each answer")
    desk.click(desk.find(w("Checklist item"), "page tab"))
    desk.key("ctrl+1")
    desk.key("Home", "Down", "Down")
    desk.shot("back-on-the-problem", "Home, ↓↓: the nonconformity with its note")

    # Severity and department of the problem, by mouse.
    for field in (w("Severity"), w("Responsible department")):
        label = desk.find(field, "label")
        x, y, width, height = desk.extents(label)
        desk.xdotool("mousemove", str(x + width + 200), str(y + height // 2), "click", "1")
        time.sleep(0.8)
        desk.key("Down", "Return")
    desk.shot("severity-and-department", "chosen by mouse for the nonconformity; Enter kept the item")

    # A photo through the file dialog, then ↓ walks the list again.
    dialog_title = "添加照片" if zh else "Add photos"
    desk.press(w("Add photos…"))
    desk.find(dialog_title, "dialog", contains=True)
    desk.shot("photo-file-dialog", "Qt's own file dialog, first time in the home folder")
    desk.key("ctrl+l")
    desk.type(str(sample))
    desk.key("Return")
    time.sleep(4)
    desk.shot("photo-added", "photo in the strip; the photo flag cleared")
    desk.key("Down")
    desk.shot("arrows-after-photo", "↓ after the photo import moved to the next item")
    desk.key("Up")
    desk.press(w("Add photos…"))
    desk.find(dialog_title, "dialog", contains=True)
    desk.shot("photo-file-dialog-again", "opens in the folder used last")
    desk.key("Escape")

    # Journey timer: stamps, a booked time an hour ago (to the minute), the doctor; the
    # wait over 30 minutes becomes a problem in one click.
    desk.key("ctrl+2")
    labels = {"Arrival": "到达医院", "Registration / check-in": "挂号/签到", "Waiting starts": "开始候诊",
              "Booked time": "预约就诊时间", "Seen by the doctor": "医生接诊"}
    say = (lambda e: labels[e]) if zh else (lambda e: e)
    for step in ("Arrival", "Registration / check-in", "Waiting starts"):
        desk.press(say(step))
    desk.press(say("Booked time"))
    desk.find(say("Booked time"), "dialog")
    desk.key("End", "shift+Tab", "Down", "Return")  # the hour, one down
    desk.press(say("Seen by the doctor"))
    desk.shot("journey-timer", "booked time to the minute; the wait after it over 30 min offers 'record as problem'")
    flagged = desk.find("⚠", "table cell", contains=True)  # the target cell of the wait over 30 minutes
    x, y, width, height = desk.extents(flagged)
    desk.xdotool("mousemove", str(x + width + 45), str(y + height // 2), "click", "1")  # its button, beside it
    desk.find(w("Recorded as a problem"), ("alert", "dialog"))
    desk.shot("wait-recorded-as-problem")
    desk.key("Return")

    # Floor plan: import one, an AED pin, marked faulty, recorded as a problem.
    desk.key("ctrl+3")
    if not demo:  # the demo hospital has its plan already
        desk.press(w("Import floor plan…"))
        desk.find(w("Import floor plan"), "dialog")
        desk.key("ctrl+l")
        desk.type(str(plan))
        desk.key("Return")
        desk.find(w("Plan name:"), "label", timeout=20)
        desk.key("ctrl+a")
        desk.paste("门诊一楼")
        desk.key("Return")
    time.sleep(3)
    desk.shot("floor-plan-page", "the plan, its pins and how to add one")
    tabs = desk.find(w("Floor plans / AED map"), "page tab")
    x, y, _w, h = desk.extents(tabs)
    px, py = x + 200, y + h + 200
    desk.xdotool("mousemove", str(px), str(py), "click", "1")
    time.sleep(1)
    desk.shot("floor-plan-aed-pin", "an AED pin, grey until checked")
    desk.xdotool("mousemove", str(px), str(py), "click", "3")
    time.sleep(0.8)
    # The pin's menu by keyboard (popup menus are not on the accessibility bus):
    # 检查状态 is the second entry, 故障 the third in its submenu.
    desk.key("Down", "Down", "Right", "Down", "Down", "Return")
    time.sleep(1)
    desk.press(w("Record as problem"))
    desk.find(w("Recorded as a problem"), ("alert", "dialog"))
    desk.shot("aed-recorded-as-problem", "red AED pin, now a problem of the visit")
    desk.key("Return")

    # Problems and rectification: the steps the lifecycle allows, as buttons.
    desk.key("ctrl+4")
    time.sleep(1)
    if demo:  # the demo's carried-over problems come first: search for this one
        desk.shot("problems-carried-over", "problems carried over from earlier visits, then this visit's")
        overdue = desk.find(w("Overdue only"), "check box")
        x, y, width, height = desk.extents(overdue)
        desk.xdotool("mousemove", str(x + width + 120), str(y + height // 2), "click", "1")  # the search box
        time.sleep(0.5)
        desk.paste("二楼男卫生间")
        time.sleep(1.5)
        desk.shot("problems-searched", "the search keeps the matching problem")
    desk.click(desk.find("二楼男卫生间有异味", "table cell", contains=True))
    desk.press("+15")
    desk.shot("problems-page", "deadline today + 15; only allowed steps are buttons")
    desk.press("报整改完成" if zh else "Report fixed")
    desk.shot("report-without-measures", "the core's refusal, in words")
    desk.key("Return")
    label = desk.find(w("Measures:"), "label")
    x, y, width, height = desk.extents(label)
    desk.xdotool("mousemove", str(x + width + 120), str(y + height // 2 + 10), "click", "1")
    desk.paste("已安排保洁每小时巡查")
    desk.press("报整改完成" if zh else "Report fixed")
    desk.shot("reported-fixed", "status 已报整改; next steps verify / reject")

    # An other problem (Ctrl+N).
    desk.key("ctrl+n")
    dialog = desk.find(w("Other problem"), "dialog")
    desk.paste("自助机旁无人指导")
    desk.shot("other-problem-dialog")
    desk.press(ok, within=dialog)
    desk.shot("other-problem-listed", "edit / delete buttons for a free problem")

    # Finalize, then 2 on the finalized visit: why, and the amendment with a reason.
    desk.press(w("Finalize visit"))
    question = desk.find(w("Finalize visit"), ("alert", "dialog"))
    desk.shot("finalize-question", "what is unanswered / lacks a photo")
    desk.press(yes, contains=True, within=question)
    desk.shot("finalized", "amend button instead of finalize")
    desk.key("ctrl+1")
    desk.key("2")
    warning = w("This visit is finalized, so that change was not made. "
                "Changes to a finalized visit need a reason and are logged.")
    bar_text = desk.find(warning, "label")
    desk.shot("finalized-key-2", "the bar says why, with the Amend button; no box, the focus stays")
    desk.key("2")
    if desk.exists(warning, "dialog") or desk.exists(warning, "alert"):
        raise WalkError("a modal box on a key pressed on a finalized visit")
    # The bar's own Amend button (the toolbar has one of the same name): the one on the
    # bar's line.
    _x, bar_y, _w, bar_h = desk.extents(bar_text)
    amend_text = w("Amend (reason required)…")
    buttons = [b for b in desk.find_all(amend_text, "push button")
               if abs(desk.extents(b)[1] + desk.extents(b)[3] // 2 - (bar_y + bar_h // 2)) < 30]
    if not buttons:
        raise WalkError("the notice bar has no Amend button")
    desk.click(buttons[0])
    amend = desk.find(w("Amend a finalized visit"), "dialog")
    desk.paste("第2项误判，复核后改为符合")
    desk.shot("amend-reason")
    desk.press(ok, within=amend)
    desk.find(w("being amended: %1").split("%1")[0], "label", contains=True, timeout=60)
    desk.key("1")
    desk.shot("amended", "header: being amended, with the reason")

    # Reports: each of the four, previewed in front of the dialog.
    desk.press(w("Reports…", "VisitRunner").rstrip("…"))  # tool buttons drop the trailing "…"
    reports = desk.find(w("Reports", "ReportDialog"), "dialog")
    for kind in ("Rectification list", "Visit report", "Follow-up report", "Inspection summary"):
        desk.click(desk.find(w(kind), "radio button", within=reports))
        desk.press(w("Generate"), within=reports)
        slug = kind.split()[0].lower()
        try:
            desk.find(w("Report preview — %1").split("%1")[0], "frame", contains=True, timeout=150)
            time.sleep(2)
            desk.shot(f"report-{slug}", "the preview came to the front")
            desk.key("alt+F4")
        except WalkError:
            desk.shot(f"report-{slug}-failed", "no preview appeared")
            for name in (ok, "OK"):
                if desk.exists(name, "push button"):
                    desk.press(name)
        time.sleep(1)
        reports = desk.find(w("Reports", "ReportDialog"), "dialog")
    desk.press(w("Close", "ReportDialog"), within=reports)

    # Home: delete the test visit, see it in the trash.
    desk.press(w("◀ Home"))
    desk.click(desk.find(general_name, "table cell", contains=True))
    time.sleep(1)
    if demo:  # the demo hospital has visits of its own: the test visit is today's
        desk.click(desk.find(datetime.date.today().isoformat(), "table cell"))
    desk.press(w("Delete visit…"))
    question = desk.find(w("Delete visit"), ("alert", "dialog"))
    desk.shot("delete-visit-question", "what goes, and that the trash brings it back")
    desk.press(yes, contains=True, within=question)
    desk.shot("visit-deleted")
    desk.key("alt+f")
    desk.press(w("&Trash…"), "menu item")
    trash = desk.find(w("Trash"), "dialog")
    desk.shot("trash", "the deleted test visit, restorable")
    desk.press(w("Close") if not zh else "关闭", within=trash)

    # The dashboard: trends, rectifications by department, ranking.
    desk.press(w("Dashboard…"))
    desk.find(w("Dashboard"), ("frame", "filler", "window"), timeout=60)
    time.sleep(6)
    desk.shot("dashboard", "every chart drawn, titles and axes in the window's language")
    desk.key("alt+F4")
    time.sleep(1)

    # Help: the guide and the shortcuts.
    desk.key("F1")
    guide = desk.find(w("User guide"), "dialog")
    desk.shot("help-guide")
    desk.press(w("Close") if not zh else "关闭", within=guide)

    # A second start on the same folder: the first window comes to the front, the second quits.
    second = subprocess.run([str(APP), "--data-dir", str(data)], env=desk.env, capture_output=True, text=True, timeout=120)
    desk.shot("second-start", f"second start: exit {second.returncode}, {second.stderr.strip()[:100]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", default="1366x768")
    parser.add_argument("--lang", default="zh_CN", choices=("zh_CN", "en"))
    parser.add_argument("--display", default=":81")
    parser.add_argument("--demo", action="store_true", help="start on the demo data instead of an empty folder")
    args = parser.parse_args()
    for tool in ("Xvfb", "openbox", "xdotool", "xclip", "import", "dbus-launch"):
        if shutil.which(tool) is None:
            print(f"walkthrough: {tool} is missing (see the module docstring)", file=sys.stderr)
            return 2
    args.out.mkdir(parents=True, exist_ok=True)
    desk = Desktop(args.out, args.size, args.display, args.lang)
    sample, plan = desk.work / "evidence.jpg", desk.work / "plan.png"
    subprocess.run(["convert", "-size", "1600x1200", "gradient:#8fa8b8-#d8e0e6", str(sample)], check=True)
    subprocess.run(["convert", "-size", "1400x900", "xc:white", "-stroke", "black", "-strokewidth", "6", "-fill", "none",
                    "-draw", "rectangle 40,40 1360,860", "-draw", "line 700,40 700,860", str(plan)], check=True)
    try:
        desk.start()
        walk(desk, Words(args.lang), sample, plan, demo=args.demo)
    except WalkError as exc:
        with contextlib.suppress(subprocess.CalledProcessError):
            desk.shot("stopped", str(exc))
        print(f"walkthrough stopped: {exc}", file=sys.stderr)
        return 1
    finally:
        desk.stop()
        (args.out / "walkthrough.txt").write_text("\n".join(desk.notes) + "\n", encoding="utf-8")
        for log in ("app.log", "openbox.log"):
            if (desk.work / log).exists():
                shutil.copy(desk.work / log, args.out / log)
        desk.clean()
    print(f"saved {desk.count} screenshots to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
