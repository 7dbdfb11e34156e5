"""Render resources/icons/wallet-crm.svg to the PNGs and the Windows .ico that are committed beside it.

    .venv/bin/python packaging/make_icons.py          # rewrite them (`make icons`)
    .venv/bin/python packaging/make_icons.py --check  # exit 1 when they no longer match the SVG

Qt's QSvgRenderer draws the PNGs (PySide6 is a dependency anyway; no Pillow). The .ico is written here:
its container is a small directory of images, the sizes up to 64 px as 32-bit bitmaps (what every Windows
tool reads) and 256 px as a PNG (what Windows uses for large icons since Vista).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageReader, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICONS / "wallet-crm.svg"
ICO = ICONS / "wallet-crm.ico"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)  # also the hicolor sizes the .deb installs
ICO_BITMAP_SIZES = (16, 20, 24, 32, 40, 48, 64)  # 20 and 40: small icons at 125 % and 250 % scaling
ICO_PNG_SIZES = (256,)
TOLERANCE = 8  # per channel, out of 255: another Qt release may antialias an edge a little differently


def png_path(size: int) -> Path:
    return ICONS / f"wallet-crm-{size}.png"


def render(size: int, svg: Path = SVG) -> QImage:
    """The SVG drawn on a transparent square of `size` pixels, as non-premultiplied ARGB32."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"png"))
    if not writer.write(image):
        raise RuntimeError(f"Qt could not encode a PNG: {writer.errorString()}")
    buffer.close()
    return bytes(data.data())


def ico_images(path: Path) -> dict[int, QImage]:
    """The images of an .ico by size, read back with Qt's own ICO reader (its `ico` image plugin)."""
    reader = QImageReader(str(path), QByteArray(b"ico"))
    images = {}
    for index in range(reader.imageCount()):
        if index and not reader.jumpToNextImage():
            break
        image = reader.read()
        if image.isNull():
            raise ValueError(f"{path.name}: image {index}: {reader.errorString()}")
        images[image.width()] = image
    return images


def bgra_rows(image: QImage) -> list[bytes]:
    """The pixel rows top to bottom, 4 bytes a pixel in B, G, R, A order (ARGB32 on a little-endian CPU)."""
    if sys.byteorder != "little":
        raise RuntimeError("the .ico writer assumes a little-endian CPU")
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    bits = bytes(image.constBits())
    stride, width = image.bytesPerLine(), image.width() * 4
    return [bits[row * stride : row * stride + width] for row in range(image.height())]


def bitmap_entry(image: QImage) -> bytes:
    """One .ico image as a BITMAPINFOHEADER, the colour rows bottom-up and the 1-bit transparency mask."""
    size = image.width()
    rows = bgra_rows(image)
    colour = b"".join(reversed(rows))
    mask_stride = ((size + 31) // 32) * 4
    mask_rows = []
    for row in reversed(rows):
        bits = bytearray(mask_stride)
        for x in range(size):
            if row[x * 4 + 3] == 0:  # fully transparent: set in the AND mask for renderers that ignore alpha
                bits[x // 8] |= 0x80 >> (x % 8)
        mask_rows.append(bytes(bits))
    mask = b"".join(mask_rows)
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, len(colour) + len(mask), 0, 0, 0, 0)
    return header + colour + mask


def ico_bytes(images: list[tuple[int, bytes]]) -> bytes:
    """The .ico container: ICONDIR, one ICONDIRENTRY per (size, image data), then the data."""
    offset = 6 + 16 * len(images)
    directory = struct.pack("<HHH", 0, 1, len(images))
    payload = b""
    for size, data in images:
        side = 0 if size >= 256 else size  # 0 means 256
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset + len(payload))
        payload += data
    return directory + payload


def build_ico(svg: Path = SVG) -> bytes:
    entries = [(size, bitmap_entry(render(size, svg))) for size in ICO_BITMAP_SIZES]
    entries += [(size, png_bytes(render(size, svg))) for size in ICO_PNG_SIZES]
    return ico_bytes(entries)


def difference(expected: QImage, actual: QImage) -> int:
    """The largest difference of one channel of one pixel (255 when the sizes differ)."""
    if expected.size() != actual.size():
        return 255
    left, right = b"".join(bgra_rows(expected)), b"".join(bgra_rows(actual))
    if left == right:
        return 0
    return max(abs(a - b) for a, b in zip(left, right, strict=True))


def stale_files(svg: Path = SVG) -> list[str]:
    """The generated files that are missing or no longer what the SVG draws."""
    stale = []
    for size in PNG_SIZES:
        path = png_path(size)
        if not path.exists() or difference(render(size, svg), QImage(str(path))) > TOLERANCE:
            stale.append(path.name)
    sizes = sorted(ICO_BITMAP_SIZES + ICO_PNG_SIZES)
    images = ico_images(ICO) if ICO.exists() else {}
    if sorted(images) != sizes or any(difference(render(size, svg), images[size]) > TOLERANCE for size in sizes):
        stale.append(ICO.name)
    return stale


def write_all(svg: Path = SVG) -> list[Path]:
    written = []
    for size in PNG_SIZES:
        png_path(size).write_bytes(png_bytes(render(size, svg)))
        written.append(png_path(size))
    ICO.write_bytes(build_ico(svg))
    written.append(ICO)
    return written


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    if "--check" in argv:
        stale = stale_files()
        if stale:
            print(f"out of date with {SVG.name}: {', '.join(stale)} (run packaging/make_icons.py)")
            return 1
        print("icons match the SVG")
        return 0
    for path in write_all():
        print(f"{path.relative_to(ICONS.parent.parent)}  {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
