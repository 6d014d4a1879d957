"""Whatever staff type, the checker answers with problems, never a traceback: deterministic
random corruptions of every file in a small valid tree."""
from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import pytest

from portal import pipeline

MINI = Path(__file__).resolve().parents[2] / "tests" / "data" / "mini"
TEXT_FILES = sorted(p.relative_to(MINI).as_posix() for p in MINI.rglob("*")
                    if p.suffix in (".md", ".yaml", ".csv"))
JUNK = ["", ":", "- ", "  ", "[", "{", "]", "}", "'", '"', "|", ">", "#", "---", "null", "~", "0",
        "-1", "3.5", "true", "2026-02-30", "是", "\t", "&a", "*a", "!!binary x", "[[]]", "{a: }"]


def mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    op = rng.randrange(5)
    if op == 0:
        del lines[i]
    elif op == 1:
        lines.insert(i, rng.choice(JUNK))
    elif op == 2 and lines[i]:
        j = rng.randrange(len(lines[i]))
        lines[i] = lines[i][:j] + rng.choice(JUNK) + lines[i][j + 1:]
    elif op == 3:
        lines[i] = lines[i].split(":")[0] + ": " + rng.choice(JUNK)
    else:
        lines[i] = " " * rng.randrange(1, 4) + lines[i]
    return "\n".join(lines)


@pytest.mark.parametrize("seed", range(int(__import__("os").environ.get("MUTATION_SEEDS", "60"))))
def test_corrupted_content_is_reported_not_raised(tmp_path, seed):
    rng = random.Random(seed)
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    for rel in rng.sample(TEXT_FILES, 3):
        p = content / rel
        text = p.read_text(encoding="utf-8")
        for _ in range(rng.randrange(1, 4)):
            text = mutate(text, rng)
        p.write_text(text, encoding="utf-8")
    result = pipeline.check(content, dt.date(2026, 11, 24))      # must not raise
    for line in result.problems.lines():
        assert ": 错误: " in line or ": 警告: " in line, line
    if result.ok:
        assert pipeline.build(content, tmp_path / "site", dt.date(2026, 11, 24)).ok
