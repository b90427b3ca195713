# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models
from odoo.tools import SQL


class ErpSelfHelpAnalysis(models.Model):
    """Doubts solved by self-help beside those that reached a key user.

    One row per question or incident reported (not cancelled), and one per
    self-solved doubt: a report wizard from which suggestions were opened and
    which was then discarded (erp.self.help.event rows of one token that no
    request carries). The self-help rate is the share of self-solved doubts among
    all of them; the first-level resolution rate is the one of the Support
    KPIs (key-user resolutions among resolved requests)."""

    _name = "erp.self.help.analysis"
    _description = "Self-Help Analysis"
    _auto = False
    _order = "date desc"

    date = fields.Datetime(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    area_id = fields.Many2one("erp.support.area", readonly=True)
    nbr_doubts = fields.Integer(string="# Doubts", readonly=True)
    nbr_self_solved = fields.Integer(string="# Solved by Self-Help", readonly=True)
    self_help_rate = fields.Float(
        string="Self-Help Rate (%)", readonly=True, aggregator="avg"
    )
    first_level_rate = fields.Float(
        string="First-Level Resolution (%)", readonly=True, aggregator="avg"
    )

    @property
    def _table_query(self):
        # ids: even for requests, odd for self-solved doubts (never equal)
        return SQL(
            """
            SELECT i.id * 2 AS id, i.create_date AS date, i.company_id,
                   i.area_id, 1 AS nbr_doubts, 0 AS nbr_self_solved,
                   0.0 AS self_help_rate,
                   CASE WHEN i.resolution_level IS NOT NULL
                        THEN CASE WHEN i.resolution_level = 'key_user'
                                  THEN 100.0 ELSE 0.0 END
                   END AS first_level_rate
              FROM erp_incident i
             WHERE i.state != 'cancelled'
            UNION ALL
            SELECT min(e.id) * 2 + 1, min(e.create_date), min(e.company_id),
                   min(e.area_id), 1, 1, 100.0, NULL
              FROM erp_self_help_event e
             WHERE NOT EXISTS (SELECT 1 FROM erp_incident i
                                WHERE i.self_help_token = e.token)
             GROUP BY e.token
            """
        )
