# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models
from odoo.tools import SQL

from .erp_process_guide_reader import audience_condition_sql

COVERAGE_STATES = [
    ("no_key_user", "No Key User"),
    ("no_backup", "No Backup"),
    ("covered", "Covered"),
]


class ErpKeyUserCoverage(models.Model):
    """Who answers for each area of each production instance: its primary key
    user, how many backups stand in when that person is away, and how many
    consultation users of the instance's customer they serve.

    An area with a key user but no backup is flagged ``no_backup``: when its
    key user is absent, questions about it reach nobody but a support
    manager. The consultation users served are those of the instance's
    customer (in-house: the company's internal users and portal contacts;
    hosted: the customer's portal users) who are not key users there."""

    _name = "erp.key.user.coverage"
    _description = "Key User Coverage"
    _auto = False
    _order = "instance_id, coverage, area_id"
    _rec_name = "area_id"

    instance_id = fields.Many2one("erp.instance", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    area_id = fields.Many2one("erp.support.area", readonly=True)
    key_user_id = fields.Many2one("res.users", readonly=True)
    backup_count = fields.Integer(string="# Backups", readonly=True)
    coverage = fields.Selection(COVERAGE_STATES, readonly=True)
    served_user_count = fields.Integer(
        string="Consultation Users Served",
        readonly=True,
        # the same people are counted on every area of an instance: a sum
        # over areas or instances would count them several times
        aggregator="max",
        help="Consultation users of the instance's customer who ask this "
        "area's key user.",
    )
    nbr = fields.Integer(string="# Areas", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            WITH served AS (
                SELECT i.id AS instance_id, count(u.id) AS served_user_count
                  FROM erp_instance i
                 CROSS JOIN res_users u
                  JOIN res_partner contact ON contact.id = u.partner_id
                 WHERE i.active AND i.environment = 'production'
                   AND %(audience)s
                   AND NOT EXISTS (
                       SELECT 1 FROM erp_key_user_assignment a
                        WHERE a.instance_id = i.id AND a.user_id = u.id)
                 GROUP BY i.id
            )
            SELECT (i.id::bigint << 31) | ar.id AS id,
                   i.id AS instance_id, i.company_id, i.partner_id,
                   ar.id AS area_id,
                   prim.user_id AS key_user_id,
                   COALESCE(bk.backup_count, 0) AS backup_count,
                   CASE WHEN prim.user_id IS NULL THEN 'no_key_user'
                        WHEN COALESCE(bk.backup_count, 0) = 0 THEN 'no_backup'
                        ELSE 'covered' END AS coverage,
                   COALESCE(served.served_user_count, 0) AS served_user_count,
                   1 AS nbr
              FROM erp_instance i
             CROSS JOIN erp_support_area ar
              LEFT JOIN LATERAL (
                   SELECT a.user_id FROM erp_key_user_assignment a
                    WHERE a.instance_id = i.id AND a.area_id = ar.id
                      AND a.is_backup IS NOT TRUE
                    ORDER BY a.id LIMIT 1
              ) prim ON TRUE
              LEFT JOIN LATERAL (
                   SELECT count(*) AS backup_count FROM erp_key_user_assignment a
                    WHERE a.instance_id = i.id AND a.area_id = ar.id
                      AND a.is_backup
              ) bk ON TRUE
              LEFT JOIN served ON served.instance_id = i.id
             WHERE i.active AND ar.active AND i.environment = 'production'
            """,
            audience=audience_condition_sql(
                "u", "contact", SQL("i.company_id"), SQL("i.partner_id"), SQL("TRUE")
            ),
        )
