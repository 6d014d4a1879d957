"""Whatever staff type, the checker answers with problems, never a traceback: deterministic
random corruptions of every file in a small valid tree."""
from __future__ import annotations

import datetime as dt
import random
import re
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


def oversized(content: Path, size_mb: int) -> Path:
    """A notice padded to `size_mb` megabytes of Markdown (a pasted export, say)."""
    notice = sorted(content.glob("tzgg/*/*.md"))[0]
    big = notice.with_name("huge-paste.md")
    head = notice.read_text(encoding="utf-8")
    big.write_text(head + ("居民反映情况汇总，" * 60 + "\n\n") * (size_mb * 1024 * 1024 // 1100), encoding="utf-8")
    return big


def test_a_content_file_over_the_size_limit_is_an_error_before_parsing(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    big = oversized(content, 3)
    parsed: list[str] = []
    from portal import load
    real = load.parse_doc
    monkeypatch.setattr(load, "parse_doc", lambda rel, *a, **k: parsed.append(rel) or real(rel, *a, **k))
    result = pipeline.check(content, dt.date(2026, 11, 24))
    errors = [p for p in result.problems.sorted() if p.is_error]
    assert [(p.path.endswith("tzgg/" + big.parent.name + "/huge-paste.md"), p.line) for p in errors] == [(True, 1)]
    assert re.search(r"文件太大（\d+\.\d MB）", errors[0].message) and "max_document_kb" in errors[0].message
    assert "1024 KB" in errors[0].message
    assert not any(rel.endswith("huge-paste.md") for rel in parsed)      # never handed to the parser


def test_site_yaml_can_raise_the_content_file_limit(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    oversized(content, 2)
    site = content / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + "max_document_kb: 4096\n", encoding="utf-8")
    result = pipeline.check(content, dt.date(2026, 11, 24))
    assert not any("文件太大" in p.message for p in result.problems.items)
    site.write_text(site.read_text(encoding="utf-8").replace("max_document_kb: 4096", "max_document_kb: 99999"),
                    encoding="utf-8")
    result = pipeline.check(content, dt.date(2026, 11, 24))
    messages = [p.message for p in result.problems.items if p.is_error]
    assert any("文件太大" in m for m in messages)                      # out of bounds: the default holds
    assert any("max_document_kb" in p.key for p in result.problems.items if p.is_error)
