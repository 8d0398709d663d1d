"""The evidence pack's PDF, drawn with fpdf2 from the same export the JSON file holds.

fpdf2's built-in fonts (Helvetica) cover Latin-1 only and need no font file on the machine, so
text is brought into Latin-1 first: arrows, dashes and quotes become their ASCII forms, accents
that Latin-1 lacks lose them, and anything else becomes "?".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from fpdf import FPDF

from tradepost.core.money import format_money

# Named by code point: several of these look like the ASCII they become.
ASCII_FORMS = str.maketrans(
    {
        "\N{RIGHTWARDS ARROW}": "->",
        "\N{MULTIPLICATION SIGN}": "x",
        "\N{EM DASH}": "-",
        "\N{EN DASH}": "-",
        "\N{HORIZONTAL ELLIPSIS}": "...",
        "\N{LEFT SINGLE QUOTATION MARK}": "'",
        "\N{RIGHT SINGLE QUOTATION MARK}": "'",
        "\N{LEFT DOUBLE QUOTATION MARK}": '"',
        "\N{RIGHT DOUBLE QUOTATION MARK}": '"',
        "\N{BULLET}": "-",
        "\N{EURO SIGN}": "EUR ",
        "\N{NARROW NO-BREAK SPACE}": " ",
        "\N{THIN SPACE}": " ",
    }
)
BODY, SMALL, HEADING = 9, 8, 12


def latin1(text: object) -> str:
    """Text the built-in fonts can draw."""
    value = str(text if text is not None else "").translate(ASCII_FORMS)
    out = []
    for char in value:
        if ord(char) < 256:
            out.append(char)
            continue
        base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
        out.append(base or "?")
    return "".join(out)


class EvidencePdf(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="A4")
        self.pack_title = latin1(title)
        self.set_title(self.pack_title)
        self.set_author("Tradepost")
        self.set_auto_page_break(auto=True, margin=15)
        self.alias_nb_pages()

    def header(self) -> None:
        self.set_font("Helvetica", "B", SMALL)
        self.cell(0, 5, self.pack_title, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=SMALL)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font("Helvetica", "B", HEADING)
        self.cell(0, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", size=BODY)

    def line_of(self, text: object, *, bold: bool = False) -> None:
        self.set_font("Helvetica", "B" if bold else "", BODY)
        self.multi_cell(0, 4.5, latin1(text), new_x="LMARGIN", new_y="NEXT")

    def facts(self, rows: list[tuple[str, object]]) -> None:
        for name, value in rows:
            self.set_font("Helvetica", "B", BODY)
            self.cell(48, 4.5, latin1(name))
            self.set_font("Helvetica", size=BODY)
            self.multi_cell(0, 4.5, latin1(value), new_x="LMARGIN", new_y="NEXT")

    def grid(
        self, header: tuple[str, ...], rows: Sequence[Sequence[object]], widths: tuple[int, ...]
    ) -> None:
        self.set_font("Helvetica", size=SMALL)
        with self.table(col_widths=widths, first_row_as_headings=True, line_height=4.5) as table:
            for values in [header, *rows]:
                row = table.row()
                for value in values:
                    row.cell(latin1(value))
        self.set_font("Helvetica", size=BODY)


def evidence_pdf(export: dict[str, Any]) -> bytes:
    """Order details, items, payment, tracking and delivery, the timeline and every message."""
    order, chargeback = export["order"], export["chargeback"]
    currency = order["currency"]

    def money(amount: int | None) -> str:
        return format_money(amount, currency) if amount is not None else "-"

    pdf = EvidencePdf(f"Chargeback evidence - order {order['number']}")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(
        0,
        9,
        latin1(f"Evidence for chargeback on order {order['number']}"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Helvetica", size=BODY)
    pdf.line_of(f"Prepared by {export['marketplace']} on {export['built_at']}.")
    _chargeback(pdf, chargeback, money)
    _order(pdf, order, money)
    _items(pdf, export, money)
    _payment(pdf, export, money)
    _shipping(pdf, export)
    _timeline(pdf, export)
    _messages(pdf, export)
    return bytes(pdf.output())


def _chargeback(pdf: EvidencePdf, chargeback: dict[str, Any], money: Any) -> None:
    pdf.heading("Chargeback")
    pdf.facts(
        [
            ("Amount", money(chargeback["amount"])),
            ("Reason", chargeback["reason"].replace("_", " ")),
            ("Provider reference", chargeback["provider_reference"] or "-"),
            ("Received", chargeback["created_at"]),
            ("Respond by", chargeback["respond_by"]),
            ("Seller order", chargeback["seller_order"]),
        ]
    )


def _order(pdf: EvidencePdf, order: dict[str, Any], money: Any) -> None:
    address = order["shipping_address"]
    lines = [address.get("name", ""), address.get("line1", ""), address.get("line2", "")]
    lines += [f"{address.get('postal_code', '')} {address.get('city', '')}".strip()]
    lines += [address.get("region", ""), address.get("country", "")]
    pdf.heading("Order details")
    pdf.facts(
        [
            ("Order number", order["number"]),
            ("Placed", order["created_at"]),
            ("Paid", order["paid_at"] or "-"),
            ("Buyer", f"{order['buyer']['name']} <{order['buyer']['email']}>"),
            ("Buyer phone", order["buyer"]["phone"] or "-"),
            ("Shipping address", ", ".join(line for line in lines if line)),
            ("Order total", money(order["total_amount"])),
        ]
    )


def _items(pdf: EvidencePdf, export: dict[str, Any], money: Any) -> None:
    pdf.heading("Items")
    rows = [
        (
            part["reference"],
            line["sku"],
            line["title"],
            line["quantity"],
            money(line["unit_price_amount"]),
            money(line["line_total_amount"]),
        )
        for part in export["order"]["seller_orders"]
        for line in part["lines"]
    ]
    pdf.grid(
        ("Seller order", "SKU", "Item", "Qty", "Unit price", "Total"),
        rows,
        (28, 26, 62, 12, 26, 26),
    )


def _payment(pdf: EvidencePdf, export: dict[str, Any], money: Any) -> None:
    order = export["order"]
    pdf.heading("Payment")
    pdf.facts(
        [
            ("Payment status", order["payment_status"].replace("_", " ")),
            ("Captured", money(order["captured_amount"])),
            ("Refunded", money(order["refunded_amount"])),
        ]
    )
    rows = [
        (p["created_at"], p["provider"], p["reference"], p["status"], money(p["amount"]))
        for p in export["payments"]
    ]
    pdf.grid(("When", "Provider", "Reference", "Result", "Amount"), rows, (44, 24, 58, 22, 32))
    if export["refunds"]:
        pdf.ln(2)
        pdf.line_of("Refunds already given to the buyer", bold=True)
        refunds = [
            (r["created_at"], r["seller_order"], r["reason"].replace("_", " "), money(r["amount"]))
            for r in export["refunds"]
        ]
        pdf.grid(("When", "Seller order", "Reason", "Amount"), refunds, (50, 36, 62, 32))


def _shipping(pdf: EvidencePdf, export: dict[str, Any]) -> None:
    pdf.heading("Tracking and delivery")
    for part in export["order"]["seller_orders"]:
        pdf.line_of(f"{part['reference']} ({part['seller']['name']}): {part['status']}", bold=True)
        pdf.facts(
            [
                ("Shipped", part["shipped_at"] or "not shipped"),
                ("Delivered", part["delivered_at"] or "-"),
                ("Delivery confirmed", part["completed_at"] or "-"),
            ]
        )
        for shipment in part["shipments"]:
            items = ", ".join(f"{i['quantity']} x {i['sku']}" for i in shipment["lines"])
            tracking = shipment["tracking_number"] or "untracked"
            url = f" {shipment['tracking_url']}" if shipment["tracking_url"] else ""
            pdf.line_of(
                f"- Parcel {shipment['created_at']}: {shipment['carrier']} {tracking}{url} "
                f"({items})"
            )
    for reship in export["reships"]:
        tracking = reship["tracking_number"] or "untracked"
        pdf.line_of(
            f"- {reship['outcome'].capitalize()} {reship['created_at']}: {reship['carrier']} "
            f"{tracking} {reship['tracking_url']}".rstrip()
        )


def _timeline(pdf: EvidencePdf, export: dict[str, Any]) -> None:
    pdf.heading("Timeline")
    rows = [
        (event["created_at"], f"{event['actor_label']} ({event['actor_role']})", event["message"])
        for event in export["timeline"]
    ]
    pdf.grid(("When", "Who", "What"), rows, (42, 40, 98))


def _messages(pdf: EvidencePdf, export: dict[str, Any]) -> None:
    pdf.heading("Messages")
    if not export["conversations"]:
        pdf.line_of("No messages were exchanged.")
    for conversation in export["conversations"]:
        pdf.line_of(conversation["title"], bold=True)
        for message in conversation["messages"]:
            files = ", ".join(a["name"] for a in message["attachments"])
            pdf.set_font("Helvetica", "B", SMALL)
            pdf.cell(
                0,
                4.5,
                latin1(f"{message['created_at']} - {message['author']}"),
                new_x="LMARGIN",
                new_y="NEXT",
            )
            pdf.line_of(message["body"] + (f"\n[Attached: {files}]" if files else ""))
            pdf.ln(1)
