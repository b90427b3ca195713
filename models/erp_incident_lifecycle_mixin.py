# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from .erp_text_mixin import has_text

INCIDENT_STATES = [
    ("new", "New"),
    ("in_progress", "In Progress"),
    ("escalated", "Escalated"),
    ("waiting_info", "Waiting for Information"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
OPEN_STATES = ("new", "in_progress", "escalated", "waiting_info")
# A change request (kind ``change_request``) is a new need, not a fault: it
# leaves the states above for its own, from the proposal to the support
# managers to the supplier's quote and its delivery.
CHANGE_REQUEST_STATES = [
    ("proposed", "Proposed"),
    ("approved", "Approved"),
    ("sent", "Quote Requested"),
    ("accepted", "Accepted"),
    ("refused", "Refused"),
    ("done", "Done"),
]
# what the supplier's support agents do on the platform (DESIGN §14): ask the
# customer for information, take the answer back, resolve
AGENT_ACTIONS = ("set_waiting", "resume", "resolve")
# the activity of a key user who owes someone an answer
ANSWER_ACTIVITY = "erp_key_user.mail_activity_type_erp_incident_answer"
# Only the lifecycle (``_write_lifecycle``) sets these: ``create`` and
# ``write`` refuse them to every caller not in sudo mode.
LIFECYCLE_FIELDS = frozenset(
    {
        "state",
        "kind",
        "name",
        "resolution_level",
        "resolved_on",
        "escalated_on",
        "sla_deadline",
        "sla_breached",
        "first_response_on",
        "sla_responded_on",
        "access_token",
        "change_proposed_on",
        "change_approved_on",
        "change_sent_on",
        "change_answered_on",
    }
)


class ErpIncidentLifecycleMixin(models.AbstractModel):
    """The life of an incident: every change of ``state`` (the ``action_*``
    buttons, the escalation, the crons) goes through ``_state_transitions``
    and ``_apply_transition``; the fields only the lifecycle changes are
    written by ``_write_lifecycle``."""

    _name = "erp.incident.lifecycle.mixin"
    _inherit = ["erp.state.flow.mixin"]
    _description = "Lifecycle of an incident"

    # every change of ``state``: action -> (states it may start from, target)
    _state_transitions = {
        "start": (("new",), "in_progress"),
        "convert": (("new", "in_progress"), "in_progress"),
        "escalate": (("in_progress",), "escalated"),
        "set_waiting": (("escalated",), "waiting_info"),
        "resume": (("waiting_info",), "escalated"),
        "resolve": (OPEN_STATES, "resolved"),
        "close": (("resolved",), "closed"),
        "cancel": (OPEN_STATES, "cancelled"),
        "reopen": (("resolved",), "in_progress"),
        # change requests (erp.incident.change.request.mixin)
        "mark_change_request": (OPEN_STATES, "proposed"),
        "approve_change": (("proposed",), "approved"),
        "refuse_change": (("proposed",), "refused"),
        "send_change_request": (("approved",), "sent"),
        "accept_quote": (("sent",), "accepted"),
        "refuse_quote": (("sent",), "refused"),
        "finish_change": (("accepted",), "done"),
    }
    _state_flow_record_key = "incident"

    # ------------------------------------------------------------------
    # state machine: the only place that writes ``state`` (through
    # _apply_transition; the table is _state_transitions)
    # ------------------------------------------------------------------

    def _check_key_user(self, action=None):
        """Only key users (and managers) change the status; support agents too
        for the ``AGENT_ACTIONS``."""
        user = self.env.user
        if action in AGENT_ACTIONS and user.has_group(
            "erp_key_user.group_support_agent"
        ):
            return
        if not (self.env.su or user.has_group("erp_key_user.group_key_user")):
            raise UserError(
                _(
                    "Only key users and support managers change the status of "
                    "incidents, convert questions and escalate to the supplier: "
                    "ask the key user of the area."
                )
            )

    def _get_transition_error(self, action):
        return {
            "start": _("%(incident)s cannot be started: it is %(state)s."),
            "convert": _(
                "%(incident)s cannot be converted into an incident: it is "
                "%(state)s. Only a question still open is converted."
            ),
            "escalate": _(
                "%(incident)s cannot be escalated: it is %(state)s. Only an "
                "incident in progress is escalated, and only once."
            ),
            "set_waiting": _(
                "%(incident)s cannot wait for information: it is %(state)s, "
                "not escalated."
            ),
            "resume": _(
                "%(incident)s cannot go back to the supplier: it is %(state)s, "
                "not waiting for information."
            ),
            "resolve": _("%(incident)s cannot be resolved: it is %(state)s."),
            "close": _("%(incident)s cannot be closed: it is %(state)s, not resolved."),
            "cancel": _("%(incident)s cannot be cancelled: it is %(state)s."),
            "reopen": _(
                "%(incident)s cannot be reopened: it is %(state)s, not resolved."
            ),
            "mark_change_request": _(
                "%(incident)s cannot become a change request: it is "
                "%(state)s. Only an open question or incident can."
            ),
            "approve_change": _(
                "%(incident)s cannot be approved: it is %(state)s, not proposed."
            ),
            "refuse_change": _(
                "%(incident)s cannot be refused: it is %(state)s, not proposed."
            ),
            "send_change_request": _(
                "%(incident)s cannot be sent to the supplier: it is %(state)s, "
                "not approved."
            ),
            "accept_quote": _(
                "The supplier's acceptance of %(incident)s cannot be recorded: "
                "it is %(state)s, not waiting for a quote."
            ),
            "refuse_quote": _(
                "The supplier's refusal of %(incident)s cannot be recorded: it "
                "is %(state)s, not waiting for a quote."
            ),
            "finish_change": _(
                "%(incident)s cannot be marked done: it is %(state)s, not accepted."
            ),
        }[action]

    def _write_lifecycle(self, vals):
        """Write fields that only the lifecycle changes (``LIFECYCLE_FIELDS``,
        which ``create`` and ``write`` refuse outside sudo mode). The caller
        has checked the user's rights and the transition first."""
        unexpected = set(vals) - LIFECYCLE_FIELDS
        if unexpected:
            raise ValueError(f"not lifecycle fields: {sorted(unexpected)}")
        if not self.env.su:
            self.check_access("write")
        # sudo: write() refuses these fields to everybody not in sudo mode;
        # every caller checked who acts and that the table allows the change,
        # and the user's write access on these incidents was just checked
        return self.sudo().write(vals)

    def _transition(self, action, vals=None):
        """Check that the current user may run ``action`` on every incident and
        that the table allows it from their states, then apply it."""
        self._check_key_user(action)
        self._check_transition(action)
        return self._apply_transition(action, vals)

    def _apply_transition(self, action, vals=None):
        """Move the incidents to the target of ``action`` in one write, with
        ``vals``; the caller has checked rights and transition. A question
        converted, escalated or resolved is answered, a cancelled one needs no
        answer any more: the key user's activity to answer closes. A change of
        status of an escalated incident (other than cancelling it) is the
        supplier's first answer (SLA)."""
        answered = (
            self.filtered(lambda i: i.state == "escalated")
            if action != "cancel"
            else self.browse()
        )
        self._write_lifecycle(
            dict(vals or {}, state=self._get_transition_target(action))
        )
        if action in ("convert", "escalate", "resolve"):
            self.activity_feedback([ANSWER_ACTIVITY])
        elif action == "cancel":
            self.activity_unlink([ANSWER_ACTIVITY])
        self._mark_first_response()
        answered._mark_sla_response()
        return True

    def _mark_first_response(self):
        """Remember when a key user first acted on each incident (reporting)."""
        self.filtered(lambda i: not i.first_response_on)._write_lifecycle(
            {"first_response_on": fields.Datetime.now()}
        )

    def action_start(self):
        """new → in_progress (key users)."""
        return self._transition("start")

    def action_set_waiting(self):
        """escalated → waiting_info: the supplier asked us for information."""
        return self._transition("set_waiting")

    def action_resume(self):
        """waiting_info → escalated: the information was sent to the supplier."""
        return self._transition("resume")

    def action_resolve(self):
        """Resolve the incident. A resolution text is required; the level is the
        supplier's when the incident was escalated, the key user's otherwise."""
        for incident in self:
            if not incident.resolution or not has_text(incident.resolution.striptags()):
                raise UserError(
                    _(
                        "Write the resolution of %(incident)s before resolving it, "
                        "so that colleagues with the same doubt find the answer.",
                        incident=incident.name,
                    )
                )
        self._check_key_user("resolve")
        self._check_transition("resolve")
        now = fields.Datetime.now()
        by_supplier = self.filtered("escalated_on")
        for incidents, level in (
            (by_supplier, "supplier"),
            (self - by_supplier, "key_user"),
        ):
            if incidents:
                incidents._apply_transition(
                    "resolve", {"resolution_level": level, "resolved_on": now}
                )
        return True

    def action_close(self):
        """resolved → closed."""
        return self._transition("close")

    def action_cancel(self):
        """Cancel an open incident."""
        return self._transition("cancel")

    def action_reopen(self):
        """resolved → in_progress: the problem persists."""
        return self._transition(
            "reopen", {"resolved_on": False, "resolution_level": False}
        )

    def _check_can_say_persists(self):
        """Whoever asked, or a key user, says that the problem persists; other
        colleagues comment."""
        if self.env.su or self.env.user.has_group("erp_key_user.group_key_user"):
            return
        for incident in self:
            if incident.reporter_id != self.env.user:
                raise UserError(
                    _(
                        "Only the person who reported %(incident)s or a key user "
                        "can say that the problem persists: add a comment instead.",
                        incident=incident.name,
                    )
                )

    def action_problem_persists(self, details=None):
        """The person who asked says the resolved problem is still there
        (``details``: what still fails): the incident goes back to its key
        user instead of being auto-closed."""
        self._check_transition("reopen")
        self._check_can_say_persists()
        body = Markup("<p>%s</p>") % _("The problem persists.")
        if details and details.strip():
            body += plaintext2html(details.strip())
        for incident in self:
            incident.message_post(
                body=body,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        # sudo: consultation users may not write incidents; saying the problem
        # persists is the one change they are allowed to make
        incidents = self.sudo()
        incidents.action_reopen()
        # a customer's key user (a portal user) has no activities: they follow
        # the request and get the comment above by e-mail
        for incident in incidents.filtered(
            lambda i: i.key_user_id and not i.key_user_id.share
        ):
            incident.activity_schedule(
                ANSWER_ACTIVITY,
                summary=_("The problem persists"),
                user_id=incident.key_user_id.id,
            )
        return True

    def action_convert_to_incident(self):
        """Turn an open question into a formal incident, in progress (key users
        only)."""
        self._check_key_user()
        for incident in self:
            if incident.kind != "question":
                raise UserError(
                    _(
                        "Only open questions can be converted into incidents; "
                        "%(incident)s is not one.",
                        incident=incident.name,
                    )
                )
        self._check_transition("convert")
        return self._apply_transition("convert", {"kind": "incident"})

    # ------------------------------------------------------------------
    # crons (the SLA one is in erp.incident.sla.mixin)
    # ------------------------------------------------------------------

    @api.model
    def _cron_autoclose_resolved(self):
        """Close incidents resolved more than the configured number of days ago."""
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("erp_key_user.autoclose_days", 7)
        )
        if days <= 0:
            return self.browse()
        limit = fields.Datetime.now() - timedelta(days=days)
        # sudo: the cron closes incidents of every company, whoever runs it
        incidents = self.sudo().search(
            [("state", "=", "resolved"), ("resolved_on", "<", limit)]
        )
        incidents.action_close()
        return incidents
