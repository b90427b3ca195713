# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import base64
import binascii

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .erp_incident_escalation_mixin import ESCALATION_ANSWER_FIELDS

# what a support request may carry besides the checklist answers
SUPPORT_REQUEST_KEYS = frozenset(ESCALATION_ANSWER_FIELDS) | {
    "instance_id",
    "no_guide",
    "attachments",
    "external_uid",
    "question_id",
}
SUPPORT_REQUEST_TEXT_FIELDS = (
    "title",
    "description",
    "expected_result",
    "actual_result",
    "error_message",
    "steps_to_reproduce",
    "not_reproduced_reason",
)
# screenshots and files sent with one request
MAX_REQUEST_FILES = 10
MAX_REQUEST_FILE_SIZE = 10 * 1024 * 1024
EXTERNAL_UID_SIZE = 64
TRUE_STRINGS = frozenset({"1", "on", "true", "yes"})
# a question is converted from these states (the lifecycle's "convert")
QUESTION_OPEN_STATES = ("new", "in_progress")


class ErpIncidentSupportRequestMixin(models.AbstractModel):
    """The support request of the supplier's platform (DESIGN §14): a
    customer's key user sends a request that is escalated at once.

    ``submit_support_request`` is the one entry point of its two callers, the
    portal form ``/my/incidents/new`` and the connector of the customer's own
    Odoo (JSON-2, as the customer's portal key user). The checklist is the
    escalation's (``_get_escalation_checklist_errors``), and the escalation
    itself is ``_action_escalate``: one checklist, one way to escalate."""

    _name = "erp.incident.support.request.mixin"
    _description = "Support requests sent by a customer's key user"

    external_uid = fields.Char(
        string="External ID",
        size=EXTERNAL_UID_SIZE,
        readonly=True,
        copy=False,
        help="Given by the system that sent the request (the connector of the "
        "customer's Odoo): a retry with the same ID finds this request instead "
        "of creating a second one.",
    )

    # the look-up of a retry (partner_id, external_uid); one request per
    # external ID and customer, whoever retries
    _partner_external_uid_uniq = models.UniqueIndex(
        "(partner_id, external_uid) WHERE external_uid IS NOT NULL",
        "This customer already sent a request with this external ID.",
    )

    # ------------------------------------------------------------------
    # public API
    # ------------------------------------------------------------------

    @api.model
    def submit_support_request(self, values):
        """Send a support request to the supplier as the current user, a key
        user assigned to its instance and area, and escalate it at once.

        ``values``: the ``erp.incident`` fields of the checklist (``title``,
        ``area_id``, ``description``, ``expected_result``, ``actual_result``,
        ``error_message``, ``steps_to_reproduce``, ``guide_id``,
        ``reproduced_in_staging``, ``not_reproduced_reason``), ``instance_id``,
        ``no_guide`` (no guide covers it), ``attachments`` (a list of
        ``{"name", "datas" (base64), "mimetype"}``), optionally
        ``external_uid`` (at most 64 characters: a request of the same
        customer with that ID is returned instead of creating a second one)
        and ``question_id`` (an open question of the customer, converted and
        escalated instead of creating a new request). The state, customer,
        company, key user and SLA are derived, never sent.

        Guarantees: either the request is created (or the question
        converted), escalated with its SLA deadline, its files attached, the
        submitter and the supplier's agents following it, or nothing is
        written and ONE ``ValidationError`` lists every problem. Returns
        ``{"id", "name", "title", "access_url", "state", "sla_deadline"}``."""
        request = self._prepare_support_request(values)
        if request["existing"]:
            return request["existing"]._get_support_request_summary()
        if request["errors"]:
            raise ValidationError(
                self.env._("The support request cannot be sent yet:")
                + "\n"
                + "\n".join(f"• {error}" for error in request["errors"])
            )
        incident = self._create_support_request(request)
        return incident._get_support_request_summary()

    # ------------------------------------------------------------------
    # checks (the caller's rights, then the checklist)
    # ------------------------------------------------------------------

    @api.model
    def _get_support_request_errors(self, values):
        """Every problem of the support request ``values`` (see
        ``submit_support_request``), as sentences for the user; empty when it
        can be sent. A request already sent with the same ``external_uid``
        has none."""
        request = self._prepare_support_request(values)
        return [] if request["existing"] else request["errors"]

    @api.model
    def _prepare_support_request(self, values):
        """Check ``values`` with the current user's rights and return
        ``{"errors", "existing", "instance", "area", "guide", "question",
        "answers", "files", "external_uid"}``; nothing is written."""
        _ = self.env._
        if not isinstance(values, dict):
            values = {}
            errors = [_("Send the support request as a dictionary of values.")]
        else:
            errors = []
        unknown = sorted(str(key) for key in set(values) - SUPPORT_REQUEST_KEYS)
        if unknown:
            errors.append(
                _(
                    "%(fields)s cannot be sent with a support request: the "
                    "customer, status, key user, company and deadline are set "
                    "by the platform.",
                    fields=", ".join(unknown),
                )
            )
        answers, text_errors = self._get_support_request_answers(values)
        errors += text_errors
        instance = self._get_support_request_record(
            "erp.instance", values.get("instance_id")
        )
        if not instance:
            errors.append(
                _("Choose the ERP instance: one of your customer's instances.")
            )
        external_uid, uid_error = self._get_support_request_external_uid(values)
        if uid_error:
            errors.append(uid_error)
        existing = self.browse()
        if instance and external_uid:
            existing = self.search(
                [
                    ("partner_id", "=", instance.partner_id.id),
                    ("external_uid", "=", external_uid),
                ],
                limit=1,
            )
        area = self._get_support_request_record("erp.support.area", answers["area_id"])
        if answers["area_id"] and not area:
            errors.append(_("The area chosen does not exist."))
        elif instance and area and not self._is_support_request_sender(instance, area):
            errors.append(
                _(
                    "You are not a key user of %(area)s on %(instance)s: send "
                    "requests for the areas you are assigned to.",
                    area=area.name,
                    instance=instance.name,
                )
            )
        guide = self._get_support_request_guide(answers["guide_id"], instance)
        if answers["guide_id"] and not guide:
            # not named: it may be another customer's guide
            errors.append(_("Choose one of your customer's published guides."))
        question = self._get_support_request_question(values.get("question_id"))
        if values.get("question_id") and (
            not question or (instance and question.partner_id != instance.partner_id)
        ):
            errors.append(
                _("The question to turn into a request is not an open question.")
            )
        files, file_errors = self._get_support_request_files(values.get("attachments"))
        errors += file_errors
        checklist = dict(
            answers,
            area_id=area.id,
            guide_id=guide.id,
            no_guide=self._get_support_request_bool(values.get("no_guide")),
            # the files are not saved yet: only whether there are any counts
            attachment_ids=files,
        )
        errors += (question or self.browse())._get_escalation_checklist_errors(
            checklist
        )
        if errors and errors.count(errors[0]) > 1:
            errors = list(dict.fromkeys(errors))
        return {
            "errors": errors,
            "existing": existing,
            "instance": instance,
            "area": area,
            "guide": guide,
            "question": question,
            "answers": dict(answers, area_id=area.id, guide_id=guide.id),
            "files": files,
            "external_uid": external_uid,
        }

    @api.model
    def _get_support_request_answers(self, values):
        """The checklist answers of ``values`` as plain values (texts or
        False, ids or False, booleans) and the errors of their types and
        sizes."""
        _ = self.env._
        answers, errors = {}, []
        for fname in SUPPORT_REQUEST_TEXT_FIELDS:
            value = values.get(fname) or False
            if value and not isinstance(value, str):
                errors.append(
                    _(
                        "%(field)s must be text.",
                        field=self._fields[fname]._description_string(self.env),
                    )
                )
                value = False
            try:
                self._check_text_size_limits({fname: value})
            except ValidationError as error:
                errors.append(error.args[0])
            answers[fname] = value
        for fname in ("area_id", "guide_id"):
            answers[fname] = self._get_support_request_id(values.get(fname))
        answers["reproduced_in_staging"] = self._get_support_request_bool(
            values.get("reproduced_in_staging")
        )
        return answers, errors

    @api.model
    def _get_support_request_id(self, value):
        """A record id sent as a number (JSON) or as digits (a form), else
        False."""
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
        return False

    @api.model
    def _get_support_request_bool(self, value):
        if isinstance(value, str):
            return value.strip().lower() in TRUE_STRINGS
        return value is True or (isinstance(value, int) and value == 1)

    @api.model
    def _get_support_request_record(self, model_name, value):
        """The record of ``model_name`` with id ``value`` if the current user
        may read it (record rules: a portal user reads their customer's
        instances only), else an empty recordset."""
        record_id = self._get_support_request_id(value)
        if not record_id:
            return self.env[model_name]
        return self.env[model_name].browse(record_id).exists()._filtered_access("read")

    @api.model
    def _is_support_request_sender(self, instance, area):
        """Whether the current user is a key user of ``area`` on ``instance``."""
        # sudo: the assignments of an instance the user may read (checked by
        # the caller) and whether their key users are active; nothing is
        # returned but this yes or no
        return self.env.user in instance.sudo()._get_area_key_users(area)

    @api.model
    def _get_support_request_guide(self, guide_id, instance):
        """The guide consulted, if the user reads it, published, of the
        instance's customer."""
        guide = self._get_support_request_record("erp.process.guide", guide_id)
        if not guide or guide.state != "published":
            return self.env["erp.process.guide"]
        if instance and (guide.partner_id, guide.company_id) != (
            instance.partner_id,
            instance.company_id,
        ):
            return self.env["erp.process.guide"]
        return guide

    @api.model
    def _get_support_request_question(self, question_id):
        """The open question to convert, if the user reads it."""
        question = self._get_support_request_record("erp.incident", question_id)
        if question.kind != "question" or question.state not in QUESTION_OPEN_STATES:
            return self.browse()
        return question

    @api.model
    def _get_support_request_external_uid(self, values):
        """(the external ID, or False; its error, or None)."""
        value = values.get("external_uid")
        if value in (None, False, ""):
            return False, None
        if not isinstance(value, str) or not value.strip():
            return False, self.env._("The external ID must be text.")
        value = value.strip()
        if len(value) > EXTERNAL_UID_SIZE:
            return False, self.env._(
                "The external ID is too long: at most %(size)s characters.",
                size=EXTERNAL_UID_SIZE,
            )
        return value, None

    @api.model
    def _get_support_request_files(self, attachments):
        """The files of the request as ``{"name", "raw", "mimetype"}`` and the
        errors of their number, size and encoding."""
        _ = self.env._
        if not attachments:
            return [], []
        if not isinstance(attachments, list) or not all(
            isinstance(attachment, dict) for attachment in attachments
        ):
            return [], [
                _("Send the files as a list of name, content (base64) and type.")
            ]
        errors = []
        if len(attachments) > MAX_REQUEST_FILES:
            errors.append(
                _(
                    "Too many files: %(count)s, at most %(max)s per request. "
                    "Put screenshots together or compress them into one archive.",
                    count=len(attachments),
                    max=MAX_REQUEST_FILES,
                )
            )
        files = []
        for attachment in attachments:
            name = attachment.get("name")
            if not isinstance(name, str) or not name.strip():
                errors.append(_("A file has no name."))
                continue
            raw = self._decode_support_request_file(attachment.get("datas"))
            if raw is None:
                errors.append(
                    _("The file %(name)s could not be read.", name=name.strip())
                )
                continue
            if len(raw) > MAX_REQUEST_FILE_SIZE:
                errors.append(self._get_file_too_large_error(name.strip()))
                continue
            mimetype = attachment.get("mimetype")
            files.append(
                {
                    "name": name.strip(),
                    "raw": raw,
                    "mimetype": mimetype if isinstance(mimetype, str) else False,
                }
            )
        return files, errors

    @api.model
    def _get_file_too_large_error(self, name):
        return self.env._(
            "The file %(name)s is too large: at most %(size)s MB per file.",
            name=name,
            size=MAX_REQUEST_FILE_SIZE // (1024 * 1024),
        )

    @api.model
    def _decode_support_request_file(self, datas):
        if isinstance(datas, bytes):
            datas = datas.decode("ascii", errors="replace")
        if not isinstance(datas, str):
            return None
        try:
            return base64.b64decode(datas, validate=True)
        except (binascii.Error, ValueError):
            return None

    # ------------------------------------------------------------------
    # creation and escalation
    # ------------------------------------------------------------------

    @api.model
    def _create_support_request(self, request):
        """Create the request (or convert the question) checked by
        ``_prepare_support_request`` and escalate it."""
        answers = request["answers"]
        values = dict(
            answers,
            instance_id=request["instance"].id,
            external_uid=request["external_uid"],
        )
        # sudo: portal users may create no incident through the ORM (their
        # create rule is empty, so the checklist cannot be skipped over
        # JSON-2); the user's access to the instance, their assignment on its
        # area, the guide and the question were checked with their own rights
        # in _prepare_support_request. reporter_id stays the user (sudo keeps
        # the uid) and every message is written in their name.
        if request["question"]:
            incident = request["question"].sudo()
            incident.write(values)
            incident._apply_transition("convert", {"kind": "incident"})
        else:
            incident = self.sudo().create(dict(values, kind="incident"))
            incident._apply_transition("start")
        # the key user who sent it follows it, and whoever asked the question
        incident.message_subscribe(partner_ids=self.env.user.partner_id.ids)
        incident._subscribe_reporters()
        # attached first: the escalation's checklist counts the request's
        # files as its screenshots
        incident._attach_support_request_files(request["files"])
        incident.with_context(erp_support_request=True)._action_escalate(
            dict(answers, no_guide=not answers["guide_id"])
        )
        return incident.sudo(False)

    def _attach_support_request_files(self, files):
        """Attach ``files`` to this request, as the user who sent them."""
        self.ensure_one()
        if not files:
            return self.env["ir.attachment"]
        # sudo (self is): portal users may not create attachments on records
        # they cannot write; these are their own files for their request.
        # ir.attachment still stores HTML/SVG as plain text for them (it
        # checks the real user, not sudo).
        return self.env["ir.attachment"].create(
            [
                {
                    "name": file["name"],
                    "raw": file["raw"],
                    "mimetype": file["mimetype"],
                    "res_model": self._name,
                    "res_id": self.id,
                }
                for file in files
            ]
        )

    def _get_request_files(self):
        """The screenshots and files of this request (sent with it, or with
        its escalation), for whoever may read the request. Files of chatter
        messages are not: the chatter shows those of public messages, and
        those of internal notes never reach the portal."""
        self.ensure_one()
        self.check_access("read")
        # sudo: portal users have no access to ir.attachment at all; the
        # request was just checked readable by the user (record rules), and
        # only its own files that belong to no message are returned
        files = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [("res_model", "=", self._name), ("res_id", "=", self.id)], order="id"
            )
        )
        if not files:
            return files
        in_messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("attachment_ids", "in", files.ids),
                ]
            )
            .attachment_ids
        )
        return files - in_messages

    def _notify_supplier(self):
        """A support request also reaches the supplier's agents: they follow
        it (its messages, the customer's answers) before the escalation
        message is posted."""
        if self.env.context.get("erp_support_request"):
            agents = self._get_support_agents()
            self.message_subscribe(partner_ids=agents.partner_id.ids)
            instance = self.instance_id
            if not (instance.supplier_partner_id or instance.support_email):
                # the agents are the supplier's desk on the platform
                template = self.env.ref(
                    "erp_key_user.mail_template_erp_incident_escalation"
                )
                self.with_context(
                    mail_notify_force_send=False
                ).message_post_with_source(
                    template,
                    partner_ids=agents.partner_id.ids,
                    subtype_xmlid="mail.mt_comment",
                )
                return
        return super()._notify_supplier()

    def _get_support_agents(self):
        """The supplier's agents: internal users of the support agent role
        with access to the instance's company."""
        self.ensure_one()
        # sudo: the users who work the requests of the instance's company are
        # looked up whoever sends the request (a portal user cannot read them)
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    (
                        "all_group_ids",
                        "in",
                        self.env.ref("erp_key_user.group_support_agent").ids,
                    ),
                    ("company_ids", "in", self.instance_id.company_id.ids),
                    ("share", "=", False),
                ],
                order="id",
            )
        )

    def _get_support_request_summary(self):
        """What the caller of ``submit_support_request`` gets back."""
        self.ensure_one()
        return {
            "id": self.id,
            "name": self.name,
            "title": self.title,
            "access_url": self.access_url,
            "state": self.state,
            "sla_deadline": fields.Datetime.to_string(self.sla_deadline),
        }
