"""Loading a village's ledger once, with Beancount's own loader and validations.

The pickle cache of Beancount's loader is turned off in this process: it would write files next
to the user's ledger, and a cached result computed while the plugins stepped aside would hide
the rules' errors from a later bean-check. Beancount's list of validations is kept from growing
with every load (`_Validations`).

Bad input never stops a load with a traceback: an include that names a folder, a device or an
unreadable file, and an amount too large for any village's books, become errors at the file and
line that wrote them (reported as `BEANCOUNT` findings, like Beancount's own); a ledger that
cannot be read at all raises `LedgerError`, which the command line turns into a message and
exit code 2.
"""

from __future__ import annotations

import contextlib
import contextvars
import glob
import io
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from beancount import loader
from beancount.core import data
from beancount.ops import validation
from beancount.parser import parser

from village_ledger.beancount_messages import full_width_typed, in_chinese
from village_ledger.beancount_plugin import deferred
from village_ledger.gcpause import paused_gc

_prepared = False

# A village's books never hold an amount of a trillion yuan: a larger one is a typing error, and
# left in the books it would overflow the reports' 64-bit cents.
LARGEST_AMOUNT = Decimal(10) ** 12


class LedgerError(Exception):
    """A ledger that cannot be loaded at all: a message naming the file (and line, when known)."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(file, line, message)  # as given, so it crosses a process pool
        self.file, self.line, self.message = file, line, message

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}：{self.message}"


class LoadProblem(NamedTuple):
    """An error of village-ledger's loading, shaped as Beancount's errors are."""

    source: dict[str, Any]
    message: str
    entry: data.Directive | None


class LoadedLedger(NamedTuple):
    main_file: str
    entries: list[data.Directive]
    errors: list[Any]
    options: dict[str, Any]


def _prepare_beancount() -> None:
    global _prepared
    if not _prepared:
        loader.initialize(use_cache=False)
        # Beancount opens whatever an include names: a folder raises IsADirectoryError, a device
        # or a pipe never ends. Every load in this process (Fava's too) goes through the check.
        if getattr(parser.parse_file, "__wrapped__", None) is None:
            parser.parse_file = _parse_regular_file(parser.parse_file)
        if not isinstance(validation.VALIDATIONS, _Validations):
            extra = validation.HARDCORE_VALIDATIONS
            kept = [v for v in dict.fromkeys(validation.VALIDATIONS) if v not in extra]
            validation.VALIDATIONS = _Validations(kept)
        _prepared = True


class _Validations(list[Any]):
    """Beancount's list of the validations every load runs (`validation.VALIDATIONS`).

    `validation.validate` adds a load's extra validations to it in place (`tests = VALIDATIONS;
    tests += extra`), so in a process that loads many ledgers the n-th load ran the hardcore
    validations n times, and reported each of their errors n times: the 40th village of a
    township checked in one process paid for 40 passes of `validate_data_types`. Adding to
    this list makes a new list and leaves it as it was."""

    def __iadd__(self, other: Iterable[Any]) -> list[Any]:  # type: ignore[override,misc]
        return [*self, *other]


# Files read as if they held other bytes, for this thread's loads only: how a command checks the
# books as they would be once its entries are written, before it writes anything.
_replaced: contextvars.ContextVar[Mapping[str, bytes] | None] = contextvars.ContextVar(
    "replaced", default=None
)


@contextlib.contextmanager
def replaced_files(contents: Mapping[str, bytes]) -> Iterator[None]:
    """Within the block, each file named (an absolute path) is parsed as holding its bytes."""
    token = _replaced.set({os.path.realpath(k): v for k, v in contents.items()})
    try:
        yield
    finally:
        _replaced.reset(token)


def _parse_regular_file(parse_file: Any) -> Any:
    def parse(file: Any, *args: Any, **kwargs: Any) -> Any:
        contents = _replaced.get()
        stand_in = (
            contents.get(os.path.realpath(file)) if contents and isinstance(file, str) else None
        )
        if stand_in is None and isinstance(file, str) and not _readable_file(file):
            _, _, defaults = parser.parse_string("")
            return [], [LoadProblem({"filename": file, "lineno": 0}, UNREADABLE, None)], defaults
        if stand_in is None and isinstance(file, str) and _starts_with_bom(file):
            with open(file, "rb") as handle:
                stand_in = handle.read()
        if stand_in is not None:
            # Windows Notepad and WPS save UTF-8 with a byte-order mark, which Beancount's
            # lexer reads as an invalid token on line 1: the file is read without it
            text = stand_in[len(BOM) :] if stand_in.startswith(BOM) else stand_in
            kwargs.setdefault("report_filename", file)
            return _without_empty_customs(parse_file(io.BytesIO(text), *args, **kwargs))
        return _without_empty_customs(parse_file(file, *args, **kwargs))

    parse.__wrapped__ = parse_file  # type: ignore[attr-defined]
    return parse


UNREADABLE = "village-ledger: not a readable file"
BOM = b"\xef\xbb\xbf"


def _starts_with_bom(path: str) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(BOM)) == BOM


def _without_empty_customs(parsed: tuple[Any, Any, Any]) -> tuple[Any, Any, Any]:
    """Beancount parses a `custom "名称"` line with nothing after the name into a directive
    whose values are None, which its own pad plugin then iterates over and fails on. Such a
    directive says nothing: it is left out, with an error at its line."""
    entries, errors, options = parsed
    empty = [e for e in entries if isinstance(e, data.Custom) and e.values is None]
    if not empty:
        return parsed
    problems = [
        LoadProblem(e.meta, f"custom “{e.type}” 指令在名称之后没有写内容，已略过此行", None)
        for e in empty
    ]
    kept = [e for e in entries if not (isinstance(e, data.Custom) and e.values is None)]
    return kept, [*errors, *problems], options


def _readable_file(path: str) -> bool:
    if not os.path.isfile(path):
        return False
    try:
        with open(path, "rb"):
            return True
    except OSError:
        return False


def load_ledger(
    main_file: str | os.PathLike[str],
    *,
    run_plugins: bool = False,
    replaced: Mapping[str, bytes] | None = None,
) -> LoadedLedger:
    """Parse, book, run the ledger's other plugins and validate, as bean-check does.

    With `run_plugins=False` village-ledger's own plugin lines step aside, for a caller that
    runs the rules itself. `replaced` maps files of the ledger (absolute paths) to the bytes to
    read in their place: the books as they would be after a write, nothing written.
    """
    if replaced:
        with replaced_files(replaced):
            return load_ledger(main_file, run_plugins=run_plugins)
    _prepare_beancount()
    path = str(Path(main_file).resolve())
    if not _readable_file(path):
        raise LedgerError(path, 0, _why_unreadable(path))
    try:
        if run_plugins:
            entries, errors, options = _load(path)
        else:
            with deferred():
                entries, errors, options = _load(path)
    except (OSError, RecursionError) as exc:
        raise LedgerError(getattr(exc, "filename", None) or path, 0, _why_failed(exc)) from None
    errors = [explain(e, options) for e in errors]
    entries, absurd = _without_absurd_amounts(entries)
    # the files the ledger is made of: an include that named no readable file is not one
    options["include"] = [f for f in options["include"] if _readable_file(f)]
    return LoadedLedger(path, entries, errors + absurd, options)


def _why_unreadable(path: str) -> str:
    if os.path.isdir(path):
        return "这是一个文件夹，不是账簿文件"
    if not os.path.exists(path):
        return "文件不存在"
    if not os.path.isfile(path):
        return "不是普通文件（可能是设备或管道），无法作为账簿读取"
    return "无法读取（没有读取权限）"


def _why_failed(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "账簿嵌套过深，无法读取"
    return f"无法读取：{getattr(exc, 'strerror', None) or exc}"


def _load(path: str) -> tuple[list[data.Directive], list[Any], dict[str, Any]]:
    # Beancount's loader leaves no reference cycles to collect (peak memory is the same either
    # way), but the collector's passes over the growing list of entries cost a quarter of the load.
    with paused_gc():
        return loader.load_file(path, extra_validations=validation.HARDCORE_VALIDATIONS)


# the patterns of the error paths below are compiled by `re` on first use, not at import
_GLOB = r'File glob "(?P<pattern>[^"]+)" does not match any files'


def explain(error: Any, options: dict[str, Any]) -> Any:
    """Beancount's errors in Chinese, the English kept in brackets; a missing include and a file
    that is not UTF-8 are also pointed at the line to fix."""
    if not hasattr(error, "_replace"):
        return error
    plain = _made_plain(error, options)
    if plain is not None:
        return plain
    return error._replace(message=in_chinese(str(error.message)))


def _made_plain(error: Any, options: dict[str, Any]) -> Any | None:
    source = getattr(error, "source", None) or {}
    filename = str(source.get("filename", ""))
    if error.message == UNREADABLE:
        return _unreadable_include(filename, options)
    match = re.search(_GLOB, str(error.message))
    if match and filename.startswith("<"):
        return _missing_include(error, match.group("pattern"), options)
    match = re.match(_PLUGIN_FAILED, str(error.message), flags=re.S)
    if match and filename.startswith("<"):
        return _plugin_failed(error, match, options)
    if "Invalid token" in str(error.message) and filename and not filename.startswith("<"):
        bad_line = _first_non_utf8_line(filename)
        if bad_line:
            message = f"文件不是 UTF-8 编码（第 {bad_line} 行起无法解码），请以 UTF-8 保存"
            return error._replace(
                source={"filename": filename, "lineno": bad_line}, message=message
            )
    if _is_lexing_error(error, filename):
        hint = _typing_hint(_text_of_line(filename, source.get("lineno")), str(error.message))
        if hint is not None:
            return error._replace(message=f"语法错误：{hint}（{error.message}）")
    return None


# Beancount reports a plugin it could not import or that raised with the whole traceback, at
# no line ("<load>", 0)
_PLUGIN_FAILED = r'Error (?P<stage>importing|applying plugin) "(?P<name>[^"]*)": (?P<trace>.*)'


def _plugin_failed(error: Any, match: re.Match[str], options: dict[str, Any]) -> Any:
    """A plugin that could not be imported or that failed, at the plugin line that names it,
    with the exception's last line instead of the traceback."""
    name = match.group("name")
    lines = [line.strip() for line in match.group("trace").strip().splitlines() if line.strip()]
    cause = lines[-1] if lines else ""
    if match.group("stage") == "importing":
        message = (
            f"插件“{name}”无法导入：没有这个 Python 模块，或模块本身出错；请检查 plugin 一行的"
            f"模块名是否写错、插件是否已安装，不用的插件请删去这一行（{cause}）"
        )
    else:
        message = (
            f"插件“{name}”运行出错，它的处理没有完成：请检查 plugin 一行的配置，或请插件的"
            f"作者修正（{cause}）"
        )
    # Beancount reads plugin lines from the main file only
    main = str(options.get("filename", ""))
    return error._replace(
        source={"filename": main, "lineno": _plugin_line(main, name)}, message=message
    )


def _plugin_line(filename: str, name: str) -> int:
    """The line of `filename` whose plugin directive names module `name`; 0 when none does."""
    for number, written in _quoted_arguments(filename, "plugin"):
        if _as_beancount_reads(written) == name:
            return number
    return 0


def _typing_hint(line: str, message: str) -> str | None:
    """What on a line Beancount could not read was typed the Chinese way: a tag or link in
    Chinese, or (on a syntax error) full-width punctuation, spaces or digits outside quotes."""
    bare = re.sub(r'"[^"]*"', '""', line)  # what a quoted narration holds is no syntax
    tag = re.search(r"[#^][^\x00-\x7f]\S*", bare)
    if tag:
        return (
            f"标签和链接（# 或 ^ 后面的词）只能用英文字母、数字和 - _ / .，“{tag.group(0)}”不行，"
            "可改用拼音，如 #gongzi"
        )
    typed = full_width_typed(bare) if message.startswith("syntax error") else []
    return f"{'；'.join(typed)}（请切换到英文输入法书写）" if typed else None


def _is_lexing_error(error: Any, filename: str) -> bool:
    """A syntax error or an invalid token in a file of the books."""
    message = str(error.message)
    real = bool(filename) and not filename.startswith("<")
    return real and (message.startswith("syntax error") or "Invalid token" in message)


def _text_of_line(filename: str, line: Any) -> str:
    """Line `line` (1-based) of the file; "" when there is none."""
    if not isinstance(line, int) or line < 1 or not _readable_file(filename):
        return ""
    with open(filename, encoding="utf-8", errors="replace") as handle:
        for number, text in enumerate(handle, 1):
            if number == line:
                return text
    return ""


def _first_non_utf8_line(filename: str) -> int:
    try:
        with open(filename, "rb") as handle:
            for number, line in enumerate(handle, 1):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError:
                    return number
    except OSError:
        pass
    return 0


# how Beancount reads a quoted string: `\t` a tab, `\n` a new line, any other `\x` plain `x`
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f", "b": "\b"}


def _as_beancount_reads(quoted: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), quoted, flags=re.S)


def _missing_include(error: Any, pattern: str, options: dict[str, Any]) -> Any:
    """An include that matched no file, at the include line that wrote it (in whichever file of
    the books); a Windows path (`2025\\01.beancount`) is explained: Beancount reads its
    backslashes as escapes."""
    message = f"include 的文件不存在：{pattern}（{error.message}）"
    main = str(options.get("filename", ""))
    for filename in dict.fromkeys([main, *options.get("include", [])]):
        line, written = _include_writing(filename, pattern)
        if line:
            if "\\" in written:
                message = (
                    f"include 的文件不存在：“{written}”中的反斜杠“\\”被 Beancount 当作转义符，"
                    f"读成了“{pattern}”；文件夹之间请用“/”分隔，如 "
                    f'include "{written.replace(chr(92), "/")}"（{error.message}）'
                )
            return error._replace(source={"filename": filename, "lineno": line}, message=message)
    return error._replace(source={"filename": main, "lineno": 0}, message=message)


def _include_writing(filename: str, pattern: str) -> tuple[int, str]:
    """The line of `filename` whose include names `pattern` as Beancount reads it, and the
    path as written there; (0, "") when none does."""
    folder = os.path.dirname(filename)
    wanted = os.path.normpath(os.path.join(folder, pattern))
    for number, written in _quoted_arguments(filename, "include"):
        read = _as_beancount_reads(written)
        if read == pattern or os.path.normpath(os.path.join(folder, read)) == wanted:
            return number, written
    return 0, ""


def _unreadable_include(target: str, options: dict[str, Any]) -> LoadProblem:
    """The include line that named `target`, a path that is no readable file."""
    message = f"include 的不是可读的账簿文件：{target}（{_why_unreadable(target)}）"
    for filename in options.get("include", []):
        line = _include_line(filename, target)
        if line:
            return LoadProblem({"filename": filename, "lineno": line}, message, None)
    return LoadProblem({"filename": str(options.get("filename", "")), "lineno": 0}, message, None)


def _include_line(filename: str, target: str) -> int:
    folder = os.path.dirname(filename)
    for number, written in _quoted_arguments(filename, "include"):
        found = glob.glob(os.path.join(folder, written), recursive=True)
        if any(os.path.normpath(f) == os.path.normpath(target) for f in found):
            return number
    return 0


def _quoted_arguments(filename: str, keyword: str) -> Iterator[tuple[int, str]]:
    """Each line of `filename` that starts with directive `keyword` (`include`, `plugin`) and its
    quoted argument as written; nothing for a file that cannot be read."""
    if not _readable_file(filename):
        return
    directive = re.compile(rf'^{keyword}\s+"((?:[^"\\]|\\.)*)"')
    with open(filename, encoding="utf-8-sig", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            match = directive.match(line)
            if match:
                yield number, match.group(1)


def _without_absurd_amounts(
    entries: list[data.Directive],
) -> tuple[list[data.Directive], list[LoadProblem]]:
    """Entries holding an amount of a trillion yuan or more are left out, each an error at the
    line that wrote the amount."""
    kept, problems = [], []
    for entry in entries:
        found = _absurd_amount(entry)
        if found is None:
            kept.append(entry)
            continue
        number, meta = found
        problems.append(
            LoadProblem(
                {"filename": meta.get("filename", ""), "lineno": meta.get("lineno", 0)},
                f"金额 {number} 超出合理范围（一万亿元以上），这笔记录未计入账簿；"
                "请检查是否多打了数字",
                entry,
            )
        )
    return kept, problems


def _absurd_amount(entry: data.Directive) -> tuple[Decimal, dict[str, Any]] | None:
    if isinstance(entry, data.Transaction):  # most entries: look at each number where it is
        for posting in entry.postings:
            units = posting.units
            if posting.cost is None and posting.price is None and units is not None:
                number = getattr(units, "number", None)
                if type(number) is not Decimal or _sane(number):
                    continue
                return number, posting.meta or entry.meta or {}
            for value in (units, posting.price, posting.cost):
                number = getattr(value, "number", value)
                if isinstance(number, Decimal) and not _sane(number):
                    return number, posting.meta or entry.meta or {}
        return None
    for number, meta in _numbers(entry):
        if not _sane(number):
            return number, meta or entry.meta or {}
    return None


def _sane(number: Decimal) -> bool:
    return number.is_finite() and abs(number) < LARGEST_AMOUNT


def _numbers(entry: data.Directive) -> list[tuple[Decimal, dict[str, Any] | None]]:
    """Every number a directive other than a transaction holds, with the metadata of the line
    that wrote it."""
    values: list[tuple[Any, dict[str, Any] | None]] = []
    if isinstance(entry, data.Balance | data.Price):
        values.append((entry.amount, None))
    elif isinstance(entry, data.Custom):
        values += [(v.value, None) for v in entry.values or ()]  # None after some parse errors
    found = []
    for value, meta in values:
        number = getattr(value, "number", value)
        if isinstance(number, Decimal):
            found.append((number, meta))
    return found
