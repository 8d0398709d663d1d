"""Text with ``{name}`` placeholders, for wording that people write and Tradepost fills in (email
templates, sellers' reply templates): checked when saved, filled in when used.

Placeholders are looked up by name in a dict of strings and nothing else: there is no
``str.format`` here, so no attribute or index access (``{order.__class__}``), no format specs and no
conversions. ``{{`` and ``}}`` write a literal brace.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tradepost.core.errors import ValidationFailed

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_NAME = re.compile(r"[a-z_][a-z0-9_]*")


@dataclass(frozen=True)
class TemplateProblem:
    field: str
    message: str
    placeholder: str  # the text at fault, as written: "{order.total}", "{", "{unknown}"


class InvalidTemplate(ValidationFailed):
    """Wording that would not fill in: every problem, each naming field and placeholder."""

    code = "invalid_template"
    title = "Invalid template"

    def __init__(self, problems: list[TemplateProblem]) -> None:
        first = problems[0]
        super().__init__(first.field, first.message)
        self.extra["errors"] = [
            {"field": p.field, "message": p.message, "placeholder": p.placeholder} for p in problems
        ]


def _problem(raw: str, inner: str | None, allowed: Iterable[str], whose: str) -> str | None:
    """What is wrong with one ``{…}`` (or a lone brace), or None when it is a usable placeholder."""
    if inner is None:
        return f'has an unmatched "{raw}"; write "{raw * 2}" for a literal brace'
    if _NAME.fullmatch(inner):
        if inner in allowed:
            return None
        names = ", ".join(f"{{{name}}}" for name in allowed)
        return f"uses the unknown placeholder {raw}; {whose} placeholders are: {names}"
    if not inner.strip():
        return f"has an empty placeholder {raw}; put a placeholder name between the braces"
    if "." in inner or "[" in inner:
        return f"uses {raw}: placeholders are plain names, without attribute or index access"
    if "!" in inner or ":" in inner:
        return f"uses {raw}: placeholders take no format or conversion"
    return f"uses {raw}, which is not a placeholder name (lowercase letters, digits and _)"


def template_problems(
    *, field: str, text: str, allowed: Iterable[str], whose: str = "the"
) -> list[TemplateProblem]:
    """Every placeholder in ``text`` that is not one of ``allowed``, and every stray brace.

    ``whose`` words the list of allowed names: "this email's placeholders are: …".
    """
    allowed = tuple(allowed)
    problems = []
    for match in _TOKEN.finditer(text):
        raw = match.group(0)
        if raw in ("{{", "}}"):
            continue
        message = _problem(raw, match.group(1), allowed, whose)
        if message is not None:
            problems.append(TemplateProblem(field, message, raw))
    return problems


def placeholders_in(text: str) -> list[str]:
    """The placeholder names ``text`` uses, each once, in order of first use."""
    names = (match.group(1) for match in _TOKEN.finditer(text) if match.group(1) is not None)
    return list(dict.fromkeys(name for name in names if _NAME.fullmatch(name)))


def template_render(text: str, values: Mapping[str, str]) -> str:
    """Fill in the placeholders. Anything that is not a known placeholder stays as written, so
    wording saved before a placeholder was retired still reads, showing the old name."""

    def replace(match: re.Match[str]) -> str:
        raw, name = match.group(0), match.group(1)
        if raw in ("{{", "}}"):
            return raw[0]
        if name is not None and name in values:
            return values[name]
        return raw

    return _TOKEN.sub(replace, text)
