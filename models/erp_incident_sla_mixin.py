# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo import _, api, fields, models
from odoo.tools import SQL


class ErpIncidentSlaMixin(models.AbstractModel):
    """The supplier's service level on an escalated incident: the deadline in
    business hours of the instance's calendar and the cron flagging breaches.

    The model using it has ``instance_id`` (an ``erp.instance``), ``state``
    (``escalated`` while the supplier owes an answer) and ``company_id``."""

    _name = "erp.incident.sla.mixin"
    _description = "Supplier SLA of an escalated incident"

    escalated_on = fields.Datetime(readonly=True, copy=False)
    sla_deadline = fields.Datetime(string="SLA Deadline", readonly=True, copy=False)
    sla_breached = fields.Boolean(string="SLA Breached", readonly=True, copy=False)

    def _get_sla_deadline(self, start):
        """``start`` + the instance's response hours, in business hours of the
        instance calendar (public holidays excluded)."""
        self.ensure_one()
        instance = self.instance_id
        calendar = (
            instance.resource_calendar_id or instance.company_id.resource_calendar_id
        )
        if not calendar:
            return start + timedelta(hours=instance.response_hours)
        return calendar.plan_hours(instance.response_hours, start, compute_leaves=True)

    @api.model
    def _cron_check_sla(self):
        """Flag escalated incidents past their SLA deadline and give the support
        managers of their company one activity per breach. The flag is set with
        a conditional UPDATE so that two workers never both act on a breach."""
        self.flush_model(["state", "sla_breached", "sla_deadline"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE %s
                   SET sla_breached = TRUE
                 WHERE state = 'escalated'
                   AND sla_breached IS NOT TRUE
                   AND sla_deadline < %s
             RETURNING id
                """,
                SQL.identifier(self._table),
                fields.Datetime.now(),
            )
        )
        breached = self.browse(row[0] for row in self.env.cr.fetchall())
        breached.invalidate_recordset(["sla_breached"])
        managers = self.env.ref("erp_key_user.group_support_manager").user_ids
        for incident in breached:
            company_managers = managers.filtered(
                lambda u, c=incident.company_id: c in u.company_ids and not u.share
            )
            for manager in company_managers:
                incident.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=_("SLA breached: the supplier has not answered"),
                    user_id=manager.id,
                )
        return breached
