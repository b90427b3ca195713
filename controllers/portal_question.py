# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Questions to the key user on the portal (DESIGN §14): a consultation user
asks (``/my/questions/new``), the customer's key user of the area answers on
the portal or turns the question into a support request, and confirms that a
resolved request is solved.

Everything runs as the portal user: the record rules decide which instances,
areas (through the assignments) and guides a user may choose and which
question they may create; the model's ``action_*`` methods check who answers
and confirms before they write. A record the user may not read is refused like
a missing one, without its name."""

from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.http import request

from ..models.erp_incident_lifecycle_mixin import OPEN_STATES
from ..models.erp_text_mixin import has_text
from .portal import ErpKeyUserPortal

QUESTION_FIELDS = ("instance_id", "area_id", "title", "description", "guide_id")
# the model's own limits (erp.incident._text_size_limits), checked first so
# that every problem of the form is listed at once
TITLE_MAX = 200
QUESTION_MAX = 50_000


class ErpKeyUserPortalQuestion(ErpKeyUserPortal):
    # ------------------------------------------------------------------
    # /my/incidents: the questions filters, the answer buttons
    # ------------------------------------------------------------------

    def _get_erp_incident_searchbar(self):
        searchbar = super()._get_erp_incident_searchbar()
        _ = request.env._
        filters = searchbar["filters"]
        filters["questions"] = {
            "label": _("Questions"),
            "domain": Domain("kind", "=", "question"),
        }
        if request.env.user.has_group("erp_key_user.group_portal_key_user"):
            filters["questions_to_me"] = {
                "label": _("Questions to me"),
                "domain": Domain("kind", "=", "question")
                & Domain("key_user_id", "=", request.env.uid)
                & Domain("state", "in", OPEN_STATES),
            }
        return searchbar

    def _prepare_erp_incident_page_values(self, incident, persists_error=None, **kw):
        values = super()._prepare_erp_incident_page_values(
            incident, persists_error=persists_error, **kw
        )
        can_answer = incident._may_answer_on_portal()
        values.update(
            {
                "can_answer": can_answer,
                # the support-request form converts it (/my/incidents/new)
                "can_turn_into_request": can_answer,
                "can_confirm_resolved": incident._may_confirm_resolved_on_portal(),
                "answer_error": None,
                "answer_text": "",
            }
        )
        return values

    def _render_erp_incident_refusal(
        self, incident, persists_error=None, answer_error=None, answer_text=""
    ):
        """The request's page again with the refusal (set by the server only,
        never from the URL) and the answer as it was typed."""
        values = self._prepare_erp_incident_page_values(
            incident, persists_error=persists_error
        )
        values.update(answer_error=answer_error, answer_text=answer_text or "")
        return request.render("erp_key_user.portal_my_erp_incident", values, status=409)

    @http.route(
        ["/my/incidents/<int:incident_id>/answer"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_erp_incident_answer(self, incident_id, answer=None, **kw):
        """ "Answer and close" of the customer's key user on an open question
        of their area (``erp.incident.action_answer_question``)."""
        incident = self._get_erp_record("erp.incident", incident_id)
        if incident is None:
            return request.not_found()
        try:
            incident.action_answer_question(answer or "")
        except UserError as error:
            return self._render_erp_incident_refusal(
                incident, answer_error=error.args[0], answer_text=answer
            )
        return request.redirect(f"{incident.access_url}?success=answered")

    @http.route(
        ["/my/incidents/<int:incident_id>/confirm"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_erp_incident_confirm(self, incident_id, **kw):
        """ "Confirm resolved" of the customer's key user on a resolved request
        (``erp.incident.action_confirm_resolved``): it is closed."""
        incident = self._get_erp_record("erp.incident", incident_id)
        if incident is None:
            return request.not_found()
        try:
            incident.action_confirm_resolved()
        except UserError as error:
            return self._render_erp_incident_refusal(
                incident, persists_error=error.args[0]
            )
        return request.redirect(f"{incident.access_url}?success=confirmed")

    # ------------------------------------------------------------------
    # /my/questions/new
    # ------------------------------------------------------------------

    def _check_erp_may_ask(self):
        """Portal consultation users ask here; internal users ask from the
        backend (the report wizard)."""
        user = request.env.user
        if not (user.share and user.has_group("erp_key_user.group_consultation_user")):
            raise Forbidden()

    def _get_erp_posted_record(self, model_name, raw_id, domain=None):
        """The record of ``model_name`` with the posted id, if the current user
        may read it (the record rules decide), else an empty recordset: an id
        of another customer is refused like an unknown one."""
        try:
            record_id = int(raw_id or 0)
        except (TypeError, ValueError):
            record_id = 0
        Model = request.env[model_name]
        if record_id <= 0 or record_id > 2**31 - 1:
            return Model
        return Model.search(
            Domain("id", "=", record_id) & Domain(domain or []), limit=1
        )

    def _get_erp_question_instances(self):
        """The instances the user may ask about (their customer's, through the
        record rules), production first."""
        return request.env["erp.instance"].search([], order="environment, name, id")

    def _get_erp_question_areas(self, instance):
        """The areas that have a key user on ``instance`` (a staging instance
        without its own: those of its production instance)."""
        return instance._get_key_user_assignments().area_id.sorted(
            lambda a: (a.sequence, a.name)
        )

    def _get_erp_question_guides(self):
        """The published guides the user may name as consulted."""
        return request.env["erp.process.guide"].search(
            self._get_erp_guide_domain(), order="published_name, id", limit=200
        )

    def _prepare_erp_question_form_values(self, form, errors=()):
        instances = self._get_erp_question_instances()
        areas = request.env["erp.support.area"]
        for instance in instances:
            areas |= self._get_erp_question_areas(instance)
        guides = self._get_erp_question_guides()
        chosen_guide = self._get_erp_posted_record(
            "erp.process.guide", form.get("guide_id"), self._get_erp_guide_domain()
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "erp_question",
                "instances": instances,
                "areas": areas.sorted(lambda a: (a.sequence, a.name)),
                "guides": guides | chosen_guide,
                "form": form,
                "errors": list(errors),
            }
        )
        return values

    def _get_erp_question_form_defaults(self, guide_id=None):
        """The form as it opens: the first (production) instance, and the guide
        the user comes from with its area."""
        form = {"instance_id": str(self._get_erp_question_instances()[:1].id or "")}
        guide = self._get_erp_posted_record(
            "erp.process.guide", guide_id, self._get_erp_guide_domain()
        )
        if guide:
            form.update(guide_id=str(guide.id), area_id=str(guide.area_id.id or ""))
        return form

    def _get_erp_question_errors(self, form):
        """Every problem of the posted question form, and the values to create
        when there is none."""
        _ = request.env._
        errors = []
        instance = self._get_erp_posted_record("erp.instance", form.get("instance_id"))
        if not instance:
            errors.append(_("Choose the ERP instance your question is about."))
        area = self._get_erp_posted_record("erp.support.area", form.get("area_id"))
        if not area:
            errors.append(_("Choose the area of your question."))
        elif instance and area not in self._get_erp_question_areas(instance):
            errors.append(
                _(
                    "Nobody answers questions about %(area)s on %(instance)s: "
                    "choose another area or instance.",
                    area=area.name,
                    instance=instance.name,
                )
            )
        title = form.get("title", "")
        if not has_text(title):
            errors.append(_("Give your question a short title."))
        elif len(title) > TITLE_MAX:
            errors.append(
                _("Shorten the title to %(max)s characters at most.", max=TITLE_MAX)
            )
        description = form.get("description", "")
        if not has_text(description):
            errors.append(_("Write your question: what you are trying to do."))
        elif len(description) > QUESTION_MAX:
            errors.append(
                _(
                    "Shorten your question to %(max)s characters at most.",
                    max=QUESTION_MAX,
                )
            )
        guide = self._get_erp_posted_record(
            "erp.process.guide", form.get("guide_id"), self._get_erp_guide_domain()
        )
        if form.get("guide_id") and not guide:
            errors.append(_("Choose a guide from the list, or none."))
        values = {
            "kind": "question",
            "instance_id": instance.id,
            "area_id": area.id,
            "title": title,
            "description": description,
            "guide_id": guide.id,
        }
        return errors, values

    @http.route(
        ["/my/questions/new"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        readonly=True,
    )
    def portal_my_erp_question_new(self, guide_id=None, **kw):
        """The "Ask your key user" form, opened from the list of requests or
        from a guide (``guide_id``: the guide consulted, with its area)."""
        self._check_erp_may_ask()
        form = self._get_erp_question_form_defaults(guide_id)
        values = self._prepare_erp_question_form_values(form)
        return request.render("erp_key_user.portal_erp_question_form", values)

    @http.route(
        ["/my/questions/submit"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_erp_question_submit(self, **post):
        """Create the question as the portal user; it is routed to the key
        user of its area on the instance. A refused form comes back with every
        problem listed and what was typed kept; nothing is saved."""
        self._check_erp_may_ask()
        form = {
            fname: post[fname] if isinstance(post.get(fname), str) else ""
            for fname in QUESTION_FIELDS
        }
        errors, values = self._get_erp_question_errors(form)
        question = None
        if not errors:
            try:
                # nothing half-saved: the question, its followers and the
                # key user's notification go together or not at all
                with request.env.cr.savepoint():
                    question = request.env["erp.incident"].create(values)
            except (UserError, ValidationError) as error:
                errors.append(error.args[0])
            except AccessError:
                errors.append(
                    request.env._(
                        "You cannot ask about this instance: choose one of the list."
                    )
                )
        if errors:
            values = self._prepare_erp_question_form_values(form, errors)
            return request.render("erp_key_user.portal_erp_question_form", values)
        return request.redirect(f"{question.access_url}?success=question")
