# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models
from odoo.tools import SQL

from ..models.erp_incident import INCIDENT_KINDS, INCIDENT_STATES, RESOLUTION_LEVELS
from ..models.erp_incident_sla_mixin import SLA_STATUSES


class ErpIncidentAnalysis(models.Model):
    """One row per incident with the measures a support manager follows.

    Rates are percentages averaged over the rows where they apply (NULL
    elsewhere, which SQL AVG ignores): the first-level resolution rate over
    resolved rows, the escalation rate over incidents, SLA compliance over
    escalated incidents whose SLA is decided (met or breached, not the ones
    still waiting for the supplier within their deadline). ``sla_status`` is
    the incident's own: the same rule, in SQL, at the time of the query. A
    time that would be negative (a row resolved or answered before it was
    reported: imported or hand-edited dates) is not a time: it is NULL and
    does not pull the averages down. Change requests are new needs, not
    faults: they are no row here (no SLA, no first-level or escalation
    rate)."""

    _name = "erp.incident.analysis"
    _inherit = ["erp.selection.order.mixin"]
    _description = "Key User Support Analysis"
    _auto = False
    _order = "create_date desc"
    _rec_name = "name"

    incident_id = fields.Many2one("erp.incident", readonly=True)
    name = fields.Char(string="Reference", readonly=True)
    title = fields.Char(readonly=True)
    kind = fields.Selection(INCIDENT_KINDS, readonly=True)
    state = fields.Selection(INCIDENT_STATES, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    instance_id = fields.Many2one("erp.instance", readonly=True)
    area_id = fields.Many2one("erp.support.area", readonly=True)
    key_user_id = fields.Many2one("res.users", readonly=True)
    reporter_id = fields.Many2one("res.users", string="Reported by", readonly=True)
    resolution_level = fields.Selection(RESOLUTION_LEVELS, readonly=True)
    sla_status = fields.Selection(SLA_STATUSES, string="SLA", readonly=True)
    create_date = fields.Datetime(string="Reported on", readonly=True)
    escalated_on = fields.Datetime(readonly=True)
    resolved_on = fields.Datetime(readonly=True)
    nbr = fields.Integer(string="# Requests", readonly=True)
    questions_answered = fields.Integer(
        string="# Questions Answered by Key Users", readonly=True
    )
    first_level_rate = fields.Float(
        string="First-Level Resolution (%)", readonly=True, aggregator="avg"
    )
    escalation_rate = fields.Float(
        string="Escalation Rate (%)", readonly=True, aggregator="avg"
    )
    sla_compliance = fields.Float(
        string="SLA Compliance (%)", readonly=True, aggregator="avg"
    )
    hours_to_first_response = fields.Float(
        string="Hours to First Response", readonly=True, aggregator="avg"
    )
    hours_to_first_answer = fields.Float(
        string="Hours to the Supplier's First Answer",
        readonly=True,
        aggregator="avg",
        help="From the escalation to the supplier's first public reply or "
        "change of status.",
    )
    hours_to_resolution = fields.Float(
        string="Hours to Resolution", readonly=True, aggregator="avg"
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT i.id AS id,
                   i.id AS incident_id,
                   i.name, i.title, i.kind, i.state, i.company_id, i.partner_id,
                   i.instance_id,
                   i.area_id, i.key_user_id, i.reporter_id, i.resolution_level,
                   i.create_date, i.escalated_on, i.resolved_on,
                   s.sla_status,
                   1 AS nbr,
                   CASE WHEN i.kind = 'question' AND i.resolution_level = 'key_user'
                        THEN 1 ELSE 0 END AS questions_answered,
                   CASE WHEN i.resolution_level IS NOT NULL
                        THEN CASE WHEN i.resolution_level = 'key_user'
                                  THEN 100.0 ELSE 0.0 END
                   END AS first_level_rate,
                   CASE WHEN i.kind = 'incident' AND i.state != 'cancelled'
                        THEN CASE WHEN i.escalated_on IS NOT NULL
                                  THEN 100.0 ELSE 0.0 END
                   END AS escalation_rate,
                   CASE s.sla_status WHEN 'met' THEN 100.0 WHEN 'breached' THEN 0.0
                   END AS sla_compliance,
                   CASE WHEN i.first_response_on >= i.create_date
                        THEN EXTRACT(EPOCH FROM i.first_response_on - i.create_date)
                             / 3600.0
                   END AS hours_to_first_response,
                   CASE WHEN i.sla_responded_on >= i.escalated_on
                        THEN EXTRACT(EPOCH FROM i.sla_responded_on - i.escalated_on)
                             / 3600.0
                   END AS hours_to_first_answer,
                   CASE WHEN i.resolved_on >= i.create_date
                        THEN EXTRACT(EPOCH FROM i.resolved_on - i.create_date)
                             / 3600.0
                   END AS hours_to_resolution
              FROM erp_incident i,
                   LATERAL (SELECT %(sla_status)s AS sla_status) s
             WHERE i.kind != 'change_request'
            """,
            sla_status=self.env["erp.incident"]._get_sla_status_sql(
                "i", fields.Datetime.now()
            ),
        )
