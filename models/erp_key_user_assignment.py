# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, sql


class ErpKeyUserAssignment(models.Model):
    """Which key user owns which functional area on an ERP instance."""

    _name = "erp.key.user.assignment"
    _inherit = ["erp.company.scoped.mixin"]
    _rule_scope_fields = ("instance_id",)
    _description = "Key User Assignment"
    _order = "instance_id, area_id, is_backup, id"
    _rec_name = "user_id"

    instance_id = fields.Many2one(
        "erp.instance", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="instance_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(
        related="instance_id.partner_id", store=True, index=True, precompute=True
    )
    area_id = fields.Many2one(
        "erp.support.area", required=True, ondelete="restrict", index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Key User",
        required=True,
        ondelete="cascade",
        index=True,
        domain=lambda self: [
            (
                "group_ids",
                "in",
                [
                    self.env.ref("erp_key_user.group_key_user").id,
                    self.env.ref("erp_key_user.group_portal_key_user").id,
                ],
            )
        ],
    )
    is_backup = fields.Boolean(
        string="Backup",
        help="Backup key users stand in when the primary one is absent.",
    )

    _instance_area_user_uniq = models.Constraint(
        "UNIQUE(instance_id, area_id, user_id)",
        "This user is already a key user of this area on this instance.",
    )
    # routing takes the primary key user: a second one would never be asked
    _instance_area_primary_uniq = models.UniqueIndex(
        "(instance_id, area_id) WHERE is_backup IS NOT TRUE",
        "This area already has a primary key user on this instance: make this "
        "one a backup, or make the other one a backup first.",
    )

    def _auto_init(self):
        self._make_duplicate_primaries_backups()
        return super()._auto_init()

    def _make_duplicate_primaries_backups(self):
        """Databases from before the one-primary rule may hold several primary
        key users of one area on one instance: keep the first one primary and
        make the others backups, so that the unique index can be created."""
        cr = self.env.cr
        if not sql.column_exists(cr, self._table, "is_backup"):
            return
        cr.execute(
            SQL(
                """
                UPDATE %(table)s a
                   SET is_backup = TRUE
                 WHERE a.is_backup IS NOT TRUE
                   AND EXISTS (
                       SELECT 1 FROM %(table)s b
                        WHERE b.instance_id = a.instance_id
                          AND b.area_id = a.area_id
                          AND b.is_backup IS NOT TRUE
                          AND b.id < a.id)
                """,
                table=SQL.identifier(self._table),
            )
        )

    @api.depends("user_id", "area_id")
    def _compute_display_name(self):
        for assignment in self:
            # a new line has no user or area yet: "False (False)" otherwise
            names = [assignment.user_id.name, assignment.area_id.name]
            if all(names):
                assignment.display_name = "%s (%s)" % tuple(names)
            else:
                assignment.display_name = next(
                    (name for name in names if name), self.env._("New")
                )

    @api.constrains("user_id", "instance_id")
    def _check_user_is_key_user(self):
        """The key user is an internal key user of the instance's company, or a
        portal key user of the instance's customer (hosted instances)."""
        for assignment in self:
            user = assignment.user_id
            # company first, and that user not named: a user of another
            # company may be one the manager cannot see
            if assignment.instance_id.company_id not in user.company_ids:
                raise ValidationError(
                    _(
                        "The user chosen cannot be a key user of %(instance)s: "
                        "they have no access to the company %(company)s.",
                        instance=assignment.instance_id.name,
                        company=assignment.instance_id.company_id.name,
                    )
                )
            if user.share:
                assignment._check_portal_key_user(user, assignment.instance_id)
                continue
            if not user.has_group("erp_key_user.group_key_user"):
                raise ValidationError(
                    _(
                        "%(user)s is not a key user. Give them the Key User role "
                        "before assigning them an area.",
                        user=user.name,
                    )
                )

    def _check_portal_key_user(self, user, instance):
        if not user.has_group("erp_key_user.group_portal_key_user"):
            raise ValidationError(
                _(
                    "%(user)s is a portal user without the Portal Key User role: "
                    "give it to them before assigning them an area.",
                    user=user.name,
                )
            )
        if user.commercial_partner_id != instance.partner_id:
            raise ValidationError(
                _(
                    "%(user)s cannot be a key user of %(instance)s: they are a "
                    "contact of %(their)s, and the instance belongs to the "
                    "customer %(customer)s.",
                    user=user.name,
                    instance=instance.name,
                    their=user.commercial_partner_id.display_name,
                    customer=instance.partner_id.display_name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        assignments = super().create(vals_list)
        # record rules on guides read the user's areas: recompute them
        self.env.registry.clear_cache()
        return assignments

    def write(self, vals):
        res = super().write(vals)
        self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res
