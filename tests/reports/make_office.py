"""Generate Word and PDF fixtures from real published pages: the report as agencies publish it in Office formats.

Each page's article (the report's title, prose and tables, without the site's
navigation) is opened in LibreOffice Writer and saved as .docx, and the .docx
is exported as PDF, the way agencies publish them. The pages are real:
tests/reports/<stem>.html (sources in tests/expected/<stem>.json).

    python tests/reports/make_office.py pingtan-2023 pingtan-2024
    python tests/reports/make_office.py jiangle-2024

Needs LibreOffice (Debian: apt-get install libreoffice-writer-nogui fonts-noto-cjk).
Run from the project root; the outputs are committed; do not edit them by hand.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "tests" / "reports"

# How to find the article in each page: the report and nothing of the site around it.
ARTICLES = {
    "jiangle-2024": lambda page: re.search(r'<h1 class="title">.*?</div>\s*(?=<img)', page, re.S).group(0),
    "pingtan-2023": lambda page: _pingtan(page),
    "pingtan-2024": lambda page: _pingtan(page),
}
OUTPUTS = {
    "jiangle-2024": ("docx", "pdf"),
    "pingtan-2023": ("pdf",),
    "pingtan-2024": ("pdf",),
}


def _pingtan(page: str) -> str:
    title = re.search(r"<title>(.*?)_", page, re.S).group(1)
    body = re.search(r"<div class=TRS_Editor>(.*?)</div>", page, re.S).group(1)
    return f"<h1>{title}</h1>{body}"


def make(stem: str, office: str) -> None:
    page = (HERE / f"{stem}.html").read_text("utf-8")
    html = (
        '<html><head><meta charset="utf-8"><style>td { border: 1px solid black; }</style></head>'
        f"<body>{ARTICLES[stem](page)}</body></html>"
    )
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"{stem}.html"
        src.write_text(html, "utf-8")
        run = [office, "--headless", "--norestore", "--infilter=HTML (StarWriter)"]
        subprocess.run([*run, "--convert-to", "docx:MS Word 2007 XML", "--outdir", tmp, str(src)], check=True)
        docx = Path(tmp) / f"{stem}.docx"
        subprocess.run(
            [office, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", tmp, str(docx)], check=True
        )
        for ext in OUTPUTS[stem]:
            shutil.copy(Path(tmp) / f"{stem}.{ext}", HERE / f"{stem}.{ext}")


def main(stems: list[str]) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise SystemExit("needs LibreOffice: apt-get install libreoffice-writer-nogui fonts-noto-cjk")
    for stem in stems or ARTICLES:
        make(stem, office)


if __name__ == "__main__":
    main(sys.argv[1:])
