# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Portal of the consultation users: the incidents and the published process
guides of their companies.

Everything is read with the user's own rights: the record rules of
``security/erp_key_user_rules.xml`` scope a portal user to the incidents and
portal-published guides of their companies, so the lists need no domain on the
company and no ``sudo()``. A record the user may not read answers 404, whatever
access token the URL carries: on this portal access comes from the roles, never
from a shared link.

The pages only read: they are read-only routes (``readonly=True``), which a
server started with ``--db_replica_host`` serves from the read replica."""

import re
import unicodedata

import babel.dates
import pytz

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.fields import Domain
from odoo.http import request
from odoo.tools.misc import babel_locale_parse, get_lang, posix_to_ldml

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.erp_incident import OPEN_STATES

INCIDENT_HISTORY_KEY = "my_erp_incidents_history"
STATE_BADGE_CLASSES = {
    "new": "text-bg-secondary",
    "in_progress": "text-bg-info",
    "escalated": "text-bg-warning",
    "waiting_info": "text-bg-warning",
    "resolved": "text-bg-success",
    # change requests
    "proposed": "text-bg-info",
    "approved": "text-bg-info",
    "sent": "text-bg-warning",
    "accepted": "text-bg-success",
    "done": "text-bg-success",
}
SLA_BADGE_CLASSES = {
    "on_time": "text-bg-info",
    "due_soon": "text-bg-warning",
    "breached": "text-bg-danger",
    "met": "text-bg-success",
}
GUIDE_HISTORY_KEY = "my_erp_guides_history"
SPACES = re.compile(r"\s+")


class ErpKeyUserPortal(CustomerPortal):
    # ------------------------------------------------------------------
    # /my counters
    # ------------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "erp_incident_count" in counters:
            Incident = request.env["erp.incident"]
            values["erp_incident_count"] = (
                Incident.search_count([]) if Incident.has_access("read") else 0
            )
        if "erp_guide_count" in counters:
            Guide = request.env["erp.process.guide"]
            values["erp_guide_count"] = (
                Guide.search_count(self._get_erp_guide_domain())
                if Guide.has_access("read")
                else 0
            )
        return values

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _get_erp_record(self, model_name, record_id):
        """The record as the current user, or ``None`` when it does not exist
        or the user may not read it (another company, a draft guide...).

        No access token is passed on: a token would open a record that the
        record rules refuse (another company's)."""
        try:
            self._document_check_access(model_name, record_id)
        except (AccessError, MissingError):
            return None
        return request.env[model_name].browse(record_id)

    def _get_erp_records_pager(self, session_key, record):
        """Previous / next links of the record pager, from the ids of the last
        list the user saw. Unlike ``portal.get_records_pager`` they carry no
        access token (it would create one on every neighbour record)."""
        ids = request.session.get(session_key, [])
        if record.id not in ids:
            return {}
        index = ids.index(record.id)
        previous_record = record.browse(ids[index - 1]) if index else None
        next_record = record.browse(ids[index + 1]) if index + 1 < len(ids) else None
        return {
            "prev_record": previous_record and previous_record.access_url,
            "next_record": next_record and next_record.access_url,
        }

    @staticmethod
    def _clean_erp_search(search):
        """The search text without control characters (a NUL byte cannot
        reach PostgreSQL) and with its spaces collapsed."""
        if not isinstance(search, str):
            return ""
        text = "".join(
            " " if unicodedata.category(char) in ("Cc", "Cs") else char
            for char in search
        )
        return SPACES.sub(" ", text).strip()

    def _prepare_erp_searchbar_values(self, searchbar, search_in, search):
        """Normalise the search arguments and return the domain they make."""
        search_in = search_in if search_in in searchbar["inputs"] else "all"
        search = self._clean_erp_search(search)
        if not search:
            return search_in, Domain.TRUE
        field_names = searchbar["inputs"][search_in]["fields"]
        return search_in, Domain.OR(
            self._get_erp_search_domain(searchbar["model"], field_name, search)
            for field_name in field_names
        )

    def _get_erp_search_domain(self, model_name, field_name, search):
        """``field_name ilike search``; a many2one is resolved to ids first, so
        that the OR of the search keeps to the trigram indexes of the table
        instead of joining the comodel in a subquery."""
        field = request.env[model_name]._fields[field_name]
        if field.type != "many2one":
            return Domain(field_name, "ilike", search)
        comodel = request.env[field.comodel_name]
        ids = comodel.search([("display_name", "ilike", search)]).ids
        return Domain(field_name, "in", ids)

    @staticmethod
    def _get_erp_date_formatter(with_time=False):
        """``format_date`` (or, ``with_time``, ``format_datetime`` as a
        datetime ``t-field`` prints it) for a page: the user's language,
        patterns and time zone are looked up once, and each value is
        formatted once, instead of once per row and field."""
        env = request.env
        lang = get_lang(env)
        locale = babel_locale_parse(lang.code)
        pattern = posix_to_ldml(lang.date_format, locale=locale)
        if with_time:
            time_pattern = posix_to_ldml(lang.time_format, locale=locale)
            pattern = f"{pattern} {time_pattern}"
        tz = env.tz
        formatted = {}

        def format_value(value):
            if not value:
                return ""
            local = pytz.utc.localize(value).astimezone(tz)
            key = local if with_time else local.date()
            if key not in formatted:
                if with_time:
                    formatted[key] = babel.dates.format_datetime(
                        local, format=pattern, locale=locale
                    )
                else:
                    formatted[key] = babel.dates.format_date(
                        key, format=pattern, locale=locale
                    )
            return formatted[key]

        return format_value

    # ------------------------------------------------------------------
    # incidents
    # ------------------------------------------------------------------

    @staticmethod
    def _get_erp_state_badge_class(state):
        """The colour of a status badge (closed, cancelled and refused are
        light)."""
        return STATE_BADGE_CLASSES.get(state, "text-bg-light")

    def _prepare_erp_incident_rows(self, incidents):
        """The cells of the list, as plain text, in one pass over the page.

        A ``t-field`` per cell costs a converter call per row and column;
        the page's rows are read here with the ORM's prefetching instead,
        and the template only prints strings (escaped by ``t-out``)."""
        format_day = self._get_erp_date_formatter()
        states = self._get_erp_selection_labels(incidents, "state")["state"]
        return [
            {
                "url": incident.access_url,
                "name": incident.name,
                "title": incident.title,
                "is_question": incident.kind == "question",
                "is_change_request": incident.kind == "change_request",
                "area": incident.area_id.display_name or "",
                "instance": incident.instance_id.display_name,
                "reported_on": format_day(incident.create_date),
                "sla_breached": incident.sla_status == "breached",
                "state": incident.state,
                "state_label": states.get(incident.state, incident.state),
                "state_class": self._get_erp_state_badge_class(incident.state),
            }
            for incident in incidents
        ]

    def _prepare_erp_list_values(
        self,
        Model,
        url,
        domain,
        searchbar,
        *,
        page,
        sortby,
        search_in,
        search,
        history_key,
        url_args=None,
    ):
        """One page of ``Model`` records matching ``domain`` and the values the
        portal list layout needs (pager, sortings, search). A fixed number of
        queries: one count, one page, then what the template prefetches."""
        # shown back in the search box and the pager links as it was searched
        search = self._clean_erp_search(search) or None
        url_args = {
            "sortby": sortby,
            **(url_args or {}),
            "search_in": search_in,
            "search": search,
        }
        pager = portal_pager(
            url=url,
            url_args=url_args,
            total=Model.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        records = Model.search(
            domain,
            order=searchbar["sortings"][sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session[history_key] = records.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "records": records,
                "default_url": url,
                "pager": pager,
                "searchbar_sortings": searchbar["sortings"],
                "sortby": sortby,
                "searchbar_inputs": searchbar["inputs"],
                "search_in": search_in,
                "search": search,
            }
        )
        return values

    def _get_erp_incident_searchbar(self):
        _ = request.env._
        return {
            "model": "erp.incident",
            "sortings": {
                "date": {"label": _("Newest"), "order": "id desc"},
                "name": {"label": _("Reference"), "order": "name desc, id desc"},
                "title": {"label": _("Title"), "order": "title, id desc"},
                "state": {"label": _("Status"), "order": "state, id desc"},
                "update": {"label": _("Last Update"), "order": "write_date desc, id"},
            },
            "filters": {
                "all": {"label": _("All"), "domain": Domain.TRUE},
                "in_progress": {
                    "label": _("Open"),
                    "domain": Domain("state", "in", OPEN_STATES),
                },
                "history": {
                    "label": _("History"),
                    "domain": Domain("state", "not in", OPEN_STATES),
                },
                "change_requests": {
                    "label": _("Change Requests"),
                    "domain": Domain("kind", "=", "change_request"),
                },
            },
            "inputs": {
                "all": {
                    "input": "all",
                    "label": _("Search in All"),
                    "fields": ["name", "title", "area_id"],
                },
                "name": {
                    "input": "name",
                    "label": _("Search in Reference"),
                    "fields": ["name"],
                },
                "title": {
                    "input": "title",
                    "label": _("Search in Title"),
                    "fields": ["title"],
                },
                "area": {
                    "input": "area",
                    "label": _("Search in Area"),
                    "fields": ["area_id"],
                },
            },
        }

    @http.route(
        ["/my/incidents", "/my/incidents/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_erp_incidents(
        self, page=1, sortby=None, filterby=None, search=None, search_in=None, **kw
    ):
        """The incidents and questions of the user's companies, one page of
        them; the number of queries does not depend on how many there are."""
        Incident = request.env["erp.incident"]
        if not Incident.has_access("read"):
            return request.redirect("/my")
        searchbar = self._get_erp_incident_searchbar()
        sortby = sortby if sortby in searchbar["sortings"] else "date"
        filterby = filterby if filterby in searchbar["filters"] else "all"
        search_in, search_domain = self._prepare_erp_searchbar_values(
            searchbar, search_in, search
        )
        domain = searchbar["filters"][filterby]["domain"] & search_domain

        values = self._prepare_erp_list_values(
            Incident,
            "/my/incidents",
            domain,
            searchbar,
            page=page,
            sortby=sortby,
            search_in=search_in,
            search=search,
            history_key=INCIDENT_HISTORY_KEY,
            url_args={"filterby": filterby},
        )
        incidents = values.pop("records")
        values.update(
            {
                "incidents": incidents,
                "incident_rows": self._prepare_erp_incident_rows(incidents),
                "page_name": "erp_incident",
                "searchbar_filters": searchbar["filters"],
                "filterby": filterby,
            }
        )
        return request.render("erp_key_user.portal_my_erp_incidents", values)

    @staticmethod
    def _get_erp_selection_labels(records, *fnames):
        """``{field: {value: label}}`` in the user's language, once per page."""
        env = records.env
        return {
            fname: dict(records._fields[fname]._description_selection(env))
            for fname in fnames
        }

    def _prepare_erp_incident_details(self, incident):
        """What the incident's page shows, as plain text and prepared HTML.

        Like the list's rows: a ``t-field`` per value costs a converter (and
        for a many2one a rule check of the related record) per field; the
        values are read here in one pass and the template prints them."""
        _ = request.env._
        format_moment = self._get_erp_date_formatter(with_time=True)
        labels = self._get_erp_selection_labels(
            incident, "state", "kind", "priority", "sla_status"
        )
        # sudo: only the names of the area, instance, customer and supplier
        # company this incident links to, and the incident was checked
        # readable by the user (_get_erp_record); read as the user, each of
        # them costs a rule check (the customer's a child_of over its contacts)
        incident_sudo = incident.sudo()
        timeline = [
            (_("Reported"), incident.create_date),
            (_("Escalated to the supplier"), incident.escalated_on),
            (_("Answer due by"), incident.sla_deadline),
            (_("Resolved"), incident.resolved_on),
            (_("Proposed as a change request"), incident.change_proposed_on),
            (_("Approved"), incident.change_approved_on),
            (_("Quote requested from the supplier"), incident.change_sent_on),
            (_("Supplier answered"), incident.change_answered_on),
            (_("Last update"), incident.write_date),
        ]
        return {
            "state_label": labels["state"].get(incident.state, incident.state),
            "kind_label": labels["kind"].get(incident.kind, incident.kind),
            "priority_label": labels["priority"].get(incident.priority, ""),
            "sla_label": labels["sla_status"].get(incident.sla_status, ""),
            "sla_class": SLA_BADGE_CLASSES.get(
                incident.sla_status, "text-bg-secondary"
            ),
            "area": incident_sudo.area_id.display_name or "",
            "instance": incident_sudo.instance_id.display_name or "",
            "customer": incident_sudo.partner_id.name or "",
            "supplier": incident_sudo.company_id.name,
            # on the supplier's platform the customer is a contact of the
            # supplier company; in-house both are the company
            "is_hosted": incident_sudo.partner_id
            != incident_sudo.company_id.partner_id,
            "timeline": [
                (label, format_moment(value)) for label, value in timeline if value
            ],
        }

    def _prepare_erp_incident_page_values(self, incident, persists_error=None, **kw):
        values = {
            "page_name": "erp_incident",
            "incident": incident,
            "details": self._prepare_erp_incident_details(incident),
            "state_badge_class": self._get_erp_state_badge_class(incident.state),
            # the person who asked, or a key user; other colleagues comment
            "can_say_persists": incident.state == "resolved"
            and (
                incident.reporter_id == request.env.user
                or request.env.user.has_group("erp_key_user.group_key_user")
            ),
            # set by the server only: an ``error`` of the URL is never shown
            "persists_error": persists_error,
        }
        # no session history: see _get_erp_records_pager
        values = self._get_page_view_values(incident, None, values, None, False, **kw)
        values.update(self._get_erp_records_pager(INCIDENT_HISTORY_KEY, incident))
        return values

    @http.route(
        ["/my/incidents/<int:incident_id>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_erp_incident(self, incident_id, access_token=None, **kw):
        """One incident: status, timeline, description, resolution and the
        portal chatter (public messages only, with a comment box)."""
        incident = self._get_erp_record("erp.incident", incident_id)
        if incident is None:
            return request.not_found()
        values = self._prepare_erp_incident_page_values(incident, **kw)
        return request.render("erp_key_user.portal_my_erp_incident", values)

    @http.route(
        ["/my/incidents/<int:incident_id>/persists"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_erp_incident_persists(self, incident_id, **kw):
        """The "problem persists" button of a resolved incident: reopens it
        for its key user (``erp.incident.action_problem_persists``)."""
        incident = self._get_erp_record("erp.incident", incident_id)
        if incident is None:
            return request.not_found()
        details = (kw.get("details") or "").strip()
        try:
            if not details:
                raise UserError(
                    request.env._(
                        "Say what still fails, so that your key user can look "
                        "at it again."
                    )
                )
            incident.action_problem_persists(details=details)
        except UserError as error:
            values = self._prepare_erp_incident_page_values(
                incident, persists_error=error.args[0]
            )
            return request.render(
                "erp_key_user.portal_my_erp_incident", values, status=409
            )
        return request.redirect(f"{incident.access_url}?success=persists")

    # ------------------------------------------------------------------
    # process guides
    # ------------------------------------------------------------------

    def _get_erp_guide_domain(self):
        # the rules already hide drafts from consultation users; key users
        # browsing the portal see the published guides too
        return Domain("state", "=", "published")

    def _get_erp_guide_searchbar(self):
        _ = request.env._
        return {
            "model": "erp.process.guide",
            "sortings": {
                "name": {"label": _("Name"), "order": "published_name, id"},
                "area": {"label": _("Area"), "order": "area_id, published_name, id"},
                "date": {
                    "label": _("Last Published"),
                    "order": "published_on desc, id desc",
                },
            },
            "inputs": {
                "all": {
                    "input": "all",
                    "label": _("Search in All"),
                    "fields": ["published_name", "published_summary", "area_id"],
                },
                "name": {
                    "input": "name",
                    "label": _("Search in Name"),
                    "fields": ["published_name"],
                },
                "area": {
                    "input": "area",
                    "label": _("Search in Area"),
                    "fields": ["area_id"],
                },
            },
        }

    @http.route(
        ["/my/guides", "/my/guides/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_erp_guides(
        self, page=1, sortby=None, search=None, search_in=None, **kw
    ):
        """The published process guides of the user's companies."""
        Guide = request.env["erp.process.guide"]
        if not Guide.has_access("read"):
            return request.redirect("/my")
        searchbar = self._get_erp_guide_searchbar()
        sortby = sortby if sortby in searchbar["sortings"] else "name"
        search_in, search_domain = self._prepare_erp_searchbar_values(
            searchbar, search_in, search
        )
        domain = self._get_erp_guide_domain() & search_domain

        values = self._prepare_erp_list_values(
            Guide,
            "/my/guides",
            domain,
            searchbar,
            page=page,
            sortby=sortby,
            search_in=search_in,
            search=search,
            history_key=GUIDE_HISTORY_KEY,
        )
        values.update({"guides": values.pop("records"), "page_name": "erp_guide"})
        return request.render("erp_key_user.portal_my_erp_guides", values)

    @http.route(
        ["/my/guides/<int:guide_id>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_erp_guide(self, guide_id, access_token=None, **kw):
        """One published guide: its last published version (the working copy
        of its key users never reaches the portal)."""
        guide = self._get_erp_record("erp.process.guide", guide_id)
        if guide is None or not guide.filtered_domain(self._get_erp_guide_domain()):
            return request.not_found()
        values = self._get_page_view_values(
            guide, None, {"page_name": "erp_guide", "guide": guide}, None, False, **kw
        )
        values.update(self._get_erp_records_pager(GUIDE_HISTORY_KEY, guide))
        return request.render("erp_key_user.portal_my_erp_guide", values)
