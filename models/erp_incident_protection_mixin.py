# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, models
from odoo.exceptions import UserError

from .erp_incident_lifecycle_mixin import LIFECYCLE_FIELDS

# Computed from other fields, never typed: refused like the lifecycle fields.
COMPUTED_ONLY_FIELDS = frozenset({"res_url"})
# Set by the model (the current user); key users record a request for a
# colleague of the company (_check_reporter_id), nobody else changes it.
KEY_USER_ONLY_FIELDS = frozenset({"reporter_id"})
# Set once by submit_support_request (the sender's idempotency key).
SUBMISSION_ONLY_FIELDS = frozenset({"external_uid"})


class ErpIncidentProtectionMixin(models.AbstractModel):
    """What a client may not send for an incident, whatever the path (form,
    JSON-RPC, JSON-2, import): the fields only the lifecycle sets and the
    computed ones (sizes are ``erp.text.mixin``'s). ``erp.incident`` calls
    ``_check_create_values`` and ``_check_write_values`` before writing."""

    _name = "erp.incident.protection.mixin"
    _description = "Fields of an incident a client may not set"

    @api.model
    def _get_initial_value(self, fname):
        """What the model itself sets ``fname`` to on a new incident."""
        return {"state": "new", "name": "/", "reporter_id": self.env.uid}.get(fname)

    @api.model
    def _check_create_values(self, vals_list):
        """Refuse values of lifecycle fields other than the ones the model sets
        itself (e.g. a question created closed, or with an access token of the
        caller's choice); only key users open incidents. Context defaults are
        values sent by the client too."""
        if self.env.su:
            return
        is_key_user = self.env.user.has_group("erp_key_user.group_key_user")
        protected = LIFECYCLE_FIELDS | COMPUTED_ONLY_FIELDS | SUBMISSION_ONLY_FIELDS
        if not is_key_user:
            protected |= KEY_USER_ONLY_FIELDS
        context_values = {
            fname: self.env.context[f"default_{fname}"]
            for fname in protected
            if f"default_{fname}" in self.env.context
        }
        for vals in vals_list:
            values = dict(context_values, **vals)
            if values.get("kind") == "change_request":
                raise UserError(
                    _(
                        "A change request is not reported as such: report the "
                        "need as a question or an incident, and its key user "
                        "marks it as a change request."
                    )
                )
            if values.get("kind") == "incident" and not is_key_user:
                if self.env.user.has_group("erp_key_user.group_portal_key_user"):
                    raise UserError(
                        _(
                            "Send incidents to the supplier with the "
                            "support-request form: its checklist applies."
                        )
                    )
                raise UserError(
                    _(
                        "Only key users open incidents. Ask your key user: they "
                        "will answer or turn your question into an incident."
                    )
                )
            refused = [
                fname
                for fname, value in values.items()
                if fname in protected
                and fname != "kind"
                and (value or False) != (self._get_initial_value(fname) or False)
            ]
            if refused:
                raise UserError(self._get_protected_fields_error(refused))

    def _check_write_values(self, vals):
        """Refuse the lifecycle fields to every caller but the lifecycle."""
        if self.env.su:
            return
        protected = LIFECYCLE_FIELDS | COMPUTED_ONLY_FIELDS | SUBMISSION_ONLY_FIELDS
        if not self.env.user.has_group("erp_key_user.group_key_user"):
            protected |= KEY_USER_ONLY_FIELDS
        refused = sorted(protected & set(vals))
        if refused:
            raise UserError(self._get_protected_fields_error(refused))

    @api.model
    def _get_protected_fields_error(self, fnames):
        return _(
            "%(fields)s cannot be set by hand: the incident's lifecycle sets "
            "them (start, escalate, resolve, close…) or computes them.",
            fields=", ".join(
                self._fields[fname]._description_string(self.env) for fname in fnames
            ),
        )
