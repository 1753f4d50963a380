"""CI: every verified ASVS row in docs/asvs.md names tests that exist, and they all pass.

Usage: .venv/bin/python tools/asvs_check.py   (extra arguments go to pytest)
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKLIST = ROOT / "docs" / "asvs.md"
NODE = re.compile(r"`(tests/[\w/]+\.py::\w+)`")


def verified_rows(text: str) -> list[tuple[str, list[str]]]:
    """(ASVS number, test node ids) of each row of the "Verified" table."""
    section = text.split("## Verified", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if not line.startswith("| ") or line.startswith("| ASVS") or line.startswith("|---"):
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows.append((cells[0], NODE.findall(cells[-1])))
    return rows


def defined(node: str) -> bool:
    path, name = node.split("::")
    source = (ROOT / path).read_text() if (ROOT / path).exists() else ""
    return re.search(rf"^def {name}\(", source, re.M) is not None


def main(pytest_args: list[str]) -> int:
    rows = verified_rows(CHECKLIST.read_text())
    problems = [f"{number}: names no test" for number, nodes in rows if not nodes]
    nodes = sorted({node for _, found in rows for node in found})
    problems += [f"{node}: no such test" for node in nodes if not defined(node)]
    if problems:
        print("\n".join(problems))
        return 1
    print(f"ASVS checklist: {len(rows)} verified requirements, {len(nodes)} distinct tests")
    command = [sys.executable, "-m", "pytest", "-q", *nodes, *pytest_args]
    return subprocess.call(command, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
