# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Property-based isolation: random companies, customers of one supplier
company, instances, users of every role, incidents and guides; every user sees
exactly what the rules allow, through the ORM (every example) and JSON-RPC,
JSON-2, the portal pages and the chatter routes (one example in
``HTTP_EVERY``), and nothing crosses companies or customers."""

import json
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
    "agent": "erp_key_user.group_support_agent",
    "consultation": "base.group_user,erp_key_user.group_consultation_user",
    "portal": "base.group_portal,erp_key_user.group_consultation_user",
    "portal_key_user": "base.group_portal,erp_key_user.group_portal_key_user",
    "employee": "base.group_user",
}
PORTAL_ROLES = ("portal", "portal_key_user")
# the owners of the instances: (company, customer); customer 0 is the
# company's own partner (in-house), 1 and 2 are customers of company 0 (hosted)
OWNERS = [(0, 0), (1, 0), (2, 0), (0, 1), (0, 2)]
# the HTTP paths are slow: every example checks the ORM, one in HTTP_EVERY
# also goes through HTTP
HTTP_EVERY = 8
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
        "owner": st.integers(0, len(OWNERS) - 1),
        "kind": st.sampled_from(["question", "incident"]),
        "state": st.sampled_from(STATES),
    }
)
guide_st = st.fixed_dictionaries(
    {
        "owner": st.integers(0, len(OWNERS) - 1),
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
        # portal users: a contact of their main company (0) or of a customer
        "customer": st.integers(0, 2),
    }
)


# the report wizard's source (issue #19): a model and an id, either a record of
# one of the three companies or any number
WIZARD_ROLES = ("consultation", "key_user", "manager")
source_st = st.fixed_dictionaries(
    {
        "model": st.sampled_from(
            [
                "res.partner",
                "erp.incident",
                "erp.process.guide",
                "discuss.channel",
                "res.users",
                "no.such.model",
                "mail.thread",
                "erp.incident.report.wizard",
            ]
        ),
        "company": st.integers(0, 2),
        "random_id": st.none() | st.integers(-3, 10**6),
    }
)
wizard_user_st = st.fixed_dictionaries(
    {
        "role": st.sampled_from(WIZARD_ROLES),
        "companies": st.lists(st.integers(0, 2), min_size=1, max_size=3, unique=True),
    }
)
SECRET = "Company secret: IBAN SE35 5000 0000 0549 1000 0003"


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
        cls.customers = cls.env["res.partner"].create(
            [{"name": f"Isolation customer {i}", "is_company": True} for i in (1, 2)]
        )
        cls.instances = cls.env["erp.instance"].create(
            [
                {
                    "name": f"Production {company} of customer {customer}",
                    "company_id": cls.companies[company].id,
                    "partner_id": cls._owner_partner(company, customer).id,
                }
                for company, customer in OWNERS
            ]
        )
        cls.area = cls.env.ref("erp_key_user.erp_support_area_finance")
        cls.examples = 0

    @classmethod
    def _owner_partner(cls, company, customer):
        if customer:
            return cls.customers[customer - 1]
        return cls.companies[company].partner_id

    def _portal_contact_of(self, spec, company):
        """A portal user is a contact of their company or of a customer."""
        if spec["role"] not in PORTAL_ROLES:
            return {}
        company_index = list(self.companies).index(company)
        partner = self._owner_partner(company_index, spec["customer"])
        return {"parent_id": partner.id}

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
                    "title": f"Isolation incident {n} of owner {spec['owner']}",
                    "instance_id": self.instances[spec["owner"]].id,
                    "area_id": self.area.id,
                }
                for n, spec in enumerate(incidents)
            ]
        )
        guide_records = self.env["erp.process.guide"].create(
            [
                {
                    "name": f"Isolation guide {n} of owner {spec['owner']}",
                    "company_id": self.instances[spec["owner"]].company_id.id,
                    "partner_id": self.instances[spec["owner"]].partner_id.id,
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
                    **self._portal_contact_of(spec, companies[0]),
                )
            )
        return records, guide_records, user_records

    @staticmethod
    def _visible_scope(user, role, record):
        """The company rule, and for portal users their customer's only."""
        if record.company_id not in user.company_ids:
            return False
        return role not in PORTAL_ROLES or (
            record.partner_id == user.commercial_partner_id
        )

    def _expected_incidents(self, user, role, incidents):
        if role == "employee":
            return incidents.browse()
        return incidents.filtered(lambda i: self._visible_scope(user, role, i))

    def _expected_instances(self, user, role):
        return self._expected_incidents(user, role, self.instances)

    def _expected_guides(self, user, role, guides):
        def visible(guide):
            if not self._visible_scope(user, role, guide):
                return False
            if role in ("manager", "key_user", "agent"):
                return True
            if role == "consultation":
                return guide.state == "published"
            if role in PORTAL_ROLES:
                return guide.state == "published" and guide.portal_published
            return False

        return guides.filtered(visible)

    def _check_orm(self, user, role, incidents, guides):
        env = self.env(user=user, context={"allowed_company_ids": user.company_ids.ids})
        for model, records, expected, group_by in (
            (
                "erp.incident",
                incidents,
                self._expected_incidents(user, role, incidents),
                "partner_id",
            ),
            (
                "erp.process.guide",
                guides,
                self._expected_guides(user, role, guides),
                "company_id",
            ),
            (
                "erp.instance",
                self.instances,
                self._expected_instances(user, role),
                "partner_id",
            ),
        ):
            Model = env[model]
            if not expected and not Model.has_access("read"):
                continue
            domain = [("id", "in", records.ids)]
            self.assertEqual(
                set(Model.search(domain).ids), set(expected.ids), (role, model)
            )
            self.assertEqual(Model.search_count(domain), len(expected))
            groups = Model._read_group(domain, [group_by], ["__count"])
            self.assertEqual(sum(count for _group, count in groups), len(expected))
            self.assertLessEqual(
                {g.id for g, _n in groups}, set(expected[group_by].ids), (role, model)
            )
            found = {r[0] for r in Model.name_search("Isolation", limit=1000)}
            found |= {r[0] for r in Model.name_search("Production", limit=1000)}
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
        """The same search through JSON-RPC call_kw, with the user's session,
        and through JSON-2 with the user's API key."""
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
        self._check_json_2(user, role, incidents, expected)
        self._check_portal_routes(role, incidents, expected)
        self._check_chatter_routes(role, incidents, expected)

    def _check_json_2(self, user, role, incidents, expected):
        # sudo: any duration; the key is still the user's own (env.uid)
        key = (
            self.env["res.users.apikeys"]
            .with_user(user)
            .sudo()
            ._generate("rpc", "isolation", None)
        )
        response = self.url_open(
            "/json/2/erp.incident/search_read",
            data=json.dumps(
                {
                    "domain": [("id", "in", incidents.ids)],
                    "fields": ["id"],
                    "context": {"allowed_company_ids": user.company_ids.ids},
                }
            ),
            headers={
                "Authorization": f"Bearer {key}",
                "Content-Type": "application/json",
            },
        )
        if role == "employee":
            self.assertEqual(response.status_code, 403, response.text)
            return
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual({row["id"] for row in response.json()}, set(expected.ids))

    def _check_chatter_routes(self, role, incidents, expected):
        """The backend chatter routes answer only for incidents the user reads:
        messages, posting, attachments."""
        for incident in expected[:1]:
            messages = self.make_jsonrpc_request(
                "/mail/thread/messages",
                {"thread_model": "erp.incident", "thread_id": incident.id},
            )
            self.assertIn("messages", messages)
        for incident in (incidents - expected)[:1]:
            secret = f"Secret of {incident.name}"
            incident.message_post(
                body=secret, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
            attachment = self.env["ir.attachment"].create(
                {
                    "name": "secret.txt",
                    "raw": secret.encode(),
                    "res_model": "erp.incident",
                    "res_id": incident.id,
                }
            )
            self.env.flush_all()
            with mute_logger("odoo.http"):
                try:
                    answer = self.make_jsonrpc_request(
                        "/mail/thread/messages",
                        {"thread_model": "erp.incident", "thread_id": incident.id},
                    )
                except JsonRpcException:
                    answer = {}
                self.assertNotIn(secret, str(answer), role)
                with self.assertRaises(JsonRpcException, msg=role):
                    self.make_jsonrpc_request(
                        "/mail/message/post",
                        {
                            "thread_model": "erp.incident",
                            "thread_id": incident.id,
                            "post_data": {"body": "Sneaky", "message_type": "comment"},
                        },
                    )
                response = self.url_open(f"/web/content/{attachment.id}")
                self.assertNotEqual(response.status_code, 200, role)
                self.assertNotIn(secret, response.text)

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
        max_examples=200,
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
            with_http = self.examples % HTTP_EVERY == 1
            for spec, user in zip(users, user_records, strict=True):
                self._check_orm(user, spec["role"], records, guide_records)
                self._check_no_cross_company_write(user, spec["role"], records)
                if with_http:
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
            # (the in-house one: company 0 also hosts customers' instances)
            instance = self.instances.filtered(
                lambda i: i.company_id == actor.company_id
            )[:1]
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

    # ------------------------------------------------------------------
    # access tokens on the mail routes (issue #19)
    # ------------------------------------------------------------------

    def _plant_tokens(self, records):
        for record in records:
            record.access_token = f"token-{record._name}-{record.id}"
            record.message_post(
                body=SECRET, message_type="comment", subtype_xmlid="mail.mt_comment"
            )

    def _check_tokens(self, login, readable, records):
        """With its token, a record the user may not read shows no message and
        takes no post, over the portal chatter routes."""
        self.authenticate(login, login)
        for record in records:
            if record in readable:
                continue
            access = {"token": record.access_token}
            thread = {"thread_model": record._name, "thread_id": record.id}
            try:
                fetched = self.make_jsonrpc_request(
                    "/mail/chatter_fetch", dict(thread, **access)
                )
            except JsonRpcException:
                fetched = {}
            self.assertNotIn(SECRET, str(fetched), (login, record))
            before = record.message_ids
            with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
                self.make_jsonrpc_request(
                    "/mail/message/post",
                    dict(
                        thread,
                        post_data={"body": "Posted with a token"},
                        **access,
                    ),
                )
            record.invalidate_recordset(["message_ids"])
            self.assertEqual(record.message_ids, before, (login, record))

    @settings(
        max_examples=8,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    @given(
        incidents=st.lists(incident_st, min_size=1, max_size=4),
        guides=st.lists(guide_st, max_size=3),
        users=st.lists(user_st, min_size=1, max_size=2),
        anonymous=st.booleans(),
    )
    def test_tokens_open_nothing_the_rules_refuse(
        self, incidents, guides, users, anonymous
    ):
        type(self).examples += 1
        with self._rolled_back():
            records, guide_records, user_records = self._make_data(
                incidents, guides, users
            )
            self._plant_tokens([*records, *guide_records])
            self.env.flush_all()
            for spec, user in zip(users, user_records, strict=True):
                readable = [
                    *self._expected_incidents(user, spec["role"], records),
                    *self._expected_guides(user, spec["role"], guide_records),
                ]
                self._check_tokens(user.login, readable, [*records, *guide_records])
            if anonymous:
                self._check_tokens(None, [], [*records, *guide_records])

    # ------------------------------------------------------------------
    # the report wizard's source record (issue #19)
    # ------------------------------------------------------------------

    def _make_sources(self):
        """One record per company of every business model the wizard may be
        opened from, and two channels (one the admins', one everybody's)."""
        sources = {}
        for index, company in enumerate(self.companies):
            sources["res.partner", index] = self.env["res.partner"].create(
                {"name": f"Contact of {company.name}", "company_id": company.id}
            )
            sources["erp.incident", index] = self.env["erp.incident"].create(
                {
                    "title": f"Incident of {company.name}",
                    "instance_id": self.instances[index].id,
                    "area_id": self.area.id,
                }
            )
            guide = self.env["erp.process.guide"].create(
                {
                    "name": f"Guide of {company.name}",
                    "company_id": company.id,
                    "area_id": self.area.id,
                }
            )
            guide.action_publish()
            sources["erp.process.guide", index] = guide
        for index, group in enumerate(("base.group_system", "base.group_user")):
            sources["discuss.channel", index] = self.env["discuss.channel"].create(
                {
                    "name": f"Channel {index}",
                    "channel_type": "channel",
                    "group_public_id": self.env.ref(group).id,
                }
            )
        sources["res.users", 0] = self.env.user
        return sources

    def _resolve_source(self, spec, sources):
        """(model, id, record or None) of a generated source."""
        model = spec["model"]
        if spec["random_id"] is not None:
            res_id = spec["random_id"]
        else:
            record = (
                sources.get((model, spec["company"] % 2))
                if (model == "discuss.channel")
                else sources.get((model, spec["company"]))
            )
            res_id = record.id if record else spec["company"] + 1
        record = None
        if model in self.env and not self.env[model]._abstract and res_id > 0:
            record = self.env[model].browse(res_id).exists() or None
        return model, res_id, record

    @staticmethod
    def _messages(record):
        if record is None or "message_ids" not in record._fields:
            return None
        record.invalidate_recordset(["message_ids"])
        return record.sudo().message_ids

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    @given(sources=st.lists(source_st, min_size=1, max_size=4), user=wizard_user_st)
    def test_report_wizard_sources_stay_in_reach(self, sources, user):
        """Whatever model and id are sent: another company's record never gets
        a note nor an incident pointing to it, a channel never gets a note, and
        an incident only points to a record the user can read."""
        type(self).examples += 1
        with self._rolled_back():
            _records, _guides, (wizard_user,) = self._make_data([], [], [user])
            catalogue = self._make_sources()
            env = self.env(
                user=wizard_user,
                context={"allowed_company_ids": wizard_user.company_ids.ids},
            )
            for n, spec in enumerate(sources):
                model, res_id, record = self._resolve_source(spec, catalogue)
                before = self._messages(record)
                title = f"Pay the invoice at evil.example {n} {model} {res_id}"
                try:
                    with self.env.cr.savepoint():
                        env["erp.incident.report.wizard"].create(
                            {
                                "res_model": model,
                                "res_id": res_id,
                                "title": title,
                                "area_id": self.area.id,
                            }
                        ).action_report()
                    refused = False
                except (UserError, AccessError):  # ValidationError included
                    refused = True
                incident = self.env["erp.incident"].search([("title", "=", title)])
                self.assertEqual(bool(incident), not refused, spec)
                foreign = (
                    record is not None
                    and "company_id" in record._fields
                    and record.sudo().company_id
                    and record.sudo().company_id not in wizard_user.company_ids
                )
                if foreign:
                    self.assertFalse(incident, (spec, "foreign record referenced"))
                if foreign or model == "discuss.channel":
                    self.assertEqual(self._messages(record), before, spec)
                if incident.res_id:
                    source = env[incident.res_model].browse(incident.res_id)
                    self.assertTrue(source.has_access("read"), spec)
