"""One simulated period for the tests that judge a whole period: issue 8's invariants
(tests/integration/test_year.py) and issue 19's data registry and log metrics
(tests/integration/test_registry_database.py). It used to be two runs (120 and 90 days, half
of the suite's time on two cores); one run of 75 days with everything both need is the same
evidence: duplicated and out-of-order deliveries, crashes inside steps, the coordinator away, a
waiting list imported on day one, a coordinator replaced in the settings, then the console's own
writes the simulated people never make."""

from __future__ import annotations

import dataclasses
import logging
import re
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

OPTIONS = dict(
    days=75,
    seed=19,
    start=date(2027, 1, 1),
    duplicates=0.2,
    crashes=0.02,
    coordinator_away=(date(2027, 2, 1), 21),
    # issue 17: the centre's waiting list comes in from a spreadsheet on the first day, and in
    # March a new coordinator replaces the first one in the console's settings
    import_people=40,
    coordinator_change=date(2027, 3, 1),
    quiet=True,
)


class Lines(logging.Handler):
    """Every log line of the workflow as Cloud Logging would receive it (our JSON formatter)."""

    def __init__(self) -> None:
        from shared.logs import JsonFormatter

        super().__init__(logging.INFO)
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@dataclasses.dataclass
class Period:
    out: dict[str, Any]  # bench.year's figures
    project: str
    outbox: Path
    emails_on_disk: int  # .eml files the period itself wrote (before the console's writes)
    written: tuple[datetime, datetime]
    lines: list[str]
    world: Any


def console_writes(year: Any) -> None:
    """What the simulated year never does: a coordinator signs in, adds a facilitator and a room,
    sends a personal link, deactivates a room; and a task that cannot be read is dead-lettered."""
    from shared.domain import roster
    from workflows import tasks
    from workflows.console import auth, commands

    deps = year.deps
    coordinator = deps.centre.coordinators[0].email
    auth.request_link(deps, coordinator, "203.0.113.19", "nb")
    token = re.findall(r"/console/login\?t=([\w-]+)", year.history.mails[-1].text)[-1]
    state, _sid = auth.sign_in(deps, token, None, "nb")
    assert state == "ok"
    actor = auth.coordinator_id(deps, coordinator)
    codes = tuple(m.code for m in deps.centre.municipalities)
    form = {
        "name": ["Registerprøve"],
        "email": ["registerprove@frivillig.example"],
        "municipalities": ["4601"],
        "slots": ["mon_evening"],
        "languages": ["no"],
        "topics": ["general"],
        "max_groups": ["1"],
        "away": [""],
        "course_completed": ["2026-09-01"],
    }
    doc, problems = roster.parse_facilitator(form, codes, deps.centre.topic_keys)
    assert not problems, problems.items
    fid = commands.save(deps, actor, "facilitators", None, doc)
    assert commands.send_self_link(deps, actor, fid) == "ok"
    room = {
        "name": ["Registerrommet"],
        "municipality": ["4601"],
        "capacity": ["8"],
        "accessible": ["1"],
        "slots": ["mon_evening"],
        # where to meet (issue 16): the address fields a venue now has
        "street": ["Kong Oscars gate 1"],
        "postcode": ["5017"],
        "post_place": ["Bergen"],
        "room": ["2. etasje"],
        "entry": ["Ring på klokka merket LINK"],
        "lat": ["60.3948"],
        "lon": ["5.3267"],
    }
    vdoc, vproblems = roster.parse_venue(room, codes)
    assert not vproblems, vproblems.items
    vid = commands.save(deps, actor, "venues", None, vdoc)
    assert commands.set_active(deps, actor, "venues", vid, False) == "ok"
    answer = tasks.handle(deps, "notify", {"not": "a notify task"}, "registry-test", 0)
    assert answer.outcome == "dead_lettered"


def run_period(root: Path) -> Period:
    """The period on the stack's emulator (FIRESTORE_EMULATOR_HOST), in a project of its own."""
    from bench.sim import repeatable
    from bench.world import Options, World
    from workflows.saga import assemble

    log_root, ours = logging.getLogger(), logging.getLogger("workflows")
    level, propose = log_root.level, assemble.propose
    log_root.setLevel(logging.CRITICAL)  # as bench.year.simulate: injected faults log as failures
    lines = Lines()
    ours.setLevel(logging.INFO)
    ours.addHandler(lines)
    project = f"linkflyt-period-{uuid.uuid4().hex[:8]}"
    outbox = root / "outbox"
    try:
        opts = Options(**OPTIONS, outbox=outbox)  # type: ignore[arg-type]
        with repeatable(opts.seed):  # one seed, one period: every check below is exercised
            year = World(opts, project)
            out = year.run()
            emails = len(list(outbox.glob("*.eml")))
            console_writes(year)
    finally:
        log_root.setLevel(level)
        ours.setLevel(logging.NOTSET)
        ours.removeHandler(lines)
        assemble.propose = propose
    written = (year.start, year.clock.now() + timedelta(seconds=1))
    return Period(out, project, outbox, emails, written, lines.lines, year)
