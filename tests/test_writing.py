"""`village_ledger.writing`: the one atomic write behind every `--write`."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support import make_village
from village_ledger.cli.main import main as cli
from village_ledger.writing import WriteRefused, write_file

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
OTHER_UID, OTHER_GID = 4242, 4343  # no such user needed: the kernel stores any number

BOOKS = """
2025-03-05 * "城关文具店" "打印纸"
  voucher: "2025-03-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  receipt: "收款收据"
  Expenses:513-管理费用:51302-办公费  300.00 CNY
  Assets:102-银行存款:10201-农商行
"""


def test_writes_and_keeps_the_mode(tmp_path: Path):
    path = tmp_path / "a.beancount"
    path.write_bytes(b"old\n")
    path.chmod(0o640)
    assert write_file(path, b"new\n") is True
    assert path.read_bytes() == b"new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.beancount"]  # no temporary file left


def test_never_writes_what_is_already_there(tmp_path: Path):
    path = tmp_path / "a.beancount"
    path.write_bytes(b"same\n")
    inode = path.stat().st_ino
    assert write_file(path, b"same\n") is False
    assert path.stat().st_ino == inode  # not replaced by a copy of itself


def test_refuses_when_the_file_changed_meanwhile(tmp_path: Path):
    path = tmp_path / "a.beancount"
    path.write_bytes(b"saved by someone else\n")
    with pytest.raises(WriteRefused, match="被修改"):
        write_file(path, b"new\n", expected=b"what we read\n")
    assert path.read_bytes() == b"saved by someone else\n"


def test_read_only_file_is_refused(tmp_path: Path):
    path = tmp_path / "a.beancount"
    path.write_bytes(b"old\n")
    path.chmod(0o444)
    with pytest.raises(WriteRefused, match="只读") as refused:
        write_file(path, b"new\n")
    assert "-r--r--r--" in str(refused.value)
    assert path.read_bytes() == b"old\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


def test_writes_through_a_symbolic_link(tmp_path: Path):
    real = tmp_path / "real.beancount"
    real.write_bytes(b"old\n")
    link = tmp_path / "main.beancount"
    link.symlink_to(real)
    write_file(link, b"new\n")
    assert link.is_symlink() and real.read_bytes() == b"new\n"


def test_a_new_file_gets_the_usual_mode(tmp_path: Path):
    path = tmp_path / "new.beancount"
    umask = os.umask(0o022)
    try:
        write_file(path, b"x\n")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_seal_write_refuses_a_read_only_main_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2025-04-12")
    main = make_village(tmp_path, BOOKS)
    before = main.read_bytes()
    main.chmod(0o444)
    result = CliRunner().invoke(cli, ["seal", str(main), "--period", "2025Q1", "--write"])
    assert result.exit_code == 2
    assert "只读" in result.stderr and "Traceback" not in result.output
    assert main.read_bytes() == before


@pytest.mark.skipif(not IS_ROOT, reason="only root can give a file to another user")
def test_a_file_of_another_user_keeps_its_owner_and_mode(tmp_path: Path):
    path = tmp_path / "main.beancount"
    path.write_bytes(b"old\n")
    os.chown(path, OTHER_UID, OTHER_GID)
    path.chmod(0o640)
    write_file(path, b"new\n")
    after = path.stat()
    assert (after.st_uid, after.st_gid) == (OTHER_UID, OTHER_GID)
    assert stat.S_IMODE(after.st_mode) == 0o640
    assert path.read_bytes() == b"new\n"


@pytest.mark.skipif(not IS_ROOT, reason="only root can give a file to another user")
def test_seal_write_keeps_the_owner_of_the_main_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2025-04-12")
    main = make_village(tmp_path, BOOKS)
    os.chown(main, OTHER_UID, OTHER_GID)
    main.chmod(0o600)
    result = CliRunner().invoke(cli, ["seal", str(main), "--period", "2025Q1", "--write"])
    assert result.exit_code == 0, result.output
    after = main.stat()
    assert (after.st_uid, after.st_gid, stat.S_IMODE(after.st_mode)) == (
        OTHER_UID,
        OTHER_GID,
        0o600,
    )


# --- as an ordinary user: root runs the write in a child process that gives up root ---------


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder everyone may write in (pytest's own temporary folders are root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="vl-writing-"))
    folder.chmod(0o1777)
    yield folder
    shutil.rmtree(folder)


def as_other_user(path: Path) -> tuple[int, str]:
    """`write_file` in a forked child that has given up root: its exit code and message.

    Forked rather than started afresh, because the interpreter and the project are root's and
    the other user may not read them."""
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        code = 1
        try:
            os.close(read)
            os.setgid(OTHER_GID)
            os.setuid(OTHER_UID)
            write_file(path, b"new\n")
            code = 0
        except WriteRefused as exc:
            os.write(write, str(exc).encode("utf-8"))
            code = 2
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        message = pipe.read().decode("utf-8")
    _, status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(status), message


@pytest.mark.skipif(not IS_ROOT, reason="needs root to act as another user")
def test_an_ordinary_user_is_refused_a_file_it_cannot_write(shared_folder: Path):
    path = shared_folder / "main.beancount"
    path.write_bytes(b"old\n")
    path.chmod(0o644)  # root's, readable by all
    code, message = as_other_user(path)
    assert code == 2, message
    assert "只读" in message
    assert path.read_bytes() == b"old\n"


@pytest.mark.skipif(not IS_ROOT, reason="needs root to act as another user")
def test_an_ordinary_user_cannot_take_over_a_file_it_may_write(shared_folder: Path):
    path = shared_folder / "main.beancount"
    path.write_bytes(b"old\n")
    path.chmod(0o666)  # writable by all, but the file is root's: replacing it would make it ours
    code, message = as_other_user(path)
    assert code == 2, message
    assert "所有者" in message
    assert path.read_bytes() == b"old\n" and path.stat().st_uid == 0
    assert [p.name for p in shared_folder.iterdir()] == ["main.beancount"]
