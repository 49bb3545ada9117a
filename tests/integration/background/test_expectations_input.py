"""Expectations as customers state them: CSV import (all or nothing, row and column named) and the
questionnaire behind a signed, expiring, single-use invitation link."""

from __future__ import annotations

from datetime import timedelta

import pytest

from slaforge.domain.errors import ImportRejected, InvalidInput, NotFound
from slaforge.domain.platform.accounts import PermissionDenied, Principal, Role
from slaforge.services.background.expectations import import_expectations_csv, list_expectations
from slaforge.services.background.invites import (
    InviteClosed,
    invite,
    list_invites,
    open_invite,
    submit_questionnaire,
)
from slaforge.services.unit_of_work import UnitOfWork
from tests.integration.background.test_expectations import MANAGER, NOW, fill

SECRET = "s" * 40
GOOD = """metric,priority,target,importance,comment
first_response,P1,30m,must-have,"our line stops, call us"
resolution,P1,1 business day,important,
availability,,99.9%,nice-to-have,office hours matter most
"""


@pytest.fixture
def acme(uow: UnitOfWork) -> int:
    with uow:
        return int(fill(uow.session)["acme"])


def test_a_good_file_is_stored_whole(uow: UnitOfWork, acme: int) -> None:
    rows = import_expectations_csv(
        uow=uow, actor=MANAGER, customer_id=acme, content=GOOD.encode(), file_name="e.csv", now=NOW
    )
    assert [(r.metric, r.priority, r.source) for r in rows] == [
        ("first_response", "P1", "csv"),
        ("resolution", "P1", "csv"),
        ("availability", None, "csv"),
    ]
    stored = {e.metric: e for e in list_expectations(uow=uow, actor=MANAGER, customer_id=acme)}
    assert stored["resolution"].target_seconds == 24 * 3600  # the calendar's business day
    assert stored["first_response"].comment == "our line stops, call us"
    assert stored["availability"].target_percent == 99.9


def test_one_bad_row_and_nothing_is_written_with_every_problem_listed(uow: UnitOfWork, acme: int) -> None:
    bad = (
        GOOD
        + "resolution,P2,whenever,important,\nuptime,,99,important,\nresolution,P3,2h,vital,\nresolution,P4,2h,important,x,extra\n"
    )
    with pytest.raises(ImportRejected) as caught:
        import_expectations_csv(
            uow=uow, actor=MANAGER, customer_id=acme, content=bad, file_name="e.csv", now=NOW
        )
    where = [(p.row, p.column) for p in caught.value.problems]
    assert where == [(5, "target"), (6, "metric"), (7, "importance"), (8, None)]
    assert "row 5, column 'target'" in caught.value.message
    assert list_expectations(uow=uow, actor=MANAGER, customer_id=acme) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"metric,priority,goal\nresolution,P1,2h\n", "column 'target': required column is missing"),
        (b"metric,target,owner\nresolution,2h,x\n", "column 'owner': unknown column"),
        (b"metric,priority,target\n", "holds no expectations"),
        (b"\xff\xfe\x00", "not UTF-8"),
    ],
)
def test_unusable_files_are_refused_clearly(uow: UnitOfWork, acme: int, content: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        import_expectations_csv(
            uow=uow, actor=MANAGER, customer_id=acme, content=content, file_name="e.csv", now=NOW
        )


def _invite(uow: UnitOfWork, acme: int, days: int = 14) -> str:
    issued = invite(
        uow=uow, actor=MANAGER, customer_id=acme, email=" Boss@Acme.test ", secret_key=SECRET,
        base_url="https://sla.example/", now=NOW, days=days,
    )  # fmt: skip
    assert issued.email == "boss@acme.test"
    assert issued.url.startswith("https://sla.example/expectations/questionnaire/")
    assert issued.expires_at == NOW + timedelta(days=days)
    return issued.url.rsplit("/", 1)[1]


ANSWERS = [
    {
        "metric": "first_response",
        "priority": "P1",
        "target": "15m",
        "importance": "must-have",
        "comment": "24/7 shop",
    },
    {"metric": "resolution", "priority": "P1", "target": "", "importance": "important"},  # left empty
    {"metric": "availability", "priority": "", "target": "99.5", "importance": "important"},
]


def test_the_questionnaire_stores_answers_once_through_the_link(uow: UnitOfWork, acme: int) -> None:
    token = _invite(uow, acme)
    page = open_invite(uow=uow, token=token, secret_key=SECRET, now=NOW)
    assert (page.customer_name, page.email, page.priorities) == ("Acme", "boss@acme.test", ["P1"])
    stored = submit_questionnaire(
        uow=uow, token=token, secret_key=SECRET, answers=ANSWERS, name="Bo Ss", now=NOW
    )
    assert [(e.metric, e.source, e.recorded_by) for e in stored] == [
        ("first_response", "questionnaire", "Bo Ss <boss@acme.test>"),
        ("availability", "questionnaire", "Bo Ss <boss@acme.test>"),
    ]
    with pytest.raises(InviteClosed, match="already answered"):
        open_invite(uow=uow, token=token, secret_key=SECRET, now=NOW)
    with pytest.raises(InviteClosed):
        submit_questionnaire(uow=uow, token=token, secret_key=SECRET, answers=ANSWERS, now=NOW)
    assert [i.used_at for i in list_invites(uow=uow, actor=MANAGER, customer_id=acme)] == [NOW]


def test_a_bad_answer_stores_nothing_and_leaves_the_link_usable(uow: UnitOfWork, acme: int) -> None:
    token = _invite(uow, acme)
    bad = [*ANSWERS, {"metric": "resolution", "priority": "P2", "target": "soonish", "label": "Resolution"}]
    with pytest.raises(InvalidInput, match="Resolution P2: field 'target'"):
        submit_questionnaire(uow=uow, token=token, secret_key=SECRET, answers=bad, now=NOW)
    with pytest.raises(InvalidInput, match="at least one target"):
        submit_questionnaire(uow=uow, token=token, secret_key=SECRET, answers=[ANSWERS[1]], now=NOW)
    assert list_expectations(uow=uow, actor=MANAGER, customer_id=acme) == []
    open_invite(uow=uow, token=token, secret_key=SECRET, now=NOW)  # still open


def test_forged_tampered_and_expired_links_are_refused(uow: UnitOfWork, acme: int) -> None:
    token = _invite(uow, acme, days=1)
    nonce, signature = token.split(".")

    # A character in the middle always changes the decoded bytes (the last one of unpadded base64
    # may carry only ignored bits), and the swap never puts back the same character.
    def flip(text: str) -> str:
        i = len(text) // 2
        return text[:i] + ("B" if text[i] == "A" else "A") + text[i + 1 :]

    for wrong in (f"{nonce}.{flip(signature)}", f"{flip(nonce)}.{signature}", "nothing", "", f"{nonce}."):
        with pytest.raises(NotFound, match="not valid"):
            open_invite(uow=uow, token=wrong, secret_key=SECRET, now=NOW)
    with pytest.raises(NotFound):  # another server's secret key: the signature no longer holds
        open_invite(uow=uow, token=token, secret_key="t" * 40, now=NOW)
    with pytest.raises(InviteClosed, match="expired"):
        open_invite(uow=uow, token=token, secret_key=SECRET, now=NOW + timedelta(days=1))


def test_only_provider_managers_invite(uow: UnitOfWork, acme: int) -> None:
    for actor in (Principal(user_id=5, email="a@x.test", role=Role.AGENT),
                  Principal(user_id=6, email="c@acme.test", role=Role.CUSTOMER_ADMIN, customer_id=acme)):  # fmt: skip
        with pytest.raises(PermissionDenied):
            invite(
                uow=uow,
                actor=actor,
                customer_id=acme,
                email="x@acme.test",
                secret_key=SECRET,
                base_url="",
                now=NOW,
            )
    with pytest.raises(InvalidInput, match="e-mail"):
        invite(
            uow=uow, actor=MANAGER, customer_id=acme, email="nobody", secret_key=SECRET, base_url="", now=NOW
        )
