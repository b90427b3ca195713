# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Property-based isolation: random companies, instances, users of every role,
incidents and guides; every user sees exactly what the rules allow, through
the ORM, JSON-RPC and the portal pages, and nothing crosses companies."""

import logging
from contextlib import contextmanager

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo import SUPERUSER_ID, Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

_logger = logging.getLogger(__name__)

ROLE_GROUPS = {
    "manager": "erp_key_user.group_support_manager",
    "key_user": "erp_key_user.group_key_user",
    "consultation": "base.group_user,erp_key_user.group_consultation_user",
    "portal": "base.group_portal,erp_key_user.group_consultation_user",
    "employee": "base.group_user",
}
STATES = [
    "new",
    "in_progress",
    "escalated",
    "waiting_info",
    "resolved",
    "closed",
    "cancelled",
]

incident_st = st.fixed_dictionaries(
    {
        "company": st.integers(0, 2),
        "kind": st.sampled_from(["question", "incident"]),
        "state": st.sampled_from(STATES),
    }
)
guide_st = st.fixed_dictionaries(
    {
        "company": st.integers(0, 2),
        "state": st.sampled_from(["draft", "published", "archived"]),
        "portal_published": st.booleans(),
    }
)
# one user's attempt to route an incident: create a question (or, for key
# users, an incident) on a company's instance, or set key_user_id on the last
# incident, with key_user_id any user of the example (None: let the routing do)
routing_st = st.fixed_dictionaries(
    {
        "actor": st.integers(0, 3),
        "target": st.one_of(st.none(), st.integers(0, 3)),
        "company": st.integers(0, 2),
        "kind": st.sampled_from(["question", "incident"]),
        "write": st.booleans(),
        "sudo": st.booleans(),
    }
)
user_st = st.fixed_dictionaries(
    {
        "role": st.sampled_from(sorted(ROLE_GROUPS)),
        # the companies the user may access; the first one is their main one
        "companies": st.lists(st.integers(0, 2), min_size=1, max_size=3, unique=True),
    }
)


class _Rollback(Exception):  # noqa: N818 - control flow: undo one example
    pass


@tagged("post_install", "-at_install")
class TestIsolationProperty(HttpCase):
    @classmethod
    def tearDownClass(cls):
        _logger.info("hypothesis isolation examples run: %s", cls.examples)
        super().tearDownClass()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.companies = cls.env["res.company"].create(
            [{"name": f"Isolation {i}"} for i in range(3)]
        )
        cls.instances = cls.env["erp.instance"].create(
            [
                {"name": f"Production {c.name}", "company_id": c.id}
                for c in cls.companies
            ]
        )
        cls.area = cls.env.ref("erp_key_user.erp_support_area_finance")
        cls.examples = 0

    @contextmanager
    def _rolled_back(self):
        try:
            with self.env.cr.savepoint():
                yield
                raise _Rollback
        except _Rollback:
            self.env.invalidate_all()

    def _make_data(self, incidents, guides, users):
        Incident = self.env["erp.incident"].with_context(tracking_disable=True)
        records = Incident.create(
            [
                {
                    "kind": spec["kind"],
                    "state": spec["state"],
                    "title": f"Isolation incident {n} of company {spec['company']}",
                    "instance_id": self.instances[spec["company"]].id,
                    "area_id": self.area.id,
                }
                for n, spec in enumerate(incidents)
            ]
        )
        guide_records = self.env["erp.process.guide"].create(
            [
                {
                    "name": f"Isolation guide {n} of company {spec['company']}",
                    "company_id": self.companies[spec["company"]].id,
                    "area_id": self.area.id,
                    "state": spec["state"],
                    "portal_published": spec["portal_published"],
                }
                for n, spec in enumerate(guides)
            ]
        )
        user_records = []
        for n, spec in enumerate(users):
            companies = self.companies[spec["companies"][0]] | self.companies.browse(
                [self.companies[i].id for i in spec["companies"]]
            )
            user_records.append(
                new_test_user(
                    self.env,
                    login=f"iso_{self.examples}_{n}",
                    groups=ROLE_GROUPS[spec["role"]],
                    company_id=companies[0].id,
                    company_ids=[Command.set(companies.ids)],
                )
            )
        return records, guide_records, user_records

    @staticmethod
    def _expected_incidents(user, role, incidents):
        if role == "employee":
            return incidents.browse()
        return incidents.filtered(lambda i: i.company_id in user.company_ids)

    @staticmethod
    def _expected_guides(user, role, guides):
        def visible(guide):
            if guide.company_id not in user.company_ids:
                return False
            if role in ("manager", "key_user"):
                return True
            if role == "consultation":
                return guide.state == "published"
            if role == "portal":
                return guide.state == "published" and guide.portal_published
            return False

        return guides.filtered(visible)

    def _check_orm(self, user, role, incidents, guides):
        env = self.env(user=user, context={"allowed_company_ids": user.company_ids.ids})
        for model, records, expected in (
            (
                "erp.incident",
                incidents,
                self._expected_incidents(user, role, incidents),
            ),
            ("erp.process.guide", guides, self._expected_guides(user, role, guides)),
        ):
            Model = env[model]
            if not expected and not Model.has_access("read"):
                continue
            domain = [("id", "in", records.ids)]
            self.assertEqual(
                set(Model.search(domain).ids), set(expected.ids), (role, model)
            )
            self.assertEqual(Model.search_count(domain), len(expected))
            groups = Model._read_group(domain, ["company_id"], ["__count"])
            self.assertEqual(sum(count for _company, count in groups), len(expected))
            self.assertLessEqual({c.id for c, _n in groups}, set(user.company_ids.ids))
            found = {r[0] for r in Model.name_search("Isolation", limit=1000)}
            self.assertEqual(found & set(records.ids), set(expected.ids))
            with mute_logger("odoo.addons.base.models.ir_rule"):
                for hidden in (records - expected)[:3]:
                    with self.assertRaises(AccessError):
                        Model.browse(hidden.id).read(["display_name"])

    def _check_no_cross_company_write(self, user, role, incidents):
        if role not in ("manager", "key_user"):
            return
        env = self.env(user=user, context={"allowed_company_ids": user.company_ids.ids})
        own = incidents.filtered(lambda i: i.company_id in user.company_ids)[:1]
        foreign_instances = self.instances.filtered(
            lambda i: i.company_id not in user.company_ids
        )
        foreign = incidents.filtered(lambda i: i.company_id not in user.company_ids)[:1]
        with mute_logger("odoo.addons.base.models.ir_rule", "odoo.models"):
            if own and foreign_instances:
                with self.assertRaises(UserError):
                    env["erp.incident"].browse(own.id).write(
                        {"instance_id": foreign_instances[0].id}
                    )
                self.assertIn(own.company_id, user.company_ids)
            if foreign:
                with self.assertRaises(AccessError):
                    env["erp.incident"].browse(foreign.id).write(
                        {"title": "Hijacked title"}
                    )
                with self.assertRaises(AccessError):
                    env["erp.incident"].browse(foreign.id).unlink()

    def _check_json_rpc(self, user, role, incidents):
        """The same search through JSON-RPC call_kw, with the user's session."""
        self.authenticate(user.login, user.login)
        params = {
            "model": "erp.incident",
            "method": "search_read",
            "args": [[("id", "in", incidents.ids)], ["id"]],
            "kwargs": {"context": {"allowed_company_ids": user.company_ids.ids}},
        }
        try:
            rows = self.make_jsonrpc_request("/web/dataset/call_kw", params)
        except JsonRpcException as error:
            self.assertEqual(role, "employee", error)  # no read access at all
            rows = []
        expected = self._expected_incidents(user, role, incidents)
        self.assertEqual({row["id"] for row in rows}, set(expected.ids), role)
        self._check_portal_routes(role, incidents, expected)

    def _check_portal_routes(self, role, incidents, expected):
        """The portal pages, with the session opened by _check_json_rpc."""
        for incident in expected[:2]:
            response = self.url_open(f"/my/incidents/{incident.id}")
            self.assertEqual(response.status_code, 200, (role, incident.title))
            self.assertIn(incident.title, response.text)
        for incident in (incidents - expected)[:2]:
            response = self.url_open(
                f"/my/incidents/{incident.id}", allow_redirects=False
            )
            self.assertEqual(response.status_code, 404, (role, incident.title))
        if expected:
            listed = self.url_open("/my/incidents?filterby=all").text
            for incident in incidents - expected:
                self.assertNotIn(incident.title, listed)

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    @given(
        incidents=st.lists(incident_st, min_size=1, max_size=8),
        guides=st.lists(guide_st, max_size=5),
        users=st.lists(user_st, min_size=1, max_size=3),
    )
    def test_every_user_sees_exactly_what_the_rules_allow(
        self, incidents, guides, users
    ):
        type(self).examples += 1
        with self._rolled_back():
            records, guide_records, user_records = self._make_data(
                incidents, guides, users
            )
            for spec, user in zip(users, user_records, strict=True):
                self._check_orm(user, spec["role"], records, guide_records)
                self._check_no_cross_company_write(user, spec["role"], records)
                self._check_json_rpc(user, spec["role"], records)

    def _assign_key_users(self, users, user_records):
        """Key users and managers own the area on their main company's
        instance: the first one as primary, the others as backups."""
        for spec, user in zip(users, user_records, strict=True):
            if spec["role"] not in ("manager", "key_user"):
                continue
            instance = self.instances[spec["companies"][0]]
            self.env["erp.key.user.assignment"].create(
                {
                    "instance_id": instance.id,
                    "area_id": self.area.id,
                    "user_id": user.id,
                    "is_backup": bool(instance.assignment_ids),
                }
            )

    def _try_routing(self, attempt, user_records, incidents):
        actor = user_records[attempt["actor"] % len(user_records)]
        target = (
            user_records[attempt["target"] % len(user_records)]
            if attempt["target"] is not None
            else None
        )
        env = self.env(
            user=actor, context={"allowed_company_ids": actor.company_ids.ids}
        )
        instance = self.instances[attempt["company"]]
        if attempt["sudo"]:
            # code running in sudo mode cannot route across companies either
            # (on the actor's own instance: the creator follows what they create)
            env = env(su=True)
            instance = self.instances.filtered(
                lambda i: i.company_id == actor.company_id
            )
        Incident = env["erp.incident"]
        try:
            with (
                self.env.cr.savepoint(),
                mute_logger("odoo.addons.base.models.ir_rule", "odoo.models"),
            ):
                if attempt["write"] and incidents:
                    Incident.browse(incidents[-1].id).write(
                        {"key_user_id": target.id if target else False}
                    )
                    return incidents
                vals = {
                    "kind": attempt["kind"],
                    "title": "Routing attempt",
                    "instance_id": instance.id,
                    "area_id": self.area.id,
                }
                if target:
                    vals["key_user_id"] = target.id
                return incidents | Incident.create(vals)
        except (AccessError, UserError):  # ValidationError is a UserError
            self.env.invalidate_all()
            return incidents

    def _assert_routed_within_company(self, incidents):
        for incident in incidents.sudo():
            company = incident.company_id
            users = incident.message_partner_ids.with_context(
                active_test=False
            ).user_ids
            users |= incident.activity_ids.user_id | incident.key_user_id
            for user in users.filtered(lambda u: u.id != SUPERUSER_ID):
                self.assertIn(company, user.company_ids, (incident.title, user.login))

    @settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    @given(
        users=st.lists(user_st, min_size=1, max_size=4),
        attempts=st.lists(routing_st, min_size=1, max_size=6),
    )
    def test_nobody_of_another_company_follows_or_gets_activities(
        self, users, attempts
    ):
        """Whatever key_user_id a user sends (create or write, even in sudo
        mode), no user of another company becomes follower, activity owner or
        key user of an incident."""
        type(self).examples += 1
        with self._rolled_back():
            _incidents, _guides, user_records = self._make_data([], [], users)
            self._assign_key_users(users, user_records)
            incidents = self.env["erp.incident"]
            for attempt in attempts:
                incidents = self._try_routing(attempt, user_records, incidents)
            self._assert_routed_within_company(incidents)
