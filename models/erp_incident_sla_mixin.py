# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo import _, api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

SLA_STATUSES = [
    ("not_escalated", "Not escalated"),
    ("on_time", "On time"),
    ("due_soon", "Due soon"),
    ("breached", "Breached"),
    ("met", "Met"),
]
# an escalated incident whose deadline is this close is "due soon"
SLA_DUE_SOON = timedelta(hours=4)


class ErpIncidentSlaMixin(models.AbstractModel):
    """The supplier's service level on an escalated incident: the deadline in
    business hours of the instance's calendar, its status and the cron
    flagging breaches.

    The model using it has ``instance_id`` (an ``erp.instance``), ``state``
    (``escalated`` while the supplier owes an answer), ``company_id`` and
    ``_write_lifecycle``."""

    _name = "erp.incident.sla.mixin"
    _description = "Supplier SLA of an escalated incident"

    escalated_on = fields.Datetime(readonly=True, copy=False)
    sla_deadline = fields.Datetime(string="SLA Deadline", readonly=True, copy=False)
    sla_breached = fields.Boolean(
        string="SLA Breached", readonly=True, copy=False, tracking=True
    )
    sla_responded_on = fields.Datetime(
        string="First Answer On",
        readonly=True,
        copy=False,
        help="When the supplier first answered the escalated request: a public "
        "reply of a support agent, or its first change of status. Set once.",
    )
    sla_status = fields.Selection(
        SLA_STATUSES,
        string="SLA",
        compute="_compute_sla_status",
        search="_search_sla_status",
        help="The supplier's first answer to an escalated incident: on time, "
        "due soon (less than 4 hours left), breached (late), or met (answered "
        "in time: a support agent replied publicly or the incident left "
        "Escalated before its deadline).",
    )

    def _get_sla_deadline(self, start):
        """``start`` + the instance's response hours (its hypercare response
        time when ``start`` falls in its hypercare), in business hours of the
        instance calendar (public holidays excluded)."""
        self.ensure_one()
        instance = self.instance_id
        hours = instance._get_response_hours(start)
        calendar = (
            instance.resource_calendar_id or instance.company_id.resource_calendar_id
        )
        if not calendar:
            return start + timedelta(hours=hours)
        return calendar.plan_hours(hours, start, compute_leaves=True)

    # ------------------------------------------------------------------
    # status: one rule for the views, the portal (here) and the KPIs (SQL)
    # ------------------------------------------------------------------

    @api.model
    def _get_sla_status(self, state, deadline, breached, responded_on, now):
        """The SLA status of an incident in ``state`` with ``deadline``, the
        breach flag and the time of the supplier's first answer
        (``responded_on``), at ``now``. The deadline is the first answer's: an
        answer on time meets it for good, a late one is flagged as a breach
        when it comes (``_mark_sla_response``). Older incidents have no
        recorded answer: leaving ``escalated`` was their answer."""
        if not deadline:
            return "not_escalated"
        if breached:
            return "breached"
        if responded_on or state != "escalated":
            return "met"
        if deadline < now:
            return "breached"
        return "due_soon" if deadline - now < SLA_DUE_SOON else "on_time"

    # not stored: "now" moves, the status is computed when it is read
    @api.depends("state", "sla_deadline", "sla_breached", "sla_responded_on")
    def _compute_sla_status(self):
        now = fields.Datetime.now()
        for incident in self:
            incident.sla_status = self._get_sla_status(
                incident.state,
                incident.sla_deadline,
                incident.sla_breached,
                incident.sla_responded_on,
                now,
            )

    @api.model
    def _get_sla_status_domain(self, status, now):
        """The domain of ``_get_sla_status`` for one status."""
        # still waiting for the supplier's first answer
        waiting = Domain("state", "=", "escalated") & Domain(
            "sla_responded_on", "=", False
        )
        not_flagged = Domain("sla_breached", "=", False)
        return {
            "not_escalated": Domain("sla_deadline", "=", False),
            "breached": Domain("sla_breached", "=", True)
            | (waiting & Domain("sla_deadline", "<", now)),
            "met": Domain("sla_deadline", "!=", False) & not_flagged & ~waiting,
            "due_soon": waiting
            & not_flagged
            & Domain("sla_deadline", ">=", now)
            & Domain("sla_deadline", "<", now + SLA_DUE_SOON),
            "on_time": waiting
            & not_flagged
            & Domain("sla_deadline", ">=", now + SLA_DUE_SOON),
        }[status]

    def _search_sla_status(self, operator, value):
        if operator != "in":
            return NotImplemented
        now = fields.Datetime.now()
        return Domain.OR(
            self._get_sla_status_domain(status, now)
            for status in value
            if status in dict(SLA_STATUSES)
        )

    @api.model
    def _get_sla_status_sql(self, alias, now):
        """``_get_sla_status`` as an SQL expression on the incident table
        ``alias``, for the reporting views that group by it."""
        return SQL(
            """CASE
                WHEN %(t)s.sla_deadline IS NULL THEN 'not_escalated'
                WHEN %(t)s.sla_breached THEN 'breached'
                WHEN %(t)s.sla_responded_on IS NOT NULL
                  OR %(t)s.state != 'escalated' THEN 'met'
                WHEN %(t)s.sla_deadline < %(now)s THEN 'breached'
                WHEN %(t)s.sla_deadline - %(now)s < %(due_soon)s THEN 'due_soon'
                ELSE 'on_time'
            END""",
            t=SQL.identifier(alias),
            now=now,
            due_soon=SLA_DUE_SOON,
        )

    # ------------------------------------------------------------------
    # the supplier's first answer
    # ------------------------------------------------------------------

    def _is_sla_answer(self, message):
        """Whether ``message``, just posted by the current user, is the
        supplier's answer: a public reply (a comment with a public subtype,
        not an internal note) of a support agent. The customer's own comments
        and the agents' notes are no answer."""
        subtype = message.subtype_id
        return (
            message.message_type == "comment"
            and subtype
            and not subtype.internal
            and not message.is_internal
            and not self.env.user.share
            and self.env.user.has_group("erp_key_user.group_support_agent")
        )

    def _mark_sla_response(self):
        """Record now as the supplier's first answer of the escalated incidents
        that have none yet (set once). An answer after the deadline is a
        breach: flagged at once, the cron may not have run yet."""
        now = fields.Datetime.now()
        pending = self.filtered(lambda i: i.sla_deadline and not i.sla_responded_on)
        late = pending.filtered(lambda i: i.sla_deadline < now and not i.sla_breached)
        (pending - late)._write_lifecycle({"sla_responded_on": now})
        late._write_lifecycle({"sla_responded_on": now, "sla_breached": True})

    # ------------------------------------------------------------------
    # cron
    # ------------------------------------------------------------------

    @api.model
    def _cron_check_sla(self):
        """Flag escalated incidents past their SLA deadline that the supplier
        has not answered yet, and give the support managers of their company
        one activity per breach.

        Through the ORM (``write_date``, tracking and the chatter stay right):
        each worker flags only the incidents it could lock, skipping those
        another worker (or a key user answering right now) holds; a locked row
        is the one the search read, so no breach is flagged or notified twice.
        """
        # sudo: the cron checks the incidents of every company
        overdue = self.sudo().search(
            [
                ("state", "=", "escalated"),
                ("sla_breached", "=", False),
                ("sla_responded_on", "=", False),
                ("sla_deadline", "<", fields.Datetime.now()),
            ]
        )
        breached = overdue.try_lock_for_update(allow_referencing=True)
        breached._write_lifecycle({"sla_breached": True})
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
        return breached.with_env(self.env)
