"""The dispute tables: every from x to x role of cases and chargebacks, who must act in each
status, and docs/disputes.md generated from the same tables."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from tests.builders import ApiClient
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import InvalidTransition, PermissionDenied
from tradepost.disputes.lifecycle_table import dispute_lifecycle_markdown, docs_with_tables
from tradepost.disputes.status import (
    CASE,
    CHARGEBACK,
    OUTCOMES,
    CaseStatus,
    ChargebackStatus,
    awaiting_party,
    respond_target,
)
from tradepost.orders.lifecycle import check_transition
from tradepost.orders.status import Lifecycle

C, B = CaseStatus, ChargebackStatus
ANSWERING, OWNER_ONLY = {"seller", "owner"}, {"owner"}
PARTIES = {"buyer", "seller", "owner"}
# Either party escalates; the system does when the party whose turn it is lets the due time pass.
ESCALATORS = PARTIES | {"system"}
RESOLVERS = {"owner", "seller", "buyer", "system"}
# The lifecycle, written out on its own so a change to status.py must be deliberate:
# open -> awaiting seller <-> awaiting buyer -> under review -> resolved -> closed.
EXPECTED_CASE = {
    (C.OPEN, C.AWAITING_BUYER): ANSWERING,
    (C.OPEN, C.AWAITING_SELLER): {"buyer", "owner"},
    (C.AWAITING_SELLER, C.AWAITING_BUYER): ANSWERING,
    (C.AWAITING_BUYER, C.AWAITING_SELLER): {"buyer", "owner"},
    (C.OPEN, C.UNDER_REVIEW): ESCALATORS,
    (C.AWAITING_SELLER, C.UNDER_REVIEW): ESCALATORS,
    (C.AWAITING_BUYER, C.UNDER_REVIEW): ESCALATORS,
    (C.UNDER_REVIEW, C.AWAITING_SELLER): OWNER_ONLY,
    (C.UNDER_REVIEW, C.AWAITING_BUYER): OWNER_ONLY,
    (C.OPEN, C.RESOLVED): RESOLVERS,
    (C.AWAITING_SELLER, C.RESOLVED): RESOLVERS,
    (C.AWAITING_BUYER, C.RESOLVED): RESOLVERS,
    (C.UNDER_REVIEW, C.RESOLVED): {"owner", "system"},
    (C.RESOLVED, C.UNDER_REVIEW): {"buyer", "owner"},
    (C.RESOLVED, C.CLOSED): {"buyer", "owner", "system"},
}
EXPECTED_CHARGEBACK = {
    (B.NEEDS_RESPONSE, B.EVIDENCE_SUBMITTED): OWNER_ONLY,
    (B.NEEDS_RESPONSE, B.LOST): {"owner", "system"},
    (B.NEEDS_RESPONSE, B.WON): {"owner", "system"},
    (B.EVIDENCE_SUBMITTED, B.WON): {"owner", "system"},
    (B.EVIDENCE_SUBMITTED, B.LOST): {"owner", "system"},
}


def _actor(role: Role) -> Actor:
    return Actor(role=role, label=role.value, user_id=1, seller_id=1, buyer_id=1)


@pytest.mark.parametrize(
    ("lifecycle", "expected"), [(CASE, EXPECTED_CASE), (CHARGEBACK, EXPECTED_CHARGEBACK)]
)
def test_every_source_target_role_combination(lifecycle: Lifecycle, expected: dict) -> None:
    statuses = [value for value, _ in lifecycle.statuses.choices]
    for source, target, role in itertools.product(statuses, statuses, Role):
        allowed_roles = expected.get((source, target), set())
        if role.value in allowed_roles:
            assert check_transition(lifecycle, current=source, target=target, actor=_actor(role))
            continue
        error = InvalidTransition if not allowed_roles else PermissionDenied
        with pytest.raises(error) as raised:
            check_transition(lifecycle, current=source, target=target, actor=_actor(role))
        assert raised.value.extra["current_status"] == source
        assert raised.value.extra["allowed_next_statuses"] == lifecycle.allowed_targets(
            source, role
        )


def test_closed_and_the_rulings_are_final() -> None:
    assert CASE.allowed_targets(C.CLOSED) == []
    assert CHARGEBACK.allowed_targets(B.WON) == CHARGEBACK.allowed_targets(B.LOST) == []


@pytest.mark.parametrize(
    ("status", "opened_by", "awaiting"),
    [
        (C.OPEN, "buyer", Role.SELLER),
        (C.OPEN, "owner", Role.SELLER),
        (C.OPEN, "system", Role.SELLER),
        (C.OPEN, "seller", Role.BUYER),
        (C.AWAITING_SELLER, "seller", Role.SELLER),
        (C.AWAITING_BUYER, "buyer", Role.BUYER),
        (C.UNDER_REVIEW, "buyer", Role.OWNER),
        (C.RESOLVED, "seller", Role.BUYER),
        (C.CLOSED, "buyer", None),
    ],
)
def test_who_must_act(status: str, opened_by: str, awaiting: Role | None) -> None:
    assert awaiting_party(status, opened_by) == awaiting


def test_answering_hands_the_turn_to_the_other_party() -> None:
    assert respond_target(Role.SELLER) == C.AWAITING_BUYER
    assert respond_target(Role.BUYER) == C.AWAITING_SELLER
    assert respond_target(Role.OWNER, "buyer") == C.AWAITING_BUYER
    assert respond_target(Role.OWNER, "seller") == C.AWAITING_SELLER


def test_outcomes_by_role() -> None:
    assert {o for o, rule in OUTCOMES.items() if Role.SELLER in rule.roles} == {
        "full_refund",
        "partial_refund",
        "reship",
        "exchange",
    }
    assert {o for o, rule in OUTCOMES.items() if Role.BUYER in rule.roles} == {"no_action"}
    assert {o for o, rule in OUTCOMES.items() if Role.SYSTEM in rule.roles} == {
        "no_action",
        "charged_back",
    }


def test_docs_disputes_md_shows_the_tables_the_services_enforce() -> None:
    document = Path(__file__).resolve().parents[2] / "docs" / "disputes.md"
    text = document.read_text()
    assert dispute_lifecycle_markdown() in text, "run `tradepost disputes_docs`"
    assert docs_with_tables(text) == text


def test_the_tables_are_served(api: ApiClient) -> None:
    body = api.get("/disputes/lifecycle", None).json()
    assert {(t["source"], t["target"]) for t in body["case"]["transitions"]} == set(EXPECTED_CASE)
    assert {o["outcome"] for o in body["outcomes"]} == set(OUTCOMES)
