# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import base64
import logging
import uuid
from datetime import timedelta
from email.utils import formataddr

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from .erp_supplier_client import SupplierError

_logger = logging.getLogger(__name__)

# set by the connector only (sudo): create and write refuse them to clients
CONNECTOR_FIELDS = frozenset(
    {
        "supplier_remote_id",
        "supplier_send_state",
        "supplier_send_error",
        "supplier_send_attempts",
        "supplier_next_attempt",
        "supplier_comment_cursor",
    }
)
# the states of a request the platform still answers about
SYNCED_STATES = ("escalated", "waiting_info", "resolved")
# the key user's comments the platform takes (it refuses them on closed ones)
COMMENT_STATES = ("escalated", "waiting_info")
# first retry after 5 minutes, then 10, 20... at most 6 hours apart
RETRY_FIRST_DELAY = timedelta(minutes=5)
RETRY_MAX_DELAY = timedelta(hours=6)
# failed attempts after which the support manager is told (once)
DEFAULT_MAX_ATTEMPTS = 5
# requests sent by one run of the cron
SEND_BATCH = 50


# what the platform answers about one comment's request: the comment becomes
# a note here and the sync goes on
COMMENT_REFUSALS = ("refused", "forbidden")


class ErpIncidentConnectorMixin(models.AbstractModel):
    """Escalation into the supplier's platform and its answers back (DESIGN
    §15), for an incident whose instance is connected to the platform
    (``erp.instance.connection.mixin``).

    * ``_notify_supplier`` (the end of ``_action_escalate``) sends the request
      with ``submit_support_request`` instead of the e-mail; the incident's
      ``external_uid``, made once from the database and the incident, lets
      every retry find the request a lost answer already created;
    * a request that could not be sent is kept, escalated and "waiting to be
      sent" with the reason, and retried by ``_cron_sync_supplier`` with a
      growing delay; after ``erp_key_user.supplier_max_attempts`` failures a
      support manager gets one activity;
    * ``_cron_sync_supplier`` also sends the key users' public comments
      ("Send message", never log notes nor colleagues' comments) and brings
      back, once each, the platform's public replies and its status changes
      (waiting for information, resolved)."""

    _name = "erp.incident.connector.mixin"
    _description = "Escalation through the supplier's platform"

    supplier_remote_id = fields.Integer(
        string="Platform Request ID", readonly=True, copy=False
    )
    supplier_send_state = fields.Selection(
        [("waiting", "Waiting to be sent"), ("sent", "Sent to the platform")],
        string="Platform",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    supplier_send_error = fields.Text(
        string="Why it is waiting", readonly=True, copy=False
    )
    supplier_send_attempts = fields.Integer(
        string="Failed Attempts", readonly=True, copy=False
    )
    supplier_next_attempt = fields.Datetime(
        string="Next Attempt", readonly=True, copy=False
    )
    supplier_comment_cursor = fields.Integer(readonly=True, copy=False)

    # ------------------------------------------------------------------
    # protection: only the connector writes its fields
    # ------------------------------------------------------------------

    @api.model
    def _check_create_values(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                refused = sorted(f for f in CONNECTOR_FIELDS if vals.get(f))
                if refused:
                    raise UserError(self._get_protected_fields_error(refused))
        return super()._check_create_values(vals_list)

    def _check_write_values(self, vals):
        if not self.env.su:
            refused = sorted(CONNECTOR_FIELDS & set(vals))
            if refused:
                raise UserError(self._get_protected_fields_error(refused))
        return super()._check_write_values(vals)

    # ------------------------------------------------------------------
    # escalation
    # ------------------------------------------------------------------

    def _notify_supplier(self):
        """With a connection, the request goes to the platform instead of the
        e-mail: queued in this transaction, then sent at once; if the platform
        does not take it, the escalation stays, waiting to be sent."""
        self.ensure_one()
        if not self.instance_id.supplier_connected:
            return super()._notify_supplier()
        self._queue_supplier_request()
        self.sudo()._send_supplier_requests()
        return None

    def _queue_supplier_request(self):
        """Mark the incident as waiting to be sent, with its external ID and
        the message after which the key users' comments go to the platform."""
        self.ensure_one()
        last_message = (
            self.env["mail.message"]
            .sudo()
            .search(
                [("model", "=", self._name), ("res_id", "=", self.id)],
                order="id desc",
                limit=1,
            )
        )
        # sudo: the connector's fields; _action_escalate checked the key user
        self.sudo().write(
            {
                "external_uid": self.external_uid or self._get_new_external_uid(),
                "supplier_send_state": "waiting",
                "supplier_send_error": False,
                "supplier_send_attempts": 0,
                "supplier_next_attempt": fields.Datetime.now(),
                "supplier_comment_cursor": last_message.id,
            }
        )

    def _get_new_external_uid(self):
        """The incident's ID on the platform: the same for every attempt,
        also for one whose transaction was rolled back after the platform had
        created the request (made from the database, the incident and when it
        was created, not drawn at random: an incident of the same id created
        later in a restored copy of the database gets another one)."""
        self.ensure_one()
        database_uuid = (
            self.env["ir.config_parameter"].sudo().get_param("database.uuid")
        )
        created = fields.Datetime.to_string(self.create_date)
        return str(
            uuid.uuid5(uuid.UUID(database_uuid), f"erp.incident/{self.id}/{created}")
        )

    def _send_supplier_requests(self):
        """Send the waiting requests of ``self`` (sudo), each as the
        platform's ``submit_support_request``; a platform down or slow is not
        called again for its other requests in this run."""
        down = {}  # instance -> the error of its platform
        for incident in self.filtered(lambda i: i.supplier_send_state == "waiting"):
            instance = incident.instance_id
            if instance in down:
                incident._record_supplier_failure(down[instance])
                continue
            try:
                client = instance._get_supplier_client()
                result = client.call(
                    "erp.incident",
                    "submit_support_request",
                    values=incident._prepare_supplier_request_values(client),
                )
            except SupplierError as error:
                message = instance._get_supplier_error_message(error)
                _logger.info(
                    "Escalation %s waits for the platform of %s: %s",
                    incident.name,
                    instance.name,
                    error.kind,
                )
                if error.transient:
                    down[instance] = message
                incident._record_supplier_failure(message)
                continue
            incident._record_supplier_success(result)

    def _prepare_supplier_request_values(self, client):
        """The values of ``submit_support_request`` for this incident: the
        checklist answers, its files and its external ID. The platform knows
        neither the company's own process guides nor its area ids: the area
        is found by its code, and a guide consulted is named in the
        description (``no_guide``: none of the platform's covers it)."""
        self.ensure_one()
        description = self.description or ""
        if self.guide_id:
            description += "\n\n" + _(
                "Process guide consulted in our Odoo: %(guide)s",
                guide=self.guide_id.display_name,
            )
        return {
            "instance_id": self.instance_id.supplier_instance_ref,
            "area_id": self._get_supplier_area_id(client),
            "title": self.title,
            "description": description,
            "expected_result": self.expected_result or "",
            "actual_result": self.actual_result or "",
            "error_message": self.error_message or "",
            "steps_to_reproduce": self.steps_to_reproduce or "",
            "reproduced_in_staging": self.reproduced_in_staging,
            "not_reproduced_reason": self.not_reproduced_reason or "",
            "no_guide": True,
            "attachments": self._prepare_supplier_attachments(),
            "external_uid": self.external_uid,
        }

    def _get_supplier_area_id(self, client):
        code = self.area_id.code
        if not code:
            return False
        areas = client.call(
            "erp.support.area",
            "search_read",
            domain=[("code", "=", code)],
            fields=["id"],
            limit=1,
        )
        return areas[0]["id"] if areas else False

    def _prepare_supplier_attachments(self):
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", self._name), ("res_id", "=", self.id)], order="id"
        )
        return [
            {
                "name": attachment.name,
                "datas": base64.b64encode(attachment.raw or b"").decode(),
                "mimetype": attachment.mimetype,
            }
            for attachment in attachments
        ]

    def _record_supplier_success(self, result):
        self.ensure_one()
        first = self.supplier_send_attempts
        self.write(
            {
                "supplier_remote_id": result["id"],
                "supplier_reference": result["name"],
                "supplier_send_state": "sent",
                "supplier_send_error": False,
                "supplier_next_attempt": False,
            }
        )
        self.message_post(
            body=_(
                "Sent to the supplier's platform as %(reference)s.",
                reference=result["name"],
            )
            if not first
            else _(
                "Sent to the supplier's platform as %(reference)s after "
                "%(count)s failed attempts.",
                reference=result["name"],
                count=first,
            ),
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )

    def _record_supplier_failure(self, message):
        """Keep the request waiting with ``message``, retry it later (twice
        as late each time), and tell a support manager once when it failed
        ``erp_key_user.supplier_max_attempts`` times."""
        self.ensure_one()
        attempts = self.supplier_send_attempts + 1
        delay = min(RETRY_FIRST_DELAY * 2 ** (attempts - 1), RETRY_MAX_DELAY)
        self.write(
            {
                "supplier_send_error": message,
                "supplier_send_attempts": attempts,
                "supplier_next_attempt": fields.Datetime.now() + delay,
            }
        )
        max_attempts = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("erp_key_user.supplier_max_attempts", DEFAULT_MAX_ATTEMPTS)
        )
        if attempts == max_attempts:
            manager = self.instance_id._get_support_managers()[:1]
            if manager:
                self.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=_("The supplier's platform does not take this request"),
                    note=_(
                        "%(count)s attempts to send it failed. Last reason: %(reason)s",
                        count=attempts,
                        reason=message,
                    ),
                    user_id=manager.id,
                )

    # ------------------------------------------------------------------
    # sync
    # ------------------------------------------------------------------

    @api.model
    def _cron_sync_supplier(self):
        """Send the requests waiting for the platform whose retry is due, then,
        for every connected instance, send the key users' new comments and
        bring back the platform's replies and status changes."""
        # sudo: the cron works for every company's connections
        Incident = self.sudo()
        due = Incident.search(
            [
                ("supplier_send_state", "=", "waiting"),
                ("supplier_next_attempt", "<=", fields.Datetime.now()),
            ],
            order="supplier_next_attempt, id",
            limit=SEND_BATCH,
        )
        due._send_supplier_requests()
        self._commit_cron_progress(len(due))
        instances = (
            self.env["erp.instance"]
            .sudo()
            .search([("supplier_instance_ref", "!=", 0)])
            .filtered("supplier_connected")
        )
        for instance in instances:
            Incident._sync_supplier_instance(instance)
            self._commit_cron_progress(1)
        return True

    @api.model
    def _commit_cron_progress(self, processed):
        # a cron run commits what it has done so far: what the platform
        # already has is not sent again after a later failure (outside a
        # cron, e.g. in tests, the caller's transaction decides)
        if self.env.context.get("cron_id"):
            self.env["ir.cron"]._commit_progress(processed)

    @api.model
    def _sync_supplier_instance(self, instance):
        """Comments out, replies and status changes in, for the requests of
        ``instance`` on its platform; a platform that fails is tried again at
        the next run (nothing is lost: its cursor does not move)."""
        incidents = self.search(
            [
                ("instance_id", "=", instance.id),
                ("supplier_remote_id", "!=", 0),
                ("state", "in", SYNCED_STATES),
            ]
        )
        if not incidents:
            return
        try:
            client = instance._get_supplier_client()
            incidents._send_supplier_comments(client)
            updates = client.call(
                "erp.incident",
                "get_support_updates",
                since=instance.supplier_sync_cursor,
                external_uids=incidents.mapped("external_uid"),
            )
        except SupplierError as error:
            _logger.info(
                "Sync with the platform of %s failed: %s", instance.name, error.kind
            )
            return
        by_uid = {incident.external_uid: incident for incident in incidents}
        for request in updates.get("requests", []):
            incident = by_uid.get(request.get("external_uid"))
            if incident:
                incident._apply_supplier_update(instance, request)
        instance.write(
            {
                "supplier_sync_cursor": max(
                    int(updates.get("cursor") or 0), instance.supplier_sync_cursor
                ),
                "supplier_last_sync": fields.Datetime.now(),
            }
        )

    def _get_comments_for_supplier(self):
        """The key users' public comments ("Send message") on these incidents
        since the escalation, in order: never a log note, nor a colleague's
        comment, nor a reply that came from the platform (it has no author)."""
        comment = self.env.ref("mail.mt_comment")
        messages = self.env["mail.message"].search(
            [
                ("model", "=", self._name),
                ("res_id", "in", self.ids),
                ("message_type", "=", "comment"),
                ("subtype_id", "=", comment.id),
                ("author_id", "!=", False),
            ],
            order="id",
        )
        cursors = {incident.id: incident.supplier_comment_cursor for incident in self}
        return messages.filtered(
            lambda message: (
                message.id > cursors[message.res_id]
                and any(
                    user.has_group("erp_key_user.group_key_user")
                    for user in message.author_id.user_ids
                )
            )
        )

    def _send_supplier_comments(self, client):
        """Send the key users' new comments; each is sent once (the platform
        drops a second copy of the same message). A comment the platform
        refuses (e.g. its request was resolved meanwhile) is not sent again:
        a note here says so, and the sync goes on. A platform down stops the
        run (``SupplierError``): the comments go at the next one."""
        open_incidents = self.filtered(lambda i: i.state in COMMENT_STATES)
        if not open_incidents:
            return
        incidents = {incident.id: incident for incident in open_incidents}
        for message in open_incidents._get_comments_for_supplier():
            incident = incidents[message.res_id]
            author = message.author_id.name
            try:
                client.call(
                    "erp.incident",
                    "post_support_comment",
                    external_uid=incident.external_uid,
                    body=f"{author}:\n{html2plaintext(message.body or '')}",
                    comment_uid=f"{incident.external_uid}.{message.id}",
                )
            except SupplierError as error:
                # only the platform's answer about this request (closed, or
                # out of the key's reach) is this comment's; anything else
                # (down, key refused, wrong database...) stops the whole run
                if error.kind not in COMMENT_REFUSALS:
                    raise
                incident.message_post(
                    body=_(
                        "This comment of %(author)s did not reach the supplier's "
                        "platform: %(reason)s",
                        author=author,
                        reason=incident.instance_id._get_supplier_error_message(error),
                    ),
                    message_type="notification",
                    subtype_xmlid="mail.mt_note",
                    parent_id=message.id,
                )
            incident.supplier_comment_cursor = message.id

    def _apply_supplier_update(self, instance, request):
        """Post the platform's new replies (skipping those already here) and
        follow its status: waiting for information, back to the supplier,
        resolved with its resolution."""
        self.ensure_one()
        message_ids = {
            message["id"]: self._get_supplier_message_id(instance, message["id"])
            for message in request.get("messages", [])
        }
        known = set(
            self.env["mail.message"]
            .search(
                [
                    ("model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("message_id", "in", list(message_ids.values())),
                ]
            )
            .mapped("message_id")
        )
        desk = instance.supplier_partner_id
        for message in request.get("messages", []):
            if message_ids[message["id"]] in known:
                continue
            # no author here: the reply is the platform's, under the name of
            # who wrote it there (and never sent back as a key user's)
            self.message_post(
                body=Markup(message.get("body") or ""),
                author_id=False,
                email_from=formataddr(
                    (message.get("author") or desk.name or "", desk.email or "")
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                message_id=message_ids[message["id"]],
            )
        self._apply_supplier_state(request)

    def _get_supplier_message_id(self, instance, remote_id):
        """The Message-Id of a platform's reply here: a reply that comes
        twice is found by it."""
        ref, database = instance.supplier_instance_ref, instance.supplier_db
        return f"<{remote_id}.{ref}@{database}.erp-platform>"

    def _apply_supplier_state(self, request):
        self.ensure_one()
        state = request.get("state")
        if state == "waiting_info" and self.state == "escalated":
            self._apply_transition("set_waiting")
        elif state == "escalated" and self.state == "waiting_info":
            self._apply_transition("resume")
        elif state in ("resolved", "closed") and self.state in (
            "escalated",
            "waiting_info",
        ):
            resolution = Markup(request.get("resolution") or "")
            if not html2plaintext(resolution).strip():
                resolution = Markup("<p>%s</p>") % _(
                    "Resolved by the supplier (%(reference)s).",
                    reference=self.supplier_reference,
                )
            self.write({"resolution": resolution})
            self.action_resolve()

    def action_send_to_supplier(self):
        """Try again now to send the requests waiting for the platform (key
        users)."""
        self._check_key_user()
        waiting = self.filtered(lambda i: i.supplier_send_state == "waiting")
        # sudo: the connector's fields and the connection's key; the user is
        # a key user who may read these incidents
        waiting.check_access("read")
        waiting.sudo()._send_supplier_requests()
        return True
