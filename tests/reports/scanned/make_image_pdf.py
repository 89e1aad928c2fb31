"""Make an image-only PDF (no text layer) from a PDF, as a stand-in for a scanned report.

Each page is rendered with pypdfium2 to a grayscale bitmap at DPI dots per inch and the
pages are written with Pillow as one JPEG-compressed image per page, at the same physical
page size. Nothing but pixels survives: no text objects, no fonts.

With --scanlike the pages are also made to look like a photocopied, stamped scan: a slight
skew, a little blur, a red seal drawn over the last page's signature block, colour kept so
the seal stays red, and harder JPEG compression. Every step is a fixed transform (no random
noise), so the output is byte-for-byte deterministic for a given pypdfium2 + Pillow pair
(no dates, no random IDs: /Title, /CreationDate and /ModDate are pinned).

    python make_image_pdf.py ../jiangle-2024.pdf jiangle-2024-image.pdf
    python make_image_pdf.py ../jiangle-2024.pdf jiangle-2024-scanlike.pdf --scanlike --dpi 150
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter

RED = (200, 30, 40)


def _seal(size: int) -> Image.Image:
    """A round red seal (ring, inner ring, star-ish centre), on a transparent background."""
    im = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    w = max(2, size // 28)
    d.ellipse((w, w, size - w, size - w), outline=RED + (210,), width=w)
    m = size // 7
    d.ellipse((m, m, size - m, size - m), outline=RED + (150,), width=max(1, w // 2))
    c = size // 2
    r = size // 8
    d.regular_polygon((c, c, r), n_sides=5, rotation=90, fill=RED + (210,))
    # a band of strokes where the seal's characters would be
    for k in range(7):
        x = c - 3 * r + k * r
        d.rectangle((x, c + r + w, x + r // 2, c + 2 * r), fill=RED + (180,))
    return im


def _scanlike(page: Image.Image, dpi: int, last: bool) -> Image.Image:
    rgb = page.convert("RGB")
    if last:
        size = int(1.6 * dpi)  # ~4 cm seal
        seal = _seal(size)
        w, h = rgb.size
        # over the lower right, where the agency name and date usually are
        rgb.paste(seal, (int(w * 0.62), int(h * 0.80)), seal)
    rgb = rgb.rotate(0.6, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=(255, 255, 255))
    rgb = rgb.filter(ImageFilter.GaussianBlur(0.7))
    # a faint grey cast, as photocopies have
    return Image.eval(rgb, lambda v: int(18 + v * 0.9))


def make_image_pdf(src: Path, dst: Path, dpi: int = 200, quality: int = 80, scanlike: bool = False) -> int:
    pdf = pdfium.PdfDocument(str(src))
    pages: list[Image.Image] = []
    try:
        n = len(pdf)
        for i in range(n):
            bitmap = pdf[i].render(scale=dpi / 72, grayscale=not scanlike)
            im = bitmap.to_pil()
            pages.append(_scanlike(im, dpi, i == n - 1) if scanlike else im.convert("L"))
    finally:
        pdf.close()
    first, rest = pages[0], pages[1:]
    # Pillow stamps the file name as /Title and "now" as the dates unless told: pin them.
    epoch = time.gmtime(946684800)  # 2000-01-01T00:00:00Z; Pillow takes a struct_time here
    first.save(
        dst,
        "PDF",
        save_all=True,
        append_images=rest,
        resolution=float(dpi),
        quality=quality,
        title=src.stem,
        producer="make_image_pdf.py",
        creationDate=epoch,
        modDate=epoch,
    )
    return len(pages)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src", type=Path)
    ap.add_argument("dst", type=Path)
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--quality", type=int, default=None, help="JPEG quality (default 80; 45 with --scanlike)")
    ap.add_argument("--scanlike", action="store_true", help="skew, blur, grey cast and a red seal")
    a = ap.parse_args()
    quality = a.quality if a.quality is not None else (45 if a.scanlike else 80)
    n = make_image_pdf(a.src, a.dst, a.dpi, quality, a.scanlike)
    print(f"{a.dst}: {n} image-only pages at {a.dpi} dpi" + (" (scan-like)" if a.scanlike else ""))


if __name__ == "__main__":
    main()
