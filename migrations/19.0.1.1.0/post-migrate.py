# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""19.0.1.1.0: published versions of process guides become records.

Up to 19.0.1.0.0 each publication wrote the whole guide (a header naming the
version, then the body) into ``published_content``, whose HTML field history
kept one revision per publication: the current value is the last version, and
the content before revision *n + 1* is the text of version *n* (the history
kept the last 300). Every version still recoverable becomes an
``erp.process.guide.version``; the publication history then leaves
``html_field_history`` (the ``published_content`` column is dropped by the
update, its field being gone)."""

import json
import logging

from lxml import etree, html

from odoo import SUPERUSER_ID, api

from odoo.addons.html_editor.models.diff_utils import apply_patch

_logger = logging.getLogger(__name__)


def _split_header(text, default_name):
    """(name, summary, body) of a text published by 19.0.1.0.0."""
    root = html.fragment_fromstring(text or "<div></div>", create_parent="div")
    name = default_name
    for header in root.xpath("//div[contains(@class, 'o_erp_process_guide_header')]"):
        titles = header.xpath(".//h2")
        if titles:
            name = titles[0].text_content().strip() or default_name
        header.getparent().remove(header)
    leads = root.xpath("//p[contains(@class, 'lead')]")
    summary = leads[0].text_content().strip() if leads else False
    body = "".join(etree.tostring(child, encoding="unicode") for child in root)
    return name, summary, body


def _published_texts(current, revisions, version):
    """{number: (text, revision metadata or None)} of every recoverable
    version; ``revisions`` newest first, as the mixin stores them."""
    texts = {version: (current, None)}
    by_id = {rev["revision_id"]: rev for rev in revisions}
    if version in by_id:
        texts[version] = (current, by_id[version])
    content = current
    for rev in revisions:  # newest first: undo one publication at a time
        content = apply_patch(content, rev["patch"])
        number = rev["revision_id"] - 1
        if 0 < number < version:
            texts[number] = (content, by_id.get(number))
    return texts


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute(
        """
        SELECT id, name, version, published_content, published_on,
               html_field_history, write_uid
          FROM erp_process_guide
         WHERE version > 0 AND published_content IS NOT NULL
        """
    )
    Version = env["erp.process.guide.version"]
    for (
        guide_id,
        name,
        last,
        current,
        published_on,
        history,
        write_uid,
    ) in cr.fetchall():
        history = history or {}
        revisions = history.pop("published_content", None) or []
        texts = _published_texts(current, revisions, last)
        vals_list = []
        for number, (text, rev) in sorted(texts.items()):
            version_name, summary, body = _split_header(text, name)
            vals_list.append(
                {
                    "guide_id": guide_id,
                    "number": number,
                    "name": version_name,
                    "summary": summary,
                    "body": body,
                    "published_by_id": rev["create_uid"] if rev else write_uid,
                    "published_on": (
                        rev["create_date"][:19].replace("T", " ")
                        if rev
                        else published_on
                    ),
                }
            )
        versions = Version.create(vals_list)
        cr.execute(
            """
            UPDATE erp_process_guide
               SET published_version_id = %s, published_name = %s,
                   has_unpublished_changes = false, html_field_history = %s
             WHERE id = %s
            """,
            (versions[-1].id, versions[-1].name, json.dumps(history), guide_id),
        )
        missing = last - len(versions)
        _logger.info(
            "process guide %s: %s published versions kept as records%s",
            guide_id,
            len(versions),
            f", {missing} older ones were no longer in the history" if missing else "",
        )
    # readers read the versions now, never the steps of the working copy
    rule = env.ref(
        "erp_key_user.rule_erp_process_guide_step_consultation_read",
        raise_if_not_found=False,
    )
    if rule:
        rule.unlink()
