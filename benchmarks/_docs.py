"""Write one benchmark's section into docs/benchmarks.md, keeping the others."""

from __future__ import annotations

import re
from pathlib import Path


def write_section(path: Path, text: str) -> None:
    """Replace the section that starts with ``text``'s first line (a ``## `` heading), or append it."""
    heading = text.splitlines()[0]
    doc = path.read_text("utf-8") if path.exists() else "# Benchmarks\n\n"
    section = re.compile(re.escape(heading) + r".*?(?=\n## |\Z)", re.S)
    if section.search(doc):
        doc = section.sub(lambda _: text.rstrip() + "\n", doc)
    else:
        doc = doc.rstrip() + "\n\n" + text
    path.write_text(doc, "utf-8")


def publish(lines: list[str], path: Path | None) -> None:
    """Print a benchmark's section and, given ``--write PATH``, put it in that Markdown file."""
    text = "\n".join(lines)
    print(text)
    if path:
        write_section(path, text)
