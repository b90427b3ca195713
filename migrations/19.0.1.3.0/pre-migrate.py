# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""19.0.1.3.0: the self-help search (issue #14). Incidents and process guides
get the plain texts the search vector is generated from (``self_help_title``,
``self_help_text``, ``self_help_lang``, models/erp_self_help_mixin.py).

Filled in SQL: on hundreds of thousands of incidents the ORM would compute
the new stored fields of every row (reading each reporter's language and
converting each resolution). The columns are added here, before the update,
so the ORM computes none of them; ``init()`` then adds the generated
``self_help_vector`` column, computed by PostgreSQL from them, and the
indexes. The incidents are filled here; the guides in post-migrate.py, once
their published versions exist (they are made by 19.0.1.1.0's post-migrate
on an upgrade from an older version).

The SQL does what the compute method does: the record's texts (the incident's
title, description and resolution; the guide's last published version),
markup removed, one non-empty line per line, Chinese split into character
bigrams (``cjk_bigrams``), and the text search configuration of the
reporter's (the guide owner's) language. An HTML text may be cut into lines
a little differently from ``html2plaintext`` (which only the search reads:
the words are the same); the next change of the record recomputes it with
the ORM."""

import logging

_logger = logging.getLogger(__name__)

# the same characters as CJK_RUN_RE (models/erp_self_help_mixin.py)
CJK_CLASS = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
# tags that end a line in html2plaintext; the others are removed
BLOCK_TAGS = "br|p|div|li|ul|ol|h[1-6]|tr|table|blockquote|pre"

# functions of this session only (pg_temp): nothing is left in the database
FUNCTIONS = rf"""
CREATE OR REPLACE FUNCTION pg_temp.erp_cjk_bigrams(src text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    result text := '';
    run text := '';
    ch text;
BEGIN
    IF src IS NULL OR src !~ '{CJK_CLASS}' THEN
        RETURN src;
    END IF;
    -- one step past the end (ch = ''), to flush the last run
    FOR i IN 1..length(src) + 1 LOOP
        ch := substr(src, i, 1);
        IF ch <> '' AND ch ~ '{CJK_CLASS}' THEN
            run := run || ch;
            CONTINUE;
        END IF;
        IF length(run) = 1 THEN
            result := result || ' ' || run || ' ';
        ELSIF length(run) > 1 THEN
            result := result || ' ' || (
                SELECT string_agg(substr(run, j, 2), ' ' ORDER BY j)
                  FROM generate_series(1, length(run) - 1) AS j
            ) || ' ';
        END IF;
        run := '';
        result := result || ch;
    END LOOP;
    RETURN result;
END
$$;

CREATE OR REPLACE FUNCTION pg_temp.erp_self_help_lines(src text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT string_agg(btrim(line, E' \t\r\u00a0'), E'\n' ORDER BY n)
      FROM regexp_split_to_table(
               CASE WHEN src LIKE '%<%' THEN
                   replace(replace(replace(replace(replace(replace(
                       regexp_replace(
                           regexp_replace(
                               src, '</?({BLOCK_TAGS})\y[^>]*>', E'\n', 'gi'),
                           '<[^>]*>', '', 'g'),
                       '&nbsp;', ' '), '&lt;', '<'), '&gt;', '>'),
                       '&quot;', '"'), '&#39;', ''''), '&amp;', '&')
               ELSE src END,
               E'\n') WITH ORDINALITY AS t(line, n)
     WHERE btrim(line, E' \t\r\u00a0') <> ''
$$;

CREATE OR REPLACE FUNCTION pg_temp.erp_ts_config(lang text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE left(lang, 2)
        WHEN 'en' THEN 'english' WHEN 'fi' THEN 'finnish'
        WHEN 'sv' THEN 'swedish' WHEN 'es' THEN 'spanish'
        ELSE 'simple' END
$$;
"""


def _add_columns(cr, table):
    for column in ("self_help_title", "self_help_text", "self_help_lang"):
        cr.execute(
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} "
            f"{'varchar' if column == 'self_help_lang' else 'text'}"
        )


def create_functions(cr):
    cr.execute(FUNCTIONS)


def fill_guides(cr):
    """The texts of each guide's last published version (none for a draft)."""
    cr.execute(
        """
        UPDATE erp_process_guide AS rec
           SET self_help_title = pg_temp.erp_cjk_bigrams(coalesce(src.name, '')),
               self_help_text = pg_temp.erp_cjk_bigrams(coalesce(concat_ws(E'\n',
                   pg_temp.erp_self_help_lines(src.summary),
                   pg_temp.erp_self_help_lines(src.body)), '')),
               self_help_lang = pg_temp.erp_ts_config(src.lang)
          FROM (SELECT guide.id, version.name, version.summary, version.body,
                       partner.lang
                  FROM erp_process_guide AS guide
                  LEFT JOIN erp_process_guide_version AS version
                         ON version.id = guide.published_version_id
                  LEFT JOIN res_users AS owner ON owner.id = guide.owner_id
                  LEFT JOIN res_partner AS partner ON partner.id = owner.partner_id
               ) AS src
         WHERE src.id = rec.id
        """
    )
    _logger.info("erp_process_guide: self-help texts of %s rows", cr.rowcount)


def fill_incidents(cr):
    """The texts of each incident (also what bench/datagen.py gives the
    incidents it inserts in SQL)."""
    cr.execute(
        """
        UPDATE erp_incident AS rec
           SET self_help_title = pg_temp.erp_cjk_bigrams(src.title),
               self_help_text = pg_temp.erp_cjk_bigrams(coalesce(concat_ws(E'\n',
                   pg_temp.erp_self_help_lines(src.description),
                   pg_temp.erp_self_help_lines(src.resolution)), '')),
               self_help_lang = pg_temp.erp_ts_config(src.lang)
          FROM (SELECT inc.id, inc.title, inc.description, inc.resolution,
                       partner.lang
                  FROM erp_incident AS inc
                  LEFT JOIN res_users AS reporter ON reporter.id = inc.reporter_id
                  LEFT JOIN res_partner AS partner ON partner.id = reporter.partner_id
               ) AS src
         WHERE src.id = rec.id
        """
    )
    _logger.info("erp_incident: self-help texts of %s rows", cr.rowcount)


def migrate(cr, version):
    if not version:
        return
    create_functions(cr)
    _add_columns(cr, "erp_incident")
    _add_columns(cr, "erp_process_guide")
    fill_incidents(cr)
