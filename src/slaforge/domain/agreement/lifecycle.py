"""The agreement version lifecycle (DESIGN.md): every allowed step, and nothing else.

draft → offered → accepted | rejected | countered | withdrawn | expired (offer lapsed);
accepted → active (only through the readiness gate) → suspended | terminated | expired;
a renewal or amendment supersedes an accepted, active or suspended version.
"""

from __future__ import annotations

from enum import StrEnum

from slaforge.domain.errors import IllegalTransition


class VersionState(StrEnum):
    DRAFT = "draft"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    COUNTERED = "countered"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"
    SUPERSEDED = "superseded"


class Action(StrEnum):
    OFFER = "offer"
    ACCEPT = "accept"
    REJECT = "reject"
    COUNTER = "counter"
    WITHDRAW = "withdraw"
    LAPSE = "lapse"  # the offer's expiry passed
    GO_LIVE = "go_live"
    SUSPEND = "suspend"
    RESUME = "resume"
    TERMINATE = "terminate"
    END_TERM = "end_term"  # the agreed term ended without renewal
    SUPERSEDE = "supersede"


S, A = VersionState, Action
TRANSITIONS: dict[tuple[VersionState, Action], VersionState] = {
    (S.DRAFT, A.OFFER): S.OFFERED,
    (S.DRAFT, A.WITHDRAW): S.WITHDRAWN,
    (S.OFFERED, A.ACCEPT): S.ACCEPTED,
    (S.OFFERED, A.REJECT): S.REJECTED,
    (S.OFFERED, A.COUNTER): S.COUNTERED,
    (S.OFFERED, A.WITHDRAW): S.WITHDRAWN,
    (S.OFFERED, A.LAPSE): S.EXPIRED,
    (S.ACCEPTED, A.GO_LIVE): S.ACTIVE,
    (S.ACCEPTED, A.SUPERSEDE): S.SUPERSEDED,
    (S.ACTIVE, A.SUSPEND): S.SUSPENDED,
    (S.ACTIVE, A.TERMINATE): S.TERMINATED,
    (S.ACTIVE, A.END_TERM): S.EXPIRED,
    (S.ACTIVE, A.SUPERSEDE): S.SUPERSEDED,
    (S.SUSPENDED, A.RESUME): S.ACTIVE,
    (S.SUSPENDED, A.TERMINATE): S.TERMINATED,
    (S.SUSPENDED, A.SUPERSEDE): S.SUPERSEDED,
}
FROZEN = frozenset(set(VersionState) - {S.DRAFT})  # every state after the offer: content never changes
FINAL = frozenset({S.REJECTED, S.COUNTERED, S.WITHDRAWN, S.EXPIRED, S.TERMINATED, S.SUPERSEDED})


def allowed_actions(state: VersionState) -> list[Action]:
    return [action for (src, action) in TRANSITIONS if src is state]


def next_state(
    state: VersionState, action: Action, *, readiness_gaps: list[str] | None = None
) -> VersionState:
    """The state after `action`, or IllegalTransition naming what is allowed instead.

    Going live needs the readiness gate: `readiness_gaps` must be given and empty.
    """
    target = TRANSITIONS.get((state, action))
    if target is None:
        allowed = ", ".join(a.value for a in allowed_actions(state)) or "nothing (final state)"
        raise IllegalTransition(f"cannot {action.value} a version that is {state.value}; allowed: {allowed}")
    if action is A.GO_LIVE:
        if readiness_gaps is None:
            raise IllegalTransition("cannot go live without a readiness check")
        if readiness_gaps:
            raise IllegalTransition(
                "cannot go live until every clause is covered: " + "; ".join(readiness_gaps)
            )
    return target
