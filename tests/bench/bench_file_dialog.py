"""How fast the photo file dialog opens: Qt's own dialog against the platform's native one.

    xvfb-run -a .venv/bin/python tests/bench/bench_file_dialog.py [--rounds 5]

Each round opens ``QFileDialog.getOpenFileNames`` on a folder of 200 photos and measures
the time until the dialog is shown and has listed the folder, then closes it. The native
case is run once with the platform theme Qt picks by itself and once with
``QT_QPA_PLATFORMTHEME=gtk3`` (what a GNOME desktop gives), each in a fresh process.
Prints the median per variant; ui/messages.py picks the dialog by these figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

CHILD = r"""
import subprocess, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget
app = QApplication(sys.argv[:1])
folder, native, rounds = sys.argv[1], sys.argv[2] == "native", int(sys.argv[3])
options = QFileDialog.Option(0) if native else QFileDialog.Option.DontUseNativeDialog
parent = QWidget(); parent.resize(800, 600); parent.show()
times = []
for _ in range(rounds):
    start = time.perf_counter()
    def poll():
        dialog = QApplication.activeModalWidget()
        if dialog is not None:  # Qt's own dialog (or Qt drawing the "native" one itself)
            times.append(time.perf_counter() - start)
            QTimer.singleShot(0, dialog.reject)
            return
        # A GTK dialog is not a Qt widget: look for its X window by title.
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^bench$"],
                               capture_output=True, text=True).stdout.split()
        if found:
            times.append(time.perf_counter() - start)
            subprocess.run(["xdotool", "key", "--window", found[-1], "Escape"])
            return
        QTimer.singleShot(10, poll)
    QTimer.singleShot(0, poll)
    QFileDialog.getOpenFileNames(parent, "bench", folder, "Photos (*.jpg)", "", options)
print(" ".join(f"{t:.4f}" for t in times))
"""


def run(folder: Path, variant: str, rounds: int) -> list[float]:
    env = dict(os.environ)
    native = variant != "qt"
    if variant == "native-gtk3":
        env["QT_QPA_PLATFORMTHEME"] = "gtk3"
    else:
        env.pop("QT_QPA_PLATFORMTHEME", None)
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder), "native" if native else "qt", str(rounds)],
        env=env, capture_output=True, text=True, timeout=600,
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return [float(x) for x in out.stdout.split()]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        print("needs a display (xvfb-run -a …)", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="dialog-bench-"))
    for n in range(200):
        (folder / f"IMG_{n:04d}.jpg").write_bytes(b"\xff\xd8\xff\xd9")
    print(f"open a dialog on {folder} (200 files), {args.rounds} rounds, median seconds until shown:")
    for variant in ("qt", "native-default", "native-gtk3"):
        times = run(folder, variant, args.rounds)
        first, rest = times[0], times[1:] or times
        print(f"  {variant:15s} first {first:.3f} s, then median {statistics.median(rest):.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
