# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import unicodedata

from odoo import api, models
from odoo.exceptions import ValidationError

# Characters that show nothing: white space, control characters (Cc: tabs,
# new lines, NUL) and format characters (Cf: zero-width space and joiners,
# word joiner, byte-order mark, soft hyphen, bidirectional marks).
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zs", "Zl", "Zp"}


def is_invisible(char):
    return char.isspace() or unicodedata.category(char) in INVISIBLE_CATEGORIES


def strip_text(value):
    """``value`` without the invisible characters at both ends."""
    start, end = 0, len(value)
    while start < end and is_invisible(value[start]):
        start += 1
    while end > start and is_invisible(value[end - 1]):
        end -= 1
    return value[start:end]


def has_text(value):
    """Whether ``value`` (a string, or False/None) shows at least one character:
    a text made of spaces and zero-width characters says nothing."""
    return bool(value) and not all(is_invisible(char) for char in value)


def clean_line(value):
    """A one-line text as it is stored: control characters inside (tabs, new
    lines, NUL, which PostgreSQL refuses) become spaces, invisible characters
    at both ends go."""
    return strip_text(
        "".join(" " if unicodedata.category(char) == "Cc" else char for char in value)
    )


class ErpTextMixin(models.AbstractModel):
    """One-line texts that say what a record is (an incident's title, the name
    of an instance, area, guide or step): stripped and required in every path
    (forms, the ORM, JSON-RPC), whatever a client sends.

    Models list those fields in ``_text_required_fields``. A value that is empty
    once stripped (spaces, zero-width characters) or that is not text at all
    (a list, a dict or a number sent over RPC) is refused with a
    ``ValidationError`` before anything is written.

    ``_text_size_limits`` (field name -> most characters) bounds texts, checked
    on the values as they are sent, before the ORM sanitizes them: the HTML
    sanitizer gives up on a huge text and returns an empty paragraph, so a
    constraint checked after saving would see ``<p></p>`` and the text would be
    lost without a word."""

    _name = "erp.text.mixin"
    _description = "Required one-line texts, stripped; texts of bounded size"
    _text_required_fields = ()
    _text_size_limits = {}

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_text_size_limits(vals)
        vals_list = [
            self._clean_required_texts(vals, creating=True) for vals in vals_list
        ]
        return super().create(vals_list)

    def write(self, vals):
        self._check_text_size_limits(vals)
        return super().write(self._clean_required_texts(vals))

    @api.model
    def _check_text_size_limits(self, vals):
        """Refuse any text of ``vals`` longer than its limit."""
        for fname, limit in self._text_size_limits.items():
            value = vals.get(fname)
            if isinstance(value, str) and len(value) > limit:
                raise ValidationError(
                    self.env._(
                        "%(field)s is too long: %(size)s characters, at most "
                        "%(limit)s are accepted. Shorten it, or attach the "
                        "long part (a manual, a log) as a file.",
                        field=self._fields[fname]._description_string(self.env),
                        size=f"{len(value):,}",
                        limit=f"{limit:,}",
                    )
                )

    @api.model
    def _clean_required_texts(self, vals, creating=False):
        """A copy of ``vals`` with the fields of ``_text_required_fields``
        cleaned by ``clean_line``; raise ``ValidationError`` for a missing,
        empty or non-text value."""
        vals = dict(vals)
        for fname in self._text_required_fields:
            if fname not in vals:
                if not creating:
                    continue
                # a default (e.g. ``default_name`` in the context) is a value
                # sent by the client too
                default = self.default_get([fname]).get(fname)
                if default is None:
                    raise ValidationError(self._get_required_text_error(fname))
                vals[fname] = default
            vals[fname] = self._clean_required_text(fname, vals[fname])
        return vals

    @api.model
    def _clean_required_text(self, fname, value):
        if value is False or value is None:
            raise ValidationError(self._get_required_text_error(fname))
        if not isinstance(value, str):
            raise ValidationError(
                self.env._(
                    "%(field)s must be text, not %(value)s.",
                    field=self._fields[fname]._description_string(self.env),
                    value=type(value).__name__,
                )
            )
        value = clean_line(value)
        if not has_text(value):
            raise ValidationError(self._get_required_text_error(fname))
        return value

    @api.model
    def _get_required_text_error(self, fname):
        return self.env._(
            "%(field)s is required: spaces or invisible characters alone do not "
            "say anything.",
            field=self._fields[fname]._description_string(self.env),
        )
