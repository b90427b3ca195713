# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""No role crosses companies: search, read, write, read_group, name_search."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ErpKeyUserCase

ROLES = ("manager", "key_user", "consultation", "portal")


@tagged("post_install", "-at_install")
class TestMultiCompany(ErpKeyUserCase):
    def _foreign_records(self):
        """Records of company B, by model."""
        return {
            "erp.incident": self.incident_b,
            "erp.process.guide": self.guide_published_b,
            "erp.process.guide.step": self.guide_published_b.step_ids,
            "erp.process.guide.version": self.guide_published_b.published_version_id,
            "erp.instance": self.production_b,
            "erp.key.user.assignment": self.production_b.assignment_ids,
        }

    def _own_records(self):
        return {
            "erp.incident": self.incident_a,
            "erp.process.guide": self.guide_published_a,
            "erp.process.guide.step": self.guide_published_a.step_ids,
            "erp.process.guide.version": self.guide_published_a.published_version_id,
            "erp.instance": self.production_a,
            "erp.key.user.assignment": self.production_a.assignment_ids,
        }

    def test_search_and_search_count_stay_in_company(self):
        for role in ROLES:
            user = getattr(self, f"{role}_a")
            for model, foreign in self._foreign_records().items():
                with self.subTest(role=role, model=model):
                    Model = self.env[model].with_user(user)
                    if not Model.has_access("read"):
                        # readers read the published versions, not the steps
                        with mute_logger("odoo.models"):
                            with self.assertRaises(AccessError):
                                Model.search([("id", "in", foreign.ids)])
                        continue
                    self.assertFalse(Model.search([("id", "in", foreign.ids)]))
                    self.assertFalse(Model.search_count([("id", "in", foreign.ids)]))
                    own = self._own_records()[model]
                    self.assertTrue(Model.search([("id", "in", own.ids)]))

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_read_and_write_are_refused(self):
        for role in ROLES:
            user = getattr(self, f"{role}_a")
            for model, foreign in self._foreign_records().items():
                with self.subTest(role=role, model=model):
                    record = foreign[:1].with_user(user)
                    with self.assertRaises(AccessError):
                        record.read(["display_name"])
                    with self.assertRaises(UserError):
                        record.write({"create_uid": user.id})

    def test_read_group_counts_only_own_company(self):
        for role in ROLES:
            user = getattr(self, f"{role}_a")
            with self.subTest(role=role):
                groups = (
                    self.env["erp.incident"]
                    .with_user(user)
                    ._read_group([], ["company_id"], ["__count"])
                )
                self.assertEqual(
                    [(company, count) for company, count in groups],
                    [(self.company_a, 1)],
                )
                guides = (
                    self.env["erp.process.guide"]
                    .with_user(user)
                    .formatted_read_group([], ["company_id"], ["__count"])
                )
                self.assertEqual(
                    {g["company_id"][0] for g in guides}, {self.company_a.id}
                )

    def test_name_search_finds_only_own_company(self):
        for role in ROLES:
            user = getattr(self, f"{role}_a")
            with self.subTest(role=role):
                found = (
                    self.env["erp.incident"]
                    .with_user(user)
                    .name_search("Invoice validation fails")
                )
                self.assertEqual([r[0] for r in found], self.incident_a.ids)
                guides = (
                    self.env["erp.process.guide"]
                    .with_user(user)
                    .name_search("Published finance guide")
                )
                self.assertEqual([g[0] for g in guides], self.guide_published_a.ids)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_key_user_cannot_move_incident_to_foreign_instance(self):
        incident = self.incident_a.with_user(self.key_user_a)
        with self.assertRaises(UserError):
            incident.write({"instance_id": self.production_b.id})
            incident.flush_recordset()
        self.assertEqual(self.incident_a.company_id, self.company_a)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_key_user_cannot_create_in_foreign_instance(self):
        with self.assertRaises(UserError):
            self._create_incident(
                self.key_user_a, kind="incident", instance_id=self.production_b.id
            )

    def test_user_of_two_companies_sees_only_active_ones(self):
        manager = self.manager_a
        manager.company_ids |= self.company_b
        Incident = self.env["erp.incident"].with_user(manager)
        only_a = Incident.with_context(allowed_company_ids=self.company_a.ids)
        self.assertEqual(
            only_a.search([("title", "ilike", "Invoice validation")]), self.incident_a
        )
        both = Incident.with_context(
            allowed_company_ids=(self.company_a | self.company_b).ids
        )
        self.assertEqual(
            both.search([("title", "ilike", "Invoice validation")]),
            self.incident_a | self.incident_b,
        )

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_manager_cannot_move_instance_to_foreign_company(self):
        with self.assertRaises(UserError):
            self.staging_a.with_user(self.manager_a).write(
                {"company_id": self.company_b.id}
            )
        self.assertEqual(self.staging_a.company_id, self.company_a)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_key_user_cannot_move_guide_out_of_own_areas(self):
        guide = self.guide_published_a.with_user(self.key_user_a)
        guide.summary = "Still mine"
        with self.assertRaises(UserError):
            guide.write({"area_id": self.area_warehouse.id})
        self.assertEqual(self.guide_published_a.area_id, self.area_finance)
