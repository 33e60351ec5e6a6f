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

    # ------------------------------------------------------------ reading mail

    def read(self, mail: OutgoingMail) -> None:
        from workflows.platform import tokens

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
        elif action == "survey" and r.random() < 0.5:
            form = {"satisfaction": [str(r.choice((3, 4, 4, 5, 5)))], "recommend": ["yes"]}
            self._click(now + timedelta(days=r.uniform(0, 10)), token_id, signed, action, form)

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
