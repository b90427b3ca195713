# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Who may do what inside their own company, written as data.

Every cell (role, object, operation) is asserted by acting as that role; the
same matrix is printed in the README ("Access rights")."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .access_matrix import MATRIX, ROLES
from .common import ErpKeyUserCase


class _Undo(Exception):  # noqa: N818 - not an error: rolls a cell's savepoint back
    def __init__(self, allowed):
        super().__init__()
        self.allowed = allowed


@tagged("post_install", "-at_install")
class TestAccessMatrix(ErpKeyUserCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {role: getattr(cls, f"{role}_a", None) for role in ROLES}
        cls.users["public"] = cls.env.ref("base.public_user")

    def _records(self):
        return {
            "incident": self.incident_a,
            "guide_published": self.guide_published_a,
            "guide_draft": self.guide_draft_a,
            "guide_internal": self.guide_internal_a,
            "step_published": self.guide_published_a.step_ids,
            "step_draft": self.guide_draft_a.step_ids,
            "version_published": self.guide_published_a.published_version_id,
            "instance": self.staging_a,
            "area": self.area_sales,
            "assignment": self.production_a.assignment_ids[:1],
        }

    def _create_values(self, obj):
        return {
            "create_incident": (
                "erp.incident",
                {
                    "kind": "incident",
                    "title": "Stock moves are duplicated on validation",
                    "instance_id": self.production_a.id,
                    "area_id": self.area_finance.id,
                },
            ),
            "create_question": (
                "erp.incident",
                {
                    "kind": "question",
                    "title": "How do I merge two duplicated customers?",
                    "instance_id": self.production_a.id,
                    "area_id": self.area_finance.id,
                },
            ),
            "create_guide": (
                "erp.process.guide",
                {
                    "name": "Closing the month",
                    "company_id": self.company_a.id,
                    "area_id": self.area_finance.id,
                },
            ),
            "create_instance": (
                "erp.instance",
                {
                    "name": "Test copy",
                    "company_id": self.company_a.id,
                    "environment": "test",
                },
            ),
        }[obj]

    def _act(self, user, obj, operation):
        """Do ``operation`` on ``obj`` as ``user`` and undo it; True when it
        was allowed."""
        try:
            with mute_logger("odoo.models", "odoo.addons.base.models.ir_rule"):
                with self.env.cr.savepoint():
                    allowed = self._do(user, obj, operation)
                    self.env.flush_all()
                    raise _Undo(allowed)
        except _Undo as undo:
            self.env.invalidate_all()
            return undo.allowed
        except (AccessError, UserError):
            self.env.invalidate_all()
            return False

    def _do(self, user, obj, operation):
        if operation == "create":
            model, vals = self._create_values(obj)
            self.env[model].with_user(user).create(vals)
            return True
        record = self._records()[obj].with_user(user)
        if operation == "read":
            found = record.search([("id", "in", record.ids)])
            record.read([record._rec_name or "id"])
            return found == record
        if operation == "write":
            # an incident's reference (its _rec_name) is set by the lifecycle
            # only, for every role: write access is probed on its title
            name = "title" if record._name == "erp.incident" else record._rec_name
            record.write({name: record.sudo()[name]})
            return True
        if operation == "unlink":
            record.unlink()
            return True
        raise AssertionError(operation)

    def test_access_matrix(self):
        cells = 0
        for obj, operations in MATRIX.items():
            for operation, allowed in operations.items():
                for role in ROLES:
                    with self.subTest(role=role, obj=obj, operation=operation):
                        self.assertEqual(
                            self._act(self.users[role], obj, operation),
                            role in allowed,
                            f"{role} {'may' if role in allowed else 'may not'} "
                            f"{operation} {obj}",
                        )
                    cells += 1
        self.assertEqual(cells, len(ROLES) * sum(len(ops) for ops in MATRIX.values()))
