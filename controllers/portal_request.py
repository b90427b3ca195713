# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The support-request form of the supplier's platform (DESIGN §14):
``/my/incidents/new`` for a customer's portal key user.

The form only collects the answers: what a request must say, who may send it
and how it is escalated is ``erp.incident.submit_support_request`` (the same
method the connector of the customer's Odoo calls over JSON-2). Everything the
form lists (instances, areas, guides, the question to convert) is read with the
user's own rights: the customer record rules decide, no ``sudo()`` here."""

import base64

from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ..models.erp_incident_support_request_mixin import (
    MAX_REQUEST_FILE_SIZE,
    MAX_REQUEST_FILES,
    QUESTION_OPEN_STATES,
    SUPPORT_REQUEST_TEXT_FIELDS,
)
from .portal import ErpKeyUserPortal

PORTAL_KEY_USER_GROUP = "erp_key_user.group_portal_key_user"
# the form's inputs, named after the erp.incident fields
FORM_FIELDS = (
    *SUPPORT_REQUEST_TEXT_FIELDS,
    "instance_id",
    "area_id",
    "guide_id",
    "no_guide",
    "reproduced_in_staging",
    "question_id",
)
ENVIRONMENT_ORDER = {"production": 0, "staging": 1, "test": 2}


class ErpSupportRequestPortal(ErpKeyUserPortal):
    # ------------------------------------------------------------------
    # what the form offers
    # ------------------------------------------------------------------

    def _get_erp_request_instances(self):
        """[(instance, areas)]: the customer's instances (the record rules
        keep a portal user to their own customer's) on which the user holds
        areas, production first."""
        user = request.env.user
        instances = request.env["erp.instance"].search([])
        choices = []
        for instance in instances.sorted(
            lambda i: (ENVIRONMENT_ORDER.get(i.environment, 9), i.name, i.id)
        ):
            areas = (
                instance._get_key_user_assignments()
                .filtered(lambda a: a.user_id == user)
                .area_id.sorted(lambda a: (a.sequence, a.id))
            )
            if areas:
                choices.append((instance, areas))
        return choices

    def _get_erp_request_guides(self, areas):
        """The published guides the user reads (their customer's) of their
        areas, or of no area."""
        return request.env["erp.process.guide"].search(
            [("state", "=", "published"), ("area_id", "in", [*areas.ids, False])],
            order="area_id, published_name, id",
        )

    def _get_erp_request_question(self, question_id):
        """The open question of the customer to turn into a request, if the
        user may read it."""
        Incident = request.env["erp.incident"]
        question = Incident._get_support_request_record("erp.incident", question_id)
        if question.kind != "question" or question.state not in QUESTION_OPEN_STATES:
            return Incident
        return question

    def _prepare_erp_request_form(self, question):
        """The form's values for a new request, or prefilled from
        ``question``."""
        form = dict.fromkeys(FORM_FIELDS, "")
        if question:
            form.update(
                {fname: question[fname] or "" for fname in SUPPORT_REQUEST_TEXT_FIELDS}
            )
            form.update(
                instance_id=str(question.instance_id.id),
                area_id=str(question.area_id.id or ""),
                guide_id=str(question.guide_id.id or ""),
                question_id=str(question.id),
            )
        return form

    def _prepare_erp_request_values(self, form, errors=None, files_lost=False):
        choices = self._get_erp_request_instances()
        areas = request.env["erp.support.area"].union(
            *(areas for _instance, areas in choices)
        )
        selected = next(
            (
                instance
                for instance, _areas in choices
                if str(instance.id) == form.get("instance_id")
            ),
            choices[0][0] if choices else request.env["erp.instance"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "erp_incident_new",
                "form": form,
                "instance_choices": choices,
                "selected_instance": selected,
                "guides": self._get_erp_request_guides(areas),
                "errors": errors or [],
                "files_lost": files_lost,
                "max_files": MAX_REQUEST_FILES,
                "max_file_mb": MAX_REQUEST_FILE_SIZE // (1024 * 1024),
            }
        )
        return values

    # ------------------------------------------------------------------
    # routes
    # ------------------------------------------------------------------

    @http.route(
        ["/my/incidents/new"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_erp_request_new(self, question_id=None, **kw):
        """The empty form, or prefilled from an open question of the
        customer (``question_id``), which the request then converts."""
        if not request.env.user.has_group(PORTAL_KEY_USER_GROUP):
            return request.redirect("/my/incidents")
        question = self._get_erp_request_question(question_id)
        form = self._prepare_erp_request_form(question)
        return request.render(
            "erp_key_user.portal_my_erp_request_new",
            self._prepare_erp_request_values(form),
        )

    @http.route(
        ["/my/incidents/new/submit"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_erp_request_submit(self, **kw):
        """Send the request: escalated at once, then its page; a refusal
        shows the form again with every problem and what was typed."""
        if not request.env.user.has_group(PORTAL_KEY_USER_GROUP):
            raise Forbidden()
        form = {
            fname: kw.get(fname) if isinstance(kw.get(fname), str) else ""
            for fname in FORM_FIELDS
        }
        uploads = [
            upload
            for upload in request.httprequest.files.getlist("attachments")
            if upload.filename
        ]
        values = self._get_erp_request_submit_values(form, uploads)
        Incident = request.env["erp.incident"]
        errors = Incident._get_support_request_errors(values)
        if not errors:
            try:
                # nothing half-saved when the escalation itself refuses
                with request.env.cr.savepoint():
                    result = Incident.submit_support_request(values)
            except UserError as error:  # ValidationError too
                errors = [error.args[0]]
        if errors:
            return request.render(
                "erp_key_user.portal_my_erp_request_new",
                self._prepare_erp_request_values(
                    form, errors=errors, files_lost=bool(uploads)
                ),
            )
        return request.redirect(f"{result['access_url']}?success=request")

    def _get_erp_request_submit_values(self, form, uploads):
        """The form as the values of ``submit_support_request``; each file is
        read up to one byte over the limit (enough to refuse it)."""
        values = {fname: form[fname] for fname in FORM_FIELDS}
        values["attachments"] = [
            {
                "name": upload.filename,
                "datas": base64.b64encode(
                    upload.read(MAX_REQUEST_FILE_SIZE + 1)
                ).decode(),
                "mimetype": upload.mimetype,
            }
            for upload in uploads
        ]
        return values

    # ------------------------------------------------------------------
    # the request's page: its files and the success message
    # ------------------------------------------------------------------

    def _prepare_erp_incident_page_values(self, incident, persists_error=None, **kw):
        values = super()._prepare_erp_incident_page_values(
            incident, persists_error=persists_error, **kw
        )
        values["erp_attachments"] = incident._get_request_files()
        return values

    @http.route(
        ["/my/incidents/<int:incident_id>/files/<int:attachment_id>"],
        type="http",
        auth="user",
        readonly=True,
    )
    def portal_my_erp_incident_file(self, incident_id, attachment_id, **kw):
        """Download a file of a request the user may read (portal users have
        no access to attachments themselves: the request decides)."""
        incident = self._get_erp_record("erp.incident", incident_id)
        if incident is None:
            return request.not_found()
        file = incident._get_request_files().filtered(lambda a: a.id == attachment_id)
        if not file:
            return request.not_found()
        return (
            request.env["ir.binary"]
            ._get_stream_from(file)
            .get_response(as_attachment=True)
        )
