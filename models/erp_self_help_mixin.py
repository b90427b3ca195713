# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import re

from odoo import api, fields, models
from odoo.tools import SQL, html2plaintext, sql

# PostgreSQL text search configuration per language code; any other language
# (Chinese among them) is indexed with 'simple', which lowercases and keeps
# every word: Chinese is split into character bigrams before (cjk_bigrams)
TS_CONFIGS = {"en": "english", "fi": "finnish", "sv": "swedish", "es": "spanish"}
SIMPLE_CONFIG = "simple"
CJK_RUN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def get_ts_config(lang):
    """The text search configuration for a language code ('fi_FI' → finnish)."""
    return TS_CONFIGS.get((lang or "")[:2], SIMPLE_CONFIG)


def cjk_bigrams(text):
    """Chinese has no spaces: every run of CJK characters becomes the list of
    its overlapping character bigrams, as separate words, so that a question
    and an answer sharing a two-character word share a lexeme."""

    def split(match):
        run = match.group()
        if len(run) == 1:
            return f" {run} "
        return " %s " % " ".join(run[i : i + 2] for i in range(len(run) - 1))

    return CJK_RUN_RE.sub(split, text or "")


class ErpSelfHelpMixin(models.AbstractModel):
    """Records the self-help search finds (resolved incidents, published guides).

    The ORM keeps two plain-text columns up to date (``self_help_title``, the
    title, and ``self_help_text``, the rest of the answer, HTML removed and
    Chinese split into bigrams) and the language configuration of the record
    (``self_help_lang``). PostgreSQL derives from them a stored, generated
    ``self_help_vector`` column (title weighted A, the rest B, stemmed in the
    record's language), indexed with GIN: the ORM has no tsvector field, and
    computing the vector at query time costs ~70 µs a row, too slow to rank
    thousands of candidates. Inheriting models implement
    ``_get_self_help_texts()`` and ``_get_self_help_lang()`` and list their
    dependencies in ``_self_help_depends``."""

    _name = "erp.self.help.mixin"
    _description = "Found by the self-help search"
    _self_help_depends = ()

    # trigram index: typo-tolerant matching of the question's words
    # precomputed: written by the INSERT itself, not by a second UPDATE
    self_help_title = fields.Text(
        compute="_compute_self_help",
        store=True,
        precompute=True,
        index="trigram",
        copy=False,
    )
    self_help_text = fields.Text(
        compute="_compute_self_help", store=True, precompute=True, copy=False
    )
    self_help_lang = fields.Char(
        compute="_compute_self_help",
        store=True,
        precompute=True,
        copy=False,
        help="PostgreSQL text search configuration of the record's language.",
    )

    def _get_self_help_texts(self):
        """(title, [texts, plain or HTML]) of one record."""
        raise NotImplementedError

    def _get_self_help_lang(self):
        """The language code the record is written in."""
        raise NotImplementedError

    def _get_self_help_lines(self):
        """The non-empty lines of the record's texts, HTML removed."""
        _title, texts = self._get_self_help_texts()
        return [
            line.strip()
            for text in texts
            if text
            for line in (html2plaintext(text) if "<" in text else text).splitlines()
            if line.strip()
        ]

    @api.depends(lambda self: self._self_help_depends)
    def _compute_self_help(self):
        for record in self:
            title, _texts = record._get_self_help_texts()
            record.self_help_title = cjk_bigrams(title)
            record.self_help_text = cjk_bigrams(
                "\n".join(record._get_self_help_lines())
            )
            record.self_help_lang = get_ts_config(record._get_self_help_lang())

    @api.model
    def _get_self_help_vector_sql(self):
        """The generated column: each language's stemming, chosen per row. The
        configurations are constants of a CASE, so the expression is immutable
        (a text cast to regconfig is not)."""
        branches = SQL(" ").join(
            SQL(
                "WHEN %(name)s THEN setweight(to_tsvector(%(config)s::regconfig, "
                "coalesce(self_help_title, '')), 'A') || setweight(to_tsvector("
                "%(config)s::regconfig, coalesce(self_help_text, '')), 'B')",
                name=config,
                config=config,
            )
            for config in [*TS_CONFIGS.values()]
        )
        return SQL(
            "CASE self_help_lang %s ELSE setweight(to_tsvector('simple'::regconfig, "
            "coalesce(self_help_title, '')), 'A') || setweight(to_tsvector("
            "'simple'::regconfig, coalesce(self_help_text, '')), 'B') END",
            branches,
        )

    def init(self):
        super().init()
        if self._abstract:
            return
        cr = self.env.cr
        if not sql.column_exists(cr, self._table, "self_help_vector"):
            cr.execute(
                SQL(
                    "ALTER TABLE %s ADD COLUMN self_help_vector tsvector "
                    "GENERATED ALWAYS AS (%s) STORED",
                    SQL.identifier(self._table),
                    self._get_self_help_vector_sql(),
                )
            )
        sql.create_index(
            cr,
            f"{self._table}_self_help_vector_index",
            self._table,
            ["self_help_vector"],
            method="gin",
            comment="self-help full-text search",
        )
