"""The annotated document: the source text with every citation, agency and task highlighted, each citation linked to
the cited document's page, and a side list of tasks and of the short forms the text never defined.

Citations and tasks come with their spans from the store; agency mentions are found by spaCy (extract.agencies) in
each task's text only — short spans, where its cost is small (`bench/annotated_speed.py` measures it). Every piece of
document text is HTML-escaped.
"""

from __future__ import annotations

import html
from urllib.parse import quote
from dataclasses import dataclass

from legalkg.extract.agencies import find_agency_mentions
from legalkg.graph.ids import base, local_part
from legalkg.viz.i18n import DEFAULT, words
from legalkg.viz.i18n import text as text_of



@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str  # "task" | "cite" | "agency"
    title: str
    href: str | None = None
    anchor: str | None = None


def marks_for(text: str, citations: list[dict], tasks: list[dict], place: str | None, lang: str = DEFAULT) -> list[Mark]:
    """citations: {start, end, relation, to, label}; tasks: {start, end, no, index}. Marks that overlap a mark of
    their level, or cross a task's edge, are left out of the highlighting (they stay in the lists)."""
    task_marks = [Mark(t["start"], t["end"], "task", text_of(lang, "annotated_task", no=t.get("no") or t["index"]),
                       anchor=f"task-{t['index']}")
                  for t in sorted(tasks, key=lambda t: t["start"]) if t.get("start") is not None]
    inline = [Mark(c["start"], c["end"], "cite", f"{_relation(lang, c['relation'])}: {c['label']}",
                   href=document_href(c["to"], c.get("stub")))
              for c in citations if c.get("start") is not None and c["end"] <= len(text)]
    for t in task_marks:
        for m in find_agency_mentions(text[t.start : t.end], place):
            inline.append(Mark(t.start + m.start, t.start + m.end, "agency", m.agency.canonical))
    kept: list[Mark] = []
    for m in sorted(inline, key=lambda m: (m.start, m.kind != "cite", -m.end)):
        if kept and m.start < kept[-1].end:
            continue
        if any(t.start < m.start < t.end < m.end or m.start < t.start < m.end for t in task_marks):
            continue
        kept.append(m)
    return _disjoint(task_marks) + kept


def _disjoint(marks: list[Mark]) -> list[Mark]:
    out: list[Mark] = []
    for m in marks:
        if not out or m.start >= out[-1].end:
            out.append(m)
    return out


def document_href(iri: str, stub: bool | None = False) -> str:
    """A cited document's page in the workbench (which also serves documents known only from citations)."""
    if not iri.startswith(base()):  # read under the base of the store being drawn (ids.using_base)
        return "#"
    return f"/documents/{quote(local_part(iri), safe='/')}"


def render(title: str, text: str, marks: list[Mark], tasks: list[dict], unresolved: list[dict],
           lang: str = DEFAULT) -> str:
    say = words(lang)
    body = _highlight(text, marks)
    task_items = "".join(f'<li><a href="#task-{t["index"]}">{html.escape(str(t.get("no") or t["index"]))}</a> '
                         f'{html.escape(_short(t.get("text") or ""))}</li>' for t in tasks)
    missing = "".join(f'<li>{html.escape(u["text"])} <small>({u["start"]}: {html.escape(u["reason"])})</small></li>'
                      for u in unresolved) or f"<li>{html.escape(say['annotated_none'])}</li>"
    counts = {k: sum(m.kind == k for m in marks) for k in ("cite", "agency", "task")}
    return f"""<!doctype html>
<html lang="{html.escape(lang)}"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>{html.escape(title)}</title>
<style>
 body {{font:14px/1.5 sans-serif;margin:0;display:flex}}
 main {{flex:3;padding:16px 20px;white-space:pre-wrap;font-size:14px}}
 aside {{flex:1;padding:16px;border-left:1px solid #ddd;background:#fafafa;max-height:100vh;overflow:auto;position:sticky;top:0}}
 .task {{background:#fff4e5;border-left:3px solid #f28e2b}}
 .cite {{background:#dbe8f6;color:#1d4f91;text-decoration:none;border-bottom:1px solid #4e79a7}}
 .agency {{background:#e3f1df;border-bottom:1px dotted #59a14f}}
</style></head>
<body><main>{body}</main>
<aside><h3>{html.escape(title)}</h3>
<p>{html.escape(text_of(lang, "annotated_counts", cites=counts["cite"], agencies=counts["agency"], tasks=counts["task"]))}</p>
<h4>{html.escape(say["annotated_tasks"])}</h4><ol>{task_items}</ol>
<h4>{html.escape(say["conflicts_unresolved"])}</h4><ul id="unresolved">{missing}</ul></aside></body></html>"""


def _relation(lang: str, relation: str) -> str:
    try:
        return text_of(lang, f"rel_{relation}")
    except KeyError:
        return relation


def _highlight(text: str, marks: list[Mark]) -> str:
    events = sorted([(m.start, 1, m) for m in marks] + [(m.end, 0, m) for m in marks],
                    key=lambda e: (e[0], e[1], (e[2].kind != "task") if e[1] else (e[2].kind == "task")))
    out, pos = [], 0
    for at, opening, m in events:
        out.append(html.escape(text[pos:at]))
        pos = at
        out.append(_open(m) if opening else ("</a>" if m.href else "</span>"))
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _open(m: Mark) -> str:
    title = html.escape(m.title, quote=True)
    if m.href:
        return f'<a class="{m.kind}" href="{html.escape(m.href, quote=True)}" title="{title}" target="_top">'
    anchor = f' id="{m.anchor}"' if m.anchor else ""
    return f'<span class="{m.kind}"{anchor} title="{title}">'


def _short(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
