"""The one way village-ledger writes a user's file (`seal --write`, and every later `--write`).

`write_file(path, content)`:

- is atomic: the new bytes go to a temporary file in the same folder, are flushed to disk, and
  replace the file in one `os.replace`; the folder is flushed too. On any failure the original
  is left exactly as it was and the temporary file is removed;
- keeps the file's mode, and its owner and group (which only root, or an owner changing to one of
  its own groups, may set: a caller who cannot keep them is refused rather than leave the owner
  with a file it cannot read);
- refuses a file the caller could not write in place: read-only for the caller, or, for root
  (whom the system lets write anything), a file whose owner has no write permission (0444);
- writes through a symbolic link to the file it names, leaving the link in place;
- never writes what is already there: if the file holds `content`, nothing is touched;
- with `expected`, refuses if the file no longer holds those bytes (someone saved it meanwhile).

A refusal is a `WriteRefused` whose message is for the user, in Chinese; commands print it and
exit 2.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

NEW_FILE_MODE = 0o666  # before the umask, as `open(path, "w")` would create it


class WriteRefused(Exception):
    """The file was not written; the message says why, for the user."""


def write_file(path: Path | str, content: bytes, *, expected: bytes | None = None) -> bool:
    """Replace the file at `path` with `content`; False when it already held exactly that."""
    target = Path(os.path.realpath(path))
    current = _read_current(target)
    if expected is not None and current != expected:
        raise WriteRefused(f"{path} 在处理过程中被修改，未写入；请重新运行")
    if current == content:
        return False
    info = target.stat() if current is not None else None
    if info is not None:
        _require_writable(path, target, info)
    _replace(path, target, content, info)
    return True


def _read_current(target: Path) -> bytes | None:
    try:
        return target.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise WriteRefused(f"无法读取 {target}：{exc.strerror or exc}") from None


def _require_writable(shown: Path | str, target: Path, info: os.stat_result) -> None:
    if _is_root():
        # root may write anything; the owner's mode bits say whether the file is meant to change
        writable = bool(info.st_mode & stat.S_IWUSR)
    else:
        writable = os.access(target, os.W_OK, effective_ids=os.access in os.supports_effective_ids)
    if not writable:
        raise WriteRefused(
            f"{shown} 是只读文件（权限 {stat.filemode(info.st_mode)}），未写入；"
            "确需写入请先由文件的所有者或管理员开放写权限"
        )


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _replace(shown: Path | str, target: Path, content: bytes, info: os.stat_result | None) -> None:
    import tempfile  # here, not at the top: a check that writes nothing does not import it

    try:
        fd, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
    except OSError as exc:
        raise WriteRefused(
            f"无法在 {target.parent} 中写入（{exc.strerror or exc}），{shown} 未改动"
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        _keep_mode_and_owner(shown, temporary, info)
        os.replace(temporary, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise WriteRefused(f"写入 {shown} 失败，原文件未改动：{exc.strerror or exc}") from None
        raise
    _sync_folder(target.parent)


def _keep_mode_and_owner(shown: Path | str, temporary: str, info: os.stat_result | None) -> None:
    if info is None:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, NEW_FILE_MODE & ~umask)
        return
    mine = os.stat(temporary)
    if hasattr(os, "chown") and (mine.st_uid, mine.st_gid) != (info.st_uid, info.st_gid):
        try:
            os.chown(temporary, info.st_uid, info.st_gid)
        except PermissionError:
            raise WriteRefused(
                f"{shown} 属于其他用户（uid {info.st_uid}），当前用户写入后无法保持其所有者，"
                "未写入；请以文件所有者的身份运行"
            ) from None
    os.chmod(temporary, stat.S_IMODE(info.st_mode))  # after chown, which may clear setuid bits


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the system allows it (not on Windows)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
