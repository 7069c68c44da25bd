"""`village-ledger serve`: the villagers' dashboard, Fava on masked public copies of the ledgers.

Argument parsing only; what is served and how it is kept safe is in `village_ledger.serve`.
"""

from __future__ import annotations

import os
import sys

import click

from village_ledger.paths import PathError, find_villages


@click.command("serve")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="监听地址。默认只在本机可访问；对外公开请放在反向代理之后（见 docs/dashboard.md）。",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=5000,
    show_default=True,
    help="监听端口；0 表示由系统选择空闲端口。",
)
@click.option(
    "--private",
    is_flag=True,
    help="内部模式：提供原始账簿（不遮蔽个人信息）和“录入凭证”表单，供乡镇会计服务中心工作人员使用。",
)
def serve(paths: tuple[str, ...], host: str, port: int, private: bool) -> None:
    """以 Fava 提供各村账簿的只读查阅页面（中文，含财务公开、招待费、重点支出、审计发现、
    合同与资产）。

    PATH 可以是村的 main.beancount、村文件夹，或包含多个村文件夹的目录；每个村一个账簿，
    可在页面左上角切换。默认提供的是公开副本：身份证号、手机号、银行卡号，救助对象和个人
    承包（承租）方的名字已遮蔽，审计发现依据原始账簿得出；原始账簿只读不写。编辑、查询、导入、上传等功能均不提供。
    """
    try:
        mains = find_villages(list(paths))
    except PathError as exc:
        raise click.UsageError(str(exc)) from None
    from village_ledger.serve import PublicCopyError, run

    def announce(url: str) -> None:
        kind = "内部（原始账簿，可录入凭证）" if private else "公开副本（已遮蔽个人信息）"
        click.echo(f"村账查阅服务已启动：{url}  共 {len(mains)} 个村，{kind}；按 Ctrl+C 停止。")

    try:
        run(mains, host, port, private=private, announce=announce)
    except PublicCopyError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    # The folder is removed and the port closed: skip the interpreter's teardown, whose garbage
    # collection over Fava's loaded ledgers took tens of seconds after a SIGTERM.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


COMMANDS: list[click.Command] = [serve]
