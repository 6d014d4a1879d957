"""The embedded default behind `make run` (DESIGN §1): one local process builds the portal,
rebuilds it whenever content or templates change (so 公布结果 shows up by itself), serves
`site/` at `/` and the survey service at `/survey/`, with the SQLite file under `instance/`,
and a demo staff account whose credentials it prints.

    python -m survey.embedded [--port 8000] [--host 127.0.0.1]

Production uses nginx for `site/` and gunicorn for the app instead.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

import click
from werkzeug.security import generate_password_hash
from werkzeug.serving import run_simple

from portal.preview import Preview, port_free

from . import PROJECT, SettingError, create_app, definitions, demo, store
from .db import connection
from .definitions import ContentError
from .submission import case_days

DEMO_NAME = "demo"


def demo_password(instance: Path) -> str:
    """The demo account's password: generated once into instance/, then reused."""
    path = instance / "demo-admin-password"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(9), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--content", type=click.Path(file_okay=False, path_type=Path), default=PROJECT / "content")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=PROJECT / "site")
@click.option("--no-demo", is_flag=True, help="不载入演示答卷")
def main(host: str, port: int, content: Path, out: Path, no_demo: bool) -> None:
    """生成示例门户并启动门户 + 问卷服务。"""
    busy = port_free(host, port)
    if busy:
        raise SystemExit(busy)
    preview = Preview(content, out, say=lambda line: click.echo(line, err=True))
    stop = preview.watch_in_background()        # first: a file saved during the first build is built next
    if not preview.rebuild() and not (out / "index.html").exists():
        stop.set()
        raise SystemExit("门户生成失败，请先按上面的提示修改内容后再运行。")
    os.environ.setdefault("SURVEY_CONTENT", str(content))
    os.environ.setdefault("SURVEY_SITE", str(out.absolute()))   # through the link: each build flips it
    try:
        app = create_app()
    except (ContentError, SettingError) as e:
        stop.set()
        raise SystemExit(str(e)) from None
    app.config["PORTAL_PREVIEW"] = preview
    password = demo_password(Path(app.instance_path))
    with app.app_context(), connection(app) as db:
        store.set_staff(db, DEMO_NAME, generate_password_hash(password), definitions.now_iso())
        seeded = 0 if no_demo else demo.seed(db, definitions.surveys(), definitions.site(), days=case_days())
    if seeded:
        click.echo(f"已向新数据库载入 {seeded} 份演示答卷（回执码以 DEMO 开头）。", err=True)
    url = f"http://{host}:{port}"
    click.echo(f"""
门户网站： {url}/
满意度调查：{url}/hdjl/myd/
工作人员：  {url}/survey/admin/   演示账号 {DEMO_NAME}  密码 {password}
数据库：    {app.config['SURVEY_DB']}
修改 content/ 下的文件后网站会自动重新生成；按 Ctrl+C 退出。
""", err=True)
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        stop.set()


if __name__ == "__main__":
    main()
