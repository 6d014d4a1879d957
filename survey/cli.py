"""Staff commands (DESIGN §5): `flask --app survey create-admin NAME`, `invite SID --count N`,
`export SID --format csv|xlsx|json [--output FILE]`, `publish SID`, `backup [--output FILE]`,
`restore FILE`.

Messages are in Simplified Chinese; a bad argument exits with status 2 (usage), a survey
that cannot be handled with status 1, and nothing is half-written.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from werkzeug.security import generate_password_hash

from portal import clock
from portal.surveys import Survey
from portal.write import write_atomic

from . import backup, ballot_tally, ballots, definitions, demo, export, poster, publish, store
from .accounts import name_problem, password_problem
from .db import connection
from .roles import CLI
from .store import ballots as ballot_store
from .submission import case_days


def _survey(sid: str) -> Survey:
    survey = definitions.get(sid)
    if survey is None:
        known = "、".join(sorted(definitions.surveys())) or "（无）"
        raise click.UsageError(f"找不到问卷“{sid}”。现有问卷：{known}")
    return survey


@click.command("create-admin")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（用于脚本）")
@click.option("--community", default=None, help="创建某个社区的工作人员账号（不写则为区级管理员）")
@with_appcontext
def create_admin(name: str, password_stdin: bool, community: str | None) -> None:
    """创建工作人员账号（默认区级管理员），或为已有账号重设密码。"""
    name = name.strip()
    if name_problem(name):
        raise click.UsageError(name_problem(name))
    if community is not None and community not in definitions.site().communities:
        known = "、".join(definitions.site().communities)
        raise click.UsageError(f"找不到社区“{community}”。现有社区：{known}")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("密码", hide_input=True, confirmation_prompt="再输入一次密码")
    if password_problem(password):
        raise click.UsageError(password_problem(password))
    role = store.COMMUNITY if community else store.ADMIN
    with connection() as db:
        new = store.set_staff(db, name, generate_password_hash(password), definitions.now_iso(), role, community or "")
        store.log(db, definitions.now_iso(), CLI, "创建账号" if new else "重设密码", name)
    click.echo(f"已{'创建' if new else '更新'}工作人员账号：{name}")


@click.command("invite")
@click.argument("sid")
@click.option("--count", type=click.IntRange(1, 100000), required=True, help="生成多少个邀请码")
@with_appcontext
def invite(sid: str, count: int) -> None:
    """为凭邀请码参与的问卷生成邀请码，每行一个；每个码只能提交一次。"""
    survey = _survey(sid)
    if survey.access != "invite":
        raise click.UsageError(f"问卷“{sid}”任何人都可以填写（access: open），不需要邀请码")
    with connection() as db:
        codes = store.create_invites(db, sid, count, definitions.now_iso())
        store.log(db, definitions.now_iso(), CLI, "生成邀请码", sid, f"{count} 个")
    click.echo("\n".join(codes))


@click.command("export")
@click.argument("sid")
@click.option("--format", "fmt", type=click.Choice(sorted(export.FORMATS)), default="csv", show_default=True,
              help="导出格式")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="写入文件；不指定时输出到标准输出")
@with_appcontext
def export_cmd(sid: str, fmt: str, output: Path | None) -> None:
    """导出问卷的全部答卷（CSV 带 BOM，Excel 可直接打开；XLSX；JSON）。"""
    survey = _survey(sid)
    with connection() as db:
        data = export.render(fmt, survey, store.responses(db, sid))
        store.log(db, definitions.now_iso(), CLI, "导出答卷", sid, fmt)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_atomic(output, data)
        click.echo(f"已导出到 {output}", err=True)


@click.command("publish")
@click.argument("sid")
@with_appcontext
def publish_cmd(sid: str) -> None:
    """把问卷结果（只含统计数字）写入 content/results/SID.yaml，重新生成网站后公布。"""
    survey = _survey(sid)
    with connection() as db:
        responses, cases, excluded = store.responses(db, sid), store.cases(db, sid), store.upheld_receipts(db, sid)
    try:
        with connection() as db:                     # agreed paper ballots: online and paper together
            path = ballots.publish_agreed(survey, db)
        path = path or publish.publish(survey, responses, definitions.site(), current_app.config["SURVEY_CONTENT"],
                                       now=definitions.now(), cases=cases, excluded=excluded)
    except publish.PublishError as e:
        click.echo(f"错误：{e}", err=True)
        sys.exit(1)
    with connection() as db:
        store.log(db, definitions.now_iso(), CLI, "公布结果", sid)
    click.echo(f"已写入 {path}（{len(responses)} 份答卷）。请运行 python build.py 重新生成网站。")


@click.command("poster")
@click.argument("sid")
@click.option("--service", help="服务事项编号（办事指南的编号），用于好差评")
@click.option("--window", type=click.IntRange(1, 99), help="窗口号")
@click.option("--community", help="社区编号")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="写入文件；不指定时输出到标准输出")
@with_appcontext
def poster_cmd(sid: str, service: str | None, window: int | None, community: str | None,
               output: Path | None) -> None:
    """生成可打印的 A4 二维码海报（HTML，浏览器打印或另存为 PDF）。"""
    survey = _survey(sid)
    try:
        html = poster.poster_html(survey, definitions.site(), service=service, window=window, community=community,
                                  base_url=current_app.config["SURVEY_BASE_URL"] or None)
    except poster.PosterError as e:
        raise click.UsageError(str(e)) from None
    if output is None:
        click.echo(html, nl=False)
    else:
        poster.write_poster(html, output)
        click.echo(f"已生成海报 {output}，请用浏览器打开后打印（A4）", err=True)


@click.command("demo")
@click.option("--publish", "also_publish", is_flag=True,
              help="同时把示例问卷的结果写入 content/results/（发布时间记为示例日期）")
@with_appcontext
def demo_cmd(also_publish: bool) -> None:
    """向空数据库载入示例答卷（回执码以 DEMO 开头），供演示看板、差评整改和公布结果。"""
    with connection() as db:
        added = demo.seed(db, definitions.surveys(), definitions.site(), days=case_days())
        click.echo(f"已载入 {added} 份演示答卷。" if added else "数据库中已有答卷，没有再载入演示数据。")
        if also_publish:
            _publish_demo(db)


def _publish_demo(db) -> None:
    """The sample's results files, published as of the demo's anchor date."""
    for sid in demo.COUNTS:
        survey = definitions.get(sid)
        if survey is None or survey.results != "public":
            continue
        paper = ballot_tally.status(survey, ballot_store.latest_per_staff(db, sid))
        if paper.agreed is not None:            # online answers and the meeting's paper ballots together
            path = ballots.write(survey, store.responses(db, sid), paper, definitions.site(),
                                 current_app.config["SURVEY_CONTENT"], demo.published_at(survey),
                                 store.cases(db, sid), store.upheld_receipts(db, sid))
        else:
            path = publish.publish(survey, store.responses(db, sid), definitions.site(),
                                   current_app.config["SURVEY_CONTENT"], now=demo.published_at(survey),
                                   cases=store.cases(db, sid),
                                   excluded=store.upheld_receipts(db, sid))
        click.echo(f"已写入 {path}")


@click.command("backup")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="备份文件；不指定时写到数据库旁的 backups/survey-日期-时间.db")
@with_appcontext
def backup_cmd(output: Path | None) -> None:
    """在服务运行时备份数据库（一致的快照，含尚未写回的 WAL），并做完整性检查。"""
    database = Path(current_app.config["SURVEY_DB"])
    target = output or backup.default_name(Path(current_app.config["SURVEY_DB"]).parent / "backups", clock.now())
    try:
        done = backup.backup(database, target)
    except backup.BackupError as e:
        click.echo(f"备份失败：{e}", err=True)
        sys.exit(1)
    click.echo(f"已备份到 {done.path}（{done.responses} 份答卷，{done.size // 1024} KB，完整性检查通过）")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="不再询问，直接恢复")
@with_appcontext
def restore_cmd(source: Path, yes: bool) -> None:
    """用备份文件恢复数据库（恢复前先把现有数据另存一份）。"""
    database = Path(current_app.config["SURVEY_DB"])
    if not yes and not click.confirm(f"将用 {source} 替换 {database} 中的全部数据，是否继续？"):
        click.echo("已取消，数据库未改动。", err=True)
        sys.exit(1)
    stamp = backup.default_name(Path(current_app.config["SURVEY_DB"]).parent / "backups", clock.now())
    keep = stamp.with_name(stamp.stem + "-before-restore.db")
    n = 1
    while keep.exists():                # never overwrite an earlier restore's safety copy
        n += 1
        keep = stamp.with_name(f"{stamp.stem}-before-restore-{n}.db")
    try:
        responses, kept = backup.restore(source, database, keep)
    except backup.BackupError as e:
        click.echo(f"恢复失败：{e}（数据库未改动）", err=True)
        sys.exit(1)
    if kept is not None:
        click.echo(f"恢复前的数据已另存为 {kept.path}（{kept.responses} 份答卷）")
    click.echo(f"已从 {source} 恢复 {responses} 份答卷。")


@click.command("publish-ysqgk")
@click.argument("year", type=int)
@with_appcontext
def publish_requests_cmd(year: int) -> None:
    """把某年度依申请公开的统计（只含件数）写入 content/ysqgk/YEAR.yaml，供年度报告引用。"""
    from . import requests_publish
    from .store import requests as request_store
    with connection() as db:
        rows = request_store.every(db)
    try:
        path = requests_publish.publish(rows, year, current_app.config["SURVEY_CONTENT"], definitions.today(),
                                        definitions.now())
    except requests_publish.PublishError as e:
        click.echo(f"错误：{e}", err=True)
        sys.exit(1)
    with connection() as db:
        store.log(db, definitions.now_iso(), CLI, "依申请公开：公布统计", str(year), path.name)
    click.echo(f"已写入 {path}。请运行 python build.py 重新生成网站。")


def init_app(app: Flask) -> None:
    for command in (create_admin, invite, export_cmd, publish_cmd, poster_cmd, demo_cmd, backup_cmd, restore_cmd):
        app.cli.add_command(command)
    app.cli.add_command(publish_requests_cmd)
