"""Small but real files, built byte by byte: what a phone or a scanner would send, and what an
attacker would dress up as one."""

from __future__ import annotations

import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png(width: int = 2, height: int = 2, *, padding: int = 0) -> bytes:
    """A valid RGB PNG; ``padding`` adds a text chunk of that many bytes, to make it big."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\xff\x80\x00" * width for _ in range(height))
    chunks = [_png_chunk(b"IHDR", header), _png_chunk(b"IDAT", zlib.compress(rows))]
    if padding:
        chunks.append(_png_chunk(b"tEXt", b"Comment\x00" + b"x" * padding))
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks) + _png_chunk(b"IEND", b"")


def png_declaring(width: int, height: int) -> bytes:
    """A small PNG whose header declares ``width`` x ``height`` pixels it does not carry: what a
    decompression bomb looks like before anything decodes it."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunks = [_png_chunk(b"IHDR", header), _png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))]
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks) + _png_chunk(b"IEND", b"")


def jpeg() -> bytes:
    """The start of a baseline JPEG (SOI, JFIF APP0), then its end: enough to be recognised."""
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + b"\xff\xd9"


def gif() -> bytes:
    """A 1 x 1 transparent GIF."""
    return (
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
        b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )


def webp() -> bytes:
    payload = b"WEBPVP8L" + struct.pack("<I", 5) + b"\x2f\x00\x00\x00\x00\x00"
    return b"RIFF" + struct.pack("<I", len(payload)) + payload


def pdf(text: str = "Proof of damage") -> bytes:
    """A one-page PDF with a line of text, its cross-reference table at the right offsets."""
    stream = f"BT /F1 18 Tf 40 100 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _box(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data) + 8) + kind + data


def mp4() -> bytes:
    """An ISO base media file: ``ftyp`` (isom) then an empty ``moov``."""
    return _box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2avc1mp41") + _box(b"moov", b"")


def quicktime() -> bytes:
    return _box(b"ftyp", b"qt  \x00\x00\x02\x00qt  ") + _box(b"moov", b"")


def webm() -> bytes:
    """An EBML header whose DocType is webm."""
    doctype = b"\x42\x82\x84webm"
    header = b"\x42\x86\x81\x01" + doctype
    return b"\x1a\x45\xdf\xa3" + bytes([0x80 | len(header)]) + header


def windows_program() -> bytes:
    """The start of a Windows executable: the MZ header pointing at a PE header."""
    dos_header = b"MZ" + b"\x90\x00" * 29 + struct.pack("<I", 64)
    return dos_header + b"PE\x00\x00" + b"\x4c\x01" + b"\x00" * 200


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)
