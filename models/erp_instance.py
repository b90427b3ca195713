# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import re
from urllib.parse import urlsplit

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

# A technical model name (``res.partner``, ``sale.order.line``): the only thing
# a link to a record on another instance carries besides the record's id.
MODEL_NAME = re.compile(r"[a-z0-9_]+(?:\.[a-z0-9_]+)*")
# Characters a browser would read as the end of the URL or as markup.
UNSAFE_URL_CHARS = re.compile(r"[\s\x00-\x1f\x7f\"'<>\\`]")


def is_web_url(url):
    """Whether ``url`` is a plain http(s) address with a host: never
    ``javascript:``, ``data:`` or a relative path, nothing a browser would cut
    or interpret."""
    if not url or UNSAFE_URL_CHARS.search(url):
        return False
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError:  # e.g. an invalid port or IPv6 address
        return False
    return parts.scheme in ("http", "https") and bool(hostname)


class ErpInstance(models.Model):
    """One ERP environment (production, staging, test) of a company."""

    _name = "erp.instance"
    _inherit = [
        "mail.thread",
        "erp.company.scoped.mixin",
        "erp.text.mixin",
        "erp.instance.coverage.mixin",
        "erp.instance.hypercare.mixin",
        "erp.instance.connection.mixin",
    ]
    _description = "ERP Instance"
    _text_required_fields = ("name",)
    _order = "company_id, environment, name"
    _check_company_auto = True

    name = fields.Char(required=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="restrict",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('is_company', '=', True)]",
        help="The organisation whose ERP this is: the company itself for an "
        "in-house instance, a customer for an instance hosted on the supplier's "
        "platform. Its contacts with a portal account see this instance.",
    )
    environment = fields.Selection(
        [
            ("production", "Production"),
            ("staging", "Staging"),
            ("test", "Test"),
        ],
        required=True,
        default="production",
    )
    url = fields.Char(string="URL")
    odoo_version = fields.Char(default="19.0")
    supplier_partner_id = fields.Many2one(
        "res.partner",
        string="Supplier Support Desk",
        help="The implementation partner's support desk. It follows every "
        "escalated incident so that its replies land in the chatter.",
    )
    support_email = fields.Char(
        help="Address escalated incidents are sent to.",
    )
    response_hours = fields.Float(
        default=24.0,
        help="Business hours the supplier has to answer an escalated incident.",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Business Hours",
        compute="_compute_resource_calendar_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        help="Working hours and public holidays used to compute SLA deadlines.",
    )
    staging_instance_id = fields.Many2one(
        "erp.instance",
        check_company=True,
        domain="[('environment', '!=', 'production'), ('id', '!=', id)]",
        help="Where problems of this instance are reproduced before escalation.",
    )
    assignment_ids = fields.One2many(
        "erp.key.user.assignment", "instance_id", string="Key Users"
    )
    uncovered_area_ids = fields.Many2many(
        "erp.support.area",
        compute="_compute_uncovered_area_ids",
        string="Areas Without Key User",
    )
    active = fields.Boolean(default=True)

    # bounded: 1e308 hours silently turned the SLA off (and NaN is greater
    # than any number in PostgreSQL). The name is kept from when only positive
    # was checked: a new one would leave the old constraint in upgraded
    # databases.
    _response_hours_positive = models.Constraint(
        "CHECK(response_hours > 0 AND response_hours <= 2000)",
        "The supplier's response time must be a positive number of hours, at "
        "most 2000 (about a year of business hours).",
    )

    @api.depends("company_id")
    def _compute_resource_calendar_id(self):
        for instance in self:
            calendar = instance.resource_calendar_id
            if not calendar or calendar.company_id not in (instance.company_id, False):
                instance.resource_calendar_id = instance.company_id.resource_calendar_id

    @api.depends("company_id")
    def _compute_partner_id(self):
        # by default the instance is the company's own (in-house)
        for instance in self:
            if not instance.partner_id:
                instance.partner_id = instance.company_id.partner_id

    @api.depends("environment", "assignment_ids.area_id", "assignment_ids.is_backup")
    def _compute_uncovered_area_ids(self):
        areas = self.env["erp.support.area"].search([])
        for instance in self:
            covered = (
                instance._get_key_user_assignments()
                .filtered(lambda a: not a.is_backup)
                .area_id
            )
            instance.uncovered_area_ids = areas - covered

    @api.constrains("staging_instance_id", "partner_id")
    def _check_staging_instance(self):
        # both sides: the instance and the production instances that use it as
        # their staging instance (sudo: all of them, also those the writer
        # may not read; none is named)
        users = self.sudo().search([("staging_instance_id", "in", self.ids)])
        for instance in self | users.sudo(False):
            staging = instance.staging_instance_id
            if staging == instance:
                raise ValidationError(
                    _("An instance cannot be its own staging instance.")
                )
            # its users open records there: it must be their own customer's
            # (another company's is refused by the company check, which does
            # not name it)
            if (
                staging
                and staging.company_id == instance.company_id
                and staging.partner_id != instance.partner_id
            ):
                raise ValidationError(
                    _(
                        "The staging instance of %(instance)s must belong to "
                        "its customer, %(customer)s: users open their records "
                        "there.",
                        instance=instance.sudo().name,
                        customer=instance.sudo().partner_id.display_name,
                    )
                )

    @api.constrains("url")
    def _check_url(self):
        for instance in self.filtered("url"):
            if not is_web_url(instance.url):
                raise ValidationError(
                    _(
                        "The URL %(url)s of instance %(instance)s is not a web "
                        "address: it must start with http:// or https:// "
                        "followed by the server's name, e.g. "
                        "https://erp.example.com.",
                        url=instance.url,
                        instance=instance.name,
                    )
                )

    def _get_practice_instance(self):
        """Where this instance's users practise and reproduce problems: its
        staging instance, or the instance itself when it is not production."""
        self.ensure_one()
        if self.environment == "production":
            return self.staging_instance_id
        return self

    def _get_record_link(self, model_name, res_id=None):
        """The address of a record on this instance, ``<url>/odoo/<model>/<id>``
        (``/new``, an empty form of the model, without a saved record), or
        False when the instance has no valid web URL or ``model_name`` is not a
        technical model name. Nothing else of the caller's reaches the link:
        the model is checked, the id is a positive integer."""
        self.ensure_one()
        if not (
            is_web_url(self.url)
            and isinstance(model_name, str)
            and MODEL_NAME.fullmatch(model_name)
        ):
            return False
        record = str(res_id) if type(res_id) is int and res_id > 0 else "new"
        return f"{self.url.rstrip('/')}/odoo/{model_name}/{record}"

    @api.constrains("partner_id")
    def _check_partner_is_commercial(self):
        for instance in self:
            partner = instance.partner_id
            if partner != partner.commercial_partner_id:
                raise ValidationError(
                    _(
                        "The customer of instance %(instance)s must be an "
                        "organisation, not its contact %(contact)s: choose "
                        "%(customer)s.",
                        instance=instance.name,
                        contact=partner.display_name,
                        customer=partner.commercial_partner_id.display_name,
                    )
                )

    def write(self, vals):
        if "partner_id" in vals:
            self._check_customer_change(vals["partner_id"])
        res = super().write(vals)
        if "partner_id" in vals:
            # a portal key user may only hold areas of their own customer
            self.assignment_ids._check_user_is_key_user()
        return res

    def _check_customer_change(self, partner_id):
        """Refuse to move an instance that has incidents to another customer:
        its requests, their messages and their readers belong to the first."""
        moved = self.filtered(lambda i: i.partner_id.id != partner_id)
        if not moved:
            return
        # sudo: the count must see every incident of the instance, also those
        # the writing user may not read; only the instance names are shown
        Incident = self.env["erp.incident"].sudo().with_context(active_test=False)
        with_incidents = Incident._read_group(
            [("instance_id", "in", moved.ids)], ["instance_id"]
        )
        if with_incidents:
            raise UserError(
                _(
                    "%(instances)s already has incidents of its customer: it "
                    "cannot move to another customer. Create a new instance "
                    "for the new customer instead.",
                    instances=", ".join(
                        instance.sudo().name for (instance,) in with_incidents
                    ),
                )
            )

    @api.constrains("support_email")
    def _check_support_email(self):
        for instance in self.filtered("support_email"):
            if "@" not in instance.support_email:
                raise ValidationError(
                    _(
                        "The support address %(email)s of instance %(instance)s "
                        "is not a valid e-mail address.",
                        email=instance.support_email,
                        instance=instance.name,
                    )
                )

    def _get_area_key_users(self, area):
        """Key users of ``area`` on this instance who can act there (active,
        with access to the instance's company), the primary one first."""
        self.ensure_one()
        # archived users and users who lost the company are skipped (read in
        # the cache, which the routing and its constraint share)
        return (
            self._get_key_user_assignments()
            .filtered(
                lambda a: (
                    a.area_id == area
                    and a.user_id.active
                    and self.company_id in a.user_id.company_ids
                )
            )
            .sorted(lambda a: (a.is_backup, a.id))
            .user_id
        )

    def _get_support_managers(self):
        """Internal support managers with access to the instance's company."""
        self.ensure_one()
        return self.env["res.users"].search(
            [
                (
                    "all_group_ids",
                    "in",
                    self.env.ref("erp_key_user.group_support_manager").ids,
                ),
                ("company_ids", "in", self.company_id.ids),
                ("share", "=", False),
            ],
            order="id",
        )

    def _get_primary_key_user(self, area):
        """Who a question about ``area`` on this instance goes to: its primary
        key user, else a backup key user of the area, else a support manager of
        the instance's company; an empty recordset when there is nobody."""
        self.ensure_one()
        return self._get_area_key_users(area)[:1] or self._get_support_managers()[:1]

    def _may_answer(self, user, area):
        """Whether ``user`` may be the key user of an incident of ``area`` on
        this instance: a key user of the area there, or a support manager of
        the company (nobody else, and never a user of another company)."""
        self.ensure_one()
        if user in self._get_area_key_users(area):
            return True
        return (
            user.active
            and not user.share
            and self.company_id in user.company_ids
            and user.has_group("erp_key_user.group_support_manager")
        )

    def _get_key_user_assignments(self):
        """The key users who answer for this instance: its own, or for a
        staging or test instance that has none, those of the production
        instances it is the staging instance of (the same people practise
        there)."""
        self.ensure_one()
        if self.assignment_ids or self.environment == "production" or not self.id:
            return self.assignment_ids
        return self.search([("staging_instance_id", "=", self.id)]).assignment_ids

    def _get_support_partner(self):
        """The partners escalations are sent to and that follow them: the
        supplier's support desk, plus a contact for the support address when it
        differs from the desk's own e-mail."""
        self.ensure_one()
        desk = self.supplier_partner_id
        if self.support_email and (
            not desk
            or (desk.email or "").strip().lower() != self.support_email.strip().lower()
        ):
            # sudo: key users may not create contacts; this one is the address
            # configured by a support manager on the instance
            desk = self.env["res.partner"].sudo().find_or_create(self.support_email)
        if not desk:
            raise UserError(
                _(
                    "Instance %(instance)s has no support desk: a support manager "
                    "must set its supplier or support e-mail before escalating.",
                    instance=self.name,
                )
            )
        return desk | self.supplier_partner_id

    @api.model
    def _get_default_instance(self, company=None):
        """Production instance of ``company`` (the current one by default)."""
        company = company or self.env.company
        return self.search(
            [("company_id", "=", company.id)],
            order="environment, id",
            limit=1,
        )
