"""The starter library, the exactly-one-Accountable rule, the RACI and contacts clauses, the
customer's duties in the summary, and the diff's reading of a RACI path."""

from __future__ import annotations

import copy

import pytest

from slaforge.adapters.agreement.renderer import DocumentHeader, builtin_templates, render_markdown
from slaforge.domain.agreement.diff import terms_changes
from slaforge.domain.agreement.terms import example_terms, normalise_terms
from slaforge.domain.errors import InvalidInput
from slaforge.domain.relationship.starter import KEYS, merge_starter, starter_activities, starter_section
from slaforge.domain.relationship.terms import TERM_SECTIONS, normalise_relationship

HEADER = DocumentHeader("E-mail SLA", "Contoso", "Northwind IT Services")
CONTACTS = [
    {"party": "customer", "level": 2, "name": "Head of IT", "channels": "it@contoso.test"},
    {"party": "provider", "level": 1, "name": "Service desk", "role": "support team", "channels": "+49 30 1"},
    {
        "party": "customer",
        "level": 1,
        "name": "Jane Roe",
        "role": "service contact",
        "channels": "jane@c.test",
    },
]


def _terms(section: dict[str, object]) -> dict[str, object]:
    return normalise_terms({**example_terms(), "relationship": section}, sections=TERM_SECTIONS)


def test_the_starter_library_is_valid_with_one_accountable_per_activity() -> None:
    section = normalise_relationship(starter_section())
    assert [a["key"] for a in section["activities"]] == list(KEYS)
    assert len(KEYS) == 7
    for a in section["activities"]:
        assert sum("A" in r["letters"] for r in a["raci"]) == 1, a["key"]
        assert a["due"], a["key"]
    assert section["roles"]["customer"] == ["service contact", "approver", "end users"]


def test_chosen_starter_keys_and_an_unknown_one() -> None:
    assert [a["key"] for a in starter_activities(["approve-changes"])] == ["approve-changes"]
    with pytest.raises(InvalidInput, match="no starter activity 'fly-kites'") as caught:
        starter_activities(["fly-kites"])
    assert caught.value.field == "keys"


def test_merging_the_starter_keeps_the_drafts_own_activity() -> None:
    own = normalise_relationship(starter_section(["approve-changes"]))
    own["activities"][0]["due"] = "within 1 business day"
    merged, added = merge_starter(own)
    assert "approve-changes" not in added
    assert len(added) == 6
    assert merged["activities"][0]["due"] == "within 1 business day"


@pytest.mark.parametrize("letters", [("A", "A"), ("R", "C")])
def test_anything_but_exactly_one_accountable_is_refused_naming_the_activity(
    letters: tuple[str, str],
) -> None:
    section = starter_section(["approve-changes", "grant-remote-access"])
    raci = section["activities"][1]["raci"]
    raci[0]["letters"], raci[1]["letters"] = letters
    for extra in raci[2:]:
        extra["letters"] = "C"
    with pytest.raises(
        InvalidInput, match="activity 'Approve changes' must have exactly one Accountable"
    ) as caught:
        normalise_relationship(section)
    assert caught.value.field == "relationship.activities[1].raci"


def test_an_unknown_role_is_refused_naming_the_field() -> None:
    section = starter_section(["approve-changes"])
    section["activities"][0]["raci"][0]["role"] = "chief approver"
    with pytest.raises(InvalidInput, match="'chief approver' is not a role of the customer") as caught:
        normalise_relationship(section)
    assert caught.value.field == "relationship.activities[0].raci[0].role"


def test_the_document_renders_the_raci_matrix_and_the_contacts_by_party_and_level() -> None:
    text = render_markdown(HEADER, _terms({**starter_section(), "contacts": CONTACTS}), builtin_templates())
    assert (
        "| Activity | Due | P: service owner | P: support team | P: account manager "
        "| C: service contact | C: approver | C: end users |" in text
    )
    assert "| Approve changes | within 2 business days of a request | R | I |  | C | A |  |" in text
    assert "R = Responsible (does the work) · A = Accountable" in text
    assert "**The Provider** will:" not in text
    contacts = text[text.index("Contacts and escalation") :]
    assert contacts.index("Jane Roe") < contacts.index("Head of IT")  # by level within the party
    assert "| 1 | Service desk | support team | +49 30 1 | — | — |" in contacts
    assert "You are accountable for: report incidents through the agreed channel" in text
    assert "approve changes (within 2 business days of a request)" in text


def test_without_activities_or_contacts_the_old_lists_and_the_escalation_steps_are_rendered() -> None:
    text = render_markdown(HEADER, example_terms(), builtin_templates())
    assert "**The Provider** will:" in text
    assert "Level 1: service desk" in text[text.index("Escalation") :]
    contacts = text[text.index("Contacts and escalation") :]
    # Said once, in the escalation clause: the contacts clause points there instead of repeating it.
    assert "Level 1: service desk" not in contacts
    assert "the steps of the escalation clause apply" in contacts
    assert "You are accountable for" not in text


def test_a_change_of_accountable_is_a_diff_naming_the_activity_and_role() -> None:
    old = _terms(starter_section())
    new = copy.deepcopy(old)
    raci = new["relationship"]["activities"][3]["raci"]  # approve-changes
    raci[0]["letters"], raci[1]["letters"] = "C", "A"
    changes = {c.path: c for c in terms_changes(old, new)}
    assert changes["relationship.activities[3].raci[0].letters"].old == "A"
    assert changes["relationship.activities[3].raci[1].letters"].new == "A"
    assert changes["relationship.activities[3].raci[1].letters"].where == (
        "activity 'Approve changes', customer service contact"
    )


def test_entries_saved_in_another_order_are_matched_by_party_and_role() -> None:
    # The console's form saves an activity's entries provider first; the starter has them customer
    # first. One letter changed must read as that letter, not as every entry changed.
    old = _terms(starter_section())
    new = copy.deepcopy(old)
    raci = new["relationship"]["activities"][3]["raci"]  # approve-changes
    raci.reverse()
    approver = next(e for e in raci if (e["party"], e["role"]) == ("customer", "approver"))
    contact = next(e for e in raci if (e["party"], e["role"]) == ("customer", "service contact"))
    approver["letters"], contact["letters"] = "R", "A"
    changes = terms_changes(old, new)
    assert [(c.where, c.old, c.new) for c in changes] == [
        ("activity 'Approve changes', customer service contact", "C", "A"),
        ("activity 'Approve changes', customer approver", "A", "R"),
    ]


def test_a_removed_activity_is_named_from_the_older_version() -> None:
    old = _terms(starter_section())
    new = copy.deepcopy(old)
    del new["relationship"]["activities"][0]
    changes = terms_changes(old, new)
    assert changes
    assert {c.where.split(",")[0] for c in changes} == {
        f"activity '{old['relationship']['activities'][0]['name']}'"
    }
    assert all(c.new is None for c in changes)


def test_the_demo_terms_are_a_valid_section_naming_both_parties() -> None:
    from slaforge.services.relationship.demo_terms import relationship_demo_terms

    section = relationship_demo_terms("Acme Logistics")
    assert normalise_relationship(section) == section
    assert len(section["activities"]) == 7
    assert {c["party"] for c in section["contacts"]} == {"provider", "customer"}
    assert "Northwind IT Services service desk" in [c["name"] for c in section["contacts"]]
