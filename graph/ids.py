"""Stable, readable IRIs for the nodes of the graph (ELI-like for documents).

    61/2018/NĐ-CP                    → {base}eli/vn/nd/2018/61
    1085/QĐ-TTg                      → {base}eli/vn/qd-ttg/1085          (central, no year in the number)
    140/KH-UBND of Quảng Ngãi, 2021  → {base}eli/vn/quang-ngai/kh/2021/140
    2387/UBND-KSTTHC of Quảng Ngãi   → {base}eli/vn/quang-ngai/cv-ubnd-kstthc/2020/2387
    72/2025/QH15                     → {base}eli/vn/qh15/2025/72          (central, the number prints no type)
    Luật Ngân sách nhà nước          → {base}eli/vn/luat/ngan-sach-nha-nuoc  (by name: graph.laws resolves it)
    a decree read without its number → {base}eli/vn/nd/2021-07-24/quy-dinh-muc-huong-tro-cap-… (date, title)
    … and without a title either     → {base}eli/vn/vb/_/text-3f9c0e1a2b4d  (a hash of its text)
    a task of a document             → {document IRI}/task/3
    khoản 2 Điều 12 of 61/2018/NĐ-CP → {base}eli/vn/nd/2018/61/dieu_12/khoan_2   (a provision: its path's steps)
    Mẫu 02 of its Phụ lục I          → {document IRI}/phu_luc_i/mau_02; an unnumbered Phụ lục → {document IRI}/phu_luc
    the 3rd effect a document states → {document IRI}/effect_3
    Sở Tư pháp of Đồng Nai           → {base}agency/dong-nai/so-tu-phap

An IRI is a function of the document's identity (extract.models.DocRef.identity): a central document is its number
alone (its type segment read from the number, never from the citing text, and no province: a misread type or a
province put with a central number does not make a second node), a local one its number, province and year. The issuer segment is left out where it is the type's usual issuer
(NĐ-CP, KH-UBND) and kept otherwise (QĐ-TTg, TT-VPCP), so two issuers' numbers never share an IRI. A law cited
by name is its title; a document read whose number is missing is its place, type, date and title (long titles cut,
with a hash of the whole title), or, untitled, a hash of its text: never a placeholder shared with other documents.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, lru_cache
from urllib.parse import urlsplit

from legalkg.extract.models import DocRef
from legalkg.extract.vocab import vocab

DEFAULT_BASE = "https://legalkg.example/"  # a store records its own base when it is created (graph.store)
IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|\\^`]')  # characters an IRI may not hold (RFC 3987)
_base: ContextVar[str] = ContextVar("legalkg_base_iri", default=DEFAULT_BASE)
LOCAL_ROOTS = ("eli/", "agency/")  # how the graph's document and agency IRIs go on after the base
IMPLICIT_ISSUERS = frozenset({"CP", "UBND"})  # "nd" is NĐ-CP and "kh" KH-UBND unless the number says otherwise
UNKNOWN_YEAR = "_"
TITLE_REACH = 80  # characters of a title's slug kept in an IRI; a longer one is cut at a word and ends in a hash
TITLE_HASH = 8  # hex digits of the hash of a cut title
TEXT_HASH_PREFIX = "text-"  # the last segment of an untitled, unnumbered document: "text-" and its fingerprint


class BaseIRIError(ValueError):
    """A base IRI that cannot start the graph's IRIs."""


def check_base(iri: str) -> str:
    """The base IRI, checked: absolute http(s), a host, ending in "/" (the graph's paths follow it), nothing an IRI
    may not hold."""
    parts = urlsplit(iri)
    if parts.scheme not in ("http", "https") or not parts.netloc or IRI_FORBIDDEN.search(iri):
        raise BaseIRIError(f"base IRI {iri!r} is not an absolute http(s) IRI")
    if not iri.endswith("/") or parts.query or parts.fragment:
        raise BaseIRIError(f"base IRI {iri!r} must end in '/' (with no query or fragment): the graph's paths follow it")
    return iri


def base() -> str:
    """The base IRI every IRI minted now starts with: the store's, inside `using_base`, else DEFAULT_BASE."""
    return _base.get()


@contextmanager
def using_base(iri: str) -> Iterator[str]:
    """Mint (and read) IRIs under this base within the block: the builder and readers of one store set its base."""
    token = _base.set(check_base(iri))
    try:
        yield iri
    finally:
        _base.reset(token)


def local_part(iri: str) -> str:
    """An IRI of the graph without the base ("eli/vn/nd/2021/107"): what the API's paths and pages use."""
    return iri.removeprefix(base())


def absolute(text: str, base_iri: str) -> str:
    """An IRI of the graph typed without its base ("eli/vn/nd/2021/107", "agency/quang-ngai/so-tu-phap") made whole;
    anything else as it is."""
    return base_iri + text if text.startswith(LOCAL_ROOTS) else text


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


@cache
def _eli_by_type() -> dict[str, str]:
    return {t.name: t.eli for t in vocab().doctypes}


def _code_segment(ref: DocRef) -> str:
    """The type's ELI segment, then the issuer code unless it is implicit: "nd", "qd-ttg", "cv-ubnd-kstthc"."""
    type_eli = _eli_by_type().get(ref.type or "", "vb")
    key = ref.key or ""
    if "-" in key.split("/", 1)[0]:  # party documents: 04-NQ/TU
        serial, rest = key.split("-", 1)
        parts = rest.replace("/", "-").split("-")[1:]
    else:
        parts = key.split("/")[-1].split("-")
        if parts and parts[0] in _type_codes(ref.type):
            parts = parts[1:]
    issuer = [p for p in parts if p]
    if len(issuer) == 1 and issuer[0] in IMPLICIT_ISSUERS:
        issuer = []
    return "-".join([type_eli, *map(slug, issuer)])


def _central_code_segment(key: str) -> str:
    """A central number's segment read from the number alone: "nd", "qd-ttg", "kl-tw"; "qh15" when the number
    prints no type (a law and a resolution of the National Assembly share the form)."""
    type_code, issuer = key_code(key)
    if type_code is None:
        return "-".join(map(slug, issuer))
    if len(issuer) == 1 and issuer[0] in IMPLICIT_ISSUERS:
        issuer = []
    return "-".join([_eli_by_type().get(vocab().type_by_code[type_code], "vb"), *map(slug, issuer)])


def serial_of(key: str) -> str:
    return re.split(r"[/-]", key, maxsplit=1)[0]


def year_in_key(key: str | None) -> int | None:
    m = re.search(r"/((?:19|20)\d{2})/", key or "")
    return int(m.group(1)) if m else None


@cache
def _type_codes(type_name: str | None) -> frozenset[str]:
    return frozenset(c for t in vocab().doctypes if t.name == type_name for c in t.codes)


def key_code(key: str) -> tuple[str | None, list[str]]:
    """The type code and the issuer segments a number prints: ("NĐ", ["CP"]) for 61/2018/NĐ-CP, (None, ["QH15"])
    for 72/2025/QH15, ("KL", ["TW"]) for 212-KL/TW, (None, ["UBND", "KSTTHC"]) for 2387/UBND-KSTTHC."""
    if "-" in key.split("/", 1)[0]:  # party documents: 04-NQ/TU
        segments = key.split("-", 1)[1].replace("/", "-").split("-")
    else:
        segments = key.split("/")[-1].split("-")
    segments = [s for s in segments if s]
    if len(segments) > 1 and segments[0] in vocab().type_by_code:
        return segments[0], segments[1:]
    return None, segments


@lru_cache(maxsize=1 << 16)
def is_central(key: str | None) -> bool:
    """A number of a central body (QH, CP, TTg, ministries, party central bodies): it names one document, whatever
    type or province a citing text puts with it."""
    if not key:
        return False
    type_code, issuer = key_code(key)
    return bool(issuer) and vocab().issuer_scope(issuer[0], leads_letter=type_code is None) == "central"


def document_iri(ref: DocRef) -> str:
    return base() + document_path(ref)


@lru_cache(maxsize=1 << 16)
def document_path(ref: DocRef) -> str:
    """The document's IRI after the base."""
    if ref.key is None and ref.kind == "law":  # a law cited by name: the same title, the same law
        return f"eli/vn/{_eli_by_type().get(ref.type or 'Luật', 'luat')}/{slug(ref.title or '')}"
    if ref.key is None:
        return _unnumbered_path(ref)
    central = is_central(ref.key)
    place = None if central else ref.place
    segments = ["eli", "vn"]
    if place:
        segments.append(slug(place))
    segments.append(_central_code_segment(ref.key) if central else _code_segment(ref))
    year = year_in_key(ref.key) or (ref.year if place else None)
    if year or place:
        segments.append(str(year) if year else UNKNOWN_YEAR)
    segments.append(slug(serial_of(ref.key)) or UNKNOWN_YEAR)
    return "/".join(segments)


def _unnumbered_path(ref: DocRef) -> str:
    """A document read whose own number is missing: {place}/{type}/{date}/{title}, or a hash of its text untitled."""
    segments = ["eli", "vn", *([slug(ref.place)] if ref.place else []), _eli_by_type().get(ref.type or "", "vb"),
                ref.date or (str(ref.year) if ref.year else UNKNOWN_YEAR)]
    title = short_slug(ref.title or "")
    if not re.search("[a-z]", title):
        if not ref.fingerprint:
            raise ValueError(f"a document without number, title or fingerprint has no identity: {ref}")
        title = TEXT_HASH_PREFIX + ref.fingerprint
    return "/".join([*segments, title])


def short_slug(text: str) -> str:
    """slug(text), cut at a word within TITLE_REACH characters and ended with a hash of the whole when longer."""
    whole = slug(text)
    if len(whole) <= TITLE_REACH:
        return whole
    cut = whole[: TITLE_REACH + 1].rsplit("-", 1)[0]
    return f"{cut}-{hashlib.sha256(whole.encode()).hexdigest()[:TITLE_HASH]}"


def is_unknown_year(iri: str) -> bool:
    return f"/{UNKNOWN_YEAR}/" in iri


def agency_iri(key: str) -> str:
    """From extract.agencies.Agency.key ("agency:quang-ngai:so-tu-phap")."""
    _, place, name = key.split(":", 2)
    return f"{base()}agency/{place}/{name}"


def person_iri(name: str) -> str:
    return f"{base()}person/{slug(name)}"


def task_iri(document: str, index: int) -> str:
    return f"{document}/task/{index}"


PROVISION_STEP = re.compile(r"[a-z][a-z_]*")  # a provision kind: dieu, khoan, phu_luc …


@lru_cache(maxsize=1 << 14)
def provision_step(step: str) -> str:
    """One step of a provision path ("kind:label", extract.models.Provision.path) as an IRI segment, ELI style:
    "dieu:12" → "dieu_12", "chuong:IV" → "chuong_iv", "tiet:a.1" → "tiet_a.1", "phu_luc:" → "phu_luc". The label
    is lower-cased and its marks dropped, except that đ is written "dd" (Telex), never "d": điểm d and điểm đ are
    two provisions of one khoản. Anything else outside [a-z0-9.] becomes "-"."""
    kind, _, label = step.partition(":")
    if not PROVISION_STEP.fullmatch(kind):
        raise ValueError(f"not a provision step: {step!r}")
    return f"{kind}_{provision_label_segment(label)}" if label.strip() else kind


def provision_label_segment(label: str) -> str:
    plain = unicodedata.normalize("NFD", label.strip().lower().replace("đ", "dd"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9.]+", "-", plain).strip("-") or "-"


def provision_iri(document: str, path) -> str:
    """A provision of a document (the document's IRI) by its path: ("dieu:12", "khoan:2") →
    {document}/dieu_12/khoan_2. The empty path is the document itself."""
    return "/".join((document, *map(provision_step, path)))


# How a provision is named in Vietnamese, by kind: "khoản 2 Điều 12", "Mục 2 Chương IV", "Mẫu số 02 Phụ lục I".
PROVISION_WORDS = {"phan": "Phần", "chuong": "Chương", "muc": "Mục", "dieu": "Điều", "khoan": "khoản",
                   "diem": "điểm", "tiet": "tiết", "phu_luc": "Phụ lục", "mau": "Mẫu số", "bieu": "Biểu số"}
ROMAN_KINDS = frozenset({"phan", "chuong", "muc", "phu_luc"})  # numbered I, II … (labels are read lower-cased)


def _step_name(step: str) -> str:
    kind, _, label = step.partition(":")
    word = PROVISION_WORDS.get(kind, kind)
    if kind in ROMAN_KINDS and re.fullmatch(r"[ivxlc]+[a-zđ]?", label):
        label = re.sub(r"^[ivxlc]+", lambda m: m[0].upper(), label)
    return f"{word} {label}" if label else word


def provision_label(path) -> str:
    """A provision named as Vietnamese texts cite it, the innermost unit first: ("dieu:12", "khoan:2") →
    "khoản 2 Điều 12"; ("chuong:iv", "muc:2") → "Mục 2 Chương IV"; ("phu_luc:",) → "Phụ lục"."""
    return " ".join(_step_name(step) for step in reversed(path))


def effect_iri(document: str, index: int) -> str:
    """The index-th (from 1) effect an amending document states."""
    return f"{document}/effect_{index}"
