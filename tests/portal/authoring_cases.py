"""The realistic authoring mistakes of issue 10, as data: each case breaks one copy of the
sample the way a staff member would (Word/WPS paste, WeChat text, Windows editors, Excel) and
says what `python build.py check` must answer: the exit status and one line it prints.

A plain module so the cases can also be replayed against another checkout of the builder."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from portal.cli import run

NOTICE = "tzgg/2026/2026-yibao-jiaofei.md"
GUIDE = "bszn/dibao.md"
APPEAL_DIR = "sqdf"
ID = "11010519491231002X"                     # checksum-valid (GB 11643)
CARD = "6222020200112233446"                  # Luhn-valid, 19 digits
MOBILE = "13812345678"


NEW = "tzgg/2026/2026-tingshui.md"


def new_notice(root: Path, extra: str) -> None:
    """A notice staff are writing now (never published before)."""
    (root / NEW).write_text(f"---\ntitle: 关于12月停水的通知\n{extra}\nkind: 通知\n"
                            + ("" if "published" in extra else "published: 2026-11-24 09:00\n")
                            + "---\n小区计划停水，请提前储水。\n", encoding="utf-8")


def fullwidth(s: str) -> str:
    return s.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"})


def append_body(root: Path, rel: str, text: str) -> int:
    """Add a paragraph to a document's body; the line it is on."""
    p = root / rel
    old = p.read_text(encoding="utf-8").rstrip("\n")
    p.write_text(f"{old}\n\n{text}\n", encoding="utf-8")
    return old.count("\n") + 3


def replace(root: Path, rel: str, old: str, new: str) -> int:
    p = root / rel
    text = p.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} in {rel}"
    p.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def attach(root: Path, name: str, data: bytes, title: str = "附件") -> None:
    """Put a file under content/files/ and attach it to the notice."""
    (root / "files" / name).write_bytes(data)
    replace(root, NOTICE, "\n---\n", f"\nattachments:\n  - file: files/{name}\n    title: {title}\n---\n")


def xlsx(rows_by_sheet: dict[str, list[list[object]]]) -> bytes:
    from openpyxl import Workbook
    book = Workbook()
    book.remove(book.active)
    for title, rows in rows_by_sheet.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx(paragraphs: list[str], table: list[list[str]]) -> bytes:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    cells = "".join("<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{c}</w:t></w:r></w:p></w:tc>" for c in row)
                    + "</w:tr>" for row in table)
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document {w}><w:body>{body}<w:tbl>{cells}</w:tbl></w:body></w:document>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"/>')
        z.writestr("word/document.xml", xml)
    return out.getvalue()


def pdf(text: str) -> bytes:
    """A one-page PDF showing `text` (ASCII) in Helvetica, with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 144] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@dataclass(frozen=True)
class Case:
    name: str
    apply: Callable[[Path], object]    # breaks the copy; may return the line it broke
    exit: int                          # what `build.py check` exits with
    expect: str                        # a line (or part of one) it must print; {line} is filled in
    file: str = NOTICE                 # the file the message names ("" when it names none)


def _line_case(name: str, rel: str, text: str, message: str) -> Case:
    return Case(name, lambda root: append_body(root, rel, text), 1, f"{{file}}:{{line}}: 错误: {message}", rel)


CASES: list[Case] = [
    # --- personal data however it is typed ------------------------------------------------
    _line_case("mobile-dashes", NOTICE, "咨询电话 138-1234-5678", "含有手机号码 138****5678"),
    _line_case("mobile-spaces", NOTICE, "联系人手机 138 1234 5678", "含有手机号码 138****5678"),
    _line_case("mobile-fullwidth", NOTICE, f"手机{fullwidth(MOBILE)}", "含有手机号码 138****5678"),
    _line_case("mobile-plus86", NOTICE, "电话 +86 138 1234 5678", "含有手机号码 138****5678"),
    _line_case("mobile-86-prefix", NOTICE, "电话 8613812345678", "含有手机号码 138****5678"),
    _line_case("id-spaces", NOTICE, "身份证 110105 19491231 002X", "含有身份证号 110***********002X"),
    _line_case("id-fullwidth", NOTICE, f"身份证{fullwidth(ID)}", "含有身份证号 110***********002X"),
    _line_case("card-groups", NOTICE, "卡号 6222 0202 0011 2233 446", "含有银行卡号 622************3446"),
    Case("id-in-xlsx-second-sheet", lambda r: attach(r, "mingdan.xlsx", xlsx(
        {"说明": [["本表为低保名单"]], "名单": [["姓名", "身份证号"], ["张*明", ID]]})), 1,
        "{file}:1: 错误: 工作表“名单”B2含有身份证号 110***********002X", "files/mingdan.xlsx"),
    Case("mobile-in-docx-table", lambda r: attach(r, "tongzhi.docx", docx(
        ["关于开展医保缴费的通知"], [["联系人", "电话"], ["李*", "138 1234 5678"]])), 1,
        "{file}:1: 错误: 第 1 个表格第 2 行含有手机号码 138****5678", "files/tongzhi.docx"),
    Case("id-in-pdf", lambda r: attach(r, "shenqing.pdf", pdf(f"Applicant ID {ID}")), 1,
         "{file}:1: 错误: 第 1 页含有身份证号 110***********002X", "files/shenqing.pdf"),
    Case("mobile-in-gbk-csv", lambda r: attach(r, "lianxi.csv", f"姓名,电话\n张*,{MOBILE}\n".encode("gb18030")), 1,
         "{file}:2: 错误: 含有手机号码 138****5678", "files/lianxi.csv"),
    Case("mobile-in-file-name", lambda r: attach(r, f"zhang-{MOBILE}.pdf", pdf("form")), 1,
         "{file}:1: 错误: 文件名含有手机号码 138****5678", f"files/zhang-{MOBILE}.pdf"),
    Case("unreferenced-file", lambda r: (r / "files" / "jiu-biaoge.pdf").write_bytes(pdf("old")), 0,
         "{file}:1: 警告: 没有任何内容引用这个文件，它不会发布", "files/jiu-biaoge.pdf"),
    # --- HTML and pasted formatting -----------------------------------------------------------
    _line_case("script", NOTICE, "<script>alert('x')</script>", "含有 <script> 脚本，网站不会发布它"),
    _line_case("iframe", NOTICE, '<iframe src="https://example.com/"></iframe>', "含有 <iframe> 内嵌页面"),
    _line_case("style", NOTICE, "<style>body{display:none}</style>", "含有 <style> 样式"),
    _line_case("onclick", NOTICE, '<p onclick="steal()">点此办理</p>', "<p> 带有脚本属性 onclick"),
    _line_case("javascript-link", NOTICE, "[点此办理](javascript:alert(1))", "链接地址 javascript:alert(1) 不安全"),
    _line_case("file-link", NOTICE, "[申请表](file:///C:/Users/admin/Desktop/申请表.docx)",
               "链接 file:///C:/Users/admin/Desktop/申请表.docx 指向本机上的文件"),
    _line_case("word-table", NOTICE, "<table class=MsoTableGrid border=1><tr><td style='width:100pt'>"
               "<p class=MsoNormal>材料</p></td></tr></table>", "含有从 Word/WPS 粘贴带来的格式代码"),
    _line_case("external-image", NOTICE, "![办事流程图](https://www.example.gov.cn/images/liucheng.png)",
               "图片 https://www.example.gov.cn/images/liucheng.png 在其他网站上，本网站的安全策略（CSP）不允许显示"),
    _line_case("base64-image", NOTICE, "![通知图片](data:image/png;base64," + "iVBORw0KGgo" * 400 + ")",
               "正文中直接粘贴了图片（约 3 KB）"),
    Case("attachment-too-big", lambda r: (replace(r, "site.yaml", "per_page:", "max_attachment_mb: 1\nper_page:"),
                                          attach(r, "da.pdf", pdf("big") + b"%" * (1024 * 1024 + 1))), 0,
         "{file}:1: 警告: 文件有 1.0 MB，超过 1 MB", "files/da.pdf"),
    # --- files that would never be published --------------------------------------------------
    Case("md-txt", lambda r: (r / "tzgg/2026/xin-tongzhi.md.txt").write_text("---\ntitle: 新通知\n---\n"), 1,
         "{file}:1: 错误: 文件名多了“.txt”", "tzgg/2026/xin-tongzhi.md.txt"),
    Case("upper-md", lambda r: (r / "tzgg/2026/xin-tongzhi.MD").write_text("---\ntitle: 新通知\n---\n"), 1,
         "{file}:1: 错误: 扩展名应为小写的 .md", "tzgg/2026/xin-tongzhi.MD"),
    Case("docx-in-folder", lambda r: (r / "tzgg/2026/tongzhi.docx").write_bytes(docx(["通知"], [])), 1,
         "{file}:1: 错误: Word/WPS、Excel、PDF、图片等文件放在这里不会发布", "tzgg/2026/tongzhi.docx"),
    Case("doc-in-folder", lambda r: (r / "zcwj/banfa.doc").write_bytes(b"\xd0\xcf\x11\xe0"), 1,
         "{file}:1: 错误: Word/WPS、Excel、PDF、图片等文件放在这里不会发布", "zcwj/banfa.doc"),
    Case("wps-in-folder", lambda r: (r / "zcwj/banfa.wps").write_bytes(b"\xd0\xcf\x11\xe0"), 1,
         "{file}:1: 错误: Word/WPS、Excel、PDF、图片等文件放在这里不会发布", "zcwj/banfa.wps"),
    # --- placeholders from `build.py new` -----------------------------------------------------
    _line_case("body-placeholder", NOTICE, "在这里用 Markdown 书写正文。", "还留着“在这里用 Markdown 书写正文。”这句说明"),
    Case("field-placeholder", lambda r: replace(r, NOTICE, "kind: 通知", "kind: 通知\nsource: （信息来源；选填）") + 1, 1,
         "{file}:{line}: 错误: source（信息来源）: 还留着说明文字“（信息来源；选填）”"),
    # --- dates --------------------------------------------------------------------------------
    Case("year-typo", lambda r: replace(r, NOTICE, "published: 2026-09-15", "published: 2062-09-15"), 1,
         "{file}:{line}: 错误: published（发布时间）: 发布时间 2062-09-15 比今天晚一年以上"),
    Case("scheduled", lambda r: new_notice(r, "published: 2026-12-20 09:00"), 0, "有 1 条定时发布的内容", ""),
    Case("published-item-moved-later", lambda r: replace(r, NOTICE, "published: 2026-09-15", "published: 2026-12-20"),
         1, "{file}:{line}: 错误: published（发布时间）: 这条内容已经以 /tzgg/2026/2026-yibao-jiaofei/ 发布过"),
    # --- drafts -------------------------------------------------------------------------------
    Case("draft-with-placeholders", lambda r: new_notice(r, "draft: true\nsource: （信息来源；选填）"), 0,
         "{file}:4: 警告: source（信息来源）: 还留着说明文字“（信息来源；选填）”：请填写真正的内容，或删除这一行（草稿，暂不发布）",
         NEW),
    Case("published-item-made-draft", lambda r: replace(r, NOTICE, "kind: 通知", "kind: 通知\ndraft: true") + 1, 1,
         "{file}:{line}: 错误: draft（草稿）: 这条内容已经以 /tzgg/2026/2026-yibao-jiaofei/ 发布过，不能再改回草稿"),
    # --- links --------------------------------------------------------------------------------
    _line_case("dead-site-link", NOTICE, "详见[办事指南](/bszn/no-such-guide/)。", "链接 /bszn/no-such-guide/ 指向的站内页面不存在"),
    _line_case("dead-relative-link", NOTICE, "详见[上一条](../2025-zuizhong/)。", "链接 ../2025-zuizhong/ 指向的站内页面不存在"),
    # --- invisible and look-alike characters --------------------------------------------------
    Case("zero-width-in-title", lambda r: replace(r, NOTICE, "title: 关于", "title: 关于\u200b"), 0, "校验通过", ""),
    Case("fullwidth-space-after-key", lambda r: replace(r, NOTICE, "kind: 通知", "kind\u3000: 通知"), 0, "校验通过", ""),
    Case("quoted-title", lambda r: replace(r, NOTICE, "title: 关于", "title: “关于") and
         replace(r, NOTICE, "的通知\n", "的通知”\n"), 0,
         "{file}:{line}: 警告: title（标题）: 两端的中文引号会作为内容的一部分显示在网站上"),
]


def cli(capsys, *args: str) -> tuple[int, str]:
    """`python build.py …` in-process: its exit status and what it printed."""
    capsys.readouterr()
    try:
        run(list(args))
        code = 0
    except SystemExit as e:
        code = int(e.code or 0)
    out = capsys.readouterr()
    return code, out.out + out.err
