"""The emails that show an order's money show its goodwill discount: the buyer's confirmation the
whole order's, each seller's new-order email its own part's."""

from __future__ import annotations

import pytest

from tests.builders import ApiClient, World, pay, place_order
from tests.notifications.flows import run_worker
from tests.notifications.smtp import SmtpSink
from tests.payments.flows import give_code

pytestmark = pytest.mark.django_db

TIMES = "\N{MULTIPLICATION SIGN}"
MINUS = "\N{MINUS SIGN}"


def test_the_confirmation_and_the_sellers_emails_show_the_discount_before_the_total(
    api: ApiClient, world: World, smtp: SmtpSink
) -> None:
    # given: acme's 5.00 off its items, used on 2 mugs (25.00) and a tee from bolt (20.00)
    code = give_code(api, world, by="acme", kind="fixed", amount_off=500)
    run_worker()
    with smtp.lock:  # the emails of the order the code was given on are not this test's
        smtp.received.clear()
    # when
    bundle = place_order(world, {"MUG": 2, "TEE": 1}, discount_code=code)
    pay(world, bundle)
    run_worker()
    # then
    buyer = smtp.one_to("john@buyers.test").body.replace("\r\n", "\n")
    assert (
        f"  2 {TIMES} Mug item — $25.00\n  1 {TIMES} Tee item — $20.00\n"
        f"  Goodwill discount — {MINUS}$5.00\n"
    ) in buyer
    assert "We received your payment of $40.00" in buyer
    acme = smtp.one_to("a@acme.test").body.replace("\r\n", "\n")
    assert f"  2 {TIMES} Mug item — $25.00\n  Goodwill discount — {MINUS}$5.00\n" in acme
    assert "Your total: $20.00" in acme
    bolt = smtp.one_to("b@bolt.test").body.replace("\r\n", "\n")
    assert "Goodwill discount" not in bolt
    assert "Your total: $20.00" in bolt
