"""The site's identity items an inspector checks first, from site.yaml: 网站标识码, ICP备案号 and
公安备案号 (formats), the 党政机关网站标识 and 政务新媒体 images, the 「我为政府网站找错」 link,
and the footer view the base layout shows on every page.

Sources: 国办发〔2017〕47号 附件 网页设计规范 (footer items, 网站标识码); 《党政机关网站开办审核、
资格复核和网站标识管理办法》 (the badge at the bottom centre of every page); 工信部 ICP 备案 and
公安部 联网备案 practice (the numbers link to their query pages). Pure: values in, problems out.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from . import officials
from . import problems as P
from .items import Record
from .problems import Problem

# 网站标识码: 10 digits, the first 6 the 行政区划代码 of the unit that runs the site.
SITE_CODE_RE = re.compile(r"^\d{10}$")
DIVISION_RE = re.compile(r"^\d{6}$")
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵黔粤青藏川宁琼"
ICP_RE = re.compile(rf"^[{_PROVINCES}]ICP备\d{{8}}号(-\d+)?$")
PSB_RE = re.compile(rf"^[{_PROVINCES}]公网安备 ?(\d{{14}})号$")
URL_RE = re.compile(r"^https?://[^\s/]+\S*$")

ICP_QUERY = "https://beian.miit.gov.cn/"
PSB_QUERY = "https://beian.mps.gov.cn/#/query/webSearch?code={code}"
ICP_EXAMPLE = "黔ICP备12345678号-1"
PSB_EXAMPLE = "黔公网安备 52011402000123号"


def check(site: Record, lines: Mapping[str, int], path: str) -> list[Problem]:
    """The formats of site.yaml's identity items, each at its line."""
    out: list[Problem] = []

    def err(key: str, label: str, message: str) -> None:
        out.append(P.error(path, lines.get(key, 1), key, label, message))

    code, division = site.get("site_code"), site.get("division_code")
    if code and not SITE_CODE_RE.match(str(code)):
        err("site_code", "网站标识码", f"网站标识码应为 10 位数字（前 6 位为行政区划代码），而不是“{code}”")
    if division and not DIVISION_RE.match(str(division)):
        err("division_code", "行政区划代码", f"行政区划代码应为 6 位数字，而不是“{division}”")
    elif division and code and SITE_CODE_RE.match(str(code)) and str(code)[:6] != str(division):
        err("site_code", "网站标识码",
            f"网站标识码前 6 位应为行政区划代码 {division}，而这里是 {str(code)[:6]}")
    icp = site.get("icp")
    if icp and not ICP_RE.match(str(icp)):
        err("icp", "ICP备案号", f"ICP备案号格式应如 {ICP_EXAMPLE}（省简称 + ICP备 + 8 位数字 + 号），而不是“{icp}”")
    psb = site.get("psb")
    if psb and not PSB_RE.match(str(psb)):
        err("psb", "公安备案号",
            f"公安备案号格式应如 {PSB_EXAMPLE}（省简称 + 公网安备 + 14 位数字 + 号），而不是“{psb}”")
    badge = site.get("badge")
    if badge and badge.link and not URL_RE.match(badge.link):
        err("badge.link", "核验链接", f"核验链接应为以 https:// 或 http:// 开头的网址，而不是“{badge.link}”")
    report = site.get("error_report_url")
    if report and not URL_RE.match(str(report)):
        err("error_report_url", "我为政府网站找错", f"应为以 https:// 开头的网址，而不是“{report}”")
    return out + officials.site_problems(site, lines, path)


def images(site: Record) -> list[tuple[str, str, str]]:
    """(key, label, file below content/) of every image site.yaml names."""
    out = []
    badge = site.get("badge")
    if badge and badge.image:
        out.append(("badge.image", "标识图片", badge.image))
    for i, m in enumerate(site.get("new_media") or (), 1):
        if m.qr:
            out.append((f"new_media[{i}].qr", "二维码图片", m.qr))
    return out


def file_problems(site: Record, lines: Mapping[str, int], path: str, files: Mapping[str, object]) -> list[Problem]:
    """Every image site.yaml names exists below content/."""
    return [P.error(path, lines.get(key, 1), key, label, f"找不到图片 content/{rel}")
            for key, label, rel in images(site) if rel not in files]


def published_images(site: Record) -> set[str]:
    """The files the footer shows, published with the site."""
    return {rel for _, _, rel in images(site)}


@dataclass(frozen=True)
class Footer:
    """What the identity footer links to, derived once from site.yaml."""
    icp_url: str
    psb_url: str
    badge: Record | None
    error_report_url: str
    new_media: tuple[Record, ...]


def footer(site: Record) -> Footer:
    psb = PSB_RE.match(str(site.get("psb") or ""))
    return Footer(ICP_QUERY, PSB_QUERY.format(code=psb[1]) if psb else "",
                  site.get("badge"), site.get("error_report_url") or "", tuple(site.get("new_media") or ()))
