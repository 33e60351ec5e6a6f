"""Issue 17: the centre's settings in the console, over HTTP on functions of their own.

A coordinator added in the console can sign in and receives the pre-talk notice; one removed cannot
sign in, and their session ends at once; work addressed to a removed coordinator goes to another,
never to nobody. Changes are validated like the centre file (every problem named by its field) and
written to the audit log.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.conftest import wait_for
from tests.helpers.console import COORDINATOR, ask_for_link, csrf_of, login_links
from tests.helpers.people import mails_to, person, text_part

NINA = "nina.ny@linkbergen.example"


@pytest.fixture(scope="module")
def settings_stack(stack: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    s = stack.sibling(tmp_path_factory.mktemp("settings"), "linkflyt-settings")
    try:
        s.start_functions()
    finally:
        stack._child_env()
    try:
        yield s
    finally:
        s.stop()


@pytest.fixture()
def d(settings_stack: Any) -> Any:
    from shared.config import Settings, reset_caches
    from workflows.platform.runtime import build_deps, refresh_centre

    reset_caches()
    deps = build_deps(
        Settings(
            google_cloud_project=settings_stack.project,
            public_base_url=settings_stack.base_url,
            outbox_dir=settings_stack.outbox_dir,
            cloud_tasks_emulator_host=f"127.0.0.1:{settings_stack.tasks_port}",
        )
    )
    refresh_centre(deps)
    return deps


def sign_in_as(base: str, outbox: Any, ip: str, address: str) -> requests.Session:
    link = ask_for_link(base, outbox, ip, address)
    s = requests.Session()
    s.headers["X-Forwarded-For"] = ip
    page = s.get(link, timeout=30)
    token = re.search(r'name="t" value="([^"]+)"', page.text)
    assert token
    done = s.post(
        f"{base}/console/login",
        data={"t": token.group(1), "csrf": csrf_of(page.text)},
        allow_redirects=False,
        timeout=30,
    )
    assert done.status_code == 303, done.text[:300]
    return s


def submit(base: str, ip: str) -> str:
    r = requests.post(f"{base}/intake", json=person(), headers={"X-Forwarded-For": ip}, timeout=30)
    assert r.status_code == 201, r.text
    return str(r.json()["reference"])


def notices(outbox: Any, address: str, ref: str) -> int:
    return sum(1 for m in mails_to(outbox, address) if ref in text_part(m))


def test_coordinators_added_and_removed_in_the_console(settings_stack: Any, d: Any) -> None:
    from workflows.messaging import notify
    from workflows.platform import coordinators
    from workflows.platform.messages import NotifyTask
    from workflows.platform.runtime import SETTINGS_DOC, refresh_centre

    base, outbox = settings_stack.base_url, settings_stack.outbox_dir
    s1 = sign_in_as(base, outbox, "203.0.113.201", COORDINATOR)
    koord = coordinators.by_email(d, COORDINATOR)
    assert koord is not None

    # an inquiry while the file's one coordinator is the only one: only they are told
    ref_a = submit(base, "203.0.113.202")
    wait_for(lambda: notices(outbox, COORDINATOR, ref_a), timeout=40)
    iid_a = d.store.query("inquiries", [])
    iid_a = next(i for i, doc in iid_a if doc.get("reference") == ref_a)

    page = s1.get(f"{base}/console/settings", timeout=30)
    assert page.status_code == 200 and COORDINATOR in page.text
    csrf = csrf_of(page.text)
    # a bad address: named by its field, nothing stored
    bad = s1.post(
        f"{base}/console/settings/coordinators/add",
        data={"csrf": csrf, "coordinator_name": "Nina", "coordinator_email": "nina@"},
        timeout=30,
    )
    assert bad.status_code == 422
    assert "E-postadresse: ikke en gyldig e-postadresse." in bad.text
    assert d.store.get(SETTINGS_DOC) is None  # the file still rules: nothing was changed
    ok = s1.post(
        f"{base}/console/settings/coordinators/add",
        data={"csrf": csrf, "coordinator_name": "Nina Ny", "coordinator_email": NINA},
        allow_redirects=False,
        timeout=30,
    )
    assert ok.status_code == 303
    doc = d.store.get(SETTINGS_DOC)
    assert doc["version"] == 1 and [c["email"] for c in doc["config"]["coordinators"]] == [
        COORDINATOR,
        NINA,
    ]
    nina_id = doc["config"]["coordinators"][1]["id"]
    assert re.fullmatch(r"c-[0-9a-f]{10}", nina_id)
    audit = [a for _, a in d.store.query("audit") if a["action"] == "settings_add_coordinator"]
    assert audit and audit[0]["actor"] == koord.id and NINA not in str(audit)

    # the new coordinator signs in, and is told of the next inquiry (by another process)
    s2 = sign_in_as(base, outbox, "203.0.113.203", NINA)
    assert "Nina Ny" in s2.get(f"{base}/console/settings", timeout=30).text
    ref_b = submit(base, "203.0.113.204")
    wait_for(lambda: notices(outbox, NINA, ref_b), timeout=40)
    wait_for(lambda: notices(outbox, COORDINATOR, ref_b), timeout=40)
    assert notices(outbox, NINA, ref_a) == 0

    # group sizes are checked as strictly as in the file, each problem by its field
    csrf2 = csrf_of(s2.get(f"{base}/console/settings", timeout=30).text)
    sizes = s2.post(
        f"{base}/console/settings/groups",
        data={"csrf": csrf2, "min_size": "3", "start_with": "4", "max_size": "x"},
        timeout=30,
    )
    assert sizes.status_code == 422
    assert "Minste gruppe som foreslås: må være minst 4." in sizes.text
    assert "Største gruppe: må være et tall." in sizes.text
    assert d.store.get(SETTINGS_DOC)["version"] == 1

    # removing: a confirmation first, with a way back
    confirm = s2.get(f"{base}/console/settings/coordinators/{koord.id}/remove", timeout=30)
    assert confirm.status_code == 200
    assert "Nei, gå tilbake" in confirm.text and 'href="/console/settings"' in confirm.text
    assert d.store.get(SETTINGS_DOC)["version"] == 1  # the GET changed nothing
    gone = s2.post(
        f"{base}/console/settings/coordinators/{koord.id}/remove",
        data={"csrf": csrf_of(confirm.text)},
        allow_redirects=False,
        timeout=30,
    )
    assert gone.status_code == 303
    # their session ended at once, and they cannot sign in again
    assert all(x.get("coordinator") != koord.id for _, x in d.store.query("console_sessions"))
    after = s1.get(f"{base}/console", timeout=30)
    assert 'action="/console/login"' in after.text and "Nina Ny" not in after.text
    assert (
        s1.post(f"{base}/console/settings/goals", data={"csrf": csrf}, timeout=30).status_code
        == 403
    )
    before = set(login_links(outbox))
    r = requests.post(
        f"{base}/console/login",
        data={"email": COORDINATOR},
        headers={"X-Forwarded-For": "203.0.113.205"},
        timeout=30,
    )
    assert r.status_code == 200
    time.sleep(2)
    assert set(login_links(outbox)) == before

    # work still addressed to the removed coordinator goes to another, never to nobody
    refresh_centre(d)
    assert coordinators.ids(d) == [nina_id]
    task = NotifyTask(
        task_id="a1" * 8,
        mail="coordinator_pretalk",
        subject_id=iid_a,
        recipient_id=koord.id,
    )
    notify.handle(d, task)
    assert notices(outbox, NINA, ref_a) == 1
    assert notices(outbox, COORDINATOR, ref_a) == 1  # only the copy from before
    # a redelivery, or the same work under the old position-based address, is not sent twice
    notify.handle(d, task)
    notify.handle(
        d,
        NotifyTask(
            task_id="b2" * 8, mail="coordinator_pretalk", subject_id=iid_a, recipient_id="0"
        ),
    )
    assert notices(outbox, NINA, ref_a) == 1
    removed = [a for _, a in d.store.query("audit") if a["action"] == "settings_remove_coordinator"]
    assert removed and removed[0]["subject"] == koord.id and removed[0]["actor"] == nina_id


def test_every_section_is_saved_validated_and_read_back(settings_stack: Any, d: Any) -> None:
    from workflows.platform.runtime import SETTINGS_DOC, refresh_centre

    base, outbox = settings_stack.base_url, settings_stack.outbox_dir
    current = d.store.get(SETTINGS_DOC)
    who = (
        NINA
        if current and any(c["email"] == NINA for c in current["config"]["coordinators"])
        else COORDINATOR
    )
    s = sign_in_as(base, outbox, "203.0.113.211", who)
    csrf = csrf_of(s.get(f"{base}/console/settings", timeout=30).text)

    def post(path: str, **form: str) -> requests.Response:
        return s.post(
            f"{base}/console/settings/{path}",
            data={"csrf": csrf, **form},
            allow_redirects=False,
            timeout=30,
        )

    assert post("goals", groups_started_per_year="24", trained_facilitators="6").status_code == 303
    assert (
        post(
            "groups",
            min_size="4",
            start_with="4",
            max_size="7",
            long_wait_days="120",
            long_waiters_needed="2",
        ).status_code
        == 303
    )
    # issue 21: asking those who wait, each problem by its field
    r = post("waiting", offer_after_days="0", offer_every_days="30", offers="9")
    assert r.status_code == 422
    for text in (
        "Dager med venting før første forslag: må være minst 1.",
        "Forslag til hver person, høyst: kan være høyst 6.",
    ):
        assert text in r.text, text
    assert (
        post("waiting", offer_after_days="45", offer_every_days="30", offers="2").status_code == 303
    )
    r = post(
        "budget",
        total_nok="-1",
        budget_year="2027",
        travel_share="1.5",
        tier_small="1",
        tier_medium="x",
        tier_large="3",
    )
    assert r.status_code == 422
    for text in (
        "Totalt (kr): må være minst 0.",
        "Andel til reise (0–1): kan være høyst 1.",
        "Vekt, mellomstor kommune: må være et tall.",
    ):
        assert text in r.text, text
    assert (
        post(
            "budget",
            total_nok="1700000",
            budget_year="2027",
            travel_share="0.1",
            tier_small="1",
            tier_medium="2",
            tier_large="3",
        ).status_code
        == 303
    )
    assert (
        post(
            "recipients/add", recipient_municipality="4627", recipient_email="ikke-en-adresse"
        ).status_code
        == 422
    )
    assert (
        post(
            "recipients/add",
            recipient_municipality="4627",
            recipient_email="rapport@askoy.kommune.example",
        ).status_code
        == 303
    )
    r = post("closed/add", closed_start="13-40", closed_end="01-02")
    assert r.status_code == 422 and "Fra (MM-DD): ikke på forventet form." in r.text
    assert (
        post(
            "closed/add", closed_start="04-10", closed_end="04-17", closed_label="Påske"
        ).status_code
        == 303
    )
    r = post("topics", new_key="Ugyldig nøkkel", **{"new.nb": "X", "new.nn": "X", "new.en": "X"})
    assert r.status_code == 422 and "Nøkkel (bokstavene a–z og _)" in r.text
    assert (
        post(
            "topics",
            new_key="chronic_pain",
            **{
                "new.nb": "Kroniske smerter",
                "new.nn": "Kroniske smerter",
                "new.en": "Chronic pain",
                "new.uk": "Хронічний біль",
                "general.en": "General group",
            },
        ).status_code
        == 303
    )

    refresh_centre(d)
    c = d.centre
    assert (c.goals.groups_started_per_year, c.goals.trained_facilitators) == (24, 6)
    assert (c.groups.min_size, c.groups.start_with, c.groups.max_size) == (4, 4, 7)
    assert (c.groups.long_wait_days, c.groups.long_waiters_needed) == (120, 2)
    assert (c.waiting.offer_after_days, c.waiting.offer_every_days, c.waiting.offers) == (45, 30, 2)
    assert c.budget.total_nok == 1_700_000 and c.budget.tier_weights["medium"] == 2
    assert any(r.email == "rapport@askoy.kommune.example" for r in c.report_recipients)
    assert ("04-10", "04-17") in c.closed
    pain = next(t for t in c.topics if t.key == "chronic_pain")
    assert pain.label("uk") == "Хронічний біль" and pain.label("so") == "Chronic pain"
    assert next(t for t in c.topics if t.key == "general").en == "General group"
    # the public form (another process) takes the new topic
    r = requests.post(
        f"{base}/intake",
        json=person(topics=["chronic_pain"]),
        headers={"X-Forwarded-For": "203.0.113.212"},
        timeout=30,
    )
    assert r.status_code == 201, r.text
    actions = {a["action"] for _, a in d.store.query("audit")}
    assert {
        "settings_goals",
        "settings_groups",
        "settings_waiting",
        "settings_budget",
        "settings_add_recipient",
        "settings_add_closed",
        "settings_topics",
    } <= actions
