# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import html_sanitize

from odoo.addons.html_editor.models.diff_utils import generate_comparison


class ErpProcessGuideVersion(models.Model):
    """One published version of a process guide, kept whole and for good.

    Written only by ``erp.process.guide.action_publish`` (there is no access
    right to create, write or delete a version): the text readers were given
    at that moment, who gave it to them and when. Readers always read the last
    one; any two can be compared."""

    _name = "erp.process.guide.version"
    _description = "Published Version of a Process Guide"
    _order = "guide_id, number desc"
    _rec_names_search = ["name"]

    guide_id = fields.Many2one(
        "erp.process.guide",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="guide_id.company_id", store=True, index=True, precompute=True
    )
    number = fields.Integer(string="Version", required=True, readonly=True)
    name = fields.Char(string="Title", required=True, readonly=True)
    summary = fields.Text(readonly=True)
    body = fields.Html(
        string="Published Text",
        sanitize=True,
        readonly=True,
        help="The guide as its readers saw it: summary, numbered steps with "
        "their expected result, content.",
    )
    published_by_id = fields.Many2one(
        "res.users", string="Published by", readonly=True, index="btree_not_null"
    )
    published_on = fields.Datetime(readonly=True, required=True)

    _guide_number_unique = models.Constraint(
        "UNIQUE(guide_id, number)",
        "A guide has one version of each number.",
    )

    @api.depends("number", "published_on", "published_by_id")
    def _compute_display_name(self):
        for version in self:
            version.display_name = self.env._(
                "Version %(number)s of %(date)s, %(author)s",
                number=version.number,
                date=fields.Date.to_string(version.published_on),
                author=version.published_by_id.name or "",
            ).rstrip(", ")

    def _get_comparable_text(self):
        """The title and the text of the version, as one piece of HTML."""
        self.ensure_one()
        return Markup("<h2>%s</h2>%s") % (self.name, self.body or "")

    def _get_comparison_html(self, older):
        """What changed from version ``older`` to this one: added text in
        ``<ins>``, removed text in ``<del>``, sanitized.

        Both texts come from sanitized fields; the result is sanitized again,
        so nothing but the guide's own markup reaches the reader's browser."""
        self.ensure_one()
        # html_editor's function marks as <added> what its second argument
        # has and its first has not
        comparison = generate_comparison(
            older._get_comparable_text(), self._get_comparable_text()
        )
        for tag, html_tag in (("added", "ins"), ("removed", "del")):
            comparison = comparison.replace(f"<{tag}>", f"<{html_tag}>").replace(
                f"</{tag}>", f"</{html_tag}>"
            )
        return Markup(html_sanitize(comparison))
