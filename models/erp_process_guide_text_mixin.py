# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, models
from odoo.exceptions import ValidationError


class ErpProcessGuideTextMixin(models.AbstractModel):
    """Size limits of the texts of a guide and of its steps.

    Checked on the values as they are sent, before the ORM sanitizes them: the
    HTML sanitizer gives up on a huge text and returns an empty paragraph, so a
    constraint checked after saving would see ``<p></p>`` and the text would
    be lost without a word."""

    _name = "erp.process.guide.text.mixin"
    _description = "Size limits of process guide texts"
    # field name -> most characters accepted
    _text_size_limits = {}

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_text_sizes(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_text_sizes(vals)
        return super().write(vals)

    @api.model
    def _check_text_sizes(self, vals):
        """Refuse any text of ``vals`` longer than its limit."""
        for field_name, limit in self._text_size_limits.items():
            value = vals.get(field_name)
            if isinstance(value, str) and len(value) > limit:
                raise ValidationError(
                    self.env._(
                        "%(field)s is too long: %(size)s characters, at most "
                        "%(limit)s are accepted. Shorten it, or attach the "
                        "long part (a manual, a log) as a file.",
                        field=self._fields[field_name]._description_string(self.env),
                        size=f"{len(value):,}",
                        limit=f"{limit:,}",
                    )
                )
