"""Issue 22, the coordinator's half, over HTTP on the console stack: the pre-talk list and one page
per person (tap to call and write, languages by name), flash messages that name the person without
putting the name in a URL, erase/close/dissolve behind a confirmation page, the group list with
members and answers, every action (console or email link) in the log and the log in words, and
"the group has ended" as a plain link in its email."""

from __future__ import annotations

import re
import uuid
from typing import Any

from shared.ports import Where
from tests.conftest import wait_for
from tests.helpers.console import sign_in
from tests.helpers.saga import captured
from tests.integration.test_console import ip, submit
from tests.integration.test_lifecycle import confirmed, proposed
from workflows.intake import inquiry_by_reference


def _awaiting(deps: Any, body: dict[str, Any]) -> str:
    iid = wait_for(lambda: inquiry_by_reference(deps.store, body["reference"]))
    wait_for(lambda: deps.store.get(f"inquiries/{iid}")["status"] == "awaiting_pretalk")
    return str(iid)


def _flash(html: str) -> str:
    found = re.search(r'<p class="flash" role="status">(.*?)</p>', html, re.S)
    return found.group(1).strip() if found else ""


def test_pretalk_is_a_list_and_a_page_per_person_and_the_flash_names_them(
    console_stack: Any, console_deps: Any
) -> None:
    base = console_stack.base_url
    s, csrf = sign_in(base, console_stack.outbox_dir, ip())
    body = submit(
        base, languages=["ar", "no"], phone="41234567", message="Vil helst bli ringt på kvelden"
    )
    iid = _awaiting(console_deps, body)

    listed = s.get(f"{base}/console/pretalk", timeout=30).text
    # the list: name linked to their page, languages by name, no contacts and no forms
    assert f'href="/console/pretalk/{iid}">{body["name"]}</a>' in listed
    assert "arabisk, norsk" in listed
    for secret in (body["email"], "+4741234567", body["message"]):
        assert secret not in listed
    assert 'method="post" action="/console/pretalk/' not in listed

    one = s.get(f"{base}/console/pretalk/{iid}", timeout=30)
    assert one.status_code == 200
    assert 'href="tel:+4741234567"' in one.text and f'href="mailto:{body["email"]}"' in one.text
    assert body["message"] in one.text and "arabisk, norsk" in one.text
    assert f'action="/console/pretalk/{iid}"' in one.text
    assert s.get(f"{base}/console/pretalk/nobody", timeout=30).status_code == 404

    done = s.post(
        f"{base}/console/pretalk/{iid}",
        data={"csrf": csrf, "topics": ["relatives"], "formats": ["in_person"]},
        allow_redirects=False,
        timeout=30,
    )
    assert done.status_code == 303
    assert done.headers["Location"] == "/console/pretalk"  # no name, no id, no query
    page = s.get(f"{base}/console/pretalk", timeout=30).text
    assert _flash(page) == f"Forsamtale registrert: {body['name']}. Personen er nå i køen."
    assert _flash(s.get(f"{base}/console/pretalk", timeout=30).text) == ""  # said once
    assert console_deps.store.get(f"inquiries/{iid}")["status"] == "waiting"
    # the pool shows languages by name too, in the coordinator's language
    assert "arabisk, norsk" in s.get(f"{base}/console/pool", timeout=30).text
    assert "Arabic, Norwegian" in s.get(f"{base}/console/pool?lang=en", timeout=30).text
    s.get(f"{base}/console?lang=nb", timeout=30)


def test_erasing_asks_first_on_a_page_with_a_way_back(
    console_stack: Any, console_deps: Any
) -> None:
    base = console_stack.base_url
    s, csrf = sign_in(base, console_stack.outbox_dir, ip())
    body = submit(base)
    iid = _awaiting(console_deps, body)

    found = s.get(f"{base}/console/find", params={"reference": body["reference"]}, timeout=30)
    assert f'href="/console/erase/{iid}"' in found.text
    assert f'action="/console/erase/{iid}"' not in found.text  # no one-click erase any more

    # a POST without the confirmation's mark (an old page, a stray click) only asks
    first = s.post(
        f"{base}/console/erase/{iid}", data={"csrf": csrf}, allow_redirects=False, timeout=30
    )
    assert first.status_code == 303 and first.headers["Location"] == f"/console/erase/{iid}"
    assert console_deps.store.get(f"people/{iid}") is not None

    ask = s.get(f"{base}/console/erase/{iid}", timeout=30)
    assert ask.status_code == 200
    assert f"Slette {body['name']}?" in ask.text and "Dette kan ikke angres." in ask.text
    assert ">Ja, slett</button>" in ask.text and 'href="/console/find">Tilbake</a>' in ask.text
    back = s.get(f"{base}/console/erase/{iid}?from=pretalk", timeout=30).text
    assert f'href="/console/pretalk/{iid}">Tilbake</a>' in back

    done = s.post(
        f"{base}/console/erase/{iid}",
        data={"csrf": csrf, "confirmed": "yes", "from": "find"},
        allow_redirects=False,
        timeout=30,
    )
    assert done.status_code == 303 and done.headers["Location"] == "/console/find"
    assert console_deps.store.get(f"people/{iid}") is None
    after = s.get(f"{base}/console/find", timeout=30).text
    assert _flash(after) == "Personen er slettet. Bare anonyme tall er igjen."
    assert body["name"] not in after
    assert s.get(f"{base}/console/erase/{iid}", timeout=30).status_code == 404


def test_close_and_dissolve_ask_first_and_the_list_names_the_members(
    console_stack: Any, console_deps: Any
) -> None:
    base = console_stack.base_url
    s, csrf = sign_in(base, console_stack.outbox_dir, ip())
    d, q = captured(console_deps)
    running, members, _ = confirmed(d, q, municipality="4601", topic="general")
    proposal, waiting = proposed(d, q, municipality="4626", topic="relatives")
    names = [d.store.get(f"people/{m}")["name"] for m in members]

    listed = s.get(f"{base}/console/groups", timeout=30).text
    card = listed[listed.index(f'id="g-{running}"') :].split("</section>")[0]
    said = re.search(r"<dd>5 av 5 har sagt ja: ([^<]+)</dd>", card)
    assert said and sorted(said.group(1).split(", ")) == sorted(names)
    for gid, kind in ((running, "close"), (proposal, "dissolve")):
        assert f'href="/console/groups/{gid}/confirm/{kind}"' in listed
        assert f'action="/console/groups/{gid}/{kind}"' not in listed

    for gid, kind, heading, yes, ids in (
        (running, "close", "Avslutte denne gruppen?", "Ja, avslutt gruppen", members),
        (proposal, "dissolve", "Oppløse denne gruppen?", "Ja, oppløs gruppen", waiting),
    ):
        before = d.store.get(f"groups/{gid}")["status"]
        first = s.post(
            f"{base}/console/groups/{gid}/{kind}",
            data={"csrf": csrf},
            allow_redirects=False,
            timeout=30,
        )
        assert first.headers["Location"] == f"/console/groups/{gid}/confirm/{kind}"
        assert d.store.get(f"groups/{gid}")["status"] == before  # nothing happened
        ask = s.get(f"{base}/console/groups/{gid}/confirm/{kind}", timeout=30).text
        assert heading in ask and f">{yes}</button>" in ask
        assert f'href="/console/groups/{gid}">Tilbake</a>' in ask
        for m in ids:  # to whom it happens, by name
            assert f"<li>{d.store.get(f'people/{m}')['name']}</li>" in ask
        done = s.post(
            f"{base}/console/groups/{gid}/{kind}",
            data={"csrf": csrf, "confirmed": "yes"},
            allow_redirects=False,
            timeout=30,
        )
        assert done.headers["Location"] == "/console/groups"
        status = d.store.get(f"groups/{gid}")["status"]
        assert status == ("closed" if kind == "close" else "dissolved")
        assert _flash(s.get(f"{base}/console/groups", timeout=30).text).startswith("Lagret: ")
        # done: its confirmation says so and offers nothing
        again = s.get(f"{base}/console/groups/{gid}/confirm/{kind}", timeout=30).text
        assert f">{yes}</button>" not in again and "allerede gjort" in again


def test_every_action_is_logged_by_ids_and_shown_in_words(
    console_stack: Any, console_deps: Any
) -> None:
    base = console_stack.base_url
    s, _csrf = sign_in(base, console_stack.outbox_dir, ip())
    d, q = captured(console_deps)
    # a room and a facilitator of its own: the console database is shared with every console
    # test before this one, whose groups may hold every room and cap of the demo centre
    tag = uuid.uuid4().hex[:8]
    evenings = ["mon_evening", "tue_evening", "wed_evening", "thu_evening"]
    d.store.set(
        f"venues/ven-log-{tag}",
        {
            "name": f"Loggrommet {tag}",
            "municipality": "4627",
            "capacity": 10,
            "accessible": True,
            "street": "Testveien 1",
            "postcode": "5300",
            "post_place": "Kleppestø",
            "slots": evenings,
            "active": True,
        },
    )
    d.store.set(
        f"facilitators/fac-log-{tag}",
        {
            "name": f"Logg Testesen {tag}",
            "email": f"logg-{tag}@frivillig.example",
            "municipalities": ["4627"],
            "digital": False,
            "slots": evenings,
            "languages": ["no"],
            "topics": ["young_adults"],
            "max_groups": 3,
            "course_completed": "2024-03-14",
            "active": True,
        },
    )
    gid, _ids, _ = confirmed(d, q, municipality="4627", topic="young_adults")
    g = d.store.get(f"groups/{gid}")
    fac = d.store.get(f"facilitators/{g['facilitator_id']}")

    entries = [e for _, e in d.store.query("audit", [Where("subject", "==", gid)])]
    by = {(e["action"], e["actor"]) for e in entries}
    # the email links: the coordinator's approval, the facilitator's yes, the members' yes
    assert ("approve", "coordinator_link") in by
    assert ("accept_offer", f"facilitator:{g['facilitator_id']}") in by
    assert ("accept_invitation", "member") in by
    for _, e in d.store.query("audit"):  # still ids and kinds only
        assert set(e) == {"at", "actor", "action", "subject", "expire_at"}
        assert "@" not in str(e)

    page = s.get(f"{base}/console/audit", timeout=30).text
    assert "godkjente gruppen" in page and "en koordinator (gjennom en lenke i e-post)" in page
    assert f"{fac['name']} (igangsetter, gjennom en lenke i e-post)" in page
    assert "et medlem (gjennom sin lenke i e-post)" in page
    assert '<td data-label="Hvem">Koordinator LINK Bergen</td>' in page  # by name, not id
    assert not re.search(r"<td[^>]*>[0-9a-f]{24,}</td>", page)  # no raw hex ids
    assert ">accept_offer<" not in page and ">sign_in<" not in page
    card = s.get(f"{base}/console/groups/{gid}", timeout=30).text
    assert "sa ja til å lede gruppen" in card  # the card's history, in words too


def test_the_group_has_ended_is_a_plain_link_not_the_button(console_deps: Any) -> None:
    from workflows.messaging import staff
    from workflows.platform import coordinators
    from workflows.platform.messages import NotifyTask

    d, q = captured(console_deps)
    gid, _ids, _ = confirmed(d, q, municipality="4601", topic="relatives")
    task = NotifyTask(
        task_id=uuid.uuid4().hex,
        mail="coordinator_started",
        subject_id=gid,
        recipient_id=coordinators.lead(d),
    )
    mail = staff.coordinator_started(d, task)
    assert mail is not None and mail.html is not None
    anchors = re.findall(r'<a href="([^"]+)" style="([^"]*)">([^<]+)</a>', mail.html)
    ended = [a for a in anchors if a[2] == "Gruppen er avsluttet"]
    assert len(ended) == 1 and "background" not in ended[0][1]  # a plain link
    buttons = [a for a in anchors if "background" in a[1]]
    assert [a[2] for a in buttons] == ["Åpne i konsollen"]  # the one button harms nothing
