"""The 标准目录 (国办发〔2019〕54号) holds together: a 重点领域 (社会救助, 养老服务 …) is a field of
政务公开, so only 政务 rows name one."""
from __future__ import annotations

from ..model import Site
from ..problems import Problems
from .context import Context


def check(site: Site, problems: Problems, ctx: Context) -> None:
    for c in site.catalogue:
        if c.get("sector") and c.domain != "政务":
            problems.error(site.catalogue_file, site.catalogue_line(c.id, "sector"), "sector", "重点领域",
                           f"重点领域只用于政务公开事项：事项 {c.id} 的公开类别是“{c.domain}”，"
                           "请把 domain 改为 政务，或删去 sector")
