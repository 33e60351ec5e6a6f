"""A centre's spreadsheet into linkflyt (issue 17): a dry run, then the import.

The parsing and mapping are pure (shared/domain/spreadsheet.py, importing.py); here the plan is
checked against what is stored and then written. A person is stored as the form stores them — the
same `inquiries/` and `people/` documents, the same monthly counters, the same retention task
(workflows/intake.py's pieces) — keeping the waiting-since date they had on the list (the queue
order) and their pre-talk status; with the consent basis (when and how) recorded; without a
receipt unless the coordinator asks for one. Documents are named after the row, so a second import
of the same file finds the first one's and creates nothing. Rows are written CHUNK at a time, each
chunk one transaction with its outbox entry: a row is written whole or not at all.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any, Final

from shared import logs
from shared.domain import importing, reference, spreadsheet
from shared.domain.importing import Duplicate, Good, Parsed, Problem, Vocabulary, norm
from shared.domain.vocabulary import FORMATS, HEARD_FROM, TIMES
from shared.languages import STAFF_LANGS, Lang
from shared.ports import AlreadyExists, TaskSpec, Tx
from shared.texts.console import CONSOLE
from shared.texts.form import field_label
from shared.texts.pages import UI
from shared.texts.setup import SETUP
from workflows import intake
from workflows.console.auth import audit
from workflows.platform import chain, outbox, tokens
from workflows.platform.counters import stats_path
from workflows.platform.messages import NotifyTask
from workflows.platform.runtime import Deps
from workflows.saga import enqueue
from workflows.saga.assemble import pretalk_validity
from workflows.saga.retention import GRACE, expiry_task

log = logs.get_logger(__name__)
CHUNK: Final = 100  # rows per commit: at most ~310 writes, inside Firestore's 500
OPEN: Final = ("received", "awaiting_pretalk", "waiting")
WISHES: Final = ("municipality", "topics", "formats", "times", "languages", "travel", "age_band")
TEMPLATE_COLUMNS: Final = {
    "people": (
        "name",
        "email",
        "phone",
        "municipality",
        "topics",
        "formats",
        "times",
        "languages",
        "travel",
        "age_band",
        "heard_from",
        "waiting_since",
        "pretalk_done",
        "consent_date",
        "consent_how",
        "message",
    ),
    "facilitators": (
        "name",
        "email",
        "municipalities",
        "digital",
        "slots",
        "languages",
        "topics",
        "max_groups",
        "away",
        "course_completed",
    ),
    "venues": (
        "name",
        "municipality",
        "street",
        "postcode",
        "post_place",
        "room",
        "entry",
        "capacity",
        "accessible",
        "slots",
        "unavailable",
    ),
}


# ---------------------------------------------------------------- vocabulary (from the texts)


def _names(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {norm(name): key for name, key in pairs if norm(name)}


def _short_names(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """What people write for a long label: "Sorg etter dødsfall" -> "Sorg", "Generell gruppe – for
    alle" -> "Generell gruppe"; only where no other choice shares the short name."""
    short: dict[str, set[str]] = {}
    for label, key in pairs:
        head = re.split(r"\s+[–—(-]\s*", label, maxsplit=1)[0]
        for alias in {head, head.split()[0] if head.split() else ""}:
            if norm(alias):
                short.setdefault(norm(alias), set()).add(key)
    return [(alias, next(iter(keys))) for alias, keys in short.items() if len(keys) == 1]


def vocabulary(deps: Deps) -> Vocabulary:
    """What people write for each choice: its key, and the form's and console's names for it in
    bokmål, nynorsk and English (any case; punctuation and spaces ignored)."""
    topics = [(t.key, t.key) for t in deps.centre.topics]
    formats = [(f, f) for f in FORMATS]
    times = [(x, x) for x in TIMES]
    heard = [(h, h) for h in HEARD_FROM]
    consent = [(c, c) for c in importing.CONSENT_HOW]
    for lang in STAFF_LANGS:
        ui, con, st = UI[lang], CONSOLE[lang], SETUP[lang]
        labels = [(t.label(lang), t.key) for t in deps.centre.topics]
        topics += labels + _short_names(labels)
        formats += [(ui[f"format_{f}"], f) for f in FORMATS]
        formats += [(con.get(f, ""), f) for f in FORMATS]
        times += [(ui[f"time_{x}"], x) for x in TIMES]
        times += [(con.get(f"time_{x}", ""), x) for x in TIMES]
        heard += [(ui[f"heard_{h}"], h) for h in HEARD_FROM]
        consent += [(st[f"consent_{c}"], c) for c in importing.CONSENT_HOW]
    # the words a spreadsheet kept by hand uses
    formats += [(w, "in_person") for w in ("fysisk", "fysiske", "oppmøte", "in person", "ansikt")]
    formats += [(w, "digital") for w in ("digitalt", "digitale", "nett", "online", "video")]
    times += [(w, "weekday_daytime") for w in ("dag", "dagtid", "daytime", "formiddag")]
    times += [(w, "weekday_evening") for w in ("kveld", "kveldstid", "evening", "ettermiddag")]
    times += [(w, "weekend") for w in ("helg", "helgen", "weekend", "lørdag", "søndag")]
    consent += [(w, "written") for w in ("skriftlig", "skriftleg", "skjema", "papir", "signert")]
    consent += [(w, "oral") for w in ("muntlig", "munnleg", "telefon", "phone", "samtale")]
    consent += [(w, "email") for w in ("epost", "e-post", "mail")]
    consent += [(w, "web") for w in ("nettskjema", "nettside", "web")]
    return Vocabulary(
        topics=_names(topics),
        formats=_names(formats),
        times=_names(times),
        heard_from=_names(heard),
        consent_how=_names(consent),
    )


def template_headings(kind: str) -> dict[str, str]:
    """The template's headings in every staff language -> their column keys."""
    out: dict[str, str] = {}
    for lang in STAFF_LANGS:
        for key in TEMPLATE_COLUMNS[kind]:
            out[SETUP[lang][f"col_{key}"]] = key
    return out


def template(deps: Deps, kind: str, lang: Lang) -> bytes:
    """An .xlsx with the headings in the coordinator's language and one example row."""
    from openpyxl import Workbook

    t = SETUP[lang]
    example: dict[str, dict[str, str]] = {
        "people": {
            "name": "Kari",
            "email": "kari@example.org",
            "phone": "412 34 567",
            "municipality": deps.centre.municipalities[0].name,
            "topics": deps.centre.topics[0].label(lang),
            "formats": f"{UI[lang]['format_in_person']}, {UI[lang]['format_digital']}",
            "times": UI[lang]["time_weekday_evening"],
            "languages": "no",
            "age_band": "30-44",
            "heard_from": "nav",
            "waiting_since": "15.08.2026",
            "pretalk_done": "ja" if lang != "en" else "yes",
            "consent_date": "15.08.2026",
            "consent_how": t["consent_oral"],
        },
        "facilitators": {
            "name": "Tone",
            "email": "tone@example.org",
            "municipalities": deps.centre.municipalities[0].name,
            "digital": "ja" if lang != "en" else "yes",
            "slots": "mon_evening, tue_evening",
            "languages": "no, en",
            "topics": deps.centre.topics[0].label(lang),
            "max_groups": "2",
            "course_completed": "01.05.2026",
        },
        "venues": {
            "name": "LINK-rommet",
            "municipality": deps.centre.municipalities[0].name,
            "street": "Kong Oscars gate 15",
            "postcode": "5017",
            "post_place": "Bergen",
            "room": "2. etasje",
            "entry": "Ring på klokka merket LINK" if lang != "en" else "Ring the bell marked LINK",
            "capacity": "10",
            "accessible": "ja" if lang != "en" else "yes",
            "slots": "mon_evening, wed_evening",
        },
    }
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    columns = TEMPLATE_COLUMNS[kind]
    sheet.append([t[f"col_{c}"] for c in columns])
    sheet.append([example[kind].get(c, "") for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- the plan (a dry run)


@dataclass
class RowPlan:
    row: int
    action: str  # create / update / unchanged / reject / duplicate
    label: str  # the name on the row (shown only in the console)
    problems: list[str] = field(default_factory=list)
    key: str = ""


@dataclass
class Plan:
    kind: str
    digest: str
    rows_read: int
    rows: list[RowPlan]
    notes: list[str]
    good: dict[int, Good]
    existing: dict[str, dict[str, Any]]  # key -> the stored document the row updates

    def count(self, *actions: str) -> int:
        return sum(1 for r in self.rows if r.action in actions)


@dataclass(frozen=True)
class FileProblem:
    message: str


def digest_of(data: bytes, kind: str) -> str:
    return hashlib.sha256(kind.encode() + b"|" + data).hexdigest()


def _where(p: Problem, lang: Lang) -> str:
    t = SETUP[lang]
    if p.column:
        return t["where_column"].format(column=p.column, heading=p.heading)
    label = SETUP[lang].get(f"col_{p.heading}", "") or field_label(p.heading, lang)
    return t["where_missing"].format(heading=label)


def problem_text(p: Problem, lang: Lang) -> str:
    t = SETUP[lang]
    code = p.code.split(".", 1)[-1]
    key = f"p_{code}"
    if key not in t:
        key = "p_other"
    params = {k: v for k, v in p.params.items() if k != "where"}
    return str(t[key]).format(where=_where(p, lang), **{"value": "", "other": "", **params})


def plan(deps: Deps, data: bytes, filename: str, kind: str, lang: Lang) -> Plan | FileProblem:
    """What an import of this file would do, row by row; nothing is written."""
    t = SETUP[lang]
    if kind not in importing.KINDS:
        return FileProblem(t["unreadable_type"])
    try:
        sheet = spreadsheet.read(data, filename)
    except spreadsheet.Unreadable as exc:
        return FileProblem(t[f"unreadable_{exc.code}"])
    today = deps.clock.now().astimezone(UTC).date()
    parsed = importing.parse(
        sheet, kind, deps.centre, vocabulary(deps), today, template_headings(kind)
    )
    return _plan(deps, parsed, sheet, digest_of(data, kind), lang)


def _label(sheet: spreadsheet.Sheet, parsed: Parsed, cells: tuple[str, ...]) -> str:
    i = parsed.columns.get("name")
    return cells[i][:80] if i is not None and i < len(cells) else ""


def _plan(deps: Deps, parsed: Parsed, sheet: spreadsheet.Sheet, digest: str, lang: Lang) -> Plan:
    t = SETUP[lang]
    notes = [problem_text(p, lang) for p in parsed.problems if p.row <= 1]
    if parsed.ignored:
        notes.append(t["ignored_columns"].format(columns=", ".join(parsed.ignored)))
    rejected = parsed.rejected_rows()
    good = {g.row: g for g in parsed.good}
    existing, dups, statuses = _stored(deps, parsed)
    rows: list[RowPlan] = []
    for number, cells in sheet.rows:
        label = _label(sheet, parsed, cells)
        if number in rejected:
            texts = [problem_text(p, lang) for p in rejected[number]]
            rows.append(RowPlan(number, "reject", label, texts))
            continue
        g = good[number]
        if number in dups:
            rows.append(
                RowPlan(
                    number, "duplicate", label, [_dup_text(dups[number], statuses, lang)], g.key
                )
            )
        elif g.key in existing:
            changed = _changes(parsed.kind, g, existing[g.key])
            rows.append(RowPlan(number, "update" if changed else "unchanged", label, [], g.key))
        else:
            rows.append(RowPlan(number, "create", label, [], g.key))
    return Plan(parsed.kind, digest, parsed.rows_read, rows, notes, good, existing)


def _dup_text(d: Duplicate, statuses: dict[str, dict[str, Any]], lang: Lang) -> str:
    t = SETUP[lang]
    by = t[f"by_{d.by}"]
    if d.other_row is not None:
        return t["p_duplicate_row"].format(by=by, other=d.other_row)
    inq = statuses.get(d.stored or "", {})
    state = CONSOLE[lang].get(f"state_{inq.get('status')}", "") or str(inq.get("status") or "")
    ref = str(inq.get("reference") or "–")
    return t["p_duplicate_stored"].format(by=by, reference=ref, status=state)


def _stored(
    deps: Deps, parsed: Parsed
) -> tuple[dict[str, dict[str, Any]], dict[int, Duplicate], dict[str, dict[str, Any]]]:
    """The stored documents the rows would update, the likely duplicates, and (for people) the
    stored inquiries they duplicate (state and reference, to show)."""
    store = deps.store
    if parsed.kind == "people":
        inquiries = store.get_many([f"inquiries/{g.key}" for g in parsed.good])
        existing = {p.split("/", 1)[1]: d for p, d in inquiries.items() if d is not None}
        people = store.query("people")
        contacts = {pid: (d.get("email"), d.get("phone")) for pid, d in people}
        for key in existing:
            contacts.setdefault(key, (None, None))
        dups = importing.duplicates_of(parsed.good, contacts)
        wanted = sorted({d.stored for d in dups.values() if d.stored})
        shown = store.get_many([f"inquiries/{i}" for i in wanted]) if wanted else {}
        statuses = {p.split("/", 1)[1]: d or {} for p, d in shown.items()}
        return existing, dups, statuses
    coll = parsed.kind
    stored = store.query(coll)
    out: dict[str, dict[str, Any]] = {}
    by_identity: dict[str, str] = {}
    for sid, doc in stored:
        ident = (
            norm(str(doc.get("email") or ""))
            if coll == "facilitators"
            else norm(f"{doc.get('name')}|{doc.get('municipality')}")
        )
        by_identity.setdefault(ident, sid)
        out[sid] = doc
    edited: dict[str, dict[str, Any]] = {}
    for g in parsed.good:
        ident = (
            norm(str(g.data.get("email") or ""))
            if coll == "facilitators"
            else norm(f"{g.data.get('name')}|{g.data.get('municipality')}")
        )
        found = by_identity.get(ident)
        if found is not None:  # the same facilitator (e-mail) or room (name, place): edited
            g.key = found
            edited[found] = out[found]
    return edited, {}, {}


def _changes(kind: str, g: Good, doc: dict[str, Any]) -> bool:
    if kind != "people":
        return any(doc.get(k) != v for k, v in g.data.items())
    draft = g.data["draft"]
    if doc.get("status") not in OPEN:
        return False  # in a group, placed or gone: left as it is
    return any(_wish(draft, k) != doc.get(k) for k in WISHES)


def _wish(draft: Any, key: str) -> Any:
    value = getattr(draft, key)
    return list(value) if isinstance(value, tuple) else value


# ---------------------------------------------------------------- the import


@dataclass
class Result:
    created: int
    updated: int
    rejected: int
    rows: list[RowPlan]

    @property
    def rows_read(self) -> int:
        return len(self.rows)


def run(
    deps: Deps,
    actor: str,
    data: bytes,
    filename: str,
    kind: str,
    lang: Lang,
    *,
    allow: set[int] | frozenset[int] = frozenset(),
    receipts: bool = False,
    expect_digest: str | None = None,
) -> Result | FileProblem:
    """Import what the dry run showed. Duplicates are imported only where the coordinator chose
    them (`allow`, by row); every row ends created, updated or rejected."""
    if expect_digest is not None and digest_of(data, kind) != expect_digest:
        return FileProblem(SETUP[lang]["unreadable_changed"])
    p = plan(deps, data, filename, kind, lang)
    if isinstance(p, FileProblem):
        return p
    t = SETUP[lang]
    todo: list[RowPlan] = []
    for r in p.rows:
        if r.action == "duplicate":
            if r.row in allow:
                r.action = "create"
            else:
                r.action = "reject"
                r.problems.append(t["p_duplicate_left"])
        if r.action in ("create", "update", "unchanged"):
            todo.append(r)
    now = deps.clock.now()
    # New rows are written blind (a write-only commit: a batch, no transaction reads — issue 17's
    # 30 s for 1,000 rows); if someone created one of them meanwhile, that chunk is done again
    # reading what is there. Rows already there and unchanged need no write at all.
    creates = [r for r in todo if r.action == "create"]
    updates = [r for r in todo if r.action == "update"]
    for start in range(0, len(creates), CHUNK):
        chunk = creates[start : start + CHUNK]
        salt = f"{p.digest[:16]}-c{start}"
        try:
            _write_chunk(deps, p, chunk, now, receipts, lang, salt, blind=True)
        except AlreadyExists:
            _write_chunk(deps, p, chunk, now, receipts, lang, salt, blind=False)
    for start in range(0, len(updates), CHUNK):
        chunk = updates[start : start + CHUNK]
        _write_chunk(deps, p, chunk, now, receipts, lang, f"{p.digest[:16]}-u{start}", blind=False)
    _audit(deps, actor, kind, p.digest, now)
    out = Result(
        created=sum(r.action == "create" for r in p.rows),
        updated=sum(r.action in ("update", "unchanged") for r in p.rows),
        rejected=sum(r.action == "reject" for r in p.rows),
        rows=p.rows,
    )
    log.info(
        "import done",
        # not "created": a LogRecord attribute of that name makes logging raise
        extra={
            "import_kind": kind,
            "rows_created": out.created,
            "rows_updated": out.updated,
            "rows_rejected": out.rejected,
        },
    )
    return out


def _audit(deps: Deps, actor: str, kind: str, digest: str, now: datetime) -> None:
    def tx_fn(tx: Tx) -> None:
        audit(tx, now, actor, f"import_{kind}", f"file-{digest[:16]}")

    deps.store.transact(tx_fn)


def _write_chunk(
    deps: Deps,
    p: Plan,
    chunk: list[RowPlan],
    now: datetime,
    receipts: bool,
    lang: Lang,
    salt: str,
    *,
    blind: bool,
) -> None:
    coll = "inquiries" if p.kind == "people" else p.kind
    paths = [f"{coll}/{r.key}" for r in chunk]

    def write(tx: Tx) -> tuple[None, list[TaskSpec]]:
        specs: list[TaskSpec] = []
        # blind: the plan found none of them (a create that finds one fails the whole commit)
        current = dict.fromkeys(paths) if blind else tx.get_many(paths)
        for r in chunk:
            doc = current[f"{coll}/{r.key}"]
            g = p.good[r.row]
            if p.kind == "people":
                specs += _person(deps, tx, r, g, doc, now, receipts, lang)
            else:
                _roster(tx, p.kind, r, g, doc, now)
        if any(r.action in ("create", "update") for r in chunk):
            specs.append(enqueue.assemble(deps, "pool_changed", f"import-{salt}"))
        return None, specs

    outbox.commit(deps.store, deps.queue, now, write, dispatch_now=deps.settings.dispatch_inline)


def _person(
    deps: Deps,
    tx: Tx,
    r: RowPlan,
    g: Good,
    doc: dict[str, Any] | None,
    now: datetime,
    receipts: bool,
    lang: Lang,
) -> list[TaskSpec]:
    draft = g.data["draft"]
    iid = r.key
    if doc is not None:  # a second import: the same person, place kept
        if doc.get("status") in OPEN and _changes("people", g, doc):
            tx.update(f"inquiries/{iid}", {k: _wish(draft, k) for k in WISHES})
            r.action = "update"
        else:
            r.action = "unchanged"
        return []
    r.action = "create"
    deadline = now + timedelta(days=deps.centre.retention.unplaced_days)
    since = datetime.combine(g.data["waiting_since"], time(12, 0), tzinfo=UTC)
    reachable = receipts and bool(draft.email or (draft.phone and deps.sms is not None))
    token_id = (
        tokens.erase_token_id(deps.settings.link_signing_key, iid)
        if draft.email or draft.phone
        else None
    )
    inquiry = intake.inquiry_doc(
        draft, reference.new_reference(), lang, now, deadline + GRACE, token_id, deadline
    )
    consent = g.data["consent"]
    inquiry.update(
        {
            "queued_at": min(since, now),  # their place in the queue: since they were listed
            "waiting_since": min(since, now),
            "imported_at": now,
            "lang": "nb" if lang not in ("nb", "nn", "en") else lang,
            "consent": {
                "given_on": consent["given_on"].isoformat(),
                "how": consent["how"],
                "recorded": "import",
                "recorded_at": now,
            },
        }
    )
    if g.data["pretalk_done"] or not deps.centre.centre.require_pretalk:
        inquiry["status"] = "waiting"
    else:
        inquiry["status"] = "awaiting_pretalk"
        inquiry["pretalk_token"] = tokens.issue(
            tx, "confirm_pretalk", now, pretalk_validity(deps, inquiry, now), inquiry_id=iid
        )
    tx.create(f"inquiries/{iid}", inquiry)
    tx.create(
        f"people/{iid}",
        {
            "name": draft.name,
            "email": draft.email,
            "phone": draft.phone,
            "message": draft.message,
            "expire_at": deadline,
        },
    )
    tz = deps.centre.centre.timezone
    tx.increment(stats_path(now, draft.municipality, tz), intake.stats_counts(draft))
    specs = [expiry_task(deps, iid, deadline)]
    if reachable:
        specs.append(
            chain.task_for(
                deps.settings.queue_prefix,
                "notify",
                NotifyTask(
                    task_id=chain.task_id("import", iid, "receipt"),
                    mail="receipt",
                    subject_id=iid,
                ),
            )
        )
    return specs


def _roster(
    tx: Tx, coll: str, r: RowPlan, g: Good, doc: dict[str, Any] | None, now: datetime
) -> None:
    path = f"{coll}/{r.key}"
    if doc is None:
        tx.create(path, {**g.data, "active": True, "created_at": now, "imported_at": now})
        r.action = "create"
    elif any(doc.get(k) != v for k, v in g.data.items()):
        tx.set(path, {**g.data, "updated_at": now}, merge=True)
        r.action = "update"
    else:
        r.action = "unchanged"


__all__ = ["Plan", "Result", "plan", "run", "template", "vocabulary"]
