"""The shared harness's generated corpus, made whole for our builder.

gen_corpus.py --portal-scaffold copies the sample's site.yaml, columns, communities and
calendar, not the images site.yaml names (the site's badge and new-media QR codes under
content/files/): our build rightly refuses a site.yaml whose images are missing. They are
copied here, so that every benchmark builds the corpus it means to time.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAMED_FILE = re.compile(r"^\s*(?:-\s*)?\w+:\s*['\"]?(files/[^\s'\"]+)", re.M)


def generate(harness: Path, n: int, out: Path) -> Path:
    """Corpus N under `out` (every tool's layout); our content folder, made whole."""
    subprocess.run([sys.executable, str(harness / "gen_corpus.py"), "--n", str(n), "--out", str(out),
                    "--portal-scaffold", str(ROOT / "content")], check=True, capture_output=True)
    complete(out / "portal")
    return out / "portal"


def complete(portal: Path, scaffold: Path = ROOT / "content") -> None:
    """Copy into `portal` the files its site.yaml names that are not there yet."""
    for rel in NAMED_FILE.findall((portal / "site.yaml").read_text(encoding="utf-8")):
        target = portal / rel
        if not target.exists() and (scaffold / rel).is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(scaffold / rel, target)
