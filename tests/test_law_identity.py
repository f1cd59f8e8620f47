"""One law, one node (issue 14): a central number names one document whatever type or province a citing text puts
with it; a law cited by name resolves to the numbered version it means (graph.laws), learnt from what the documents
being built state; an undecidable name stays on a by-name node listing its candidates; identify and impact answer by
number, by title and by title and year."""

from __future__ import annotations

import pytest

from legalkg.extract.models import Citation, DocRef, Document, Span
from legalkg.extract.pipeline import extract_text
from legalkg.graph import ids, laws
from legalkg.graph.laws import Version
from legalkg.graph.ingest import add_documents
from legalkg.graph.store import SqliteStore
from legalkg.queries.core import impact
from legalkg.queries.identify import NotFound, identify

B = ids.DEFAULT_BASE
TITLE = "Chính quyền thử nghiệm"  # our own title, no law of the corpus
WORK = f"{B}eli/vn/luat/chinh-quyen-thu-nghiem"
OLD, NEW = f"{B}eli/vn/qh13/2015/17", f"{B}eli/vn/qh15/2025/42"


# --- central numbers: one IRI whatever the citing text says -------------------------------------------------------

SAME = [
    (DocRef("42/2025/QH15", "Luật", 2025), DocRef("42/2025/QH15", "Công văn", 2025)),
    (DocRef("42/2025/QH15", "Luật", 2025), DocRef("42/2025/QH15", "Nghị quyết", 2025, "Hà Nội")),
    (DocRef("31-KL/TW", "Kết luận", 2024), DocRef("31-KL/TW", "Kết luận", 2024, "Hà Nội")),
    (DocRef("15/2019/NĐ-CP", "Nghị định", 2019), DocRef("15/2019/NĐ-CP", "Thông tư", 2019)),
]
DIFFERENT = [
    (DocRef("42/2025/QH15", "Luật", 2025), DocRef("42/2025/UBTVQH15", "Nghị quyết", 2025)),
    (DocRef("42/2025/QH15", "Luật", 2025), DocRef("42/2024/QH15", "Luật", 2024)),
    (DocRef("15/2019/NĐ-CP", "Nghị định", 2019), DocRef("15/2019/NQ-CP", "Nghị quyết", 2019)),
    (DocRef("08/2023/QĐ-UBND", "Quyết định", 2023, "Kon Tum"), DocRef("08/2023/QĐ-UBND", "Quyết định", 2023, "Huế")),
    (DocRef("07-NQ/TU", "Nghị quyết", 2022, "Huế"), DocRef("07-NQ/TU", "Nghị quyết", 2022, "Kon Tum")),
]


@pytest.mark.parametrize("a,b", SAME, ids=[f"{a.key} {a.type}/{b.type} {b.place}" for a, b in SAME])
def test_a_central_number_names_one_node_whatever_type_or_province_is_put_with_it(a, b):
    assert ids.document_iri(a) == ids.document_iri(b)
    assert ids.document_iri(a).startswith(f"{B}eli/vn/") and "ha-noi" not in ids.document_iri(b)


@pytest.mark.parametrize("a,b", DIFFERENT, ids=[f"{a.key}|{b.key} {b.place}" for a, b in DIFFERENT])
def test_different_numbers_and_local_numbers_of_different_provinces_stay_apart(a, b):
    assert ids.document_iri(a) != ids.document_iri(b)


def test_a_number_that_prints_no_type_is_keyed_by_its_issuer():
    assert ids.document_iri(DocRef("42/2025/QH15", "Luật", 2025)) == NEW
    assert ids.document_iri(DocRef("15/2019/NĐ-CP", "Luật", 2019)) == f"{B}eli/vn/nd/2019/15"


# --- picking a version -----------------------------------------------------------------------------------------

V2015 = Version(OLD, "17/2015/QH13", 2015, "2015-06-19", 3)
V2025 = Version(NEW, "42/2025/QH15", 2025, None, 5)
V2025_DATED = Version(NEW, "42/2025/QH15", 2025, "2025-06-16", 5)

PICKS = {  # candidates, printed year, printed date, citing date → version, rule
    "printed year": ([V2015, V2025], 2025, None, "2025-08-01", V2025, laws.PRINTED_YEAR),
    "printed date": ([V2015, V2025_DATED], None, "2025-06-16", "2025-08-01", V2025_DATED, laws.PRINTED_DATE),
    "printed year of no version": ([V2015, V2025], 2019, None, "2020-01-01", None, None),
    "printed year after the citing date": ([V2015, V2025], 2025, None, "2020-01-01", None, None),
    "citing date after one version only": ([V2015, V2025], None, None, "2020-05-01", V2015, laws.CITING_DATE),
    "citing date after both, dated": ([V2015, V2025_DATED], None, None, "2025-08-01", V2025_DATED, laws.CITING_DATE),
    "citing date before the newer's date": ([V2015, V2025_DATED], None, None, "2025-03-01", V2015, laws.CITING_DATE),
    "citing year of an undated version": ([V2015, V2025], None, None, "2025-08-01", None, None),
    "citing date before every version": ([V2025], None, None, "2020-05-01", None, None),
    "no citing date": ([V2015], None, None, None, None, None),
    "citing year only": ([V2015, V2025], None, None, "2021", V2015, laws.CITING_DATE),
}


@pytest.mark.parametrize("case", PICKS.values(), ids=PICKS.keys())
def test_a_version_is_picked_by_printed_date_or_year_then_by_the_citing_date(case):
    candidates, year, date, cited_on, version, how = case
    assert laws.pick(candidates, year, date, cited_on) == (version, how)


def test_the_number_most_documents_state_for_a_title_and_year_is_its_version_and_a_tie_is_none():
    numbers = [(1, NEW, "42/2025/QH15", 2025, None), (2, NEW, "42/2025/QH15", 2025, None),
               (3, f"{B}eli/vn/qh15/2025/43", "43/2025/QH15", 2025, None),
               (1, OLD, "17/2015/QH13", 2015, None), (2, f"{B}eli/vn/qh13/2015/18", "18/2015/QH13", 2015, None)]
    known = laws.versions(WORK, numbers, [(4, 2010, "2010-11-20", "2020-01-01")])
    assert [(v.key, v.year, v.date) for v in known] == [(None, 2010, "2010-11-20"), ("42/2025/QH15", 2025, None)]
    assert known[0].iri == f"{WORK}/2010"


@pytest.mark.parametrize("a,b", [("Luật Đất đai", "Đất  đai"), ("Sản phẩm, hàng hóa", "sản phẩm hàng hoá"),
                                 ("Bộ luật Lao động", "lao động")])
def test_titles_compare_folded_without_the_law_head(a, b):
    assert laws.title_key(a) == laws.title_key(b)


@pytest.mark.parametrize("a,b", [("Đất đai", "Đất đai (sửa đổi)"), ("Tổ chức Chính phủ", "Tổ chức chính quyền địa phương"),
                                 ("Thuế thu nhập cá nhân", "Thuế thu nhập doanh nghiệp")])
def test_titles_of_different_laws_stay_apart(a, b):
    assert laws.title_key(a) != laws.title_key(b)


# --- documents built into a store --------------------------------------------------------------------------------

def document(name: str, date: str | None, *cited: DocRef, place: str = "Huế", number: int = 1) -> Document:
    own = DocRef(f"{number}/KH-UBND", "Kế hoạch", int(date[:4]) if date else None, place, date)
    citations = tuple(Citation(ref, "based_on", "body", Span(10 * i, 10 * i + 8), ref.label, "test:cites")
                      for i, ref in enumerate(cited, 1))
    return Document(f"{name}.txt", own, None, None, None, None, "utf-8", citations=citations)


def by_name(title: str = TITLE, year: int | None = None, date: str | None = None) -> DocRef:
    return DocRef(None, "Luật", year, None, date, title, kind="law")


def numbered(key: str, title: str = TITLE) -> DocRef:
    return DocRef(key, "Luật", ids.year_in_key(key), title=title, kind="law")


STATES_NEW = document("states-new", "2025-07-01", numbered("42/2025/QH15"), number=2)
STATES_OLD = document("states-old", "2016-03-01", numbered("17/2015/QH13"), number=3)
NAMES_2025 = document("names-2025", "2025-08-01", by_name(year=2025), number=4)
NAMES_UNDATED_2020 = document("names-2020", "2020-05-01", by_name(), number=5)
NAMES_UNDATED_EARLY_2025 = document("names-early-2025", "2025-03-01", by_name(), number=6)
NAMES_1999 = document("names-1999", "2018-01-01", by_name(year=1999), number=7)


def targets(store: SqliteStore, doc: Document) -> list[tuple[str, str]]:
    own = ids.document_iri(doc.ref)
    return [(e.dst, e.rule.split(laws.RULE_MARK)[-1] if laws.RULE_MARK in e.rule else "")
            for e in store.edges_from([own]) if e.rel == "based_on"]


@pytest.fixture
def store(tmp_path):
    with SqliteStore(tmp_path / "s.db") as s:
        yield s


def test_a_law_named_with_its_year_is_the_numbered_node_another_document_states(store):
    add_documents(store, [NAMES_2025, STATES_NEW])
    assert targets(store, NAMES_2025) == [(NEW, laws.PRINTED_YEAR)]
    assert {e.src for e in store.edges_to([NEW])} == {ids.document_iri(d.ref) for d in (NAMES_2025, STATES_NEW)}
    assert store.node(NEW).props["title"] == TITLE


def test_a_name_without_a_year_is_the_latest_version_passed_by_the_citing_date(store):
    add_documents(store, [STATES_OLD, NAMES_UNDATED_2020, STATES_NEW])
    assert targets(store, NAMES_UNDATED_2020) == [(OLD, laws.CITING_DATE)]


def test_an_undecidable_name_stays_on_the_by_name_node_which_lists_its_candidates(store):
    add_documents(store, [STATES_OLD, STATES_NEW, NAMES_UNDATED_EARLY_2025])
    assert targets(store, NAMES_UNDATED_EARLY_2025) == [(WORK, "")]  # 42/2025 may be passed after 2025-03-01
    work = store.node(WORK)
    assert work.props["by_name"] and [v["key"] for v in work.props["versions"]] == ["17/2015/QH13", "42/2025/QH15"]


def test_a_year_no_document_numbers_is_a_version_known_by_title_and_year(store):
    add_documents(store, [NAMES_1999, STATES_NEW])
    assert targets(store, NAMES_1999) == [(f"{WORK}/1999", laws.PRINTED_YEAR)]
    assert store.node(f"{WORK}/1999").props["year"] == 1999


def test_resolution_does_not_depend_on_the_order_documents_are_built_in(tmp_path):
    docs = [NAMES_2025, NAMES_UNDATED_2020, NAMES_UNDATED_EARLY_2025, STATES_OLD, STATES_NEW]
    answers = []
    for n, order in enumerate((docs, docs[::-1])):
        with SqliteStore(tmp_path / f"{n}.db") as store:
            for doc in order:  # one batch each: what is learnt later re-points what was written before
                add_documents(store, [doc])
            answers.append(sorted(targets(store, d) [0] for d in docs[:3]))
    assert answers[0] == answers[1] == sorted([(NEW, laws.PRINTED_YEAR), (OLD, laws.CITING_DATE), (WORK, "")])


def test_a_source_that_no_longer_states_a_number_takes_its_version_away(store):
    add_documents(store, [STATES_OLD, NAMES_UNDATED_2020])
    assert targets(store, NAMES_UNDATED_2020) == [(OLD, laws.CITING_DATE)]
    add_documents(store, [document("states-old", "2016-03-01", number=3)])  # the same file, changed
    assert targets(store, NAMES_UNDATED_2020) == [(WORK, "")]


def test_two_laws_of_similar_titles_are_never_merged(store):
    add_documents(store, [document("a", "2025-08-01", numbered("42/2025/QH15"), number=8),
                         document("b", "2025-08-01", numbered("43/2025/QH15", TITLE + " (sửa đổi)"), number=9),
                         document("c", "2025-09-01", by_name(TITLE + " (sửa đổi)", 2025), by_name(year=2025), number=10)])
    assert sorted(d for d, _ in targets(store, document("c", "2025-09-01", number=10))) == sorted(
        [NEW, f"{B}eli/vn/qh15/2025/43"])


def test_a_misread_type_does_not_make_a_second_node_for_a_national_number(store):
    letter = DocRef("42/2025/QH15", "Công văn", 2025, "Huế")
    add_documents(store, [STATES_NEW, document("misread", "2025-08-01", letter, number=11)])
    assert [n.iri for n in store.find_documents("42", 2025)] == [NEW]
    assert identify(store, "42/2025/QH15").iri == NEW


# --- identify and impact -----------------------------------------------------------------------------------------

@pytest.fixture
def built(store):
    add_documents(store, [STATES_OLD, STATES_NEW, NAMES_2025, NAMES_UNDATED_2020, NAMES_UNDATED_EARLY_2025])
    return store


NAMED = {
    f"Luật {TITLE} 2025": NEW,
    f"Luật {TITLE} năm 2015": OLD,
    f"luật {TITLE.lower()}": WORK,  # two versions: the by-name node
    "42/2025/QH15": NEW,
    "Luật 42/2025/QH15": NEW,
}


@pytest.mark.parametrize("typed,iri", NAMED.items(), ids=NAMED.keys())
def test_a_law_is_identified_by_number_by_title_and_by_title_and_year(built, typed, iri):
    assert identify(built, typed).iri == iri


def test_a_title_with_one_version_names_that_version_and_a_year_of_none_is_not_found(store):
    add_documents(store, [STATES_NEW])
    assert identify(store, f"Luật {TITLE}").iri == NEW
    with pytest.raises(NotFound, match="versions known: 2025"):
        identify(store, f"Luật {TITLE} 2019")


def test_impact_of_a_version_holds_the_documents_naming_it_and_those_numbering_it(built):
    answer = impact(built, identify(built, f"Luật {TITLE} 2025"))
    assert {r.id for r in answer.results} >= {ids.document_iri(d.ref) for d in (STATES_NEW, NAMES_2025)}
    assert ids.document_iri(NAMES_UNDATED_2020.ref) not in {r.id for r in answer.results}


def test_extraction_gives_a_numbered_law_its_title_so_the_table_is_learnt_from_text(store):
    text = ("ỦY BAN NHÂN DÂN\nTỈNH THỪA THIÊN HUẾ\nSố: 21/KH-UBND\nHuế, ngày 05 tháng 8 năm 2025\nKẾ HOẠCH\nThử\n"
            f"Căn cứ Luật {TITLE} số 42/2025/QH15;\n")
    doc = extract_text(text, "plan.txt")
    add_documents(store, [doc, NAMES_2025])
    assert targets(store, NAMES_2025) == [(NEW, laws.PRINTED_YEAR)]
