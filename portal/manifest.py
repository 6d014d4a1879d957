"""Stable URLs: every published URL is recorded in content/published-urls.txt (committed), and
a URL that later disappears without a redirect is an error. Nothing published disappears.

Paging pages (/tzgg/page/3/) are not recorded: their number legitimately shrinks when notices
expire. Withdrawn items keep their pages, so their URLs stay.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .page_model import Page
from .problems import Problem, Problems

MANIFEST = "published-urls.txt"
HEADER = ("# 已发布的网址清单：由构建自动维护，请随内容一起提交，不要手工删除。\n"
          "# 网址确需变更时，在 redirects.yaml 中登记迁移。\n")


@dataclass(frozen=True)
class Manifest:
    path: str                         # as shown in messages
    urls: tuple[tuple[str, int], ...]  # (url, line)

    @property
    def set(self) -> set[str]:
        return {u for u, _ in self.urls}


def parse(text: str | None, path: str) -> Manifest:
    urls = []
    for n, line in enumerate((text or "").split("\n"), 1):
        line = line.strip()
        if line and not line.startswith("#"):
            urls.append((line, n))
    return Manifest(path, tuple(urls))


def tracked(pages: list[Page]) -> list[str]:
    """The URLs a build publishes for good."""
    return sorted(p.url for p in pages if p.in_sitemap and "/page/" not in p.url)


def check(manifest: Manifest, pages: list[Page], redirects, redirects_path: str,
          problems: Problems, held: Mapping[str, Problem] | None = None) -> None:
    """Every published URL is still built or redirected. `held`: what to say instead when a
    published item is now held back (made a draft again, or moved to a later date)."""
    current = {p.url for p in pages}
    moved = {r["from"] for r in redirects}
    for i, r in enumerate(redirects, 1):
        if r["from"] in current:
            problems.error(redirects_path, 1, f"redirects[{i}].from", "原网址",
                           f"{r['from']} 仍是现有页面，不能再迁移")
        if r.to not in current:
            problems.error(redirects_path, 1, f"redirects[{i}].to", "新网址", f"{r.to} 不是现有页面")
    for url, line in manifest.urls:
        if url in (held or {}) and url not in current:
            problems.extend([(held or {})[url]])
        elif url not in current and url not in moved:
            problems.error(manifest.path, line, "", "",
                           f"已发布的网址 {url} 不见了：请恢复该内容（撤回请用 withdrawn 标注，页面保留），"
                           "或在 redirects.yaml 中登记迁移到的新网址")


def updated_text(manifest: Manifest, pages: list[Page]) -> str:
    urls = sorted(manifest.set | set(tracked(pages)))
    return HEADER + "".join(u + "\n" for u in urls)
