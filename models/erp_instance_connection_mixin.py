# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .erp_supplier_client import (
    DEFAULT_TIMEOUT,
    SupplierClient,
    SupplierError,
    check_url,
)

MANAGER_GROUP = "erp_key_user.group_support_manager"


class ErpInstanceConnectionMixin(models.AbstractModel):
    """The connection of an in-house instance to the supplier's platform
    (DESIGN §15): where the platform is, the API key of the customer's portal
    key user there, and which platform instance this one is.

    The key is stored (it must be sent) but only support managers read it; it
    is never copied, exported, tracked or shown back: the form shows its last
    four characters and takes a new one in a field that always reads empty."""

    _name = "erp.instance.connection.mixin"
    _description = "Connection of an instance to the supplier's platform"

    supplier_url = fields.Char(
        string="Platform URL",
        copy=False,
        help="Address of the supplier's Odoo platform, e.g. "
        "https://support.supplier.example.com (plain http only to localhost).",
    )
    supplier_db = fields.Char(
        string="Platform Database",
        copy=False,
        help="Name of the platform's database.",
    )
    supplier_api_key = fields.Char(
        string="Platform API Key",
        groups=MANAGER_GROUP,
        copy=False,
        exportable=False,
        prefetch=False,
        help="API key of the customer's portal key user on the platform.",
    )
    supplier_api_key_new = fields.Char(
        string="New API Key",
        groups=MANAGER_GROUP,
        compute="_compute_supplier_api_key_new",
        inverse="_inverse_supplier_api_key_new",
        exportable=False,
        help="Paste the API key the customer's portal key user created on the "
        "platform (My Account > Security). It is never shown back.",
    )
    supplier_api_key_hint = fields.Char(
        string="API Key",
        groups=MANAGER_GROUP,
        compute="_compute_supplier_api_key_hint",
    )
    supplier_instance_ref = fields.Integer(
        string="Platform Instance ID",
        copy=False,
        help="The id of the matching instance on the platform; choose it "
        "after testing the connection.",
    )
    supplier_instance_name = fields.Char(
        string="Platform Instance",
        copy=False,
        readonly=True,
    )
    supplier_sync_cursor = fields.Integer(
        string="Last Platform Message",
        copy=False,
        readonly=True,
        groups=MANAGER_GROUP,
        help="The last message of the platform brought back: each sync asks "
        "only for what came after it.",
    )
    supplier_last_sync = fields.Datetime(string="Last Sync", copy=False, readonly=True)
    supplier_connected = fields.Boolean(
        string="Connected to the Platform",
        compute="_compute_supplier_connected",
        compute_sudo=True,
        help="Escalations go to the supplier's platform over its API instead "
        "of by e-mail.",
    )

    def _compute_supplier_api_key_new(self):
        self.supplier_api_key_new = False

    def _inverse_supplier_api_key_new(self):
        for instance in self.filtered("supplier_api_key_new"):
            instance.supplier_api_key = instance.supplier_api_key_new.strip()
        # read again, it is empty: the form that saved it does not get it back
        self.invalidate_recordset(["supplier_api_key_new"])

    @api.depends("supplier_api_key")
    def _compute_supplier_api_key_hint(self):
        for instance in self:
            key = instance.supplier_api_key
            instance.supplier_api_key_hint = f"…{key[-4:]}" if key else False

    @api.depends(
        "supplier_url", "supplier_db", "supplier_api_key", "supplier_instance_ref"
    )
    def _compute_supplier_connected(self):
        for instance in self:
            instance.supplier_connected = bool(
                instance.supplier_url
                and instance.supplier_db
                and instance.supplier_api_key
                and instance.supplier_instance_ref
            )

    @api.constrains("supplier_url")
    def _check_supplier_url(self):
        for instance in self.filtered("supplier_url"):
            try:
                check_url(instance.supplier_url)
            except SupplierError as error:
                raise ValidationError(
                    instance._get_supplier_error_message(error)
                ) from None

    # ------------------------------------------------------------------
    # the client
    # ------------------------------------------------------------------

    def _get_supplier_client(self):
        """A JSON-2 client of this instance's platform. The caller decided
        that the current user may use the connection (a support manager
        testing it, an escalation or the sync): the key is read in sudo for
        that call only and goes nowhere but the request's header."""
        self.ensure_one()
        # sudo: the key is readable by support managers only; key users
        # escalating use it without seeing it
        instance = self.sudo()
        timeout = float(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("erp_key_user.supplier_timeout", DEFAULT_TIMEOUT)
        )
        return SupplierClient(
            instance.supplier_url,
            instance.supplier_db,
            instance.supplier_api_key,
            timeout=timeout,
        )

    def _get_supplier_error_message(self, error):
        """The sentence for a ``SupplierError``: what is wrong and what to do."""
        self.ensure_one()
        url, database = self.supplier_url, self.supplier_db
        if error.kind == "config":
            if error.remote_message == "https":
                return _(
                    "The platform address %(url)s must start with https:// "
                    "(plain http is only allowed to this machine, localhost): "
                    "the API key would cross the network unencrypted.",
                    url=url,
                )
            if error.remote_message == "url":
                return _(
                    "The platform address %(url)s is not a web address such as "
                    "https://support.supplier.example.com.",
                    url=url,
                )
            return _(
                "The connection of %(instance)s to the platform is incomplete: "
                "a support manager must set its URL, database and API key.",
                instance=self.name,
            )
        messages = {
            "unreachable": _(
                "The platform at %(url)s cannot be reached: check the address, "
                "or the platform is down.",
                url=url,
            ),
            "timeout": _("The platform at %(url)s did not answer in time.", url=url),
            "server": _(
                "The platform at %(url)s failed to answer (%(detail)s).",
                url=url,
                detail=error.remote_message,
            ),
            "database": _(
                "The platform at %(url)s has no database %(database)s: check "
                "the database name.",
                url=url,
                database=database,
            ),
            "key": _(
                "The platform refused the API key: it is wrong, expired or was "
                "revoked. Ask the customer's key user on the platform for a new "
                "key."
            ),
            "not_platform": _(
                "Database %(database)s at %(url)s is not a support platform: "
                "the ERP Key Users module is not installed there, or is too "
                "old (%(detail)s).",
                database=database,
                url=url,
                detail=error.remote_message,
            ),
            "forbidden": _(
                "The platform's key user may not do that (%(detail)s): check "
                "the platform instance chosen and the key user's areas there.",
                detail=error.remote_message,
            ),
            "refused": _(
                "The platform refused the request: %(detail)s",
                detail=error.remote_message,
            ),
        }
        return messages[error.kind]

    # ------------------------------------------------------------------
    # test the connection, choose the platform instance
    # ------------------------------------------------------------------

    def _check_supplier_manager(self):
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            raise AccessError(
                _("Only support managers set up the connection to the platform.")
            )

    def _get_supplier_instances(self):
        """The platform instances the key can see (its customer's, by the
        platform's record rules): a list of dicts ``id``, ``name``,
        ``environment``. Raises ``UserError`` saying what is wrong."""
        self.ensure_one()
        try:
            instances = self._get_supplier_client().call(
                "erp.instance",
                "search_read",
                domain=[],
                fields=["name", "environment"],
                order="environment, name",
                limit=200,
            )
        except SupplierError as error:
            raise UserError(self._get_supplier_error_message(error)) from None
        if not instances:
            raise UserError(
                _(
                    "The key works, but it sees no instance on the platform: "
                    "the supplier must give its user a customer with instances "
                    "(the user must be a portal key user, contact of the "
                    "customer)."
                )
            )
        return instances

    def action_test_supplier_connection(self):
        """Call the platform with the connection (support managers): a clear
        refusal if it fails, else the wizard listing the platform instances the
        key can see, to pick the one this instance is."""
        self.ensure_one()
        self._check_supplier_manager()
        instances = self._get_supplier_instances()
        wizard = self.env["erp.instance.connection.wizard"].create(
            {
                "instance_id": self.id,
                "line_ids": [
                    fields.Command.create(
                        {
                            "remote_id": remote["id"],
                            "name": remote["name"],
                            "environment": remote.get("environment") or False,
                        }
                    )
                    for remote in instances
                ],
            }
        )
        wizard.choice_id = (
            wizard.line_ids.filtered(
                lambda line: line.remote_id == self.supplier_instance_ref
            )[:1]
            or wizard.line_ids[:1]
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("Connection to the platform works"),
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }
