# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from markupsafe import Markup

from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from .erp_text_mixin import has_text

# a request in these states is over: its thread is history, no more comments
FINISHED_STATES = ("closed", "cancelled")


class ErpIncidentPortalMixin(models.AbstractModel):
    """What the customer's people do on the portal (DESIGN §14): consultation
    users comment on requests still open; the customer's key user (a portal
    user, who has no write access to incidents) answers the questions of their
    areas and confirms that a resolved request is solved.

    Each action checks who acts before it writes in sudo mode; the portal
    controllers call these methods and write nothing themselves. The model
    using it has ``instance_id``, ``area_id``, ``key_user_id``, ``partner_id``,
    ``kind``, ``state``, ``reporter_id`` and the lifecycle's
    ``_apply_transition``.

    List it before ``mail.thread`` in ``_inherit`` (``message_post``)."""

    _name = "erp.incident.portal.mixin"
    _description = "Portal actions of an incident"
    _inherit = ["mail.thread"]

    # ------------------------------------------------------------------
    # comments
    # ------------------------------------------------------------------

    def message_post(self, **kwargs):
        self._check_portal_comment()
        return super().message_post(**kwargs)

    def _check_portal_comment(self):
        """A portal user posts on requests that are not over. Checked here, in
        the model, because the portal chatter's route (``/mail/message/post``)
        posts in sudo mode as the portal user."""
        if not self.env.user.share:
            return
        finished = self.filtered(lambda i: i.state in FINISHED_STATES)[:1]
        if finished:
            state_labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                _(
                    "%(incident)s is %(state)s: it takes no more comments. If "
                    "the problem is back, ask your key user in a new question.",
                    incident=finished.display_name,
                    state=state_labels[finished.state].lower(),
                )
            )

    # ------------------------------------------------------------------
    # the customer's key user
    # ------------------------------------------------------------------

    def _is_portal_key_user(self, user=None):
        """Whether ``user`` (the current user) is a portal key user of this
        request's customer."""
        self.ensure_one()
        user = user or self.env.user
        return (
            user.share
            and user.commercial_partner_id == self.partner_id
            and user.has_group("erp_key_user.group_portal_key_user")
        )

    def _is_portal_key_user_of_area(self, user=None):
        """Whether ``user`` (the current user) is the customer's key user who
        answers this request's area on its instance (the one it was routed to,
        or another key user of the area there)."""
        self.ensure_one()
        user = user or self.env.user
        if not self._is_portal_key_user(user):
            return False
        # sudo: who answers an area is decided by the instance's assignments
        # (their users' activity and companies), which the portal user may
        # not read in full; only a yes or no comes back
        instance = self.instance_id.sudo()
        return self.key_user_id == user or user in instance._get_area_key_users(
            self.area_id
        )

    def _may_answer_on_portal(self):
        """Whether the current user may answer this question on the portal."""
        self.ensure_one()
        return (
            self.kind == "question"
            and self.state in ("new", "in_progress")
            and self._is_portal_key_user_of_area()
        )

    def _may_confirm_resolved_on_portal(self):
        """Whether the current user may confirm on the portal that this
        resolved request is solved."""
        self.ensure_one()
        return self.state == "resolved" and self._is_portal_key_user()

    def action_answer_question(self, answer):
        """The customer's key user answers open questions of their area
        (``answer``, plain text): it becomes the resolution and the questions
        are resolved at the key user's level; whoever asked hears the answer
        by e-mail (``mail_template_erp_incident_resolved``). Internal key users
        may use it too."""
        if not isinstance(answer, str) or not has_text(answer.strip()):
            raise UserError(
                _(
                    "Write your answer first: the colleague who asked reads it, "
                    "and so does the next one with the same doubt."
                )
            )
        self._check_transition("resolve")
        is_key_user = self.env.su or self.env.user.has_group(
            "erp_key_user.group_key_user"
        )
        for incident in self:
            if incident.kind != "question":
                raise UserError(
                    _(
                        "%(incident)s is a request to the supplier, not a "
                        "question: the supplier resolves it.",
                        incident=incident.display_name,
                    )
                )
            if not (is_key_user or incident._is_portal_key_user_of_area()):
                raise UserError(
                    _(
                        "Only the key user of its area answers %(incident)s.",
                        incident=incident.display_name,
                    )
                )
        # sudo: portal key users may not write incidents; answering the open
        # questions of their own areas is what was just checked
        incidents = self.sudo()
        incidents.write({"resolution": plaintext2html(answer.strip())})
        incidents._apply_transition(
            "resolve",
            {"resolution_level": "key_user", "resolved_on": fields.Datetime.now()},
        )
        return True

    def action_confirm_resolved(self):
        """The customer's key user confirms that resolved requests are solved:
        they are closed (``action_close``'s transition). Internal key users
        close them from the backend the same way."""
        self._check_transition("close")
        if not (self.env.su or self.env.user.has_group("erp_key_user.group_key_user")):
            for incident in self:
                if not incident._is_portal_key_user():
                    raise UserError(
                        _(
                            "Only your key user confirms that %(incident)s is "
                            "solved. If it is not, say that the problem persists.",
                            incident=incident.display_name,
                        )
                    )
        # sudo: portal key users may not write incidents; closing the resolved
        # requests of their own customer is what was just checked
        return self.sudo()._apply_transition("close")

    # ------------------------------------------------------------------
    # routing a question to the customer's key user
    # ------------------------------------------------------------------

    def _notify_portal_key_user(self):
        """Tell the routed key user, a portal user (portal users get no
        activities), that a question waits for them: an e-mail with a link
        to the question on the portal. They follow it already."""
        for incident in self:
            sentence = _(
                "%(person)s asks you, as key user of %(area)s on %(instance)s: "
                "%(title)s",
                person=incident.reporter_id.name,
                area=incident.area_id.name,
                instance=incident.instance_id.name,
                title=incident.title,
            )
            body = Markup('<p>%s</p><p><a href="%s">%s</a></p>') % (
                sentence,
                incident.get_base_url() + incident.access_url,
                _("Answer %(reference)s on the portal", reference=incident.name),
            )
            if incident.description:
                body += plaintext2html(incident.description)
            incident.message_notify(
                partner_ids=incident.key_user_id.partner_id.ids,
                subject=_(
                    "[%(reference)s] A question for you: %(title)s",
                    reference=incident.name,
                    title=incident.title,
                ),
                body=body,
                email_layout_xmlid="mail.mail_notification_light",
            )
