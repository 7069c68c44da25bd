"""From the PATHs a user gives to the villages' main files."""

from __future__ import annotations

from pathlib import Path

MAIN = "main.beancount"


class PathError(Exception):
    """A PATH that names no ledger; the message is for the user."""


def find_villages(paths: list[str]) -> list[Path]:
    """Each PATH is a main file, a village folder, or a folder of village folders."""
    found: list[Path] = []
    for raw in paths:
        found.extend(_villages_in(Path(raw)))
    unique: dict[Path, None] = {}
    for path in found:
        unique.setdefault(path.resolve(), None)
    return list(unique)


def _villages_in(path: Path) -> list[Path]:
    if not path.exists():
        raise PathError(f"路径不存在：{path}")
    if path.is_file():
        return [path]
    if not path.is_dir():
        # a pipe or a device: opening it would wait for a writer that never comes
        raise PathError(f"{path} 不是普通文件（可能是设备或管道），无法作为账簿读取")
    if (path / MAIN).is_file():
        return [path / MAIN]
    if (path / MAIN).exists() and not (path / MAIN).is_dir():
        raise PathError(f"{path / MAIN} 不是普通文件（可能是设备或管道），无法作为账簿读取")
    villages = sorted(p for p in path.glob(f"*/{MAIN}") if p.is_file())
    if not villages:
        raise PathError(f"{path} 下没有村账簿（既无 {MAIN}，也无 */{MAIN}）")
    return villages
