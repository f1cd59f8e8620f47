"""Decoding of input files and NFC normalisation with an exact offset map back to the decoded text.

Patterns match on `SourceText.text` (normalised); every span the project reports is an offset into
`SourceText.raw` (the decoded original), obtained with `SourceText.raw_span`.

Normalisation, in this order: look-alike letters and spaces are mapped one to one (Cyrillic "Т" -> "T",
Icelandic "Ð" -> "Đ", no-break spaces -> " "), zero-width characters and soft hyphens are deleted, and the
result is put in Unicode NFC. Line endings are left alone.
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache


class ExtractError(ValueError):
    """Base for input problems reported to users (clear message, names the source)."""


class DecodeError(ExtractError):
    """The bytes are not text in any encoding legalkg reads."""


class BinaryFileError(ExtractError):
    """The input looks like a binary file."""


class FileTooLargeError(ExtractError):
    """The file is larger than the configured limit."""


DEFAULT_MAX_BYTES = 50 * 1024 * 1024

# --- normalisation tables -------------------------------------------------------------------------------------

_LOOKALIKES: dict[int, str] = str.maketrans(
    {
        "\u00d0": "\u0110",  # Ð Icelandic Eth -> Đ
        "\u0189": "\u0110",  # Ɖ African D -> Đ
        "\u00f0": "\u0111",  # ð -> đ
        "\u00a0": " ",  # NO-BREAK SPACE
        "\u2007": " ",  # FIGURE SPACE
        "\u202f": " ",  # NARROW NO-BREAK SPACE
        # Cyrillic letters that look Latin (they turn up inside codes such as "ТТ-BTC")
        **dict(zip("АВЕКМНОРСТХаеорсху", "ABEKMHOPCTXaeopcxy")),
    }
)
_DELETABLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_DELETE_TABLE = str.maketrans("", "", _DELETABLE)
_SPECIAL = re.compile("[" + "".join(map(chr, _LOOKALIKES)) + _DELETABLE + "]")
_DELETABLE_RE = re.compile(f"[{_DELETABLE}]")
# Characters above which a run is put in canonical order by a sort before NFC (see _nfc); shorter runs, all that real
# text holds, go to unicodedata as they are.
LONG_PIECE = 64
# Combining-mark blocks and the singletons seen in legal texts (OHM, KELVIN, ANGSTROM SIGN; GREEK QUESTION MARK
# and ANO TELEIA): enough for Vietnamese and Latin text. Anything else that NFC touches is caught by the final
# is_normalized check, which switches to the exact (slower to build) character class below.
_COMMON_RUNS = re.compile(
    f"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u2126\u212a\u212b\u037e\u0387{_DELETABLE}]+"
)


@lru_cache(maxsize=1)
def _exact_runs() -> re.Pattern[str]:
    """Runs of characters that NFC may change or combine with what precedes them, plus deletable characters.

    Every other character is a safe NFC boundary, so normalising each run (with the character before it)
    on its own gives exactly NFC of the whole text. Built on first need (under 0.1 s).
    """
    return re.compile("[" + _char_class(_unstable()) + _DELETABLE + "]+")


@lru_cache(maxsize=1)
def _unstable() -> frozenset[int]:
    """Code points that NFC may change or combine with what precedes them. Built on first need (about 0.2 s)."""
    unstable = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))  # Hangul V and T jamo compose by rule
    for cp in range(0x110000):
        ch = chr(cp)
        if unicodedata.combining(ch):
            unstable.add(cp)
            continue
        decomposition = unicodedata.decomposition(ch)
        if not decomposition or decomposition.startswith("<"):
            continue
        if unicodedata.normalize("NFC", ch) != ch:
            unstable.add(cp)  # singletons, excluded compositions, non-starter decompositions
        elif len(parts := decomposition.split()) == 2:
            unstable.add(int(parts[1], 16))  # second half of a primary composite composes backwards
    return frozenset(unstable)


def _char_class(code_points: set[int]) -> str:
    out, ordered = [], sorted(code_points)
    start = prev = ordered[0]
    for cp in [*ordered[1:], -1]:
        if cp != prev + 1:
            out.append(f"\\U{start:08x}" if start == prev else f"\\U{start:08x}-\\U{prev:08x}")
            start = cp
        prev = cp
    return "".join(out)


# --- the normalised text and its offset map ---------------------------------------------------------------------


@dataclass(frozen=True)
class SourceText:
    """Decoded text (`raw`) and its normalised form (`text`), with offsets mappable from text to raw."""

    raw: str
    text: str
    encoding: str = "utf-8"
    # Sparse anchors: from text offset _text_at[k] on, text offset i maps to _raw_at[k] + (i - _text_at[k]),
    # until the next anchor. No anchors: text offsets are raw offsets.
    _text_at: Sequence[int] = field(default=(), repr=False, compare=False)
    _raw_at: Sequence[int] = field(default=(), repr=False, compare=False)

    def to_raw(self, offset: int) -> int:
        """Raw offset of the start of what produced text[offset]; len(text) maps to len(raw)."""
        if not 0 <= offset <= len(self.text):
            raise IndexError(f"text offset {offset} outside 0..{len(self.text)}")
        if offset == len(self.text):
            return len(self.raw)
        k = bisect_right(self._text_at, offset) - 1
        return offset if k < 0 else self._raw_at[k] + offset - self._text_at[k]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw span covering the characters that produced text[start:end]."""
        if start > end:
            raise ValueError(f"text span {start}..{end} ends before it starts")
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"text span {start}..{end} outside 0..{len(self.text)}")
        if not self._text_at:  # offsets are raw offsets (most files): to_raw's answer without its steps
            n = len(self.text)
            raw_start = start if start < n else len(self.raw)
            return (raw_start, raw_start) if start == end else (raw_start, end if end < n else len(self.raw))
        raw_start = self.to_raw(start)
        return (raw_start, raw_start) if start == end else (raw_start, self._raw_end(end))

    def _raw_end(self, end: int) -> int:
        """Raw offset just past what produced text[end - 1], leaving out deleted characters that follow it."""
        raw_end = self.to_raw(end)
        if not self._text_at:
            return raw_end
        floor = self.to_raw(end - 1) + 1
        while raw_end > floor and self.raw[raw_end - 1] in _DELETABLE:
            raw_end -= 1
        return max(raw_end, floor)


def normalise(raw: str, encoding: str = "utf-8") -> SourceText:
    """Map look-alikes, delete zero-width characters and soft hyphens, apply NFC; keep the offset map exact."""
    if not _SPECIAL.search(raw) and unicodedata.is_normalized("NFC", raw):
        return SourceText(raw, raw, encoding)
    mapped = raw.translate(_LOOKALIKES)  # one character to one: offsets unchanged
    if not _DELETABLE_RE.search(mapped) and unicodedata.is_normalized("NFC", mapped):
        return SourceText(raw, mapped, encoding)
    text, text_at, raw_at = _normalise_runs(mapped, _COMMON_RUNS)
    if not unicodedata.is_normalized("NFC", text):
        text, text_at, raw_at = _normalise_runs(mapped, _exact_runs())
        if not unicodedata.is_normalized("NFC", text):
            raise RuntimeError("legalkg bug: normalised text is not NFC")
    return SourceText(raw, text, encoding, text_at, raw_at)


def _normalise_runs(mapped: str, runs: re.Pattern[str]) -> tuple[str, array, array]:
    """NFC each run of marks/deletables together with the character before it; copy the rest unchanged.

    Text outside the runs is NFC already, and the pieces are canonically equivalent to their sources, so if
    the joined result is NFC it is NFC of the whole (the caller checks).
    """
    parts: list[str] = []
    text_at, raw_at = array("q"), array("q")
    delta = 0  # raw offset - text offset on the current stretch
    size = done = 0  # length of the text so far; raw offset consumed so far
    deletions = _DELETABLE_RE.search(mapped) is not None
    for match in runs.finditer(mapped):
        begin, end = match.span()
        start = begin - 1 if begin > 0 else 0  # the base character the marks attach to
        if start > done:
            if done - size != delta:
                delta = done - size
                text_at.append(size)
                raw_at.append(done)
            parts.append(mapped[done:start])
            size += start - done
        piece = mapped[start:end]
        kept = piece.translate(_DELETE_TABLE) if deletions else piece
        out = _nfc(kept)
        if (len(out) == 1 and len(kept) == len(piece)) or out == piece:
            targets: Sequence[int] = (start,)  # one composed letter (the common case), or nothing changed
        else:
            out, targets = _compose(piece, start)
        for j, target in enumerate(targets):
            if target - (size + j) != delta:
                delta = target - (size + j)
                text_at.append(size + j)
                raw_at.append(target)
        parts.append(out)
        size += len(out)
        done = end
    if len(mapped) > done:
        if done - size != delta:
            text_at.append(size)
            raw_at.append(done)
        parts.append(mapped[done:])
    return "".join(parts), text_at, raw_at


def _compose(piece: str, start: int) -> tuple[str, list[int]]:
    """NFC of a piece without its deletable characters, and the raw offset each output character comes from.

    NFD splits the piece into groups, each a starter and the marks after it, every group tagged with the raw
    offset of the character it came from. NFC composes inside a group, and merges a group into the one before
    only when their starters compose (Hangul jamo, Indic two-part vowels). Each output character maps to the
    raw offset of its group.
    """
    long = len(piece) > LONG_PIECE  # the tables of all Unicode that speed a long piece up take 0.2 s to build
    merged: list[list] = []
    for raw_at, chars in (_long_groups if long else _groups)(piece, start):
        out = _nfc(chars)
        if merged and (joined := _joined(merged[-1][1], out, long)) is not None:
            merged[-1][1] = joined
        else:
            merged.append([raw_at, out])
    return "".join(out for _, out in merged), [raw_at for raw_at, out in merged for _ in out]


def _groups(piece: str, start: int) -> list[tuple[int, str]]:
    """The piece's NFD cut into groups, each a starter and the marks after it (a first group may hold marks only),
    with the raw offset of the character each group's first came from; deletable characters are left out."""
    groups: list[list] = []
    for k, ch in enumerate(piece):
        for part in _decomposed(ch):
            if groups and unicodedata.combining(part):
                groups[-1][1] += part  # a short piece (LONG_PIECE): nothing long is copied again
            else:
                groups.append([start + k, part])
    return [(raw_at, chars) for raw_at, chars in groups]


def _long_groups(piece: str, start: int) -> list[tuple[int, str]]:
    """_groups of a long piece, found by a pattern: no string grows a mark at a time."""
    parts = list(map(_decomposed, piece))
    nfd = "".join(parts)
    origin = range(len(piece)) if nfd == piece else [k for k, part in enumerate(parts) for _ in part]
    return [(start + origin[m.start()], m.group()) for m in _group_pattern().finditer(nfd)]


def _joined(before: str, after: str, long: bool) -> str | None:
    """NFC of two NFC groups run together, when the second's starter composes with the first's last character; else
    None. Only a starter ending the first can compose (a mark in between blocks it), and in a long piece only a
    starter that composes backwards is tried; such a group is a character or two, so nothing long is normalised
    again."""
    if unicodedata.combining(before[-1]) or (long and ord(after[0]) not in _unstable()):
        return None
    joined = _nfc(before + after)
    return None if joined == before + after else joined


def _nfc(piece: str) -> str:
    """NFC in time linear in the piece. CPython puts combining marks in canonical order by insertion, quadratic
    in a run of marks of alternating classes; a long piece is put in that order by a stable sort first."""
    if len(piece) <= LONG_PIECE:
        return unicodedata.normalize("NFC", piece)
    return unicodedata.normalize("NFC", _canonical_order(piece))


def _canonical_order(piece: str) -> str:
    """The piece decomposed (NFD) character by character, each run of marks sorted by combining class (a stable
    sort, so marks of one class keep their order): NFD's canonical order."""
    return _mark_run_pattern().sub(_sorted_marks, "".join(map(_decomposed, piece)))


def _sorted_marks(run: re.Match[str]) -> str:
    return "".join(sorted(run.group(), key=unicodedata.combining))


@lru_cache(maxsize=4096)
def _decomposed(ch: str) -> str:
    return "" if ch in _DELETABLE else unicodedata.normalize("NFD", ch)


@lru_cache(maxsize=1)
def _marks() -> str:
    """A character class of every character with a non-zero combining class."""
    return _char_class({cp for cp in _unstable() if unicodedata.combining(chr(cp))})


@lru_cache(maxsize=1)
def _group_pattern() -> re.Pattern[str]:
    return re.compile(f"(?s).[{_marks()}]*")


@lru_cache(maxsize=1)
def _mark_run_pattern() -> re.Pattern[str]:
    return re.compile(f"[{_marks()}]{{2,}}")


# --- decoding ---------------------------------------------------------------------------------------------------

_BINARY = "looks like a binary file ({why}); legalkg reads .txt/.md/.html text"
_CONTROL_SHARE = 0.05  # more C0 control characters than this in the head of a file: binary
_HEAD = 8192
# Binary files show NUL bytes in their head (git's test). Past it, a few stray NULs occur in real text files
# converted from PDF (shared corpus: 2-11 in 90-200 KB); they stay in the text.
_STRAY_NUL_SHARE = 0.001
_NOT_CONTROL = bytes(b for b in range(256) if b >= 0x20 or b in b"\t\n\r\f\v\x1b")
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_UTF16_SNIFF = 4096
_BOMS = (
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
# What a cp1258 reading of non-Vietnamese bytes produces: C1 controls and symbols a Vietnamese text hardly
# uses, and (a stronger sign) tone marks that do not follow a vowel.
_CP1258_SYMBOLS = re.compile(
    "[\x80-\x9f\u201a\u201e\u2020\u2021\u2030\u2039\u203a\u02dc\u2122\u00a1-\u00a6\u00a8-\u00aa\u00ac"
    "\u00ae\u00af\u00b1-\u00b6\u00b8-\u00ba\u00bc-\u00bf\u00f7]"
)
_MISPLACED_TONE = re.compile(
    "(?<![aeiouyAEIOUY\u00e2\u00ea\u00f4\u0103\u01a1\u01b0\u00c2\u00ca\u00d4\u0102\u01a0\u01af])"
    "[\u0300\u0301\u0303\u0309\u0323]"
)


def decode_bytes(data: bytes, source: str = "<bytes>") -> tuple[str, str]:
    """Decode file contents: BOMs, UTF-16 without BOM, UTF-8, then cp1258. Returns (text, encoding name)."""
    if not data:
        return "", "utf-8"
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data, len(bom), codec, source), name
    wide = _sniff_utf16(data)
    if wide:
        try:
            text = data.decode(wide)
        except UnicodeDecodeError:
            pass  # not UTF-16 after all; the NUL bytes make it binary below
        else:
            _reject_binary_text(text, source)
            return text, wide
    _reject_binary_bytes(data, source)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        return _decode_cp1258(data, source, exc), "cp1258"


def _decode_with_bom(data: bytes, skip: int, codec: str, source: str) -> str:
    """The BOM names the encoding: a body that does not decode is a DecodeError, not a cue to guess."""
    if codec == "utf-8":
        _reject_binary_bytes(data[skip:], source)
    try:
        text = data[skip:].decode(codec)
    except UnicodeDecodeError as exc:
        name = "UTF-8" if codec == "utf-8" else "UTF-16"
        raise DecodeError(f"{source}: it starts with a {name} byte order mark but is not valid {name}: "
                          f"{exc.reason} at byte {exc.start + skip}") from None
    if codec != "utf-8":
        _reject_binary_text(text, source)
    return text


def _sniff_utf16(data: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when the head looks like BOM-less UTF-16 (NULs in one byte of each pair)."""
    half = min(len(data), _UTF16_SNIFF) // 2
    if half == 0:
        return None
    even, odd = data[: 2 * half : 2].count(0) / half, data[1 : 2 * half : 2].count(0) / half
    if odd >= 0.4 and even <= 0.1:
        return "utf-16-le"
    if even >= 0.4 and odd <= 0.1:
        return "utf-16-be"
    return None


def _reject_binary_bytes(data: bytes, source: str) -> None:
    head = data[:_HEAD]
    if b"\x00" in head or data.count(b"\x00") > len(data) * _STRAY_NUL_SHARE:
        raise BinaryFileError(f"{source}: " + _BINARY.format(why="NUL bytes"))
    controls = len(head.translate(None, _NOT_CONTROL))
    if controls > _CONTROL_SHARE * len(head):
        raise BinaryFileError(f"{source}: " + _BINARY.format(why=f"{controls} control bytes in the first {len(head)}"))


def _reject_binary_text(text: str, source: str) -> None:
    head = text[:_HEAD]
    if "\x00" in head or text.count("\x00") > len(text) * _STRAY_NUL_SHARE:
        raise BinaryFileError(f"{source}: " + _BINARY.format(why="NUL characters"))
    controls = len(_CONTROL_RE.findall(head))
    if controls > _CONTROL_SHARE * len(head):
        why = f"{controls} control characters in the first {len(head)}"
        raise BinaryFileError(f"{source}: " + _BINARY.format(why=why))


def _decode_cp1258(data: bytes, source: str, utf8_error: UnicodeDecodeError) -> str:
    at = utf8_error.start
    tried = (
        f"{source}: cannot decode: tried UTF-8 (invalid byte 0x{data[at]:02x} at offset {at}) "
        "and Windows-1258 (cp1258)"
    )
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise DecodeError(f"{tried}, where byte 0x{data[exc.start]:02x} at offset {exc.start} is undefined; "
                          "save the file as UTF-8") from None
    if not _looks_latin(text):
        raise DecodeError(f"{tried}, which does not read as Vietnamese or Latin text; save the file as UTF-8")
    return text


def _looks_latin(text: str) -> bool:
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    odd = len(_CP1258_SYMBOLS.findall(text)) + 3 * len(_MISPLACED_TONE.findall(text))
    return odd <= max(1, non_ascii // 10)


def read_source(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Read, decode and normalise a file; errors name the path."""
    size = os.stat(path).st_size
    if size > max_bytes:
        raise FileTooLargeError(f"{path}: file is {size:,} bytes, over the limit of {max_bytes:,} bytes")
    with open(path, "rb") as handle:
        data = handle.read(max_bytes + 1)  # the file may have grown since stat
    if len(data) > max_bytes:
        raise FileTooLargeError(f"{path}: file is over the limit of {max_bytes:,} bytes")
    return normalise(*decode_bytes(data, str(path)))
