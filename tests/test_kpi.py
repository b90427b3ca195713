# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The support KPIs on known data."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import ErpKeyUserCase

T0 = datetime(2026, 11, 16, 9, 0)  # a Monday


@tagged("post_install", "-at_install")
class TestKpi(ErpKeyUserCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the common incident of company A: cancelled at once, as it was created
        with freeze_time(T0):
            cls.incident_a.action_cancel()
        cls._set_create_date(cls.incident_a)
        key_user = cls.key_user_a

        def new(kind, title, user=key_user):
            with freeze_time(T0):
                return cls._create(user, kind, title)

        def resolve(incident, hours):
            incident.with_user(key_user).resolution = "<p>Answered</p>"
            with freeze_time(T0 + timedelta(hours=hours)):
                incident.with_user(key_user).action_resolve()

        def escalate(incident, hours):
            with freeze_time(T0 + timedelta(hours=hours)):
                incident.with_user(key_user).action_start()
                cls._escalate(incident, key_user)

        cls.q1 = new(
            "question", "How do I print a delivery slip again?", cls.consultation_a
        )
        resolve(cls.q1, 2)
        cls.q2 = new(
            "question", "Where are the payment terms of a vendor?", cls.consultation_a
        )
        with freeze_time(T0 + timedelta(hours=1)):
            cls.q2.with_user(key_user).message_post(
                body="Looking into it", message_type="comment"
            )
        resolve(cls.q2, 6)
        cls.i1 = new("incident", "Bank statement import rejects the file")
        escalate(cls.i1, 1)
        resolve(cls.i1, 10)
        cls.i2 = new("incident", "Stock valuation report times out")
        escalate(cls.i2, 3)
        cls.i2.sudo().sla_breached = True  # what the SLA cron sets
        cls.i3 = new("incident", "Delivery slip prints without lots")
        cls.i4 = new("incident", "Duplicate of the slip problem, cancelled")
        with freeze_time(T0 + timedelta(hours=4)):
            cls.i4.with_user(key_user).action_cancel()

    @classmethod
    def _create(cls, user, kind, title):
        incident = (
            cls.env["erp.incident"]
            .with_user(user)
            .create(
                {
                    "kind": kind,
                    "title": title,
                    "instance_id": cls.production_a.id,
                    "area_id": cls.area_finance.id,
                }
            )
        )
        cls._set_create_date(incident)
        return incident

    @classmethod
    def _set_create_date(cls, incident):
        # create_date is the transaction's clock, which freeze_time does not move
        incident.flush_recordset()
        cls.env.cr.execute(
            "UPDATE erp_incident SET create_date = %s WHERE id = %s", [T0, incident.id]
        )
        incident.invalidate_recordset(["create_date"])

    def _kpis(self, user, groupby=("company_id",)):
        return (
            self.env["erp.incident.analysis"]
            .with_user(user)
            ._read_group(
                [],
                list(groupby),
                [
                    "nbr:sum",
                    "questions_answered:sum",
                    "first_level_rate:avg",
                    "escalation_rate:avg",
                    "sla_compliance:avg",
                    "hours_to_resolution:avg",
                    "hours_to_first_response:avg",
                ],
            )
        )

    def test_company_kpis(self):
        [(company, nbr, answered, first, escalation, sla, to_resolve, to_respond)] = (
            self._kpis(self.manager_a)
        )
        self.assertEqual(company, self.company_a)
        self.assertEqual(nbr, 7)  # 6 above + the cancelled common one
        self.assertEqual(answered, 2)
        # resolved: q1, q2 by the key user, i1 by the supplier
        self.assertAlmostEqual(first, 200 / 3, places=2)
        # incidents not cancelled: i1, i2 escalated, i3 not
        self.assertAlmostEqual(escalation, 200 / 3, places=2)
        # escalated: i1 within SLA, i2 breached
        self.assertAlmostEqual(sla, 50.0)
        # q1 2h, q2 6h, i1 10h
        self.assertAlmostEqual(to_resolve, 6.0)
        # q1 2h (answer), q2 1h (comment), i1 1h, i2 3h (start), i4 4h and the
        # common incident 0h (cancelled); i3 has had no response yet
        self.assertAlmostEqual(to_respond, 11 / 6)

    def test_per_key_user(self):
        rows = self._kpis(self.key_user_a, groupby=("key_user_id",))
        by_user = {row[0]: row for row in rows}
        self.assertEqual(by_user[self.key_user_a][2], 2, "questions answered")

    def test_other_company_sees_none_of_it(self):
        rows = self._kpis(self.manager_b)
        self.assertEqual([row[0] for row in rows], [self.company_b])
        self.assertEqual(rows[0][1], 1)

    def test_consultation_users_have_no_kpis(self):
        self.assertFalse(
            self.env["erp.incident.analysis"]
            .with_user(self.consultation_a)
            .has_access("read")
        )
