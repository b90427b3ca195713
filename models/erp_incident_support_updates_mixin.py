# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import is_html_empty, plaintext2html

from .erp_incident_lifecycle_mixin import OPEN_STATES

# requests one call may ask about (the connector sends its open ones)
MAX_UPDATE_REQUESTS = 500
MAX_COMMENT_SIZE = 50_000
# the cursor returned stays this far behind the newest message: a message of a
# transaction that commits late gets a lower id than one already returned,
# and the next call, which starts again from the cursor, still finds it (the
# connector skips the messages it already has)
CURSOR_LAG = timedelta(minutes=5)


class ErpIncidentSupportUpdatesMixin(models.AbstractModel):
    """What the supplier's platform offers the connector of a customer's own
    Odoo (DESIGN §15), called over JSON-2 as the customer's portal key user:
    the public answers and status of the requests it sent, and its comments.

    Both methods work on the requests the caller may read (the platform's
    record rules: a portal user reads its own customer's only), found by the
    ``external_uid`` the connector gave them."""

    _name = "erp.incident.support.updates.mixin"
    _description = "Answers of the platform to a customer's Odoo"

    @api.model
    def _get_requests_by_external_uid(self, external_uids):
        if not isinstance(external_uids, (list, tuple)) or not all(
            isinstance(uid, str) for uid in external_uids
        ):
            raise ValidationError(
                self.env._("Send the external IDs as a list of texts.")
            )
        if len(external_uids) > MAX_UPDATE_REQUESTS:
            raise ValidationError(
                self.env._(
                    "Ask about at most %(count)s requests at a time.",
                    count=MAX_UPDATE_REQUESTS,
                )
            )
        # as the caller: the record rules decide which requests it finds
        return self.search([("external_uid", "in", list(external_uids))])

    @api.model
    def get_support_updates(self, since=0, external_uids=()):
        """The changes, after message ``since``, of the caller's requests with
        these ``external_uids``: ``{"cursor": int, "requests": [{"external_uid",
        "id", "name", "state", "resolution", "messages": [{"id", "date",
        "author", "body"}]}]}``.

        ``messages`` are the public replies (comments and e-mails of a
        subtype that is not internal, not the caller's own); internal notes,
        status messages and the caller's own comments are never returned. A
        request is listed when any of its messages (a status change too) came
        after ``since``. Pass the ``cursor`` returned as ``since`` next time:
        it lags a few minutes behind, so the same message may come twice
        (its ``id`` tells), never not at all."""
        if not isinstance(since, int) or isinstance(since, bool) or since < 0:
            raise ValidationError(self.env._("The cursor must be a whole number."))
        requests = self._get_requests_by_external_uid(external_uids)
        if not requests:
            return {"cursor": since, "requests": []}
        # sudo: only the messages of the requests found above through the
        # caller's record rules; the public ones are filtered below
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", self._name),
                    ("res_id", "in", requests.ids),
                    ("id", ">", since),
                ],
                order="id",
            )
        )
        settled = fields.Datetime.now() - CURSOR_LAG
        cursor = max(
            (message.id for message in messages if message.create_date < settled),
            default=since,
        )
        caller = self.env.user.partner_id
        replies = messages.filtered(
            lambda message: (
                message.message_type in ("comment", "email")
                and message.subtype_id
                and not message.subtype_id.internal
                and not message.is_internal
                and message.author_id != caller
                and not is_html_empty(message.body)
            )
        )
        changed = requests.filtered(lambda r: r.id in set(messages.mapped("res_id")))
        return {
            "cursor": cursor,
            "requests": [
                {
                    "external_uid": request.external_uid,
                    "id": request.id,
                    "name": request.name,
                    "state": request.state,
                    "resolution": str(request.resolution or ""),
                    "messages": [
                        {
                            "id": message.id,
                            "date": fields.Datetime.to_string(message.date),
                            "author": message.author_id.name
                            or message.email_from
                            or "",
                            "body": str(message.body or ""),
                        }
                        for message in replies
                        if message.res_id == request.id
                    ],
                }
                for request in changed
            ],
        }

    @api.model
    def post_support_comment(self, external_uid, body, comment_uid):
        """Post ``body`` (plain text) as a public comment of the caller on its
        open request ``external_uid``, once: a second call with the same
        ``comment_uid`` posts nothing. Returns the message's id."""
        if not (isinstance(body, str) and body.strip()):
            raise ValidationError(self.env._("The comment is empty."))
        if len(body) > MAX_COMMENT_SIZE:
            raise ValidationError(
                self.env._(
                    "The comment is too long (at most %(count)s characters).",
                    count=MAX_COMMENT_SIZE,
                )
            )
        if not (isinstance(comment_uid, str) and 0 < len(comment_uid) <= 64):
            raise ValidationError(
                self.env._("The comment needs an ID of at most 64 characters.")
            )
        request = self._get_requests_by_external_uid([external_uid])
        if not request:
            raise ValidationError(
                self.env._(
                    "You have no request with the external ID %(uid)s.",
                    uid=external_uid,
                )
            )
        if request.state not in OPEN_STATES:
            raise ValidationError(
                self.env._(
                    "%(request)s is no longer open: it takes no more comments.",
                    request=request.name,
                )
            )
        message_id = f"<{comment_uid}@erp-key-user-connector>"
        # sudo: looks for this comment among the messages of the request the
        # caller reads (found above through its record rules)
        posted = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", self._name),
                    ("res_id", "=", request.id),
                    ("message_id", "=", message_id),
                ],
                limit=1,
            )
        )
        if posted:
            return posted.id
        # as the caller, who may comment the requests it reads
        message = request.message_post(
            body=plaintext2html(body.strip()),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            message_id=message_id,
        )
        return message.id
