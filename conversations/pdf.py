"""The preparation sheet and summary of a conversation as a PDF.

Written with fpdf2 and the bundled DejaVu Sans, so Norwegian letters (and
any Sami or other Latin letters in names) come out right and can be read
back from the file. Private notes are never in it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from conversations.preparation import Sheet
from conversations.templatetags.conversation_tags import who

logger = logging.getLogger(__name__)

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"


class PdfUnavailable(Exception):
    """The PDF library is not installed."""


def new_document():  # type: ignore[no-untyped-def]
    try:
        from fpdf import FPDF
    except ImportError as exc:
        logger.error("PDF download needs fpdf2: %s", exc)
        raise PdfUnavailable from exc
    pdf = FPDF(format="A4")
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    return pdf


def in_sentence(text: str) -> str:
    """A formatted date or time to end a sentence with: without a final
    full stop of its own ("10 a.m."), which the sentence supplies."""
    return text.removesuffix(".")


def level(value: int | None) -> str:
    return "–" if value is None else str(value)


def sheet_pdf(sheet: Sheet, title: str) -> bytes:
    """The sheet as PDF bytes; raises PdfUnavailable without fpdf2."""
    conversation = sheet.conversation
    pdf = new_document()
    pdf.set_title(title)
    pdf.add_page()

    def heading(text: str, size: int = 13) -> None:
        pdf.set_font(FAMILY, "B", size)
        pdf.multi_cell(0, 8, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, "", 10)

    def paragraph(text: str) -> None:
        # Left-aligned: justified lines read back with doubled spaces.
        pdf.multi_cell(0, 5.5, text, align="L", new_x="LMARGIN", new_y="NEXT")

    heading(title, 16)
    person = conversation.person
    paragraph(
        " · ".join(
            part for part in (person.full_name, person.title, person.unit.name) if part
        )
    )
    paragraph(
        _("Planned for %(when)s. Status: %(status)s.")
        % {
            "when": in_sentence(
                formats.date_format(
                    timezone.localtime(conversation.planned_at), "DATETIME_FORMAT"
                )
            ),
            "status": conversation.get_status_display(),
        }
    )
    if conversation.held_on:
        paragraph(
            _("Held on %(date)s.")
            % {
                "date": in_sentence(
                    formats.date_format(conversation.held_on, "DATE_FORMAT")
                )
            }
        )
    if conversation.participants:
        paragraph(_("Other participants: %(who)s") % {"who": conversation.participants})
    pdf.ln(3)

    heading(_("Expected and assessed levels"))
    with pdf.table(
        col_widths=(46, 16, 16, 16, 16, 16),
        text_align=("LEFT", "CENTER", "CENTER", "CENTER", "CENTER", "CENTER"),
        line_height=5.5,
    ) as table:
        table.row(
            [
                _("Competence"),
                _("Expected"),
                _("Self"),
                _("Leader"),
                _("Agreed"),
                _("Gap"),
            ]
        )
        for row in sheet.rows:
            cell = row.cell
            table.row(
                [
                    cell.competence.name,
                    level(cell.expected),
                    level(cell.self_level),
                    level(row.leader_level),
                    level(row.agreed_level),
                    level(cell.gap),
                ]
            )
    pdf.ln(3)

    described = sheet.described
    if described:
        heading(_("Indicators to talk about"))
        for row in described:
            pdf.set_font(FAMILY, "B", 10)
            paragraph(row.competence.name)
            pdf.set_font(FAMILY, "", 10)
            for indicator in row.indicators:
                paragraph(f"• {indicator.text}")
        pdf.ln(2)

    for actions, name in (
        (sheet.open_actions, _("Open actions from before")),
        (sheet.agreed_actions, _("Actions agreed in this conversation")),
    ):
        if not actions:
            continue
        heading(name)
        for action in actions:
            due = "–"
            if action.due_on:
                due = formats.date_format(action.due_on, "DATE_FORMAT")
            kind = action.get_form_display() or action.get_kind_display()
            line = _(
                "%(kind)s – %(competence)s: %(text)s "
                "(responsible %(owner)s, due %(date)s, %(status)s)"
            )
            paragraph(
                "• "
                + line
                % {
                    "kind": kind,
                    "competence": action.competence.name,
                    "text": action.description,
                    "owner": who(action.owner),
                    "date": due,
                    "status": action.get_status_display(),
                }
            )
        pdf.ln(2)

    if conversation.notes:
        heading(_("Notes from the conversation"))
        paragraph(conversation.notes)
    return bytes(pdf.output())
