# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL

from .erp_incident_lifecycle_mixin import OPEN_STATES

HYPERCARE_STATES = [
    ("none", "No Go-Live Date"),
    ("planned", "Planned"),
    ("active", "In Hypercare"),
    ("ended", "Ended"),
]
TRENDS = [
    ("falling", "Falling"),
    ("stable", "Stable"),
    ("rising", "Rising"),
    ("too_early", "Too Early to Tell"),
]
# the incidents-per-week trend compares the newer half of these weeks with
# the older half
TREND_WEEKS = 4
DASHBOARD_GROUPS = "erp_key_user.group_key_user,erp_key_user.group_support_agent"


class ErpInstanceHypercareMixin(models.AbstractModel):
    """Hypercare: the intensified support of the first months after go-live.

    From ``go_live_date`` for ``hypercare_months`` (or until a support
    manager ends it), an incident escalated on the instance gets
    ``hypercare_response_hours`` instead of ``response_hours``. The dashboard
    sets the exit criteria (share of SLA met, first-level resolution rate,
    open urgent incidents, the trend of incidents per week) beside their
    thresholds, and says when the company is ready to leave hypercare."""

    _name = "erp.instance.hypercare.mixin"
    _description = "Hypercare of an ERP instance"

    go_live_date = fields.Date(
        string="Go-Live Date",
        tracking=True,
        help="The day this instance went live: hypercare starts then.",
    )
    hypercare_months = fields.Integer(
        string="Hypercare Period (Months)",
        default=3,
        tracking=True,
        help="How long the intensified support lasts after go-live, unless a "
        "support manager ends it earlier.",
    )
    hypercare_response_hours = fields.Float(
        string="Hypercare Response Time",
        default=8.0,
        tracking=True,
        help="Business hours the supplier has to answer an incident escalated "
        "during hypercare (instead of the usual response time).",
    )
    hypercare_end_date = fields.Date(
        compute="_compute_hypercare_end_date",
        store=True,
        help="The first day after hypercare: go-live plus the hypercare "
        "period, or the day a support manager ended it.",
    )
    hypercare_ended_on = fields.Date(
        string="Hypercare Ended on", readonly=True, copy=False, tracking=True
    )
    hypercare_ended_by_id = fields.Many2one(
        "res.users",
        string="Hypercare Ended by",
        readonly=True,
        copy=False,
        tracking=True,
    )
    hypercare_state = fields.Selection(
        HYPERCARE_STATES,
        string="Hypercare",
        compute="_compute_hypercare_state",
        search="_search_hypercare_state",
    )
    # exit criteria: the thresholds (support managers set them per instance)
    hypercare_min_sla_rate = fields.Float(
        string="Minimum Share of SLA Met (%)", default=90.0, tracking=True
    )
    hypercare_min_first_level_rate = fields.Float(
        string="Minimum First-Level Resolution Rate (%)", default=60.0, tracking=True
    )
    hypercare_max_open_urgent = fields.Integer(
        string="Maximum Open Urgent Incidents", default=0, tracking=True
    )
    # exit criteria: their values, since go-live
    hypercare_sla_rate = fields.Float(
        string="Share of SLA Met (%)",
        compute="_compute_hypercare_criteria",
        groups=DASHBOARD_GROUPS,
    )
    hypercare_sla_count = fields.Integer(
        string="Escalations with a Decided SLA",
        compute="_compute_hypercare_criteria",
        groups=DASHBOARD_GROUPS,
    )
    hypercare_first_level_rate = fields.Float(
        string="First-Level Resolution Rate (%)",
        compute="_compute_hypercare_criteria",
        groups=DASHBOARD_GROUPS,
    )
    hypercare_resolved_count = fields.Integer(
        string="Requests Resolved",
        compute="_compute_hypercare_criteria",
        groups=DASHBOARD_GROUPS,
    )
    hypercare_open_urgent_count = fields.Integer(
        string="Open Urgent Incidents",
        compute="_compute_hypercare_criteria",
        groups=DASHBOARD_GROUPS,
    )
    hypercare_weekly_counts = fields.Char(
        string="Incidents per Week",
        compute="_compute_hypercare_criteria",
        groups=DASHBOARD_GROUPS,
        help="Incidents reported in each of the last weeks since go-live, the "
        "oldest first.",
    )
    hypercare_trend = fields.Selection(
        TRENDS,
        string="Trend",
        compute="_compute_hypercare_criteria",
        groups=DASHBOARD_GROUPS,
    )
    hypercare_sla_ok = fields.Boolean(
        compute="_compute_hypercare_criteria", groups=DASHBOARD_GROUPS
    )
    hypercare_first_level_ok = fields.Boolean(
        compute="_compute_hypercare_criteria", groups=DASHBOARD_GROUPS
    )
    hypercare_open_urgent_ok = fields.Boolean(
        compute="_compute_hypercare_criteria", groups=DASHBOARD_GROUPS
    )
    hypercare_trend_ok = fields.Boolean(
        compute="_compute_hypercare_criteria", groups=DASHBOARD_GROUPS
    )
    hypercare_ready = fields.Boolean(
        string="Ready to Leave Hypercare",
        compute="_compute_hypercare_criteria",
        groups=DASHBOARD_GROUPS,
    )

    _hypercare_months_positive = models.Constraint(
        "CHECK(hypercare_months > 0 AND hypercare_months <= 60)",
        "The hypercare period is a number of months between 1 and 60.",
    )
    _hypercare_response_hours_positive = models.Constraint(
        "CHECK(hypercare_response_hours > 0 AND hypercare_response_hours <= 2000)",
        "The hypercare response time must be a positive number of hours, at most 2000.",
    )
    _hypercare_thresholds_valid = models.Constraint(
        "CHECK(hypercare_min_sla_rate BETWEEN 0 AND 100"
        " AND hypercare_min_first_level_rate BETWEEN 0 AND 100"
        " AND hypercare_max_open_urgent >= 0)",
        "The hypercare thresholds are percentages between 0 and 100 and a "
        "number of open urgent incidents that is not negative.",
    )

    # ------------------------------------------------------------------
    # the period
    # ------------------------------------------------------------------

    @api.depends("go_live_date", "hypercare_months", "hypercare_ended_on")
    def _compute_hypercare_end_date(self):
        for instance in self:
            if not instance.go_live_date:
                instance.hypercare_end_date = False
            elif instance.hypercare_ended_on:
                instance.hypercare_end_date = instance.hypercare_ended_on
            else:
                instance.hypercare_end_date = instance.go_live_date + relativedelta(
                    months=instance.hypercare_months
                )

    def _get_hypercare_state(self, day):
        self.ensure_one()
        if not self.go_live_date:
            return "none"
        if day < self.go_live_date:
            return "planned"
        return "active" if day < self.hypercare_end_date else "ended"

    # not stored: "today" moves
    @api.depends("go_live_date", "hypercare_end_date")
    def _compute_hypercare_state(self):
        today = fields.Date.context_today(self)
        for instance in self:
            instance.hypercare_state = instance._get_hypercare_state(today)

    def _search_hypercare_state(self, operator, value):
        if operator != "in":
            return NotImplemented
        today = fields.Date.context_today(self)
        domains = {
            "none": Domain("go_live_date", "=", False),
            "planned": Domain("go_live_date", ">", today),
            "active": Domain("go_live_date", "<=", today)
            & Domain("hypercare_end_date", ">", today),
            "ended": Domain("hypercare_end_date", "<=", today),
        }
        return Domain.OR(domains[state] for state in value if state in domains)

    def _is_in_hypercare(self, when):
        """Whether ``when`` (a UTC datetime) falls in the hypercare period."""
        self.ensure_one()
        return self._get_hypercare_state(when.date()) == "active"

    def _get_response_hours(self, when):
        """The supplier's response time, in business hours, for an incident
        escalated at ``when``: the hypercare one during hypercare."""
        self.ensure_one()
        if self._is_in_hypercare(when):
            return self.hypercare_response_hours
        return self.response_hours

    # ------------------------------------------------------------------
    # the exit criteria
    # ------------------------------------------------------------------

    def _get_hypercare_figures(self, now):
        """The figures of the exit criteria of these instances since their
        go-live, in one query: {instance id: row}."""
        Incident = self.env["erp.incident"]
        week = timedelta(days=7)
        weeks = SQL(", ").join(
            SQL(
                "count(*) FILTER (WHERE inc.kind = 'incident'"
                " AND inc.create_date >= %(start)s AND inc.create_date < %(end)s)",
                start=now - week * (n + 1),
                end=now - week * n,
            )
            for n in reversed(range(TREND_WEEKS))
        )
        Incident.flush_model()
        self.flush_model(["go_live_date"])
        # the incidents of instances the user may read: key users and agents,
        # who alone read these fields, read every incident of them
        self.env.cr.execute(
            SQL(
                """
                SELECT inc.instance_id,
                       count(*) FILTER (WHERE since_go_live
                                          AND s.status IN ('met', 'breached')),
                       count(*) FILTER (WHERE since_go_live AND s.status = 'met'),
                       count(*) FILTER (WHERE since_go_live
                                          AND inc.resolution_level IS NOT NULL),
                       count(*) FILTER (WHERE since_go_live
                                          AND inc.resolution_level = 'key_user'),
                       count(*) FILTER (WHERE inc.priority = '3'
                                          AND inc.state IN %(open_states)s),
                       %(weeks)s
                  FROM erp_incident inc
                  JOIN erp_instance i ON i.id = inc.instance_id
                 CROSS JOIN LATERAL (
                       SELECT %(sla_status)s AS status,
                              inc.create_date >= i.go_live_date AS since_go_live
                 ) s(status, since_go_live)
                 WHERE inc.instance_id IN %(ids)s
                 GROUP BY inc.instance_id
                """,
                open_states=OPEN_STATES,
                weeks=weeks,
                sla_status=Incident._get_sla_status_sql("inc", now),
                ids=tuple(self.ids),
            )
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    @api.depends_context("uid")
    def _compute_hypercare_criteria(self):
        now = fields.Datetime.now()
        figures = self._get_hypercare_figures(now) if self.ids else {}
        for instance in self:
            row = figures.get(instance._origin.id) or (0,) * (5 + TREND_WEEKS)
            decided, met, resolved, first_level, open_urgent = row[:5]
            instance.hypercare_sla_count = decided
            instance.hypercare_sla_rate = 100.0 * met / decided if decided else 0.0
            instance.hypercare_resolved_count = resolved
            instance.hypercare_first_level_rate = (
                100.0 * first_level / resolved if resolved else 0.0
            )
            instance.hypercare_open_urgent_count = open_urgent
            weekly = instance._get_weeks_since_go_live(now, row[5:])
            instance.hypercare_weekly_counts = " · ".join(str(n) for n in weekly)
            instance.hypercare_trend = self._get_trend(weekly)
            # no escalation decided yet breaks no SLA; nothing resolved yet
            # proves no first-level resolution
            instance.hypercare_sla_ok = (
                not decided
                or instance.hypercare_sla_rate >= instance.hypercare_min_sla_rate
            )
            instance.hypercare_first_level_ok = bool(resolved) and (
                instance.hypercare_first_level_rate
                >= instance.hypercare_min_first_level_rate
            )
            instance.hypercare_open_urgent_ok = (
                open_urgent <= instance.hypercare_max_open_urgent
            )
            instance.hypercare_trend_ok = instance.hypercare_trend in (
                "falling",
                "stable",
            )
            instance.hypercare_ready = bool(instance.go_live_date) and all(
                (
                    instance.hypercare_sla_ok,
                    instance.hypercare_first_level_ok,
                    instance.hypercare_open_urgent_ok,
                    instance.hypercare_trend_ok,
                )
            )

    def _get_weeks_since_go_live(self, now, counts):
        """The weekly counts (oldest first) of the weeks that began after
        go-live."""
        self.ensure_one()
        if not self.go_live_date:
            return []
        days = (now.date() - self.go_live_date).days
        full_weeks = max(0, min(TREND_WEEKS, days // 7))
        return list(counts[TREND_WEEKS - full_weeks :]) if full_weeks else []

    @api.model
    def _get_trend(self, weekly):
        """Falling, stable or rising: the newer half of the weeks against the
        older half; too early with less than two weeks."""
        if len(weekly) < 2:
            return "too_early"
        half = len(weekly) // 2
        older, newer = sum(weekly[:half]), sum(weekly[-half:])
        if newer < older:
            return "falling"
        return "stable" if newer == older else "rising"

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------

    def action_open_hypercare_dashboard(self):
        """The hypercare dashboard of this instance."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Hypercare: %(instance)s", instance=self.display_name),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref("erp_key_user.view_erp_instance_hypercare_form").id,
                    "form",
                )
            ],
        }

    def action_end_hypercare(self):
        """End the hypercare of these instances today (support managers): the
        usual response time applies to the incidents escalated from now on.
        The end, who ended it and the criteria at that moment go to the
        instance's chatter."""
        if not self.env.user.has_group("erp_key_user.group_support_manager"):
            raise AccessError(_("Only a support manager ends the hypercare."))
        self.check_access("write")
        not_active = self.filtered(lambda i: i.hypercare_state != "active")
        if not_active:
            raise UserError(
                _(
                    "%(instances)s is not in hypercare: only a running "
                    "hypercare can be ended.",
                    instances=", ".join(not_active.mapped("display_name")),
                )
            )
        today = fields.Date.context_today(self)
        for instance in self:
            summary = instance._get_hypercare_summary()
            instance.write(
                {"hypercare_ended_on": today, "hypercare_ended_by_id": self.env.uid}
            )
            instance.message_post(body=summary)
        return True

    def _get_hypercare_summary(self):
        """The exit criteria as they stand, for the chatter."""
        self.ensure_one()
        return _(
            "Hypercare ended. Share of SLA met: %(sla).0f %% (minimum "
            "%(min_sla).0f %%); first-level resolution: %(first).0f %% (minimum "
            "%(min_first).0f %%); open urgent incidents: %(urgent)s (maximum "
            "%(max_urgent)s); incidents per week: %(weekly)s (%(trend)s).",
            sla=self.hypercare_sla_rate,
            min_sla=self.hypercare_min_sla_rate,
            first=self.hypercare_first_level_rate,
            min_first=self.hypercare_min_first_level_rate,
            urgent=self.hypercare_open_urgent_count,
            max_urgent=self.hypercare_max_open_urgent,
            weekly=self.hypercare_weekly_counts or "-",
            trend=dict(
                self._fields["hypercare_trend"]._description_selection(self.env)
            ).get(self.hypercare_trend),
        )
