"""Smoke test of a built PyInstaller bundle (run by .ci/release-check, not by pytest).

Starts the bundle as a user would, against a fresh data folder and home directory:
version, demo data, a photo (HEIC included), a rectification list PDF whose text is
checked, the GUI offscreen, and finally that nothing was written inside the bundle
(installs are often read-only).

    python tests/bundle_smoke.py dist/auditapp
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def tree_state(folder: Path) -> dict[str, tuple[int, int]]:
    # Symlinks (Qt's versioned libraries) are listed as links, not counted twice.
    return {
        str(p.relative_to(folder)): (p.lstat().st_size, p.lstat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_symlink() or p.is_file()
    }


def main() -> int:
    bundle = Path(sys.argv[1] if len(sys.argv) > 1 else REPO / "dist" / "auditapp").resolve()
    exe = bundle / ("auditapp.exe" if os.name == "nt" else "auditapp")
    if not exe.exists():
        print(f"no bundle at {exe}; build it with: pyinstaller build.spec", file=sys.stderr)
        return 1
    before = tree_state(bundle)
    work = Path(tempfile.mkdtemp(prefix="auditapp-smoke-"))
    env = dict(os.environ)
    env.update(
        AUDITAPP_DATA_DIR=str(work / "data"),
        HOME=str(work / "home"),
        XDG_CONFIG_HOME=str(work / "home" / "config"),
        XDG_CACHE_HOME=str(work / "home" / "cache"),
        XDG_DATA_HOME=str(work / "home" / "data"),
        QT_QPA_PLATFORM="offscreen",
        PYTHONIOENCODING="utf-8",
    )
    env.pop("PYTHONPATH", None)

    def run(*args: str, timeout: int = 120) -> str:
        started = time.perf_counter()
        proc = subprocess.run([str(exe), *args], env=env, capture_output=True, text=True, encoding="utf-8", timeout=timeout, cwd=work)
        took = time.perf_counter() - started
        if proc.returncode != 0:
            raise SystemExit(f"FAILED ({proc.returncode}): auditapp {' '.join(args)}\n{proc.stdout}\n{proc.stderr}")
        print(f"ok  {took:5.1f} s  auditapp {' '.join(args)}")
        return proc.stdout

    sys.path.insert(0, str(REPO))
    from auditapp import __version__

    assert run("--version").strip() == f"auditapp {__version__}", "the bundle reports another version"
    run("demo", "--json")
    visits = json.loads(run("visit", "list", "--json"))
    assert len(visits) == 6, visits
    visit = next(v for v in visits if v["status"] == "in_progress")
    detail = json.loads(run("visit", "show", visit["id"], "--json"))
    finding = detail["findings"][0]

    from PIL import Image
    from pillow_heif import register_heif_opener

    register_heif_opener()
    Image.new("RGB", (1600, 1200), (180, 40, 40)).save(work / "evidence.heic")
    Image.new("RGB", (4000, 3000), (40, 120, 180)).save(work / "evidence.jpg", quality=90)
    added = json.loads(
        run("photo", "add", visit["id"], str(work / "evidence.heic"), str(work / "evidence.jpg"), "--finding", finding["id"], "--json")
    )
    assert [p["width"] for p in added] == [1600, 2000], added

    pdf = work / "rectification.pdf"
    run("report", "rectification", visit["id"], "-o", str(pdf))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "整改清单" in text and finding["text"].splitlines()[0][:12] in text.replace("\n", ""), "the PDF lacks the finding"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "WenQuanYi" in fonts, fonts

    # Sync: a package from this data folder, checked then imported into a second one.
    package = work / "visits.auditpkg"
    run("export", "-o", str(package), "--json")
    second = dict(env, AUDITAPP_DATA_DIR=str(work / "second"))
    env_backup, env = env, second
    preview = json.loads(run("import", str(package), "--dry-run", "--json"))
    assert preview, "the package preview is empty"
    run("import", str(package), "--json")
    assert len(json.loads(run("visit", "list", "--json"))) == 6
    env = env_backup

    env["AUDITAPP_QUIT_AFTER_MS"] = "2500"
    out = run(timeout=180)
    assert "gui ok: window visible=True institutions=2" in out, out

    after = tree_state(bundle)
    changed = sorted(set(before.items()) ^ set(after.items()))
    assert not changed, f"the bundle wrote inside its own folder: {changed[:5]}"
    size = sum(size for size, _mtime in after.values())
    print(f"bundle: {len(after)} files, {size / 1e6:.0f} MB; nothing written inside it")
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
