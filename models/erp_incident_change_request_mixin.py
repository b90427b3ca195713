# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, fields, models
from odoo.exceptions import UserError

from .erp_incident_lifecycle_mixin import (
    ANSWER_ACTIVITY,
    CHANGE_REQUEST_STATES,
    INCIDENT_STATES,
)

# the support managers' activity to approve or refuse a change request
APPROVAL_ACTIVITY = "erp_key_user.mail_activity_type_erp_change_request_approval"


class ErpIncidentChangeRequestMixin(models.AbstractModel):
    """Change requests: a question or incident that is a new need, not a
    fault (kind ``change_request``). It keeps its chatter, portal page and
    record rules, and leaves the incident's SLA and KPIs for a flow of its
    own, in the lifecycle's table (``_state_transitions``)::

        proposed → approved → sent → accepted → done
                 ↘ refused         ↘ refused

    Key users (and managers) mark, send, record the supplier's answer and the
    delivery; support managers approve or refuse. The dates are lifecycle
    fields: only these actions write them."""

    _name = "erp.incident.change.request.mixin"
    _description = "Change request: a new need, apart from incidents"

    change_proposed_on = fields.Datetime(
        string="Proposed on", readonly=True, copy=False
    )
    change_approved_on = fields.Datetime(
        string="Approved on", readonly=True, copy=False
    )
    change_sent_on = fields.Datetime(
        string="Quote Requested on", readonly=True, copy=False
    )
    change_answered_on = fields.Datetime(
        string="Supplier Answered on",
        readonly=True,
        copy=False,
        help="When the supplier's acceptance or refusal of the quote request "
        "was recorded.",
    )

    def _group_expand_state(self, states, domain):
        """Kanban columns: the change requests' states in the change requests'
        views (their action says so in the context), the incidents' elsewhere."""
        if self.env.context.get("erp_change_request_states"):
            return [state for state, _label in CHANGE_REQUEST_STATES]
        return [state for state, _label in INCIDENT_STATES]

    def _check_support_manager(self):
        if self.env.su or self.env.user.has_group("erp_key_user.group_support_manager"):
            return
        raise UserError(
            _(
                "Only support managers approve or refuse change requests: the "
                "request waits for them in their activities."
            )
        )

    def _check_change_transition(self, action, manager_only=False):
        """Only key users (and managers) move change requests, and only the
        transitions of the table; approving and refusing a proposal is the
        support managers' (checked last: a key user is told first that a
        request is not in a state to approve)."""
        self._check_key_user()
        self._check_transition(action)
        if manager_only:
            self._check_support_manager()

    def action_mark_change_request(self):
        """A key user says that an open question or incident is a new need,
        not a fault: it becomes a change request, proposed to the support
        managers (one approval activity each). It leaves the incident SLA (no
        deadline, no breach: the SLA cron and status ignore it) and the
        first-level and escalation KPIs; a question's answer activity is
        done."""
        self._check_change_transition("mark_change_request")
        self._apply_transition(
            "mark_change_request",
            {
                "kind": "change_request",
                "change_proposed_on": fields.Datetime.now(),
                "sla_deadline": False,
                "sla_breached": False,
            },
        )
        self.activity_feedback([ANSWER_ACTIVITY])
        self._schedule_change_approval()
        return True

    def _schedule_change_approval(self):
        """One activity per support manager of the request's company."""
        managers_by_instance = {}
        for request in self:
            instance = request.instance_id
            if instance not in managers_by_instance:
                managers_by_instance[instance] = instance._get_support_managers()
            for manager in managers_by_instance[instance]:
                request.activity_schedule(
                    APPROVAL_ACTIVITY,
                    summary=_("Approve or refuse the change request"),
                    user_id=manager.id,
                )

    def action_approve_change(self):
        """proposed → approved (support managers): it may be sent to the
        supplier for a quote."""
        self._check_change_transition("approve_change", manager_only=True)
        self._apply_transition(
            "approve_change", {"change_approved_on": fields.Datetime.now()}
        )
        self.activity_feedback([APPROVAL_ACTIVITY])
        return True

    def action_refuse_change(self):
        """proposed → refused (support managers): the need is not pursued."""
        self._check_change_transition("refuse_change", manager_only=True)
        self._apply_transition("refuse_change")
        self.activity_feedback([APPROVAL_ACTIVITY], feedback=_("Refused"))
        return True

    def action_send_change_request(self):
        """approved → sent: ask the supplier for a quote
        (``_send_change_request_to_supplier``)."""
        self._check_change_transition("send_change_request")
        for request in self:
            request._send_change_request_to_supplier()
        self._apply_transition(
            "send_change_request", {"change_sent_on": fields.Datetime.now()}
        )
        return True

    def _send_change_request_to_supplier(self):
        """Ask the supplier for a quote for this approved change request: an
        e-mail to the instance's support desk, which follows the request so
        that its answer threads back into the chatter. Queued, not sent now:
        an SMTP failure must not undo the sending. A connector to the
        supplier's platform overrides this to create the request there."""
        self.ensure_one()
        desk = self.instance_id._get_support_partner()
        self.message_subscribe(partner_ids=desk.ids)
        template = self.env.ref(
            "erp_key_user.mail_template_erp_incident_change_request"
        )
        self.with_context(mail_notify_force_send=False).message_post_with_source(
            template,
            partner_ids=desk.ids,
            subtype_xmlid="mail.mt_comment",
        )

    def action_accept_quote(self):
        """sent → accepted: the supplier's quote is accepted."""
        self._check_change_transition("accept_quote")
        return self._apply_transition(
            "accept_quote", {"change_answered_on": fields.Datetime.now()}
        )

    def action_refuse_quote(self):
        """sent → refused: the supplier's quote is refused (or the supplier
        declined the request)."""
        self._check_change_transition("refuse_quote")
        return self._apply_transition(
            "refuse_quote", {"change_answered_on": fields.Datetime.now()}
        )

    def action_finish_change(self):
        """accepted → done: the change is delivered."""
        self._check_change_transition("finish_change")
        return self._apply_transition("finish_change")

    def _check_portal_may_comment(self):
        """Portal users follow their customer's change requests read-only:
        the key users and managers discuss them with the supplier. Checked on
        the acting user even in sudo mode: the mail routes post in sudo mode
        for whoever may read the record."""
        if self.env.user.share and any(
            request.kind == "change_request" for request in self
        ):
            raise UserError(
                _(
                    "Change requests are read-only on the portal: ask your key "
                    "user to add what is needed."
                )
            )
