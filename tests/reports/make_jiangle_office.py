"""Generate tests/reports/jiangle-2024.docx and .pdf: the bundled sample as Word and PDF files.

The article of tests/reports/jiangle-2024.html (official merged-cell tables,
prose, title and signature; without the site's navigation) is opened in
LibreOffice Writer and saved as .docx, and the .docx is exported as PDF, the
way agencies publish them. Needs LibreOffice (Debian: apt-get install
libreoffice-writer-nogui). Run from the project root:
    python tests/reports/make_jiangle_office.py
The outputs are committed; do not edit them by hand.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "tests" / "reports"


def main() -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise SystemExit("needs LibreOffice: apt-get install libreoffice-writer-nogui")
    page = (HERE / "jiangle-2024.html").read_text("utf-8")
    article = re.search(r'<h1 class="title">.*?</div>\s*(?=<img)', page, re.S).group(0)
    html = (
        f'<html><head><meta charset="utf-8"><style>td {{ border: 1px solid black; }}</style></head>'
        f"<body>{article}</body></html>"
    )
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "jiangle-2024.html"
        src.write_text(html, "utf-8")
        run = [office, "--headless", "--norestore", "--infilter=HTML (StarWriter)"]
        subprocess.run([*run, "--convert-to", "docx:MS Word 2007 XML", "--outdir", tmp, str(src)], check=True)
        docx = Path(tmp) / "jiangle-2024.docx"
        subprocess.run(
            [office, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", tmp, str(docx)], check=True
        )
        shutil.copy(docx, HERE / "jiangle-2024.docx")
        shutil.copy(Path(tmp) / "jiangle-2024.pdf", HERE / "jiangle-2024.pdf")


if __name__ == "__main__":
    main()
