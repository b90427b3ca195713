# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from markupsafe import Markup

from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

READ_STATES = [
    ("read", "Read"),
    ("outdated", "Read an Older Version"),
    ("unread", "Not Read"),
]


def consultation_users_sql():
    """The ids of the users who hold the Consultation User role, directly or
    through a role that implies it (key users, managers, agents...): the
    implications are followed in the database, so the reports need no list of
    groups computed in Python."""
    return SQL(
        """
        WITH RECURSIVE consultation_group(id) AS (
            SELECT res_id FROM ir_model_data
             WHERE module = 'erp_key_user'
               AND name = 'group_consultation_user'
               AND model = 'res.groups'
            UNION
            SELECT implied.gid
              FROM res_groups_implied_rel implied
              JOIN consultation_group c ON implied.hid = c.id
        )
        SELECT member.uid
          FROM res_groups_users_rel member
          JOIN consultation_group c ON c.id = member.gid
        """
    )


def audience_condition_sql(user, contact, company_id, partner_id, portal_ok):
    """The condition making ``user`` (a ``res_users`` alias, ``contact`` its
    ``res_partner``) one of the consultation users of what belongs to
    ``partner_id`` in company ``company_id``: for the company's own records
    (in-house), its internal users; for a customer's (supplier-hosted), none
    of them; and the customer's portal users where ``portal_ok``."""
    return SQL(
        """%(user)s.active
        AND %(user)s.id IN (%(consultation)s)
        AND (
            (NOT %(user)s.share
             AND %(partner_id)s = (SELECT partner_id FROM res_company
                                    WHERE id = %(company_id)s)
             AND EXISTS (SELECT 1 FROM res_company_users_rel cu
                          WHERE cu.cid = %(company_id)s
                            AND cu.user_id = %(user)s.id))
            OR (%(user)s.share AND %(portal_ok)s
                AND %(contact)s.commercial_partner_id = %(partner_id)s)
        )""",
        user=SQL.identifier(user),
        contact=SQL.identifier(contact),
        consultation=consultation_users_sql(),
        company_id=company_id,
        partner_id=partner_id,
        portal_ok=portal_ok,
    )


class ErpProcessGuideReader(models.Model):
    """One row per published guide and per consultation user expected to read
    it, with whether they have confirmed reading its current version.

    The readers of a guide are the consultation users of its customer: the
    company's internal users for an in-house guide, and the customer's portal
    users when the guide is visible on the portal, except the people who write
    it (its owner and the key users of its area there). Grouped by area or
    guide in one query; nothing is computed per user."""

    _name = "erp.process.guide.reader"
    _description = "Readers of the Process Guides"
    _auto = False
    _order = "area_id, guide_id, state desc, user_id"
    _rec_name = "user_id"

    guide_id = fields.Many2one("erp.process.guide", readonly=True)
    area_id = fields.Many2one("erp.support.area", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    owner_id = fields.Many2one("res.users", string="Guide Owner", readonly=True)
    user_id = fields.Many2one("res.users", string="Reader", readonly=True)
    is_portal = fields.Boolean(string="Portal User", readonly=True)
    version = fields.Integer(string="Current Version", readonly=True, aggregator=False)
    state = fields.Selection(READ_STATES, string="Status", readonly=True)
    read_on = fields.Datetime(string="Confirmed on", readonly=True)
    last_read_version = fields.Integer(
        string="Last Version Read",
        readonly=True,
        aggregator=False,
        help="The newest version this reader confirmed, when it is not the "
        "current one.",
    )
    nbr = fields.Integer(string="# Readers", readonly=True)
    read_rate = fields.Float(
        string="Read (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the readers who confirmed the current version.",
    )

    @property
    def _table_query(self):
        # id: guide and user in one number, the same in every query (the
        # Remind button acts on the rows a list showed a moment before)
        return SQL(
            """
            SELECT (g.id::bigint << 31) | u.id AS id,
                   g.id AS guide_id, g.area_id, g.company_id, g.partner_id,
                   g.owner_id, u.id AS user_id, u.share AS is_portal,
                   g.version,
                   cur.read_on,
                   CASE WHEN cur.id IS NOT NULL THEN 'read'
                        WHEN last.version IS NOT NULL THEN 'outdated'
                        ELSE 'unread' END AS state,
                   last.version AS last_read_version,
                   1 AS nbr,
                   CASE WHEN cur.id IS NOT NULL THEN 100.0 ELSE 0.0 END AS read_rate
              FROM erp_process_guide g
             CROSS JOIN res_users u
              JOIN res_partner contact ON contact.id = u.partner_id
              LEFT JOIN erp_process_guide_read cur
                     ON cur.user_id = u.id AND cur.version_id = g.published_version_id
              LEFT JOIN LATERAL (
                   SELECT max(r.version) AS version
                     FROM erp_process_guide_read r
                    WHERE r.user_id = u.id AND r.guide_id = g.id
              ) last ON TRUE
             WHERE g.state = 'published'
               AND g.published_version_id IS NOT NULL
               AND %(audience)s
               AND u.id IS DISTINCT FROM g.owner_id
               AND NOT EXISTS (
                   SELECT 1 FROM erp_key_user_assignment a
                    WHERE a.user_id = u.id
                      AND a.area_id = g.area_id
                      AND a.partner_id = g.partner_id)
            """,
            audience=audience_condition_sql(
                "u",
                "contact",
                SQL("g.company_id"),
                SQL("g.partner_id"),
                SQL("g.portal_published"),
            ),
        )

    def action_remind(self):
        """Remind these readers to read the current version of their guides:
        one message per person listing every guide they have not read (an
        inbox notification or an e-mail, as each user chose), never one per
        guide. Rows already read are left out."""
        pending = self.filtered(lambda row: row.state != "read")
        if not pending:
            raise UserError(
                _("Everybody selected has already read the current version.")
            )
        for user, rows in pending.grouped("user_id").items():
            self._notify_reader(user, rows.guide_id)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _(
                    "%(count)s people were reminded to read their guides.",
                    count=len(pending.user_id),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _notify_reader(self, user, guides):
        """One message to ``user`` listing ``guides`` with a link to each (the
        portal page for portal users, the backend form for the others)."""
        # in the reader's language, not the sender's
        env = self.with_context(lang=user.lang).env
        base_url = guides[:1].get_base_url()
        lines = Markup().join(
            Markup('<li><a href="%s">%s</a> (%s)</li>')
            % (
                base_url
                + (
                    guide.access_url
                    if user.share
                    else f"/odoo/erp.process.guide/{guide.id}"
                ),
                guide.display_name,
                env._("version %(version)s", version=guide.version),
            )
            for guide in guides
        )
        body = Markup("<p>%s</p><ul>%s</ul><p>%s</p>") % (
            env._(
                "%(name)s asks you to read these process guides:",
                name=self.env.user.name,
            ),
            lines,
            env._('Open each one and click "I have read this version".'),
        )
        # mail.thread without a record: a notification to this person alone
        self.env["mail.thread"].message_notify(
            partner_ids=user.partner_id.ids,
            subject=env._("Process guides to read"),
            body=body,
            email_layout_xmlid="mail.mail_notification_light",
        )
