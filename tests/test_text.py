"""Decoding and normalisation: encodings, binary and undecodable input, look-alikes, deletions, and the offset map."""

from __future__ import annotations

import codecs
import random
import unicodedata

import pytest

from legalkg.extract.text import (
    BinaryFileError,
    DecodeError,
    ExtractError,
    FileTooLargeError,
    SourceText,
    decode_bytes,
    normalise,
    read_source,
)

SENTENCE = "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ;\r\nỦy ban nhân dân tỉnh Bình Định"
TONES = "\u0300\u0301\u0303\u0309\u0323"

# The semantics, written out independently of the module: map look-alikes, delete, then NFC.
LOOKALIKES = dict(zip("ÐƉðАВЕКМНОРСТХаеорсху\u00a0\u2007\u202f", "ĐĐđABEKMHOPCTXaeopcxy   "))
DELETABLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def expected_text(raw: str) -> str:
    return nfc("".join(LOOKALIKES.get(c, c) for c in raw if c not in DELETABLE))


def cp1258_bytes(s: str) -> bytes:
    """How real cp1258 files store Vietnamese: base letters precomposed (â, ơ, đ...), tone marks combining.

    Python's cp1258 codec cannot encode precomposed toned letters such as "ị" nor the combining circumflex of
    a full NFD, so tones are split off each letter and the rest recomposed.
    """
    out = []
    for ch in nfc(s):
        parts = nfd(ch)
        out.append(nfc("".join(c for c in parts if c not in TONES)) + "".join(c for c in parts if c in TONES))
    return "".join(out).encode("cp1258")


def boundaries(text: str) -> list[int]:
    """Text offsets that sit on cluster boundaries: before a non-combining character, and the end."""
    return [i for i in range(len(text) + 1) if i == len(text) or not unicodedata.combining(text[i])]


def check_map(src: SourceText, pairs: int = 200, rng: random.Random | None = None) -> None:
    """to_raw is monotonic from 0.. to len(raw); raw_span round-trips between cluster boundaries."""
    offsets = [src.to_raw(i) for i in range(len(src.text) + 1)]
    assert offsets == sorted(offsets)
    assert offsets[-1] == len(src.raw)
    assert all(0 <= o <= len(src.raw) for o in offsets)
    cuts = boundaries(src.text)
    rng = rng or random.Random(0)
    for _ in range(pairs):
        s, e = sorted(rng.sample(cuts, 2)) if len(cuts) > 1 else (0, 0)
        rs, re_ = src.raw_span(s, e)
        assert normalise(src.raw[rs:re_]).text == src.text[s:e], (src.raw, s, e, rs, re_)


# --- decoding -----------------------------------------------------------------------------------------------------

DECODES = [
    # (id, bytes, decoded text, encoding)
    ("empty", b"", "", "utf-8"),
    ("utf-8", SENTENCE.encode("utf-8"), SENTENCE, "utf-8"),
    ("utf-8 BOM", codecs.BOM_UTF8 + SENTENCE.encode("utf-8"), SENTENCE, "utf-8-sig"),
    ("utf-16 LE BOM", codecs.BOM_UTF16_LE + SENTENCE.encode("utf-16-le"), SENTENCE, "utf-16"),
    ("utf-16 BE BOM", codecs.BOM_UTF16_BE + SENTENCE.encode("utf-16-be"), SENTENCE, "utf-16"),
    ("utf-16 LE no BOM", SENTENCE.encode("utf-16-le"), SENTENCE, "utf-16-le"),
    ("utf-16 BE no BOM", SENTENCE.encode("utf-16-be"), SENTENCE, "utf-16-be"),
    ("utf-8 ANSI escapes", "\x1b[1mNghị định\x1b[0m\n".encode("utf-8"), "\x1b[1mNghị định\x1b[0m\n", "utf-8"),
    ("latin text as cp1258", "Café crème, Müller".encode("latin-1"), "Café crème, Müller", "cp1258"),
]


@pytest.mark.parametrize("data, text, encoding", [c[1:] for c in DECODES], ids=[c[0] for c in DECODES])
def test_decode_bytes(data: bytes, text: str, encoding: str) -> None:
    assert decode_bytes(data) == (text, encoding)


@pytest.mark.parametrize("sentence", ["Nghị định số 61/2018/NĐ-CP", SENTENCE, "Quyết định 1234/QĐ-UBND về ủy quyền"])
def test_cp1258_decodes_to_combining_tones_and_normalises_to_nfc(sentence: str) -> None:
    data = cp1258_bytes(sentence)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    raw, encoding = decode_bytes(data, "qd.txt")
    assert encoding == "cp1258"
    assert raw != sentence and "\u0323" in raw  # tones arrive as combining marks
    src = normalise(raw, encoding)
    assert src.text == sentence
    assert src.encoding == "cp1258"
    start = sentence.index("định")
    rs, re_ = src.raw_span(start, start + len("định"))
    assert raw[rs:re_] == "đi\u0323nh"
    check_map(src)


BINARY = [
    ("NUL bytes", b"Ngh\x00\x00\x00 abc"),
    ("PNG header", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"),
    ("control bytes", bytes(range(1, 8)) * 10 + b"Nghi dinh so 61" * 4),
    ("utf-8 BOM then NUL", codecs.BOM_UTF8 + b"abc\x00def"),
    ("utf-16 BOM, NUL characters", codecs.BOM_UTF16_LE + "\x00\x01\x02abc".encode("utf-16-le")),
    ("utf-16 odd length", "Nghi dinh".encode("utf-16-le") + b"x"),
    ("many NULs past the head", b"Nghi dinh so 61\n" * 600 + b"\x00" * 20),
]


@pytest.mark.parametrize("data", [c[1] for c in BINARY], ids=[c[0] for c in BINARY])
def test_binary_input_is_refused(data: bytes) -> None:
    with pytest.raises(BinaryFileError, match=r"^scan\.png: looks like a binary file .*legalkg reads"):
        decode_bytes(data, "scan.png")


def test_stray_nuls_past_the_head_are_text() -> None:
    # as in shared corpus files converted from PDF: a NUL where a bullet was, deep in valid UTF-8
    data = ("Nghị định số 61/2018/NĐ-CP\n" * 400).encode("utf-8") + "\n\x00 Tiếp nhận hồ sơ\n".encode("utf-8")
    text, encoding = decode_bytes(data)
    assert encoding == "utf-8"
    assert text.endswith("\n\x00 Tiếp nhận hồ sơ\n")


def test_few_control_characters_are_text() -> None:
    data = b"Nghi dinh\x07 so 61/2018/ND-CP " * 20  # one BEL in 25 bytes: under the 5% share
    assert decode_bytes(data) == (data.decode("ascii"), "utf-8")


UNDECODABLE = [
    ("bytes undefined in cp1258", b"Ngh\x81 \x8a \x90 dinh"),
    ("GBK Chinese", "中华人民共和国国务院关于印发通知的决定".encode("gbk")),
    ("Shift-JIS Japanese", "日本国憲法の施行について".encode("shift_jis")),
    ("cp1251 Russian", "Постановление Правительства Российской Федерации от 2018 года".encode("cp1251")),
]


@pytest.mark.parametrize("data", [c[1] for c in UNDECODABLE], ids=[c[0] for c in UNDECODABLE])
def test_undecodable_input_names_source_and_encodings(data: bytes) -> None:
    with pytest.raises(DecodeError) as info:
        decode_bytes(data, "cv-123.txt")
    message = str(info.value)
    assert message.startswith("cv-123.txt: ")
    assert "UTF-8" in message and "cp1258" in message


@pytest.mark.parametrize("data", [codecs.BOM_UTF8 + b"Ngh\xff", codecs.BOM_UTF16_LE + b"a\x00\x00\xd8"],
                         ids=["utf-8 BOM", "utf-16 BOM lone surrogate"])
def test_bom_with_invalid_body_is_a_decode_error(data: bytes) -> None:
    with pytest.raises(DecodeError, match=r"^x\.txt: it starts with a UTF-(8|16) byte order mark"):
        decode_bytes(data, "x.txt")


def test_errors_are_value_errors() -> None:
    assert issubclass(ExtractError, ValueError)
    assert all(issubclass(e, ExtractError) for e in (DecodeError, BinaryFileError, FileTooLargeError))


# --- normalisation ------------------------------------------------------------------------------------------------

NORMALISES = [
    # (id, raw, text)
    ("empty", "", ""),
    ("Icelandic Eth", "Nghị định số 61/2018/NÐ-CP", "Nghị định số 61/2018/NĐ-CP"),
    ("African D and small eth", "\u0189iều 5 và ðiểm a", "Điều 5 và điểm a"),
    ("Cyrillic TT", "Thông tư 01/2018/ТТ-VPCP", "Thông tư 01/2018/TT-VPCP"),
    ("Cyrillic lower-case", "Số 12/QĐ-UBND (bаn hành)", "Số 12/QĐ-UBND (ban hành)"),
    ("Cyrillic e with combining acute", "Cаf\u0435\u0301", "Café"),
    ("no-break spaces", "Số\u00a0123/2019\u202fNĐ-CP\u2007x", "Số 123/2019 NĐ-CP x"),
    ("NFD", nfd("Nghị định số 61/2018/NĐ-CP"), "Nghị định số 61/2018/NĐ-CP"),
    ("marks in non-canonical order", "Vie\u0302\u0323t Nam", "Việt Nam"),
    ("zero-width characters", "Ngh\u200bị\u200c đ\u200dịnh\u2060 số", "Nghị định số"),
    ("soft hyphen", "Nghị\u00ad định", "Nghị định"),
    ("BOM in the middle", "a\ufeffb", "ab"),
    ("deletion between base and mark", "Nghi\u200b\u0323", "Nghị"),
    ("CRLF and NEL stay", "Điều 1.\r\nĐiều 2.\u0085Điều 3.\r", "Điều 1.\r\nĐiều 2.\u0085Điều 3.\r"),
    ("Ohm sign singleton", "R = 5 \u2126", "R = 5 \u03a9"),
    ("Angstrom sign singleton with NFD", "\u212b n" + nfd("ội"), "\u00c5 nội"),
    ("Hangul jamo compose", "\u1100\u1161\u11a8 x", "\uac01 x"),
    ("Oriya two-part vowel", "\u0b15\u0b47\u0b3e", "\u0b15\u0b4b"),
    ("excluded composition expands", "\u0958", "\u0915\u093c"),
    ("non-starter decomposition", "a\u0344", "\u00e4\u0301"),
    ("lone mark at start", "\u0301a", "\u0301a"),
]


@pytest.mark.parametrize("raw, text", [c[1:] for c in NORMALISES], ids=[c[0] for c in NORMALISES])
def test_normalise(raw: str, text: str) -> None:
    src = normalise(raw, "utf-8")
    assert src.raw == raw
    assert src.text == text == expected_text(raw)
    assert unicodedata.is_normalized("NFC", src.text)
    check_map(src, pairs=50)


def test_already_normal_text_is_the_same_object_with_identity_offsets() -> None:
    src = normalise(SENTENCE)
    assert src.text is SENTENCE
    assert [src.to_raw(i) for i in range(len(SENTENCE) + 1)] == list(range(len(SENTENCE) + 1))
    assert src.raw_span(7, 16) == (7, 16)


def test_lookalikes_alone_keep_offsets() -> None:
    raw = "Thông tư 01/2018/ТТ-VPCP và Nghị định 61/2018/NÐ-CP"
    src = normalise(raw)
    assert len(src.text) == len(raw)
    assert [src.to_raw(i) for i in range(len(raw) + 1)] == list(range(len(raw) + 1))


@pytest.mark.parametrize("word", ["Căn", "Nghị định", "61/2018/NĐ-CP", "Đ", "số", "ngày", "Ủy ban", "Bình Định"])
def test_nfd_spans_map_back_to_the_decomposed_word(word: str) -> None:
    raw = nfd(SENTENCE)
    src = normalise(raw)
    assert src.text == SENTENCE
    start = SENTENCE.index(word)
    rs, re_ = src.raw_span(start, start + len(word))
    assert raw[rs:re_] == nfd(word)
    assert normalise(raw[rs:re_]).text == word


def test_combined_character_maps_to_first_raw_character() -> None:
    raw = "Vie\u0323\u0302t"
    src = normalise(raw)
    assert src.text == "Việt"
    assert [src.to_raw(i) for i in range(5)] == [0, 1, 2, 5, 6]
    assert src.raw_span(2, 3) == (2, 5)


DELETIONS = [
    # (word in text, its exact raw extent): spans leave out deleted characters around them, keep those inside
    ("Căn cứ", "Căn cứ"),
    ("Nghị định", "Ngh\u200bị\u00ad định"),
    ("61/2018/NĐ-CP", "61/2018/N\u00d0-CP"),
    ("ngày 23/4/2018", "ngày 23/4/2018"),
    ("Chính phủ", "Chi\u0301nh phủ"),
]
DELETIONS_RAW = (
    "\ufeffCăn cứ\u200b Ngh\u200bị\u00ad định\u200b\u200b số 61/2018/N\u00d0-CP\u00ad"
    " ngày 23/4/2018 của Chi\u0301nh phủ\u2060"
)


@pytest.mark.parametrize("word, raw_word", DELETIONS)
def test_spans_after_deletions(word: str, raw_word: str) -> None:
    src = normalise(DELETIONS_RAW)
    assert src.text == "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ"
    start = src.text.index(word)
    rs, re_ = src.raw_span(start, start + len(word))
    assert DELETIONS_RAW[rs:re_] == raw_word
    assert src.to_raw(len(src.text)) == len(DELETIONS_RAW)


def test_crlf_offsets_survive_normalisation() -> None:
    raw = nfd("Điều 1.\r\nĐiều 2.\r\n")
    src = normalise(raw)
    assert src.text == "Điều 1.\r\nĐiều 2.\r\n"
    second = src.text.index("Điều 2")
    rs, _ = src.raw_span(second, second + 6)
    assert raw[:rs].count("\r\n") == 1 and raw[rs - 2 : rs] == "\r\n"


@pytest.mark.parametrize("call", [lambda s: s.to_raw(-1), lambda s: s.to_raw(99), lambda s: s.raw_span(0, 99)])
def test_offsets_out_of_range_raise(call) -> None:
    with pytest.raises(IndexError):
        call(normalise(nfd("Nghị định")))


def test_reversed_span_raises() -> None:
    with pytest.raises(ValueError):
        normalise("abc").raw_span(2, 1)


def test_source_text_is_frozen_and_hashable() -> None:
    src = normalise(nfd("Nghị định"))
    with pytest.raises(AttributeError):
        src.text = "x"  # type: ignore[misc]
    assert hash(src) == hash(normalise(nfd("Nghị định")))


PIECES = [
    "Nghị định", "số", "61/2018/NĐ-CP", "Quyết", "ủy", "Việt", "a", " ", ",", "\r\n", "\n", "2023",
    nfd("Nghị định"), nfd("Điều"), nfd("ủy ban"), nfd("Việt"), "e\u0323\u0302", "a\u0301\u0301", "\u0301",
    "Ð", "ð", "Ɖ", "ТТ", "ВТС", "е\u0301", "\u00a0", "\u202f", "\u2007",
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad",
    "\u2126", "\u212b", "\u1100\u1161", "\u11a8", "\u1161", "\u0b47\u0b3e", "\u0958", "a\u0344", "\uf900",
]


@pytest.mark.parametrize("seed", range(40))
def test_random_mixes_map_exactly(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(10):
        raw = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 40)))
        src = normalise(raw)
        assert src.text == expected_text(raw)
        check_map(src, pairs=30, rng=rng)


# --- files --------------------------------------------------------------------------------------------------------


def test_read_source_utf8(tmp_path) -> None:
    path = tmp_path / "nd-61.txt"
    path.write_bytes(codecs.BOM_UTF8 + nfd(SENTENCE).encode("utf-8"))
    src = read_source(path)
    assert (src.text, src.encoding) == (SENTENCE, "utf-8-sig")


def test_read_source_cp1258(tmp_path) -> None:
    path = tmp_path / "cp1258.txt"
    path.write_bytes(cp1258_bytes(SENTENCE))
    src = read_source(str(path))
    assert (src.text, src.encoding) == (SENTENCE, "cp1258")


def test_read_source_too_large(tmp_path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 100)
    with pytest.raises(FileTooLargeError, match=r"big\.txt: file is 100 bytes, over the limit of 99 bytes"):
        read_source(path, max_bytes=99)
    assert read_source(path, max_bytes=100).text == "x" * 100


@pytest.mark.parametrize("data, error", [(b"\x89PNG\r\n\x1a\n\x00", BinaryFileError), (b"\x81\x8a", DecodeError)])
def test_read_source_errors_name_the_file(tmp_path, data: bytes, error: type[ExtractError]) -> None:
    path = tmp_path / "bad-file.txt"
    path.write_bytes(data)
    with pytest.raises(error, match=r"bad-file\.txt: "):
        read_source(path)


@pytest.mark.parametrize("marks", ["\u0301", "\u0301\u0323", "\u0323\u0301\u0309\u0334"],
                         ids=["one mark", "two classes", "four classes"])
def test_a_long_run_of_marks_after_one_letter(marks: str) -> None:
    """Thousands of combining marks after one letter: put in canonical order by a sort (CPython's insertion is
    quadratic in marks of alternating classes), composed, and each output character mapped back to its letter."""
    raw = "Sở a" + marks * 3_000 + " Tư pháp"
    src = normalise(raw)
    assert src.text == expected_text(raw)
    check_map(src, pairs=50)


def test_marks_in_a_table_cell_extract() -> None:
    from legalkg.extract.pipeline import extract_text

    head = "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 12/KH-UBND\nQuảng Ngãi, ngày 05 tháng 01 năm 2023\nKẾ HOẠCH\nThử\n"
    table = "PHỤ LỤC\nSTT | Nhiệm vụ | Cơ quan chủ trì | Thời hạn |\n1 | Rà soa" + "\u0301" * 5_000 + "t | Sở Tư pháp | Quý I/2023 |\n"
    (task,) = extract_text(head + table).tasks
    assert task.text == "Rà soá" + "\u0301" * 4_999 + "t" and task.parts[0].lead == ("Sở Tư pháp",)
