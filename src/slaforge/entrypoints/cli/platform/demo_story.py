"""What `slaforge demo` prints about its agreement: what each attainment level would allow, the
level it drafts at and why, and the agreement itself with the commands that show and check it.

Every target printed here comes from the study's figures or the drafted agreement's own terms,
so the trade-off table, the agreement and the clock walk-through agree with each other."""

from __future__ import annotations

from slaforge.domain.agreement.drafting import percent
from slaforge.domain.time.durations import format_duration
from slaforge.services.demo.agreements import DemoAgreements

METRICS = (("first_response", "first response"), ("resolution", "resolution"))


def short(seconds: float | None, day: float) -> str:
    """'8h', '2d' (business days), 'none' where the history supports no target."""
    if seconds is None:
        return "none"
    if seconds >= day and seconds % day == 0:
        return f"{seconds / day:g}d"
    return format_duration(seconds)


def trade_off(a: DemoAgreements, day: float) -> list[str]:
    """The targets a draft at each level would promise, per priority and clock; then the level
    the demo drafts at, and why, from the same figures."""
    if not a.trade_off:
        return []
    levels = sorted(a.trade_off)
    width = 7 * len(levels)
    head = "".join(f"{percent(lv):>7}" for lv in levels)
    study = percent(a.study_level)
    out = [
        "levels     what the history allows at each attainment level: the shortest round target",
        f"           met for that share of tickets (at {study}, the study's own level, also month by month)",
        f"  {'':<10}{'first response':>{width}}   {'resolution':>{width}}",
        f"  {'priority':<10}{head}   {head}",
    ]
    priorities = list(next(iter(a.trade_off.values()))["first_response"])
    for prio in priorities:
        cells = [
            "".join(f"{short(a.trade_off[lv][m].get(prio), day):>7}" for lv in levels) for m, _ in METRICS
        ]
        out.append(f"  {prio:<10}{cells[0]}   {cells[1]}")
    return out + _why(a, levels, priorities, day)


def _why(a: DemoAgreements, levels: list[float], priorities: list[str], day: float) -> list[str]:
    table = a.trade_off or {}

    def count(level: float) -> int:
        return sum(v is not None for m, _ in METRICS for v in table[level][m].values())

    def example(level: float) -> str:
        return short(table[level]["first_response"].get(first), day)

    total = len(priorities) * len(METRICS)
    chosen, top = a.level, max(levels)
    first = priorities[0] if priorities else ""
    return [
        f"drafted at {percent(chosen)}: {count(chosen)} of {total} objectives get a target "
        f"({count(top)} at {percent(top)}), and the targets stay worth promising",
        f"           ({first} first response {example(chosen)}, against {example(top)} at {percent(top)}); "
        f"the history met them for at least",
        f"           {percent(chosen)} of tickets, and the remedy's credits are owed below that",
        "           (`agreement draft --study ID --level 0.9` drafts at another level)",
        "",
    ]


def agreement_lines(a: DemoAgreements, *, show: str, verify: str) -> list[str]:
    """The drafted agreement, its acceptance by a signed Stripe event, and the one on offer;
    `show` and `verify` are command lines that run as printed."""
    return [
        f"agreement  {a.customer}: version {a.number} (id {a.version_id}), {a.objectives} objectives "
        f"at {percent(a.level)}, between {a.provider} and {a.customer}",
        f"           for {a.service}",
        f"  accepted by a signed Stripe test event {a.stripe_event_id} (checkout.session.completed,",
        f"  order {a.order_id}, payment {a.payment_id}): {a.outcome}",
        f"  content hash {a.content_hash}",
        f"  document   {show}",
        f"  audit      {a.audit_entries} entries, chain {'intact' if a.audit_intact else 'BROKEN'}; check:",
        f"             {verify}",
        f"offered    {a.offered_customer}: version id {a.offered_version_id} waits on its signature link",
        "",
    ]


def relationship_lines(
    a: DemoAgreements, *, show: str, explain: str | None, tasks: str, check: str, appendix: str = ""
) -> list[str]:
    """Step 3 on the accepted agreement: who does what, the obligation that excuses the provider
    (with a real incident it excused time on), and the onboarding tasks; the commands run as printed."""
    r = a.relationship
    if r is None:
        return []
    out = [
        f"relationship  {r.activities} responsibilities (RACI) and {r.contacts} contacts in the escalation "
        "matrix, frozen with the version",
        f"  {a.customer} is accountable for: {'; '.join(r.customer_accountable) or 'nothing'}",
        f"  {show}",
        f"  obligation '{r.obligation.definition['name']}' (excuses the provider while overdue)",
    ]
    ex = r.obligation.explanation
    if ex is not None and explain is not None:
        out.append(f"  of the history's incidents, {ex.ticket.external_id} shows what it excuses:")
        out.append(f"  {explain}")
    if r.supported_objective >= 0:
        out.append(
            f"  supplier {r.supplier} underpins objective [{r.supported_objective}]; the check "
            "(exit status 1 while a warning stands) says:"
        )
        out += [f"    WARNING: {w}" for w in r.supplier_warnings] or ["    every linked promise holds"]
        out.append(f"  {check}")
        if appendix:
            out.append("  the provider's own appendix, never sent to the customer (--format pdf --out F):")
            out.append(f"  {appendix}")
    if r.ics is not None:
        out.append(f"  monthly service review, first Tuesday 10:00 Europe/Berlin from {r.review_start[:10]}:")
        out.append(f"    {r.ics}  (import it into any calendar)")
    out += [f"  {a.onboarding_tasks} onboarding tasks from the template:", f"  {tasks}", ""]
    return out
