"""Personal data must never be published (个人信息保护法; 政府网站 inspections treat a leaked
身份证号 as a veto item). Documents are scanned with themselves (portal.model: a document with a
personal number is invalid on its own); this rule scans the files: CSV tables and attachments
(XLSX, DOCX, PDF, CSV, text) and their file names, and warns about a file whose text cannot be
read, or one larger than site.yaml allows. The scanner is portal.personal_data.
"""
from __future__ import annotations

from ..model import Site
from ..personal_data import problems_in, public_numbers
from ..problems import Problems
from .context import Context

MB = 1024 * 1024
TOO_BIG = "居民用手机下载会很慢，请压缩或拆分后再发布（上限可在 site.yaml 的 max_attachment_mb 中设置）"
DEFAULT_LIMIT_MB = 20


def public_phones(site: Site) -> list[str]:
    return public_numbers(site.config, site.communities.values())


def check(site: Site, problems: Problems, ctx: Context) -> None:
    public = public_phones(site)
    limit = site.config.get("max_attachment_mb") or DEFAULT_LIMIT_MB
    for rel in sorted(site.files):
        info = site.files[rel]
        for passage in info.reading.passages:
            problems.extend(problems_in(info.path, passage.text, public, passage.where, passage.line))
        if info.reading.unreadable and rel in site.published_files:
            problems.warning(info.path, 1, "", "", f"无法检查其中是否含有个人信息：{info.reading.unreadable}")
        if rel in site.published_files and info.size > limit * MB:
            problems.warning(info.path, 1, "", "", f"文件有 {info.size / MB:.1f} MB，超过 {limit} MB：{TOO_BIG}")
