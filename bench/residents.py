"""The people of the simulated year (its workload): residents arrive by municipality population and
topic mix and post the real intake; everyone acts only on the mails that reach them, by following
the links in them after a while — residents answer invitations, ask for follow-ups, answer surveys
and erase themselves; facilitators answer offers; the coordinator confirms pre-talks, approves
proposals, relays phone-only members' answers, and is away for a while, if asked."""

from __future__ import annotations

import dataclasses
import random
import re
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bench.sim import Agenda, Faults, MidTxCrash, SimCrash, VirtualClock
from shared.domain import links
from shared.ports import Doc, OutgoingMail, Store

TZ = ZoneInfo("Europe/Oslo")
LINK = re.compile(r"/actions\?t=([A-Za-z0-9_\-]+\.\d+\.[A-Za-z0-9_\-]+)")
JOIN = re.compile(r"/join\?t=([A-Za-z0-9_\-]+\.\d+\.[A-Za-z0-9_\-]+)")
ME_LINK = re.compile(r"/me\?t=([A-Za-z0-9_\-]+\.\d+\.[A-Za-z0-9_\-]+)")
WIDENING = re.compile(r'name="widening" value="([^"]+)"')
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
class Resident:
    iid: str
    email: str | None
    created: datetime
    erase_at: datetime | None
    decisions: dict[str, str] = dataclasses.field(default_factory=dict)  # group id -> answer


@dataclasses.dataclass(frozen=True)
class Habits:
    """How the people behave (the year's options)."""

    erase: float = 0.03  # share of residents who erase themselves some day
    decline: float = 0.15  # share of invitations declined
    no_answer: float = 0.10  # share of invitations not answered
    coordinator_away: tuple[date, int] | None = None  # from, days
    leave: float = 0.06  # share of placed members who leave their group early (issue 16)
    # the person's own page (issue 17/21): False = nobody opens it (the comparison run)
    use_page: bool = True
    visit: float = 0.3  # share of residents who open their page from the receipt some day
    widen_accept: float = 0.4  # share who accept the widening a page or an offer proposes
    answer_question: float = 0.6  # share who answer "do you still want a place?" (yes mostly)


class People:
    """Everyone the centre mails. Clicks are events on the agenda: `click` delivers one through
    workflows/actions.py, the path the action page takes, with the world's faults armed."""

    def __init__(
        self,
        deps: Any,
        store: Store,
        clock: VirtualClock,
        agenda: Agenda,
        rng: random.Random,
        faults: Faults,
        habits: Habits,
        clicks: Counter[str],
    ) -> None:
        self.deps = deps
        self.store = store  # the raw store: reading a link is not a step that can crash
        self.clock = clock
        self.agenda = agenda
        self.rng = rng
        self.faults = faults
        self.habits = habits
        self.clicks = clicks
        self.residents: dict[str, Resident] = {}
        self.by_email: dict[str, Resident] = {}
        self.facilitator_emails: dict[str, str] = {}  # address -> facilitator id
        self.coordinators = {c.email for c in deps.centre.coordinators}
        self.handled_tokens: set[str] = set()
        self._decisions: dict[str, str] = {}
        self.join_links_seen: set[str] = set()
        # every join-link open: (when, link's token id, group, recipient, answered status, verdict)
        self.join_opens: list[tuple[datetime, str, int, str | None]] = []

    # ------------------------------------------------------------ arrivals

    def arrive(self, n: int) -> None:
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
        erase_at = (
            now + timedelta(days=r.uniform(1, 200)) if r.random() < self.habits.erase else None
        )
        res = Resident(iid, email, now, erase_at)
        self.residents[iid] = res
        if email:
            self.by_email[email] = res

    def import_list(self, n: int) -> dict[str, int]:
        """Issue 17: the centre's existing waiting list comes in from a spreadsheet on the first
        Monday — n people who waited 0-120 days already, most of them after a pre-talk, the cells
        as a coordinator types them (topic names, "kveld", dd.mm.yyyy); no receipts."""
        import io

        from openpyxl import Workbook

        from workflows.console import importing

        c, r = self.deps.centre, self.rng
        names = {t.key: t.nb for t in c.topics}
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(
            [
                "Navn",
                "E-post",
                "Telefon",
                "Kommune",
                "Tema",
                "Møteform",
                "Tid",
                "Venter siden",
                "Forsamtale",
                "Samtykke dato",
                "Samtykke",
            ]
        )
        today = self.clock.now().astimezone(TZ).date()
        places = [m.name for m in c.municipalities]
        weights = [m.population for m in c.municipalities]
        for i in range(n):
            topic = r.choices(list(TOPIC_MIX), list(TOPIC_MIX.values()))[0]
            since = today - timedelta(days=r.randint(0, 120))
            email = f"liste{i}-{r.randrange(10**6)}@innbygger.example"
            sheet.append(
                [
                    f"Listeperson {i}",
                    email,
                    f"9{r.randrange(10**7):07d}" if r.random() < 0.5 else "",
                    r.choices(places, weights)[0],
                    names.get(topic, topic) + (", general" if r.random() < 0.4 else ""),
                    r.choice(["fysisk", "fysisk, digitalt", "digitalt"]),
                    r.choice(["kveld", "kveld, dagtid", "dagtid", "helg"]),
                    f"{since:%d.%m.%Y}",
                    "ja" if r.random() < 0.7 else "nei",
                    f"{since:%d.%m.%Y}",
                    "muntlig",
                ]
            )
        out = io.BytesIO()
        book.save(out)
        result = importing.run(
            self.deps, "sim-coordinator", out.getvalue(), "venteliste.xlsx", "people", "nb"
        )
        if isinstance(result, importing.FileProblem):
            raise RuntimeError(f"the simulated import was refused: {result.message}")
        now = self.clock.now()
        for row in result.rows:
            if row.action == "create":
                person = self.store.get(f"people/{row.key}") or {}
                res = Resident(row.key, person.get("email"), now, None)
                self.residents[row.key] = res
                if res.email:
                    self.by_email[res.email] = res
        return {"created": result.created, "updated": result.updated, "rejected": result.rejected}

    def change_coordinators(self) -> None:
        """Issue 17: a new coordinator is added in the settings and the first one removed; work
        still addressed to the one who left must reach the new one."""
        from workflows.console import settings_pages
        from workflows.platform import coordinators

        first = coordinators.listed(self.deps)[0]
        new = "ny.koordinator@linkbergen.example"
        form = {"coordinator_name": ["Ny koordinator"], "coordinator_email": [new]}
        add = settings_pages.add_coordinator(self.deps, form, "nb")
        assert not settings_pages.change(self.deps, first.id, "add_coordinator", "", add, "nb")
        self.coordinators.add(new)
        me = coordinators.by_email(self.deps, new)
        assert me is not None
        gone = settings_pages.remove_coordinator(first.id, me.id, "nb")
        problems = settings_pages.change(
            self.deps, me.id, "remove_coordinator", first.id, gone, "nb"
        )
        assert not problems, problems
        self.coordinators.discard(first.email)

    # ------------------------------------------------------------ reading mail

    def read(self, mail: OutgoingMail) -> None:
        from workflows.platform import tokens

        if self.habits.use_page:
            for signed in ME_LINK.findall(mail.text):
                self._own_page(mail, signed)

        for signed in LINK.findall(mail.text):
            try:
                link = links.verify(self.deps.settings.link_signing_key, signed)
            except links.BadLink:
                continue
            token = tokens.load(
                self.store.get, link.token_id, link.expires, key=self.deps.settings.link_signing_key
            )
            if token is not None:
                self._route(mail.to, token, link.token_id, signed)
        for signed in JOIN.findall(mail.text):
            if signed not in self.join_links_seen:  # the reminder repeats the link
                self.join_links_seen.add(signed)
                self._plan_joins(signed)

    # ------------------------------------------------------------ joining a digital group (issue 16)

    def _plan_joins(self, signed: str) -> None:
        """A member (or the facilitator) of a digital group opens their join link around each
        meeting the mail names — most a few minutes before it starts, some too early, some late,
        some after it ended — and once more some weeks later (after the meetings, or after they
        left or were erased)."""
        from workflows.saga.resources import meeting_start

        try:
            link = links.verify(self.deps.settings.link_signing_key, signed)
        except links.BadLink:
            return
        doc = self.store.get(f"join_links/{link.token_id}")
        group = self.store.get(f"groups/{doc['group_id']}") if doc else None
        if group is None:
            return
        r = self.rng
        for day in group.get("meeting_dates") or []:
            start = meeting_start(self.deps, date.fromisoformat(day), str(group["slot"]))
            x = r.random()
            if x < 0.6:  # on time: inside the window
                at = start + timedelta(minutes=r.uniform(-14, 80))
            elif x < 0.75:  # too early
                at = start - timedelta(minutes=r.uniform(16, 600))
            elif x < 0.85:  # after it ended
                at = start + timedelta(minutes=r.uniform(91, 400))
            else:
                continue  # did not come this time
            self.agenda.push(at, "join", signed)
        self.agenda.push(self.clock.now() + timedelta(days=r.uniform(20, 120)), "join", signed)

    def open_join(self, signed: str) -> None:
        """Open the link as a browser does (GET /join: nothing is written, so no fault is armed),
        and judge the answer by what the database says right now (bench/invariants.py)."""
        from bench import invariants
        from workflows.links import join

        answer = join.open_link(self.deps, signed, "", "nb")
        link = links.verify(self.deps.settings.link_signing_key, signed)
        verdict = invariants.join_let_in_wrongly(
            self.deps, self.store, self.clock.now(), link.token_id, answer.status
        )
        self.join_opens.append((self.clock.now(), link.token_id, answer.status, verdict))

    def _coordinator_time(self, delay_days: tuple[float, float]) -> datetime:
        at = self.clock.now() + timedelta(days=self.rng.uniform(*delay_days))
        away = self.habits.coordinator_away
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
        elif action == "leave_group" and r.random() < self.habits.leave:
            # "I can't continue" (issue 16): some before the start, most in the first weeks;
            # half of them ask to go back to the pool
            form = {"back": ["yes"]} if r.random() < 0.5 else {}
            self._click(now + timedelta(days=r.uniform(1, 40)), token_id, signed, action, form)
        elif action == "survey" and r.random() < 0.5:
            form = {"satisfaction": [str(r.choice((3, 4, 4, 5, 5)))], "recommend": ["yes"]}
            self._click(now + timedelta(days=r.uniform(0, 10)), token_id, signed, action, form)

    # ------------------------------------------------------------ the person's own page

    def _own_page(self, mail: OutgoingMail, signed: str) -> None:
        """Receipt: some open their page later and accept what it proposes; the widening offer:
        some accept it; the 12-week question: some answer (yes mostly, now and then no, and some
        of those undo it), the rest stay silent."""
        res = self.by_email.get(mail.to)
        if res is None:
            return
        r, h, now = self.rng, self.habits, self.clock.now()
        key = mail.message_key
        if key.startswith("receipt-") and r.random() < h.visit:
            self.agenda.push(now + timedelta(days=r.uniform(20, 150)), "page", (signed, "look", 0))
        elif key.startswith("widen-") and r.random() < h.widen_accept:
            self.agenda.push(now + timedelta(days=r.uniform(0.2, 7)), "page", (signed, "widen", 0))
        elif key.startswith("still-") and r.random() < h.answer_question:
            x = r.random()
            answer = "still_yes" if x < 0.8 else "still_unsure" if x < 0.9 else "still_no"
            self.agenda.push(now + timedelta(days=r.uniform(0.1, 10)), "page", (signed, answer, 0))
            if answer == "still_no" and r.random() < 0.25:
                later = now + timedelta(days=r.uniform(11, 13.5))
                self.agenda.push(later, "page", (signed, "undo", 0))

    def page(self, data: tuple[str, str, int]) -> None:
        """Open the page (GET, which never acts) and do one thing on it."""
        from workflows.links import me

        signed, what, tries = data
        self.faults.arm()
        try:
            form: dict[str, list[str]] = {}
            if what in ("look", "widen"):
                view = me.view(self.deps, signed, "nb")
                offers = WIDENING.findall(view.body) if view.status == 200 else []
                self.clicks[f"page_view:{view.status}"] += 1
                if not offers or (what == "look" and self.rng.random() >= self.habits.widen_accept):
                    return
                action, form = "widen", {"widening": [offers[0]]}
            else:
                action = what
            page = me.act(self.deps, signed, {"action": [action], **form}, "nb")
            self.clicks[f"page_{action}:{page.status}"] += 1
        except (SimCrash, MidTxCrash):
            if tries < 3:
                self.agenda.push(
                    self.clock.now() + timedelta(minutes=5), "page", (signed, what, tries + 1)
                )
        finally:
            self.faults.disarm()

    # ------------------------------------------------------------ decisions

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
        h = self.habits
        accept_p = max(0.0, 1 - h.decline - h.no_answer)
        choice = self._decide(
            f"inv:{token.get('group_id')}:{token.get('inquiry_id')}", (accept_p, h.decline)
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

    # ------------------------------------------------------------ following a link

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

    def click(self, data: tuple[str, str, dict[str, list[str]], int]) -> None:
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
