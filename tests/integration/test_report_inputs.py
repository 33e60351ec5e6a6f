"""Issue 18 (item 11): what reports and digests count and whom they reach.

- "trained facilitators" in the report is the console's rule (active, course done), one function;
- report mails are keyed by the recipient's address, digest mails by the coordinator's id (issue
  17, from the address unless the settings give one), never by their place in a list;
- a survey answer counts in the year it was given (a group confirmed in November is asked
  in December or January, after the year's report may have been built).
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from shared.config import Person, Recipient
from shared.domain import facilitators
from shared.domain.reports import parse_period
from shared.ports import OutgoingMail, Where
from tests.helpers.saga import act, deliver, waiting_people
from tests.integration.test_lifecycle import confirmed, world  # noqa: F401
from tests.integration.test_report_periods import mails
from workflows.console import views
from workflows.platform import tokens
from workflows.platform.messages import NotifyTask
from workflows.platform.outbox import pending_specs
from workflows.reporting import digest, report


def test_trained_facilitators_are_counted_by_the_consoles_rule(world: Any) -> None:  # noqa: F811
    d, _q, clock = world
    demo = dict(d.store.get("facilitators/fac-astrid"))
    d.store.set("facilitators/fac-new", {**demo, "course_completed": None})  # course not yet done
    d.store.set("facilitators/fac-gone", {**demo, "active": False})  # stopped volunteering
    clock.t = datetime(2027, 4, 5, 5, 0, tzinfo=UTC)
    _stats, _ytd, trained, _survey = report.load_inputs(
        d, parse_period("2027-Q1", date(2027, 4, 5))
    )
    everyone = [doc for _, doc in d.store.query("facilitators")]
    assert len(everyone) == 7 and trained == 5  # the five demo volunteers, course done
    assert facilitators.count_trained(everyone) == 5
    assert views.count_trained is facilitators.count_trained  # the console's goal: the same rule


def test_a_corrected_recipient_address_gets_the_report(world: Any, tmp_path: Path) -> None:  # noqa: F811
    """The centre fixes a typo in Vaksdal's second address: the fixed address gets the report
    (keyed by its place in the list, it was "already sent")."""
    d, _q, clock = world
    clock.t = datetime(2027, 4, 5, 5, 0, tzinfo=UTC)
    first, typo, fixed = (
        "postmottak@vaksdal.kommune.example",
        "folkehelse@vaksdal.kommune.exmaple",
        "folkehelse@vaksdal.kommune.example",
    )

    def with_recipients(*emails: str) -> Any:
        rs = tuple(Recipient(municipality="4628", email=e) for e in emails)
        return dataclasses.replace(d, centre=d.centre.model_copy(update={"report_recipients": rs}))

    sent = report.run(with_recipients(first, typo), "2027-Q1")
    assert [r["sent"] for r in sent if r["municipality"] == "4628"] == [2]
    again = report.run(with_recipients(first, fixed), "2027-Q1")
    assert [r["sent"] for r in again if r["municipality"] == "4628"] == [1]
    to = [str(m["To"]) for m in mails(tmp_path / "outbox", "report-2027-Q1-4628-")]
    assert sorted(to) == sorted([first, typo, fixed])  # once each, the first never twice


class FailingFor:
    """A mail server that refuses one address once."""

    def __init__(self, inner: Any, address: str) -> None:
        self.inner, self.address, self.failed = inner, address, False

    def send(self, mail: OutgoingMail) -> None:
        if mail.to == self.address and not self.failed:
            self.failed = True
            raise ConnectionError("try again later")
        self.inner.send(mail)


def test_a_digest_retried_after_the_list_changed_reaches_everyone_on_it(
    world: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    """The digest reaches Anne, fails for Bente; before the retry Anne leaves the list. Keyed by
    position, Bente's retry was "already sent" (Anne's) and she never got it."""
    d, _q, _clock = world
    waiting_people(d, 2, municipality="4628", topic="general")
    anne, bente = "anne@linkbergen.example", "bente@linkbergen.example"

    def with_coordinators(*emails: str) -> Any:
        cs = tuple(Person(name=e.split("@")[0], email=e) for e in emails)
        return dataclasses.replace(
            d, centre=d.centre.model_copy(update={"coordinators": cs}), mailer=flaky
        )

    flaky = FailingFor(d.mailer, bente)
    with pytest.raises(ConnectionError):  # the scheduler runs it again
        digest.run(with_coordinators(anne, bente))
    assert digest.run(with_coordinators(bente)) == 1
    to = [str(m["To"]) for m in mails(tmp_path / "outbox", "digest-")]
    assert sorted(to) == [anne, bente]


def test_a_survey_answered_in_january_counts_in_the_year_it_was_given(
    world: Any,  # noqa: F811
) -> None:
    """Confirmed in November, asked in late December, answered in January: after the year's report
    was built on 15 January. Counted in the year of the asking, the answer landed in a year whose
    report was already sent; it counts in the (local) year it was given."""
    d, q, clock = world
    clock.t = datetime(2027, 11, 10, 9, 0, tzinfo=UTC)
    gid, ids, _held = confirmed(d, q, municipality="4601", topic="general")
    (spec,) = [
        spec
        for _, doc in d.store.query("outbox", [Where("status", "==", "pending")])
        for spec in pending_specs(doc)
        if spec.body.get("mail") == "survey"
        and spec.body.get("subject_id") == gid
        and spec.body.get("recipient_id") == ids[0]
    ]
    clock.t = datetime(2027, 12, 28, 9, 0, tzinfo=UTC)
    deliver(d, spec)
    token = tokens.survey_token(
        d, d.store.get(f"groups/{gid}"), NotifyTask.model_validate(spec.body)
    )
    assert token
    clock.t = datetime(2028, 1, 20, 18, 0, tzinfo=UTC)  # 2027's report went out on 15 January
    assert act(d, token, "survey", {"satisfaction": ["4"], "recommend": ["yes"]}).status == 200
    later = date(2029, 1, 15)
    _s, _y, _f, in_2027 = report.load_inputs(d, parse_period("2027", later))
    _s, _y, _f, in_2028 = report.load_inputs(d, parse_period("2028", later))
    assert (in_2027, in_2028) == ([], [4])
