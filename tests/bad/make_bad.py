"""Generate tests/bad/: inputs a user may hand giaudit by mistake, each of which must be refused in one line.

    python tests/bad/make_bad.py          (needs LibreOffice for encrypted.pdf)

- encrypted.pdf: the sample's Word file exported by LibreOffice as a PDF with the open password "secret".
Other bad inputs (zip bombs, huge files, UTF-16 without a BOM…) are made by the tests themselves in tmp_path.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def main() -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise SystemExit("needs LibreOffice: apt-get install libreoffice-writer-nogui")
    options = {
        "EncryptFile": {"type": "boolean", "value": "true"},
        "DocumentOpenPassword": {"type": "string", "value": "secret"},
    }
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "encrypted.docx"
        shutil.copy(ROOT / "tests" / "reports" / "jiangle-2024.docx", src)
        subprocess.run(
            [
                office,
                "--headless",
                "--convert-to",
                f"pdf:writer_pdf_Export:{json.dumps(options)}",
                "--outdir",
                tmp,
                str(src),
            ],
            check=True,
        )
        shutil.copy(Path(tmp) / "encrypted.pdf", HERE / "encrypted.pdf")


if __name__ == "__main__":
    main()
