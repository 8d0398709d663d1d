"""Templates: what a save refuses, and how placeholders are filled in (by name, nothing else)."""

from __future__ import annotations

import pytest

from tradepost.notifications.email_templates import PLACEHOLDERS, SPECS
from tradepost.notifications.placeholders import product_names
from tradepost.notifications.rendering import (
    InvalidTemplate,
    subject_render,
    template_check,
    template_render,
)

ALLOWED = ("customer_name", "order_number")


def problems(subject: str, body: str) -> list[dict[str, str]]:
    with pytest.raises(InvalidTemplate) as refused:
        template_check(subject=subject, body=body, allowed=ALLOWED)
    return refused.value.extra["errors"]


class TestTemplateCheck:
    @pytest.mark.parametrize("spec", SPECS.values(), ids=lambda spec: spec.key)
    def test_every_default_uses_only_its_own_placeholders(self, spec) -> None:
        assert set(spec.placeholders) <= set(PLACEHOLDERS)
        assert template_check(subject=spec.subject, body=spec.body, allowed=spec.placeholders)

    def test_a_well_formed_template_passes_trimmed(self) -> None:
        assert template_check(
            subject="  Hi {customer_name} ", body="{{literal}} {order_number}\n", allowed=ALLOWED
        ) == ("Hi {customer_name}", "{{literal}} {order_number}")

    @pytest.mark.parametrize(
        ("body", "placeholder", "says"),
        [
            ("Hi {customer_nmae}", "{customer_nmae}", "unknown placeholder {customer_nmae}"),
            ("{order.total}", "{order.total}", "without attribute or index access"),
            ("{order.__class__.__mro__}", "{order.__class__.__mro__}", "attribute or index"),
            ("{lines[0]}", "{lines[0]}", "without attribute or index access"),
            ("{order_number!r}", "{order_number!r}", "no format or conversion"),
            ("{order_number:>40}", "{order_number:>40}", "no format or conversion"),
            ("{}", "{}", "empty placeholder"),
            ("{0}", "{0}", "not a placeholder name"),
            ("Hi {customer_name", "{", 'unmatched "{"'),
            ("Hi customer_name}", "}", 'unmatched "}"'),
        ],
    )
    def test_a_bad_placeholder_is_named_with_its_field(
        self, body: str, placeholder: str, says: str
    ) -> None:
        (problem,) = problems("Order {order_number}", body)
        assert problem["field"] == "body"
        assert problem["placeholder"] == placeholder
        assert says in problem["message"]

    def test_an_unknown_placeholder_lists_the_ones_allowed(self) -> None:
        (problem,) = problems("Hi {tracking_url}", "Body")
        assert problem == {
            "field": "subject",
            "placeholder": "{tracking_url}",
            "message": "uses the unknown placeholder {tracking_url}; this email's placeholders "
            "are: {customer_name}, {order_number}",
        }

    def test_every_problem_in_both_fields_is_reported(self) -> None:
        found = problems("{a} {b}", "{c.d} }")
        assert [(p["field"], p["placeholder"]) for p in found] == [
            ("subject", "{a}"),
            ("subject", "{b}"),
            ("body", "{c.d}"),
            ("body", "}"),
        ]

    @pytest.mark.parametrize(
        ("subject", "body", "field", "says"),
        [
            ("", "Body", "subject", "must not be empty"),
            ("Two\nlines", "Body", "subject", "single line"),
            ("x" * 201, "Body", "subject", "at most 200"),
            ("Subject", "  \n ", "body", "must not be empty"),
        ],
    )
    def test_shape(self, subject: str, body: str, field: str, says: str) -> None:
        (problem,) = problems(subject, body)
        assert problem["field"] == field
        assert says in problem["message"]


class TestRender:
    def test_placeholders_are_filled_by_name_and_double_braces_are_literal(self) -> None:
        text = "Hi {customer_name}, {{order_number}} is {order_number}."
        values = {"customer_name": "Jo", "order_number": "ORD-1"}
        assert template_render(text, values) == "Hi Jo, {order_number} is ORD-1."

    def test_values_are_text_never_read_as_templates(self) -> None:
        values = {"customer_name": "{order_number} {0.__class__}", "order_number": "ORD-1"}
        assert template_render("{customer_name}", values) == "{order_number} {0.__class__}"

    def test_what_is_not_a_known_placeholder_stays_as_written(self) -> None:
        assert template_render("{retired} {a.b} {", {}) == "{retired} {a.b} {"

    def test_a_subject_is_one_line_whatever_the_values(self) -> None:
        values = {"customer_name": "Jo\r\nBcc: x@evil.test"}
        assert subject_render("Hi {customer_name}", values) == "Hi Jo Bcc: x@evil.test"


class TestProductNames:
    @pytest.mark.parametrize(
        ("titles", "expected"),
        [
            (["Mug"], "Mug"),
            (["Mug", "Bowl"], "Mug and Bowl"),
            (["Mug", "Bowl", "Cup"], "Mug, Bowl and Cup"),
            (["Mug", "Bowl", "Cup", "Jug"], "Mug, Bowl and 2 more"),
            (["Mug", "Mug"], "Mug"),
        ],
    )
    def test_titles_read_as_a_phrase(self, titles: list[str], expected: str) -> None:
        assert product_names([{"title": title} for title in titles]) == expected
