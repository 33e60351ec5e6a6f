"""A simulated year of the demo centre on the real workflow code (issue 8; CONTRACT.md § The simulated year).

    .venv/bin/python -m bench.year --days 365 --seed 1 --json var/year.json --outbox var/year-outbox

Residents arrive by municipality population and topic mix and post the real intake; every email is
written by the real .eml outbox adapter into --outbox, and the simulated people act only on what
reaches them: they follow the links in their emails (accept, decline, no answer, follow-up, survey,
erasure), facilitators answer offers, a coordinator confirms pre-talks and approves proposals after
a delay (and is away for a while, if asked). Tasks are delivered through workflows/tasks.py, the
path the task functions use, in virtual-time order, some twice, some out of order, some crashing
inside the step. Firestore TTL is applied as Firestore applies it. Every simulated day the
invariants are checked (README § The simulated year defines them).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import random
import re
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

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
    firestore_emulator,
    percentile,
)
from shared.domain import lifecycle, links
from shared.ports import Doc, OutgoingMail, TaskSpec, Where

TZ = ZoneInfo("Europe/Oslo")
LINK = re.compile(r"/actions\?t=([A-Za-z0-9_\-]+\.\d+\.[A-Za-z0-9_\-]+)")
TOPIC_MIX = {  # share of inquiries naming each topic (a person may name two)
    "general": 0.30,
    "bereavement": 0.14,
    "relatives": 0.14,
    "loneliness": 0.10,
    "divorce": 0.08,
    "mental_strain": 0.10,
    "unemployment": 0.04,
    "new_in_norway": 0.05,
    "young_adults": 0.05,
}
TIME_MIX = {"weekday_evening": 0.6, "weekday_daytime": 0.3, "weekend": 0.1}


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


@dataclasses.dataclass
class Resident:
    iid: str
    email: str | None
    created: datetime
    erase_at: datetime | None
    decisions: dict[str, str] = dataclasses.field(default_factory=dict)  # group id -> answer


def next_january(today: date) -> date:
    return date(today.year + 1, 1, 1)


class Year:
    def __init__(self, opts: Options, project: str) -> None:
        from shared.adapters.firestore_store import FirestoreStore
        from shared.adapters.mail import OutboxMailer
        from shared.config import Settings, get_centre
        from workflows.platform.runtime import Deps

        self.o = opts
        self.rng = random.Random(opts.seed)
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
        self.mail_log: list[OutgoingMail] = []
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
            centre=get_centre(),
            store=CrashStore(self.raw_store, self.faults),  # type: ignore[arg-type]
            queue=self.queue,
            mailer=mailer,
            clock=self.clock,
        )
        self.residents: dict[str, Resident] = {}
        self.by_email: dict[str, Resident] = {}
        self.facilitator_emails: dict[str, str] = {}
        self.coordinators = {c.email for c in self.deps.centre.coordinators}
        self.handled_tokens: set[str] = set()
        self.erased: set[str] = set()
        # observations
        self.placed: dict[str, float] = {}  # inquiry id -> days waited
        self.placed_at: dict[str, datetime] = {}  # a late accepter is placed after confirmation
        self.started: dict[str, str] = {}  # group id -> facilitator id
        self.last_meeting: dict[str, date] = {}
        self.stuck: dict[str, str] = {}
        self.lost: dict[str, str] = {}
        self.double: set[str] = set()
        self.retention: dict[str, str] = {}
        self.surveys_due: set[str] = set()
        self.confirmed_members: dict[
            str, tuple[str, datetime]
        ] = {}  # inquiry -> (group, confirmed)
        self.deliveries = 0
        self.failed_deliveries = 0
        self.dropped: list[str] = []
        self.clicks = Counter[str]()
        self.reports_sent = 0
        self._decisions: dict[str, str] = {}
        self.group_fate: dict[str, str] = {}

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
                    self.facilitator_emails[doc["email"]] = doc_id

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
            if local.day == 5 and local.month in (1, 4, 7, 10):
                self.agenda.push(
                    day + timedelta(hours=5), "report", self._previous_quarter(local.date())
                )
            if local.day == 15 and local.month == 1:
                self.agenda.push(day + timedelta(hours=5), "report", str(local.year - 1))
            day += timedelta(days=1)
        t = self.start
        while t < self.end:
            t += timedelta(hours=self.o.sweep_hours)
            self.agenda.push(t, "sweep")

    @staticmethod
    def _previous_quarter(d: date) -> str:
        q = (d.month - 1) // 3
        return f"{d.year - 1}-Q4" if q == 0 else f"{d.year}-Q{q}"

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
            getattr(self, f"on_{ev.kind}")(ev.data)
        self.clock.t = self.end
        self.daily_check(None)
        out = self.metrics()
        out["wall_seconds"] = round(time.monotonic() - wall, 1)
        out["report_audit"] = self.report_audit()
        return out

    def report_audit(self) -> list[dict[str, Any]]:
        """The attacker's audit (issue 10) of every report the simulated years sent."""
        from workflows.reporting.audit import audit_year

        years = range(self.start.year, self.end.year + 1)
        found = [audit_year(self.deps, y) for y in years]
        return [a for a in found if a["reports"]]

    def on_task(self, data: tuple[TaskSpec, int]) -> None:
        from workflows import tasks

        spec, attempt = data
        self.deliveries += 1
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
        self.failed_deliveries += 1
        from workflows.tasks import MAX_ATTEMPTS

        if attempt + 1 >= MAX_ATTEMPTS[spec.target]:
            self.queue.pending.pop(spec.name, None)
            self.dropped.append(spec.name)  # Cloud Tasks gives up; it must be in deadletters/
            return
        self.agenda.push(self.queue.retry_at(spec, attempt), "task", (spec, attempt + 1))

    def on_sweep(self, _: Any) -> None:
        from shared.ports import TransientError
        from workflows.platform import sweep

        with contextlib.suppress(TransientError):
            sweep.run(self.deps)
        apply_ttl(self.raw_store, self.clock.now(), self._ttl_delay, self._on_ttl_delete)

    def on_digest(self, _: Any) -> None:
        from workflows.reporting import digest

        digest.run(self.deps)

    def on_report(self, period: str) -> None:
        from workflows.reporting import report

        self.reports_sent += len(report.run(self.deps, period))

    def on_daily_check(self, _: Any) -> None:
        self.daily_check(None)

    # ------------------------------------------------------------ residents

    def on_arrival(self, n: int) -> None:
        from workflows import intake

        c = self.deps.centre
        r = self.rng
        codes = [m.code for m in c.municipalities]
        weights = [m.population for m in c.municipalities]
        municipality = "other" if r.random() < 0.02 else r.choices(codes, weights)[0]
        topics = {r.choices(list(TOPIC_MIX), list(TOPIC_MIX.values()))[0]}
        if r.random() < 0.3:
            topics.add(r.choices(list(TOPIC_MIX), list(TOPIC_MIX.values()))[0])
        if r.random() < 0.4:
            topics.add("general")
        fmt = r.random()
        formats = (
            ["in_person"] if fmt < 0.55 else ["in_person", "digital"] if fmt < 0.9 else ["digital"]
        )
        times = {r.choices(list(TIME_MIX), list(TIME_MIX.values()))[0]}
        if r.random() < 0.4:
            times.add(r.choices(list(TIME_MIX), list(TIME_MIX.values()))[0])
        travel = (
            r.sample([x for x in codes if x != municipality], r.choice((1, 2)))
            if r.random() < 0.2
            else []
        )
        phone_only = r.random() < 0.12
        email = None if phone_only else f"r{n}-{r.randrange(10**6)}@innbygger.example"
        body: dict[str, Any] = {
            "name": f"Person {n}",
            "municipality": municipality,
            "topics": sorted(topics),
            "formats": formats,
            "times": sorted(times),
            "languages": ["no", "en"] if r.random() < 0.1 else ["no"],
            "travel": travel,
            "heard_from": r.choice(["self", "nav", "health_service", "friend_family", "media"]),
            "consent": True,
            "adult": True,
        }
        if r.random() < 0.6:
            body["age_band"] = r.choice(["18-29", "30-44", "45-59", "60-74", "75+"])
        if email:
            body["email"] = email
        if phone_only or r.random() < 0.5:
            body["phone"] = f"9{r.randrange(10**7):07d}"
        result = intake.submit(self.deps, body, "nb")
        iid = getattr(result, "inquiry_id", None)
        if not iid:
            raise RuntimeError(f"the simulated form was refused: {result}")
        now = self.clock.now()
        erase_at = now + timedelta(days=r.uniform(1, 200)) if r.random() < self.o.erase else None
        res = Resident(iid, email, now, erase_at)
        self.residents[iid] = res
        if email:
            self.by_email[email] = res

    # ------------------------------------------------------------ email

    def _on_mail(self, mail: OutgoingMail) -> None:
        from workflows.platform import tokens

        self.mail_log.append(mail)
        for signed in LINK.findall(mail.text):
            try:
                link = links.verify(self.deps.settings.link_signing_key, signed)
            except links.BadLink:
                continue
            token = tokens.load(
                self.raw_store.get,
                link.token_id,
                link.expires,
                key=self.deps.settings.link_signing_key,
            )
            if token is not None:
                self._route(mail.to, token, link.token_id, signed)

    def _coordinator_time(self, delay_days: tuple[float, float]) -> datetime:
        at = self.clock.now() + timedelta(days=self.rng.uniform(*delay_days))
        away = self.o.coordinator_away
        if away:
            a0 = datetime.combine(away[0], datetime.min.time(), tzinfo=TZ)
            a1 = a0 + timedelta(days=away[1])
            if a0 <= at < a1:
                at = a1 + timedelta(days=self.rng.uniform(0.1, 2))
        return at

    def _route(self, to: str, token: Doc, token_id: str, signed: str) -> None:
        action = str(token["action"])
        if token_id in self.handled_tokens:
            return  # a link seen before (the digest repeats them): one decision per link
        pair = token.get("pair")
        r = self.rng
        now = self.clock.now()
        if to in self.coordinators:
            if action == "confirm_pretalk":
                self._click(self._coordinator_time((0.2, 4)), token_id, signed, action)
            elif action == "approve_group":
                self._click(self._coordinator_time((0.2, 3)), token_id, signed, action)
            elif action == "retry_staffing" and r.random() < 0.3:
                self._click(self._coordinator_time((1, 3)), token_id, signed, action)
            elif action == "close_group" and r.random() < 0.4:
                self._click(now + timedelta(days=r.uniform(60, 300)), token_id, signed, action)
            elif action in ("accept_invitation", "decline_invitation"):
                # a phone-only member: the coordinator calls and answers for them
                self._answer_invitation(token, token_id, signed, pair, coordinator=True)
            return
        if to in self.facilitator_emails:
            if action in ("accept_offer", "decline_offer"):
                key = f"offer:{token.get('group_id')}:{token.get('round')}:{token.get('step', '')}"
                choice = self._decide(key, (0.75, 0.15))
                if (choice == "accept") == (action == "accept_offer") and choice != "none":
                    self._click(now + timedelta(hours=r.uniform(1, 40)), token_id, signed, action)
                    self.handled_tokens.add(str(pair))
            elif action == "request_followup" and r.random() < 0.05:
                self._click(now + timedelta(days=r.uniform(60, 200)), token_id, signed, action)
            return
        res = self.by_email.get(to)
        if res is None:
            return
        if action == "erase" and res.erase_at is not None:
            self._click(max(res.erase_at, now), token_id, signed, action)
        elif action in ("accept_invitation", "decline_invitation"):
            self._answer_invitation(token, token_id, signed, pair, coordinator=False)
        elif action == "request_followup" and r.random() < 0.08:
            self._click(now + timedelta(days=r.uniform(30, 200)), token_id, signed, action)
        elif action == "survey" and r.random() < 0.5:
            form = {"satisfaction": [str(r.choice((3, 4, 4, 5, 5)))], "recommend": ["yes"]}
            self._click(now + timedelta(days=r.uniform(0, 10)), token_id, signed, action, form)

    def _decide(self, key: str, p: tuple[float, float]) -> str:
        if key not in self._decisions:
            x = self.rng.random()
            self._decisions[key] = (
                "accept" if x < p[0] else "decline" if x < p[0] + p[1] else "none"
            )
        return self._decisions[key]

    def _answer_invitation(
        self, token: Doc, token_id: str, signed: str, pair: Any, coordinator: bool
    ) -> None:
        action = str(token["action"])
        accept_p = max(0.0, 1 - self.o.decline - self.o.no_answer)
        choice = self._decide(
            f"inv:{token.get('group_id')}:{token.get('inquiry_id')}", (accept_p, self.o.decline)
        )
        if choice == "none" or (choice == "accept") != (action == "accept_invitation"):
            return
        at = (
            self._coordinator_time((0.2, 3))
            if coordinator
            else self.clock.now() + timedelta(hours=self.rng.uniform(1, 120))
        )
        self._click(at, token_id, signed, action)
        self.handled_tokens.add(str(pair))

    def _click(
        self,
        at: datetime,
        token_id: str,
        signed: str,
        action: str,
        form: dict[str, list[str]] | None = None,
    ) -> None:
        self.handled_tokens.add(token_id)
        self.agenda.push(at, "click", (signed, action, form or {}, 0))

    def on_click(self, data: tuple[str, str, dict[str, list[str]], int]) -> None:
        from workflows.links import actions

        signed, action, form, tries = data
        self.faults.arm()
        try:
            page = actions.act(self.deps, signed, {"action": [action], **form}, "nb")
            self.clicks[f"{action}:{page.status}"] += 1
        except (SimCrash, MidTxCrash):
            if tries < 3:  # the page failed to load: the person tries again a little later
                self.agenda.push(
                    self.clock.now() + timedelta(minutes=5),
                    "click",
                    (signed, action, form, tries + 1),
                )
        finally:
            self.faults.disarm()

    # ------------------------------------------------------------ TTL and invariants

    def _ttl_delay(self, doc_id: str) -> timedelta:
        return timedelta(hours=(hash((doc_id, self.o.seed)) % 1000) / 1000 * 18)

    def _on_ttl_delete(self, collection: str, doc_id: str, doc: Doc) -> None:
        if collection == "inquiries" and not lifecycle.INQUIRY[doc["status"]].terminal:
            self.lost[doc_id] = f"inquiry deleted by TTL while {doc['status']}"
        if collection == "groups" and not lifecycle.GROUP[doc["status"]].terminal:
            self.lost[doc_id] = f"group deleted by TTL while {doc['status']}"

    def pending_index(self) -> set[tuple[str, str]]:
        """(kind, subject) of every task still to come: in the queue, or waiting in the outbox."""
        out: set[tuple[str, str]] = set()
        specs = list(self.queue.pending.values())
        from workflows.platform.outbox import pending_specs

        for _, doc in self.raw_store.query("outbox", [Where("status", "==", "pending")]):
            specs += pending_specs(doc)
        for s in specs:
            b = s.body
            kind = str(b.get("kind") or b.get("reason") or b.get("mail"))
            for key in ("group_id", "inquiry_id", "subject_id"):
                if b.get(key):
                    out.add((kind, str(b[key])))
        return out

    def live(self, token_id: Any, now: datetime) -> bool:
        if not token_id:
            return False
        t = self.raw_store.get(f"tokens/{token_id}")
        return bool(t and t.get("used_at") is None and t["expires"] > now)

    def daily_check(self, _: Any) -> None:
        now = self.clock.now()
        pending = self.pending_index()
        gdocs = dict(self.raw_store.query("groups"))
        for gid, g in gdocs.items():
            self.group_fate[gid] = str(g["status"]) + (
                f":{g['dissolved_because']}" if g.get("dissolved_because") else ""
            )
            status = g["status"]
            if g.get("meeting_dates"):
                self.last_meeting[gid] = date.fromisoformat(max(g["meeting_dates"]))
            if g.get("started_at") and gid not in self.started:
                self.started[gid] = str(g.get("facilitator_id"))
            if g.get("confirmed_at"):
                for mid, m in g["members"].items():
                    if m.get("response") == "accepted":
                        self.confirmed_members.setdefault(mid, (gid, g["confirmed_at"]))
            why = self._group_stuck(gid, g, pending, now)
            if why:
                self.stuck.setdefault(gid, why)
        self._check_bookings(gdocs)
        for iid, inq in self.raw_store.query("inquiries"):
            status = inq["status"]
            if status == "placed" and iid not in self.placed:
                self.placed[iid] = (inq["placed_at"] - inq["created_at"]).total_seconds() / 86400
                self.placed_at[iid] = inq["placed_at"]
            why = self._inquiry_stuck(iid, inq, gdocs, pending, now)
            if why:
                self.stuck.setdefault(iid, why)
            if status == "erased":
                self.erased.add(iid)
        self._check_retention(now)

    def _group_stuck(
        self, gid: str, g: Doc, pending: set[tuple[str, str]], now: datetime
    ) -> str | None:
        s = g["status"]
        has = lambda kind: (kind, gid) in pending  # noqa: E731
        if s == "awaiting_approval":
            ok = has("approval_deadline") and self.live(g.get("approval_token"), now)
        elif s == "approved":
            ok = has("offer")
        elif s == "offered":
            ok = has("offer_timeout") or self.live((g.get("offer") or {}).get("accept_token"), now)
        elif s == "needs_facilitator":
            ok = has("restaff") or self.live(g.get("retry_token"), now)
        elif s == "facilitator_confirmed":
            ok = has("invitation_deadline")
        elif s == "confirmed":
            ok = has("first_meeting") or has("facilitation_over")
        elif s == "started":
            ok = has("facilitation_over")
        elif s == "self_run":
            ok = has("auto_close")
        else:
            ok = True
        return None if ok else f"group {s} with no way forward"

    def _inquiry_stuck(
        self,
        iid: str,
        inq: Doc,
        gdocs: dict[str, Doc],
        pending: set[tuple[str, str]],
        now: datetime,
    ) -> str | None:
        s = inq["status"]
        if s == "received":
            ok = ("intake", iid) in pending or any(k == iid for _, k in pending)
        elif s == "awaiting_pretalk":
            ok = self.live(inq.get("pretalk_token"), now) and ("inquiry_expiry", iid) in pending
        elif s == "waiting":
            ok = ("inquiry_expiry", iid) in pending
        elif s == "proposed":
            g = gdocs.get(str(inq.get("group_id")))
            ok = g is not None and g["status"] in lifecycle.ACTIVE_GROUP and iid in g["members"]
        else:
            ok = True
        return None if ok else f"inquiry {s} with no way forward"

    def _check_bookings(self, gdocs: dict[str, Doc]) -> None:
        venue: dict[tuple[str, str], str] = {}
        fac: dict[tuple[str, str, str], str] = {}
        for gid, g in gdocs.items():
            if g["status"] in ("closed", "dissolved"):
                continue
            if g.get("venue_id"):
                key = (str(g["venue_id"]), str(g["slot"]))
                if key in venue and venue[key] != gid:
                    self.double.add(f"venue {key} {venue[key]} {gid}")
                venue[key] = gid
            part = str(g["slot"]).split("_")[1]
            fid = g.get("facilitator_id") or (g.get("offer") or {}).get("facilitator_id")
            dates = g.get("meeting_dates") or (g.get("offer") or {}).get("dates") or []
            if fid and g["status"] in lifecycle.FACILITATED:
                for d in dates:
                    key3 = (str(fid), d, part)
                    if key3 in fac and fac[key3] != gid:
                        self.double.add(f"facilitator {key3} {fac[key3]} {gid}")
                    fac[key3] = gid
            fu = g.get("followup") or {}
            if fu.get("status") in ("offered", "arranged") and fu.get("date"):
                key3 = (str(fu["facilitator_id"]), str(fu["date"]), part)
                if key3 in fac and fac[key3] != gid:
                    self.double.add(f"facilitator {key3} {fac[key3]} {gid}")
                fac[key3] = gid

    def _check_retention(self, now: datetime) -> None:
        """Personal data (people/) kept past its rule + 1 day (README § The simulated year)."""
        c = self.deps.centre
        grace = timedelta(days=1)
        ids = [pid for pid, _ in self.raw_store.query("people")]
        inqs = self.raw_store.get_many([f"inquiries/{i}" for i in ids])
        for pid in ids:
            inq = inqs.get(f"inquiries/{pid}")
            res = self.residents.get(pid)
            created = (inq or {}).get("created_at") or (res.created if res else now)
            status = inq["status"] if inq else "missing"
            if status == "proposed":
                continue  # being placed right now: kept until the group is decided
            if status == "placed":
                gid = str(inq.get("group_id")) if inq else ""
                last = self.last_meeting.get(gid)
                if last is None:
                    continue
                rule = datetime.combine(last, datetime.min.time(), tzinfo=now.tzinfo) + timedelta(
                    days=c.retention.placed_days_after_facilitation
                )
            elif status == "erased":  # a tombstone: its expire_at is a day after the erasure
                rule = inq["expire_at"] - timedelta(days=1)  # type: ignore[index]
            elif status == "expired":
                rule = inq.get("expired_at") or created  # type: ignore[union-attr]
            else:
                rule = created + timedelta(days=c.retention.unplaced_days)
            if now > rule + grace:
                self.retention.setdefault(
                    pid, f"{status}: kept {(now - rule).days} days past its rule"
                )

    # ------------------------------------------------------------ figures

    def metrics(self) -> dict[str, Any]:
        waits = list(self.placed.values())
        loads = Counter(self.started.values())
        for fid in self.facilitator_emails.values():
            loads.setdefault(fid, 0)
        after = self.deps.centre.survey.after_days
        # due `after` days after the member joined: the group's confirmation, or later for a member
        # who accepted after it (CI once counted such a member due before their survey's time)
        joined = {
            mid: max(confirmed, self.placed_at.get(mid, confirmed))
            for mid, (_gid, confirmed) in self.confirmed_members.items()
        }
        due = {
            mid
            for mid, at in joined.items()
            if at + timedelta(days=after, hours=2) < self.end
            and (res := self.residents.get(mid)) is not None
            and res.email is not None
            and not (
                mid in self.erased and res.erase_at and res.erase_at < at + timedelta(days=after)
            )
        }
        surveyed = {m.to for m in self.mail_log if m.message_key.startswith("survey-")}
        due_emails = {self.residents[m].email for m in due}
        missing = [
            f"{mid}: joined {joined[mid]:%Y-%m-%d %H:%M}, group {self.confirmed_members[mid][0]}"
            for mid in sorted(due)
            if self.residents[mid].email not in surveyed
        ]
        seen: Counter[tuple[str, str, str]] = Counter(
            (m.to, m.subject, m.text) for m in self.mail_log
        )
        deadletters = self.raw_store.query("deadletters")
        return {
            "policy": self.o.policy,
            "days": self.o.days,
            "start": self.start.astimezone(TZ).date().isoformat(),
            "rate": self.o.rate,
            "inquiries": len(self.residents),
            "placed": len(waits),
            "placed_within_90_days": sum(1 for w in waits if w <= 90),
            "median_wait_days": round(percentile(waits, 0.5), 1),
            "p90_wait_days": round(percentile(waits, 0.9), 1),
            "groups_started": len(self.started),
            "facilitator_load_max": max(loads.values()) if loads else 0,
            "facilitator_load_min": min(loads.values()) if loads else 0,
            "facilitator_load": dict(sorted(loads.items())),
            "stuck": len(self.stuck),
            "lost": len(self.lost),
            "duplicate_emails": sum(n - 1 for n in seen.values() if n > 1),
            "double_bookings": len(self.double),
            "retention_violations": len(self.retention),
            "surveys_due": len(due_emails),
            "surveys_sent": len(surveyed),
            "surveys_due_not_sent": len(due_emails - surveyed),
            "deadletters": len(deadletters),
            "emails": len(self.mail_log),
            "reports_sent": self.reports_sent,
            "task_deliveries": self.deliveries,
            "failed_deliveries": self.failed_deliveries,
            "dropped_tasks": len(self.dropped),
            "duplicate_deliveries": self.queue.duplicated,
            "crashes_injected": dict(self.faults.injected),
            "clicks": dict(sorted(self.clicks.items())),
            "groups_by_state": dict(sorted(Counter(self.group_fate.values()).items())),
            "examples": {
                "stuck": dict(list(self.stuck.items())[:5]),
                "lost": dict(list(self.lost.items())[:5]),
                "double_bookings": sorted(self.double)[:5],
                "retention": dict(list(self.retention.items())[:5]),
                "deadletters": [d.get("reason") for _, d in deadletters[:5]],
                "surveys_missing": missing[:5],
                "duplicate_emails": [
                    f"{n}x {subject!r} ({to.split('@')[-1]})"
                    for (to, subject, _t), n in seen.items()
                    if n > 1
                ][:5],
            },
        }


def parse_away(raw: str) -> tuple[date, int]:
    day, _, n = raw.partition(":")
    return date.fromisoformat(day), int(n or 30)


def parse_args(argv: list[str] | None = None) -> tuple[Options, Path | None]:
    p = argparse.ArgumentParser(prog="bench.year", description=__doc__.split("\n\n")[0])
    p.add_argument("--days", type=int, default=365)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", type=Path, default=None, help="write the figures here")
    p.add_argument("--outbox", type=Path, default=Path("var/year-outbox"))
    p.add_argument("--start", type=date.fromisoformat, default=None, help="default: next 1 January")
    p.add_argument("--rate", type=float, default=250.0, help="inquiries a year")
    p.add_argument("--duplicates", type=float, default=0.0, help="share of tasks delivered twice")
    p.add_argument("--crashes", type=float, default=0.0, help="share of steps that crash inside")
    p.add_argument("--decline", type=float, default=0.15, help="share of invitations declined")
    p.add_argument(
        "--no-answer", type=float, default=0.10, help="share of invitations not answered"
    )
    p.add_argument("--coordinator-away", type=parse_away, default=None, metavar="YYYY-MM-DD:DAYS")
    p.add_argument("--policy", choices=("linkflyt", "baseline"), default="linkflyt")
    p.add_argument("--sweep-hours", type=float, default=6.0, help="sweep cadence in virtual hours")
    p.add_argument("--quiet", action="store_true")
    a = p.parse_args(argv)
    return (
        Options(
            days=a.days,
            seed=a.seed,
            start=a.start,
            rate=a.rate,
            duplicates=a.duplicates,
            crashes=a.crashes,
            decline=a.decline,
            no_answer=a.no_answer,
            coordinator_away=a.coordinator_away,
            policy=a.policy,
            outbox=a.outbox,
            sweep_hours=a.sweep_hours,
            quiet=a.quiet,
        ),
        a.json,
    )


def simulate(opts: Options) -> dict[str, Any]:
    """Run one simulated period on an emulator (FIRESTORE_EMULATOR_HOST, or one of its own)."""
    import logging

    from workflows.saga import assemble

    root = logging.getLogger()
    level, propose = root.level, assemble.propose
    root.setLevel(logging.CRITICAL)  # injected crashes are logged as failures
    project = f"linkflyt-sim-{uuid.uuid4().hex[:10]}"
    try:
        with firestore_emulator(Path("var/log")):
            return Year(opts, project).run()
    finally:
        root.setLevel(level)
        assemble.propose = propose  # the baseline policy swaps it


SUMMARY_KEYS = (
    "inquiries",
    "placed",
    "placed_within_90_days",
    "median_wait_days",
    "p90_wait_days",
    "groups_started",
    "facilitator_load_max",
    "facilitator_load_min",
    "stuck",
    "lost",
    "duplicate_emails",
    "double_bookings",
    "retention_violations",
    "surveys_due",
    "surveys_sent",
    "deadletters",
    "emails",
    "wall_seconds",
)


def main(argv: list[str] | None = None) -> int:
    opts, json_path = parse_args(argv)
    out = simulate(opts)
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(out, indent=2, default=str), encoding="utf-8")
    print(f"simulated {opts.days} days from {out['start']} ({opts.policy}, seed {opts.seed}):")
    for key in SUMMARY_KEYS:
        print(f"  {key:<24} {out[key]}")
    for a in out.get("report_audit", []):
        print(
            f"  reports {a['year']:<16} {a['reports']} sent, {a['hidden']} of {a['figures']} counts "
            f"hidden ({a['secondary']} secondary), disclosures {len(a['disclosures'])}"
        )
    if not opts.quiet:
        print(f"  emails in {opts.outbox}")
    bad = [
        k
        for k in ("stuck", "lost", "duplicate_emails", "double_bookings", "retention_violations")
        if out[k]
    ]
    if bad:
        print(
            f"  invariants broken: {', '.join(bad)}; examples: {json.dumps(out['examples'], default=str)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
