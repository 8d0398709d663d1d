"""Dispute deadlines enforced by the worker on a controlled clock: an overdue step goes to the
owner as the system, once; an unanswered chargeback is lost at the bank's deadline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests import clock
from tests.builders import ApiClient, World
from tests.disputes.flows import delivered_order, open_case, reference_of
from tests.notifications import conftest as mail
from tests.notifications.flows import run_worker
from tests.notifications.smtp import SmtpSink
from tradepost.core.models import OutboxEvent
from tradepost.disputes import chargebacks, evidence
from tradepost.disputes.automation import dispute_deadlines_run
from tradepost.disputes.models import Case, Chargeback
from tradepost.notifications.models import Notification

pytestmark = pytest.mark.django_db
# The public URL of tests/notifications, for these tests too (the SMTP sink is everyone's).
mail_public_url = mail.public_url

OPENED = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)  # due 24 h later
JOHN, ACME, STAFF = "john@buyers.test", "a@acme.test", "owner@example.com"


def at(moment: datetime) -> None:
    clock.travel_to(moment)
    run_worker()


class TestOverdueCases:
    def test_a_case_the_seller_does_not_answer_goes_to_the_owner_once(
        self, world: World, api: ApiClient, smtp: SmtpSink
    ) -> None:
        # given: the buyer opens a case; the seller must answer within 24 h
        clock.travel_to(OPENED)
        bundle = delivered_order(world)
        case = open_case(api, world.buyers["john"], reference_of(bundle), "damaged")
        run_worker()
        # when: just before the due time, nothing
        at(OPENED + timedelta(hours=23, minutes=59))
        assert Case.objects.get(public_id=case["id"]).status == "open"
        # when: past it, and again later
        at(OPENED + timedelta(hours=24, minutes=1))
        at(OPENED + timedelta(hours=30))
        # then: under review, by the system, with the reason on the timeline
        assert Case.objects.get(public_id=case["id"]).status == "under_review"
        events = api.get(f"/orders/{bundle.order.number}/events", world.owner.key).json()
        escalated = [e for e in events if e["to_status"] == "under_review"]
        assert len(escalated) == 1
        assert escalated[0]["actor_role"] == "system"
        assert "The seller did not answer by Fri 11 Dec 2026, 09:00 UTC" in escalated[0]["message"]
        assert escalated[0]["details"]["missed_by"] == "seller"
        updates = OutboxEvent.objects.filter(type="dispute.updated", data__change="overdue")
        assert updates.count() == 1
        # the owner's people are alerted; the seller, who missed it, is told
        assert [m.subject for m in smtp.to(STAFF)] == [
            "Overdue, to decide: damaged case on " + reference_of(bundle)
        ]
        told = [m for m in smtp.to(ACME) if "went to the marketplace" in m.subject]
        assert len(told) == 1
        assert JOHN not in told[0].body
        assert Notification.objects.filter(title__contains="went to the marketplace").count() == 1
        assert not any("went to the marketplace" in m.subject for m in smtp.to(JOHN))

    def test_the_buyer_is_told_when_it_is_their_answer_that_is_late(
        self, world: World, api: ApiClient, smtp: SmtpSink
    ) -> None:
        clock.travel_to(OPENED)
        bundle = delivered_order(world)
        case = open_case(api, world.buyers["john"], reference_of(bundle), "damaged")
        answer = api.post(
            f"/disputes/{case['id']}/respond", world.members["acme"].key, {"message": "Photo?"}
        )
        assert answer.status == 200, answer
        at(OPENED + timedelta(hours=25))
        assert Case.objects.get(public_id=case["id"]).status == "under_review"
        told = [m for m in smtp.to(JOHN) if "went to the marketplace" in m.subject]
        assert len(told) == 1
        assert "We did not receive your answer by Fri 11 Dec 2026, 09:00 UTC" in told[0].body

    def test_an_answered_case_is_left_alone(self, world: World, api: ApiClient) -> None:
        clock.travel_to(OPENED)
        bundle = delivered_order(world)
        case = open_case(api, world.buyers["john"], reference_of(bundle), "damaged")
        clock.travel_to(OPENED + timedelta(hours=20))
        api.post(f"/disputes/{case['id']}/respond", world.members["acme"].key, {"message": "Sorry"})
        clock.travel_to(OPENED + timedelta(hours=25))
        assert dispute_deadlines_run()["cases_escalated"] == 0
        assert Case.objects.get(public_id=case["id"]).status == "awaiting_buyer"


class TestUnansweredChargebacks:
    def record(self, world: World, number: str) -> Chargeback:
        return chargebacks.chargeback_record(
            actor=world.owner.actor,
            number=number,
            notice=chargebacks.ChargebackNotice(
                amount=1000, reason="fraudulent", respond_by=OPENED + timedelta(days=7)
            ),
        )

    def test_lost_at_the_deadline_without_evidence(self, world: World, api: ApiClient) -> None:
        # given
        clock.travel_to(OPENED)
        bundle = delivered_order(world)
        chargeback = self.record(world, bundle.order.number)
        # when
        clock.travel_to(OPENED + timedelta(days=7, minutes=-1))
        assert dispute_deadlines_run()["chargebacks_lost"] == 0
        clock.travel_to(OPENED + timedelta(days=7, minutes=1))
        assert dispute_deadlines_run()["chargebacks_lost"] == 1
        assert dispute_deadlines_run()["chargebacks_lost"] == 0
        # then: the system row of the chargeback table, the money taken back, the case resolved
        chargeback.refresh_from_db()
        assert chargeback.status == "lost"
        assert chargeback.taken_back_amount == 1000
        case = Case.objects.get(pk=chargeback.case_id)
        assert (case.status, case.outcome) == ("resolved", "charged_back")
        events = api.get(f"/orders/{bundle.order.number}/events", world.owner.key).json()
        lost = [e for e in events if e["kind"] == "chargeback.lost"]
        assert len(lost) == 1
        assert lost[0]["actor_role"] == "system"

    def test_evidence_sent_in_time_keeps_it_open(self, world: World, tmp_path) -> None:
        clock.travel_to(OPENED)
        bundle = delivered_order(world)
        chargeback = self.record(world, bundle.order.number)
        evidence.evidence_pack_build(actor=world.owner.actor, chargeback_id=chargeback.public_id)
        chargebacks.chargeback_submit_evidence(
            actor=world.owner.actor, chargeback_id=chargeback.public_id
        )
        clock.travel_to(OPENED + timedelta(days=8))
        assert dispute_deadlines_run()["chargebacks_lost"] == 0
        chargeback.refresh_from_db()
        assert chargeback.status == "evidence_submitted"

    def test_evidence_after_the_deadline_is_refused_and_the_chargeback_lost(
        self, world: World, api: ApiClient
    ) -> None:
        # given: the evidence pack was built in time but not sent
        clock.travel_to(OPENED)
        bundle = delivered_order(world)
        chargeback = self.record(world, bundle.order.number)
        evidence.evidence_pack_build(actor=world.owner.actor, chargeback_id=chargeback.public_id)
        path = f"/chargebacks/{chargeback.public_id}"
        clock.travel_to(OPENED + timedelta(days=7, minutes=-1))
        assert "submit_evidence" in api.get(path, world.owner.key).json()["actions"]
        # when: the owner sends it a minute after the bank's deadline
        clock.travel_to(OPENED + timedelta(days=7, minutes=1))
        assert "submit_evidence" not in api.get(path, world.owner.key).json()["actions"]
        late = api.post(f"/chargebacks/{chargeback.public_id}/submit-evidence", world.owner.key)
        # then: refused, with the deadline named; the worker records it as lost
        assert late.status == 409, late
        assert "2026-12-17 09:00 UTC" in late.json()["detail"]
        assert dispute_deadlines_run()["chargebacks_lost"] == 1
        chargeback.refresh_from_db()
        assert chargeback.status == "lost"
