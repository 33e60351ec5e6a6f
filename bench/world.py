"""The world of the simulated year: the real workflow code on the Firestore emulator, wired to a
virtual clock, the simulated task queue, the recording .eml outbox and the faults of bench/sim.py;
the agenda of events in virtual time (arrivals, clicks, task deliveries, sweeps with Firestore TTL,
digests, reports, the daily check) and the loop that runs it. The people are bench/residents.py,
the checks bench/invariants.py, the figures bench/metrics.py.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import random
import time
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import invariants
from bench.metrics import History, figures, long_waiters
from bench.residents import TZ, Habits, People
from bench.sim import (
    Agenda,
    CrashStore,
    Faults,
    MidTxCrash,
    RecordingMailer,
    SimCrash,
    SimQueue,
    VirtualClock,
    apply_ttl,
)
from shared.ports import Doc, OutgoingMail, TaskSpec

ROOM_ASK_AGAIN = timedelta(days=28)  # a place and time looked for in vain: asked about next month


@dataclasses.dataclass
class Options:
    days: int = 365
    seed: int = 1
    start: date | None = None
    rate: float = 250.0
    duplicates: float = 0.0
    crashes: float = 0.0
    decline: float = 0.15
    no_answer: float = 0.10
    coordinator_away: tuple[date, int] | None = None
    policy: str = "linkflyt"
    outbox: Path = Path("var/year-outbox")
    sweep_hours: float = 6.0
    erase: float = 0.03
    quiet: bool = False
    import_people: int = 0  # issue 17: a waiting list imported from a spreadsheet on day one
    coordinator_change: date | None = None  # issue 17: a coordinator added, the first removed
    use_page: bool = True  # residents use their own page (issue 17/21)
    widen_accept: float = 0.4
    answer_question: float = 0.6
    # the centre's settings tried in the year (issue 21): None keeps the centre file's
    long_wait_days: int | None = None
    long_waiters_needed: int | None = None  # of a group started small (groups.long_waiters_needed)
    offers: int | None = None  # widening offers per person (waiting.offers)
    offer_after_days: int | None = None  # the first offer (waiting.offer_after_days)
    # issue 21: the share of "only a room is missing" rows (the digest) for which the coordinator
    # finds a room, 2-6 weeks later: another weekly time in a room of that municipality, or a new
    # room there (LINK: "finding free rooms is hard"; the municipalities are asked to help)
    room_found: float = 0.5


def centre_for(opts: Options) -> Any:
    """The centre file's settings with the year's overrides."""
    from shared.config import get_centre

    centre = get_centre()
    groups: dict[str, int] = {}
    if opts.long_wait_days is not None:
        groups["long_wait_days"] = opts.long_wait_days
    if opts.long_waiters_needed is not None:
        groups["long_waiters_needed"] = opts.long_waiters_needed
    if groups:
        centre = centre.model_copy(update={"groups": centre.groups.model_copy(update=groups)})
    waiting: dict[str, int] = {}
    if opts.offers is not None:
        waiting["offers"] = opts.offers
    if opts.offer_after_days is not None:
        waiting["offer_after_days"] = opts.offer_after_days
    if waiting:
        centre = centre.model_copy(update={"waiting": centre.waiting.model_copy(update=waiting)})
    return centre


def next_january(today: date) -> date:
    return date(today.year + 1, 1, 1)


def previous_quarter(d: date) -> str:
    q = (d.month - 1) // 3
    return f"{d.year - 1}-Q4" if q == 0 else f"{d.year}-Q{q}"


def _keep_first(found: dict[str, str], into: dict[str, str]) -> None:
    for key, why in found.items():
        into.setdefault(key, why)


class World:
    def __init__(self, opts: Options, project: str) -> None:
        from shared.adapters.firestore_store import FirestoreStore
        from shared.adapters.mail import OutboxMailer
        from shared.config import Settings
        from workflows.platform.runtime import Deps

        self.o = opts
        self.rng = random.Random(opts.seed)  # one stream for the queue, the faults and the people
        random.seed(opts.seed)  # the pool run's tie-breaking
        start_day = opts.start or next_january(datetime.now(UTC).date())
        self.start = datetime.combine(start_day, datetime.min.time(), tzinfo=TZ).astimezone(UTC)
        self.end = self.start + timedelta(days=opts.days)
        self.clock = VirtualClock(self.start)
        self.agenda = Agenda()
        self.faults = Faults(self.rng, opts.crashes)
        self.queue = SimQueue(self.agenda, self.clock, self.rng, opts.duplicates)
        opts.outbox.mkdir(parents=True, exist_ok=True)
        self.raw_store = FirestoreStore(project)
        self.history = History()
        mailer = RecordingMailer(OutboxMailer(opts.outbox), opts.outbox, self.faults, self._on_mail)
        settings = Settings(
            google_cloud_project=project,
            public_base_url="https://linkflyt.example",
            link_signing_key=f"sim-{uuid.uuid4().hex}",
            rate_limit_secret="sim",
            rate_limit_per_hour=100000,
            outbox_dir=opts.outbox,
        )
        self.deps = Deps(
            settings=settings,
            centre=centre_for(opts),
            store=CrashStore(self.raw_store, self.faults),  # type: ignore[arg-type]
            queue=self.queue,
            mailer=mailer,
            clock=self.clock,
        )
        self.people = People(
            self.deps,
            self.raw_store,
            self.clock,
            self.agenda,
            self.rng,
            self.faults,
            Habits(
                opts.erase,
                opts.decline,
                opts.no_answer,
                opts.coordinator_away,
                use_page=opts.use_page,
                widen_accept=opts.widen_accept,
                answer_question=opts.answer_question,
            ),
            self.history.clicks,
        )
        self.handlers: dict[str, Callable[[Any], None]] = {
            "arrival": self.people.arrive,
            "click": self.people.click,
            "join": self.people.open_join,
            "page": self.people.page,
            "task": self.on_task,
            "sweep": self.on_sweep,
            "digest": self.on_digest,
            "report": self.on_report,
            "daily_check": self.daily_check,
            "nemesis": self.on_nemesis,
            "coordinator_repair": self.on_coordinator_repair,
            "import": self.on_import,
            "coordinators": lambda _: self.people.change_coordinators(),
            "room_found": self.on_room_found,
        }
        # a stream of its own, so that finding rooms leaves every other draw of the year as it was
        self.room_rng = random.Random(opts.seed * 1_000_003 + 21)
        self.rooms_asked: dict[tuple[str, str], datetime] = {}  # not asked about again before
        self.imported: dict[str, int] = {}

    # ------------------------------------------------------------ set-up

    def load_demo(self) -> None:
        import tomllib

        from scripts.demo import DEMO_FILE

        data = tomllib.loads(DEMO_FILE.read_text(encoding="utf-8"))
        for collection in ("facilitators", "venues"):
            for item in data.get(collection, []):
                doc = dict(item)
                doc_id = doc.pop("id")
                self.raw_store.set(f"{collection}/{doc_id}", doc)
                if collection == "facilitators":
                    self.people.facilitator_emails[doc["email"]] = doc_id

    def install_policy(self) -> None:
        if self.o.policy == "baseline":
            from bench import baseline
            from workflows.saga import assemble

            assemble.propose = baseline.propose  # type: ignore[assignment]

    def plan(self) -> None:
        t, n = self.start, 0
        per_day = self.o.rate / 365.0
        while True:
            t += timedelta(days=self.rng.expovariate(per_day))
            if t >= self.end:
                break
            self.agenda.push(t, "arrival", n)
            n += 1
        day = self.start
        while day < self.end:
            local = day.astimezone(TZ)
            self.agenda.push(day + timedelta(hours=6), "digest")
            self.agenda.push(day + timedelta(hours=23, minutes=30), "daily_check")
            self.agenda.push(day + timedelta(hours=12), "nemesis")
            if local.day == 5 and local.month in (1, 4, 7, 10):
                self.agenda.push(day + timedelta(hours=5), "report", previous_quarter(local.date()))
            if local.day == 15 and local.month == 1:
                self.agenda.push(day + timedelta(hours=5), "report", str(local.year - 1))
            day += timedelta(days=1)
        t = self.start
        while t < self.end:
            t += timedelta(hours=self.o.sweep_hours)
            self.agenda.push(t, "sweep")
        if self.o.import_people:
            self.agenda.push(self.start + timedelta(hours=8), "import", self.o.import_people)
        if self.o.coordinator_change:
            day = datetime.combine(self.o.coordinator_change, datetime.min.time(), tzinfo=TZ)
            self.agenda.push(day.astimezone(UTC) + timedelta(hours=10), "coordinators")

    # ------------------------------------------------------------ the loop

    def run(self) -> dict[str, Any]:
        self.load_demo()
        self.install_policy()
        self.plan()
        wall = time.monotonic()
        while self.agenda:
            ev = self.agenda.pop()
            if ev.at > self.end:
                break
            self.clock.t = max(self.clock.t, ev.at)
            self.handlers[ev.kind](ev.data)
        self.clock.t = self.end
        self.daily_check(None)
        out = self.metrics()
        out.update(self.long_waiters())
        out["wall_seconds"] = round(time.monotonic() - wall, 1)
        if self.o.import_people:
            out["imported"] = self.imported
        out["report_audit"] = self.report_audit()
        return out

    def metrics(self) -> dict[str, Any]:
        return figures(
            self.history,
            head={
                "policy": self.o.policy,
                "days": self.o.days,
                "start": self.start.astimezone(TZ).date().isoformat(),
                "rate": self.o.rate,
            },
            residents=self.people.residents,
            facilitators=self.people.facilitator_emails.values(),
            survey_after_days=self.deps.centre.survey.after_days,
            end=self.end,
            deadletters=self.raw_store.query("deadletters"),
            duplicated=self.queue.duplicated,
            crashes=self.faults.injected,
            offers_cap=self.deps.centre.waiting.offers,
        )

    def meeting_start(self, day: str, slot: str) -> datetime:
        from workflows.saga import resources

        return resources.meeting_start(self.deps, date.fromisoformat(day), slot)

    def long_waiters(self) -> dict[str, Any]:
        """Issue 21: who still waits at the end, and why by the console's own rule."""
        from shared.domain import widen
        from workflows.saga import assemble

        docs = dict(self.raw_store.query("inquiries"))
        status = {i: str(d.get("status")) for i, d in docs.items()}
        reasons = widen.reasons(assemble.pool_now(self.deps))
        why = {i: s.short for i, s in reasons.items()}
        where = {i: f"{s.kind.place}:{s.kind.category}" for i, s in reasons.items() if s.kind}
        return long_waiters(self.people.residents, status, why, self.end, docs, where)

    def report_audit(self) -> list[dict[str, Any]]:
        """The attacker's audit (issue 10) of every report the simulated years sent."""
        from workflows.reporting.audit import audit_year

        years = range(self.start.year, self.end.year + 1)
        found = [audit_year(self.deps, y) for y in years]
        return [a for a in found if a["reports"]]

    # ------------------------------------------------------------ what the cloud would do

    def on_task(self, data: tuple[TaskSpec, int]) -> None:
        from workflows import tasks

        spec, attempt = data
        self.history.deliveries += 1
        self.faults.arm()
        try:
            answer = tasks.handle(self.deps, spec.target, spec.body, spec.name, attempt)
            ok = answer.status < 300
        except (SimCrash, MidTxCrash):
            ok = False
        finally:
            self.faults.disarm()
        if ok:
            self.queue.pending.pop(spec.name, None)
            return
        self.history.failed_deliveries += 1
        if attempt + 1 >= tasks.MAX_ATTEMPTS[spec.target]:
            self.queue.pending.pop(spec.name, None)
            self.history.dropped.append(spec.name)  # Cloud Tasks gives up: must be in deadletters/
            return
        self.agenda.push(self.queue.retry_at(spec, attempt), "task", (spec, attempt + 1))

    def on_import(self, n: int) -> None:
        self.imported = self.people.import_list(n)

    def on_sweep(self, _: Any) -> None:
        from shared.ports import TransientError
        from workflows.platform import sweep

        with contextlib.suppress(TransientError):
            sweep.run(self.deps)
        apply_ttl(self.raw_store, self.clock.now(), self._ttl_delay, self._on_ttl_delete)

    def on_digest(self, _: Any) -> None:
        from workflows.reporting import digest

        digest.run(self.deps)
        if self.o.room_found <= 0:
            return
        now = self.clock.now()
        for w in digest.rooms_wanted(self.deps):
            key = (w.place, w.category)
            if key in self.rooms_asked and now < self.rooms_asked[key]:
                continue  # looking already, or looked in vain not long ago
            self.history.repairs["room_wanted"] += 1
            if self.room_rng.random() < self.o.room_found:
                later = now + timedelta(days=self.room_rng.uniform(14, 42))
                self.agenda.push(later, "room_found", key)
                self.rooms_asked[key] = later
            else:
                self.rooms_asked[key] = now + ROOM_ASK_AGAIN

    def on_room_found(self, key: tuple[str, str]) -> None:
        """The coordinator found a room for a place and time the digest named (issue 21): if a
        group there still lacks only that, a room of the municipality gets one more weekly time
        (the one most facilitators there can lead), or the municipality gets a new room. Both go
        through the console's own save, as the venue form would."""
        from shared.domain import roster, slots
        from workflows.console import commands
        from workflows.reporting import digest

        place, category = key
        self.rooms_asked.pop(key, None)  # a row that comes back is looked at again at once
        if all((w.place, w.category) != key for w in digest.rooms_wanted(self.deps)):
            return
        can = Counter(
            s
            for _, f in self.raw_store.query("facilitators")
            if f.get("active") is not False and place in (f.get("municipalities") or ())
            for s in f.get("slots") or ()
        )
        # the times of week someone there could lead, most such facilitators first
        times = sorted((s for s in slots.slots_in(category) if can[s]), key=lambda s: (-can[s], s))
        if not times:
            return
        rooms = sorted(
            (vid, v)
            for vid, v in self.raw_store.query("venues")
            if v.get("municipality") == place and v.get("active") is not False
        )
        for vid, v in rooms:
            free = [s for s in times if s not in (v.get("slots") or ())]
            if free:
                doc = {"slots": [*(v.get("slots") or ()), free[0]]}
                if commands.save(self.deps, "c-sim", "venues", vid, doc):
                    self.history.repairs["room_found"] += 1
                return
        form = {
            "name": [f"Grupperom {len(rooms) + 1}"],
            "municipality": [place],
            "capacity": ["10"],
            "accessible": ["1"],
            "street": ["Storgata 1"],
            "postcode": ["5000"],
            "post_place": ["Sentrum"],
            "slots": [times[0]],
        }
        doc, problems = roster.parse_venue(form, (place,))
        assert not problems, problems
        if commands.save(self.deps, "c-sim", "venues", None, doc):
            self.history.repairs["room_found"] += 1

    def on_report(self, period: str) -> None:
        from workflows.reporting import report

        self.history.reports_sent += len(report.run(self.deps, period))

    def _on_mail(self, mail: OutgoingMail) -> None:
        self.history.mails.append(mail)
        self.people.read(mail)
        for att in mail.attachments:  # what the calendar holds now (issue 16)
            if att.content_type == "text/calendar" and att.method:
                from icalendar import Calendar

                for ev in Calendar.from_ical(att.data).walk("VEVENT"):
                    key = (mail.to, str(ev["uid"]))
                    seen = (int(ev["sequence"]), att.method, ev["dtstart"].dt.date().isoformat())
                    if key not in self.history.ics_last or seen[0] > self.history.ics_last[key][0]:
                        self.history.ics_last[key] = seen

    # ------------------------------------------------------------ after the confirmation

    # Rates a year (issue 16): rooms closed on a booked date, facilitators away on one, groups the
    # coordinator cancels before their start. Members leaving are residents' clicks.
    VENUE_CLOSURES, FACILITATOR_AWAY, CANCELLED_GROUPS = 8.0, 6.0, 3.0
    # a facilitator who drops out of a group's remaining meetings; a group moved to another
    # weekly time or room (issue 16)
    FACILITATOR_DROPOUTS, GROUP_MOVES = 4.0, 3.0

    def _ahead(self, g: Doc) -> list[str]:
        from workflows.saga import calendars

        return sorted(
            set(calendars.meetings(g)) - calendars.past(self.deps, g, self.clock.now()), key=int
        )

    def on_nemesis(self, _: Any) -> None:
        from shared.domain.lifecycle import RUNNING
        from workflows.console import commands

        r = self.rng
        groups = sorted(
            (gid, g)
            for gid, g in self.raw_store.query("groups")
            if g["status"] in RUNNING and self._ahead(g)
        )
        if not groups:
            return
        h = self.history
        if r.random() < self.VENUE_CLOSURES / 365:
            with_room = [(gid, g) for gid, g in groups if g.get("venue_id")]
            if with_room:
                _gid, g = r.choice(with_room)
                day = g["meeting_dates"][int(r.choice(self._ahead(g))) - 1]
                self._add_range(f"venues/{g['venue_id']}", "unavailable", day)
                h.repairs["venue_closed"] += 1
                self._coordinator_soon()
        if r.random() < self.FACILITATOR_AWAY / 365:
            staffed = [(gid, g) for gid, g in groups if g.get("facilitator_id")]
            if staffed:
                _gid, g = r.choice(staffed)
                day = g["meeting_dates"][int(r.choice(self._ahead(g))) - 1]
                self._add_range(f"facilitators/{g['facilitator_id']}", "away", day)
                h.repairs["facilitator_away"] += 1
                self._coordinator_soon()
        if r.random() < self.FACILITATOR_DROPOUTS / 365:
            self._drop_out(groups)
        if r.random() < self.GROUP_MOVES / 365:
            self._move_group(groups)
        if r.random() < self.CANCELLED_GROUPS / 365:
            before = [gid for gid, g in groups if g["status"] == "confirmed"]
            if before:
                gid = r.choice(before)
                if commands.repair(self.deps, "c-sim", gid, "cancel_group", {}) == "ok":
                    h.repairs["cancel_group"] += 1

    def _drop_out(self, groups: list[tuple[str, Doc]]) -> None:
        """A facilitator falls ill: the coordinator replaces them from the group card."""
        from workflows.console import commands
        from workflows.saga import replace

        now = self.clock.now()
        # someone who leads it now (a group whose replacement found nobody has no one to fall ill)
        staffed = [
            gid
            for gid, g in groups
            if g.get("facilitator_id") and replace.can_start(self.deps, g, now)
        ]
        if staffed:
            gid = self.rng.choice(staffed)
            if commands.repair(self.deps, "c-sim", gid, "replace_facilitator", {}) == "ok":
                self.history.repairs["replace_facilitator"] += 1

    def _move_group(self, groups: list[tuple[str, Doc]]) -> None:
        """The coordinator moves a group to a weekly time (or room) the move page allows."""
        from shared.domain import slots
        from workflows.console import commands
        from workflows.saga import relocate

        gid, g = self.rng.choice(groups)
        rooms = [
            vid
            for vid, v in self.raw_store.query("venues")
            if v.get("municipality") == g["place"] and vid != g.get("venue_id")
        ]
        choices = [(s, None) for s in slots.ALL_SLOTS if s != g["slot"]]
        choices += [("", vid) for vid in rooms]
        self.rng.shuffle(choices)
        for slot, venue in choices:
            if relocate.plan_now(self.deps, gid, slot, venue)[1].problems:
                continue
            form = {"slot": [slot], "venue": [venue or ""]}
            if commands.repair(self.deps, "c-sim", gid, "move_group", form) == "ok":
                self.history.repairs["move_group"] += 1
            return

    def _add_range(self, path: str, field: str, day: str) -> None:
        doc = self.raw_store.get(path) or {}
        ranges = [*(doc.get(field) or []), {"from": day, "to": day}]
        self.raw_store.set(path, {field: ranges}, merge=True)

    def _coordinator_soon(self) -> None:
        """The coordinator sees it in the next digest or the console, and acts within days."""
        at = self.people._coordinator_time((0.3, 3))
        self.agenda.push(at, "coordinator_repair")

    def on_coordinator_repair(self, _: Any) -> None:
        """Every booked meeting a closure or dates away hit: moved a week later when that date is
        free, else cancelled."""
        from workflows.console import commands
        from workflows.saga import repair

        now = self.clock.now()
        venues = dict(self.raw_store.query("venues"))
        for gid, g in sorted(self.raw_store.query("groups")):
            fac = (
                self.raw_store.get(f"facilitators/{g['facilitator_id']}")
                if g.get("facilitator_id")
                else None
            )
            for key in sorted(
                {h["meeting"] for h in repair.conflicts(self.deps, g, venues, fac, now)}
            ):
                fresh = self.raw_store.get(f"groups/{gid}") or {}
                day = date.fromisoformat(fresh["meeting_dates"][int(key) - 1])
                later = (day + timedelta(days=7)).isoformat()
                form = {"meeting": [key], "date": [later]}
                if (
                    self.rng.random() < 0.5
                    and commands.repair(self.deps, "c-sim", gid, "move_meeting", form) == "ok"
                ):
                    self.history.repairs["move_meeting"] += 1
                    continue
                if (
                    commands.repair(self.deps, "c-sim", gid, "cancel_meeting", {"meeting": [key]})
                    == "ok"
                ):
                    self.history.repairs["cancel_meeting"] += 1

    def _ttl_delay(self, doc_id: str) -> timedelta:
        # a stable hash (str hashes differ per process unless PYTHONHASHSEED is set)
        h = int.from_bytes(hashlib.sha256(f"{doc_id}|{self.o.seed}".encode()).digest()[:4], "big")
        return timedelta(hours=(h % 1000) / 1000 * 18)

    def _on_ttl_delete(self, collection: str, doc_id: str, doc: Doc) -> None:
        why = invariants.lost_by_ttl(collection, doc_id, doc)
        if why:
            self.history.lost[doc_id] = why

    # ------------------------------------------------------------ the daily check

    def daily_check(self, _: Any) -> None:
        """Record what the database shows today and check the invariants on it."""
        now = self.clock.now()
        h = self.history
        pending = invariants.pending_work(self.raw_store, self.queue.pending.values())
        groups = dict(self.raw_store.query("groups"))
        inquiries = self.raw_store.query("inquiries")
        h.observe_groups(groups)
        h.observe_inquiries(inquiries)
        _keep_first(invariants.stuck(self.raw_store, now, pending, groups, inquiries), h.stuck)
        h.double |= invariants.double_bookings(groups)
        arrived = {iid: res.created for iid, res in self.people.residents.items()}
        # issue 16: what calendars hold is true, and is what was sent; nobody placed in a
        # cancelled group
        _keep_first(invariants.calendars_untrue(groups, now, self.meeting_start), h.calendar_untrue)
        address = {
            iid: res.email for iid, res in self.people.residents.items() if res.email is not None
        } | {f"facilitator:{fid}": em for em, fid in self.people.facilitator_emails.items()}
        _keep_first(
            invariants.calendars_unsent(groups, h.ics_last, address, pending, now),
            h.calendar_unsent,
        )
        h.placed_cancelled |= invariants.placed_in_cancelled(groups, inquiries)
        _keep_first(
            invariants.retention_violations(
                self.raw_store, now, self.deps.centre.retention, h.last_meeting, arrived
            ),
            h.retention,
        )
        # issue 16: every join-link open since yesterday, judged at the moment it was made
        for at, token_id, status, why in self.people.join_opens[h.join_checked :]:
            h.join_opens[("inside" if status == 303 else "outside")] += 1
            if why:
                h.join_wrong.setdefault(f"{token_id}@{at:%Y-%m-%dT%H:%M}", why)
        h.join_checked = len(self.people.join_opens)
        # issue 18: every report sent so far still equals its counters
        years = range(self.start.year - 1, now.astimezone(TZ).year + 1)
        for figure in invariants.frozen_drift(self.deps, years):
            h.drift.setdefault(figure, f"{now.astimezone(TZ):%Y-%m-%d}")
