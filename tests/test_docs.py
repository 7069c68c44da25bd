"""The project stands on its own documents: every Markdown file a repository file cites is in the
repository, and the user guide's examples are real ledgers that pass every rule."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from tests.support import REPO, TOWNSHIP, check, make_village

# a file name ending in .md, as prose, a link or a path cites it (not part of a URL)
CITED = re.compile(r"(?<![\w/.:-])((?:\.{1,2}/)?[\w./-]*\w\.md)\b")
TEXT = {".md", ".py", ".html", ".j2", ".css", ".sh", ".toml", ".beancount", ".txt", ".cfg", ""}
GUIDE = REPO / "docs/zh/guide.md"


def tracked_text_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], capture_output=True, text=True, cwd=REPO, check=True
    ).stdout.split("\0")
    paths = [REPO / name for name in listed if name]
    return [p for p in paths if p.suffix in TEXT and p.is_file()]


def resolves(cited: str, source: Path) -> bool:
    name = cited.split("#", 1)[0]
    return any((base / name).is_file() for base in (source.parent, REPO))


def test_no_file_cites_a_document_outside_the_repository() -> None:
    missing = []
    for path in tracked_text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            line = re.sub(r"\w+://\S+", "", line)  # a URL may end in .md and cite nothing local
            missing += [
                f"{path.relative_to(REPO)}:{number}: {cited}"
                for cited in CITED.findall(line)
                if not resolves(cited, path)
            ]
    assert missing == []


def test_the_citation_check_finds_a_missing_document(tmp_path: Path) -> None:
    gone = "nowhere" + ".md"  # written in two parts so that this file cites nothing missing
    line = f"see {gone} and docs/zh/guide.md#layout, not https://a.b/c.md"
    assert CITED.findall(re.sub(r"\w+://\S+", "", line)) == [gone, "docs/zh/guide.md"]
    assert not resolves(gone, tmp_path / "x.py")
    assert resolves("docs/zh/guide.md", tmp_path / "x.py")


def guide_section(title: str) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    return text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_guide_vouchers_pass_every_rule(tmp_path: Path) -> None:
    blocks = re.findall(r"```beancount\n(.*?)```", guide_section("3. 凭证上的元数据"), re.S)
    assert len(blocks) == 3
    main = make_village(tmp_path, "\n".join(blocks))
    # the vouchers span months without a cash count or bank statement, which is not their topic
    assert [f"{f.rule} {f.message}" for f in check(main, ignore=["VL603", "VL209"])] == []


def test_guide_new_village_is_a_clean_ledger(tmp_path: Path) -> None:
    [main_text] = re.findall(r"```beancount\n(.*?)```", guide_section("7. 新建一个村的账簿"), re.S)
    shutil.copytree(TOWNSHIP, tmp_path / "township")
    village = tmp_path / "qingshan"
    village.mkdir()
    (village / "main.beancount").write_text(
        "\n".join(line.removeprefix("   ") for line in main_text.splitlines()), encoding="utf-8"
    )
    (village / "2025.beancount").write_text("", encoding="utf-8")
    assert [f"{f.rule} {f.message}" for f in check(village / "main.beancount")] == []
