# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The screens as each role uses them day to day: what they offer, in which
order, and numbers that can be true."""

from datetime import timedelta

from lxml import etree

from odoo import Command, fields
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import ErpKeyUserCase

LIFECYCLE = [
    "new",
    "in_progress",
    "escalated",
    "waiting_info",
    "resolved",
    "closed",
    "cancelled",
]


@tagged("post_install", "-at_install")
class TestDailyUse(ErpKeyUserCase):
    def _arch(self, user, view_type, action_xmlid="erp_key_user.action_erp_incident"):
        action = self.env.ref(action_xmlid)
        context = safe_eval(action.context)
        views = (
            self.env["erp.incident"]
            .with_user(user)
            .with_context(**context)
            .get_views([(False, view_type)])
        )
        return etree.fromstring(views["views"][view_type]["arch"])

    def _search_filters(self, user):
        return {
            node.get("name"): node for node in self._arch(user, "search").iter("filter")
        }

    # -- point 6: offer only what the role can do ----------------------------

    def test_consultation_users_ask_instead_of_creating(self):
        ask = self.env.ref("erp_key_user.action_erp_incident_ask_key_user")
        for action_xmlid in (
            "erp_key_user.action_erp_incident",
            "erp_key_user.action_erp_question",
        ):
            for view_type in ("list", "kanban", "form"):
                with self.subTest(action=action_xmlid, view=view_type):
                    consultation = self._arch(
                        self.consultation_a, view_type, action_xmlid
                    )
                    self.assertIn(consultation.get("create"), ("0", "False", "false"))
                    key_user = self._arch(self.key_user_a, view_type, action_xmlid)
                    self.assertNotIn(key_user.get("create"), ("0", "False", "false"))
                    if view_type == "form":
                        continue
                    self.assertTrue(
                        consultation.xpath(f"//header/button[@name='{ask.id}']"),
                        "consultation users get Ask Key User",
                    )
                    self.assertFalse(
                        key_user.xpath(f"//header/button[@name='{ask.id}']")
                    )

    def test_ask_key_user_opens_the_wizard_as_a_question_without_source(self):
        ask = self.env.ref("erp_key_user.action_erp_incident_ask_key_user")
        self.assertEqual(ask.name, "Ask Key User")
        wizard = Form(
            self.env["erp.incident.report.wizard"]
            .with_user(self.consultation_a)
            .with_context(
                safe_eval(ask.context),
                active_model="erp.incident",
                erp_key_user_no_source=True,
            )
        )
        self.assertEqual(wizard.kind, "question")
        self.assertFalse(wizard.res_model)

    # -- point 7: the activity menu's filters --------------------------------

    def test_activity_menu_filters_exist_and_select_today(self):
        filters = self._search_filters(self.key_user_a)
        today = fields.Date.context_today(self.env.user)
        other = self._create_incident(self.key_user_a, title="Nothing to do today")
        incident = self._create_incident(self.key_user_a, title="Call the bank today")
        incident.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=today,
            user_id=self.key_user_a.id,
        )
        other.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=today + timedelta(days=3),
            user_id=self.key_user_a.id,
        )
        eval_context = {"context_today": lambda: today}
        expected = {
            "activities_today": incident,
            "activities_upcoming_all": other,
            "activities_overdue": self.env["erp.incident"],
        }
        for name, records in expected.items():
            with self.subTest(filter=name):
                self.assertIn(name, filters)
                domain = safe_eval(filters[name].get("domain"), eval_context)
                found = (
                    self.env["erp.incident"]
                    .with_user(self.key_user_a)
                    .search(domain + [("id", "in", (incident | other).ids)])
                )
                self.assertEqual(found, records)

    # -- point 9: lifecycle order, names that mean what they say ------------

    def test_kanban_columns_follow_the_lifecycle(self):
        groups = (
            self.env["erp.incident"]
            .with_user(self.key_user_a)
            .with_context(read_group_expand=True)  # as the kanban view asks
            .web_read_group([], ["state"], ["__count"])["groups"]
        )
        self.assertEqual([group["state"] for group in groups], LIFECYCLE)

    def test_pivot_columns_follow_the_lifecycle(self):
        """The pivot (incidents and KPIs) groups by state in lifecycle order,
        not in the alphabetical order of the keys (cancelled, closed...)."""
        for state in ("in_progress", "resolved", "cancelled"):
            incident = self._create_incident(self.key_user_a, kind="incident")
            if state == "resolved":
                incident.resolution = "<p>Set the tax on the line.</p>"
            action = {"in_progress": "start", "resolved": "resolve"}.get(
                state, "cancel"
            )
            getattr(incident.with_user(self.key_user_a), f"action_{action}")()
        self.env.flush_all()
        for model in ("erp.incident", "erp.incident.analysis"):
            with self.subTest(model=model):
                # what the pivot view asks: one grouping set per header
                groups = (
                    self.env[model]
                    .with_user(self.key_user_a)
                    .formatted_read_grouping_sets([], [["state"]], ["__count"])[0]
                )
                states = [group["state"] for group in groups]
                self.assertGreaterEqual(len(states), 4)
                self.assertEqual(states, [s for s in LIFECYCLE if s in states])

    def test_filters_open_and_history_like_the_portal(self):
        filters = self._search_filters(self.key_user_a)
        self.assertEqual(filters["open"].get("string"), "Open")
        history = safe_eval(filters["history"].get("domain"))
        incident = self._create_incident(self.key_user_a, kind="incident")
        incident.with_user(self.key_user_a).action_cancel()
        self.assertIn(
            incident,
            self.env["erp.incident"].search(history + [("id", "=", incident.id)]),
            "a cancelled incident is history, as on the portal",
        )
        for name in ("questions", "incidents"):
            self.assertEqual(
                filters[name].get("invisible"), "context.get('default_kind')"
            )

    # -- point 8: numbers that can be true -----------------------------------

    def test_kpis_refuse_a_resolution_before_the_report(self):
        incident = self._create_incident(self.key_user_a, kind="incident")
        incident.with_user(self.key_user_a).resolution = "<p>Done</p>"
        incident.with_user(self.key_user_a).action_resolve()
        incident.sudo().write({"resolved_on": incident.create_date - timedelta(days=2)})
        self.env.flush_all()
        row = self.env["erp.incident.analysis"].search(
            [("incident_id", "=", incident.id)]
        )
        # not -48 hours: no time at all, which the averages leave out
        self.assertFalse(row.hours_to_resolution)

    # -- point 10: smaller ---------------------------------------------------

    def test_question_chatter_says_question_asked(self):
        env = self.env(context=dict(self.env.context, tracking_disable=False))
        question = (
            env["erp.incident"]
            .with_user(self.consultation_a)
            .create(
                {
                    "title": "How do I credit a paid invoice?",
                    "instance_id": self.production_a.id,
                    "area_id": self.area_finance.id,
                }
            )
        )
        bodies = question.sudo().message_ids.mapped("body")
        self.assertTrue(any("Question asked" in body for body in bodies), bodies)
        self.assertFalse(any("ERP Incident created" in body for body in bodies))

    def test_question_form_hides_the_escalation_fields(self):
        form = self._arch(self.key_user_a, "form", "erp_key_user.action_erp_question")
        for name in ("steps_to_reproduce", "reproduced_in_staging"):
            [node] = form.xpath(f"//field[@name='{name}']")
            self.assertIn("kind == 'question'", node.get("invisible"))

    def test_new_assignment_has_no_false_in_its_name(self):
        Assignment = self.env["erp.key.user.assignment"].with_user(self.manager_a)
        self.assertEqual(Assignment.new({}).display_name, "New")
        new = Assignment.new({"area_id": self.area_sales.id})
        self.assertEqual(new.display_name, self.area_sales.name)

    def test_staging_answers_with_the_key_users_of_production(self):
        staging = self.staging_a.with_user(self.manager_a)
        self.assertNotIn(self.area_finance, staging.uncovered_area_ids)
        self.assertIn(self.area_sales, staging.uncovered_area_ids)
        self.assertEqual(
            staging._get_primary_key_user(self.area_finance), self.key_user_a
        )

    def test_response_hours_are_hours_not_a_clock(self):
        form = etree.fromstring(
            self.env["erp.instance"]
            .with_user(self.manager_a)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        [node] = form.xpath("//field[@name='response_hours']")
        self.assertNotEqual(node.get("widget"), "float_time")

    def test_source_record_shows_its_name_as_a_link(self):
        form = self._arch(self.key_user_a, "form")
        [node] = form.xpath("//field[@name='res_url']")
        self.assertEqual(node.get("widget"), "erp_record_link")
        self.assertIn("res_name", node.get("options"))

    def test_portal_user_role_is_set_without_developer_mode(self):
        user_admin = new_test_user(
            self.env,
            login="users_admin_a",
            groups="base.group_user,base.group_erp_manager",
            company_id=self.company_a.id,
            company_ids=[Command.set(self.company_a.ids)],
        )
        self.assertFalse(user_admin.has_group("base.group_no_one"))
        portal = self.portal_no_role_a
        with Form(portal.with_user(user_admin), view="base.view_users_form") as form:
            form.erp_consultation_user = True
        self.assertTrue(portal.has_group("erp_key_user.group_consultation_user"))
        self.assertTrue(portal.share, "still a portal user")
        with Form(portal.with_user(user_admin), view="base.view_users_form") as form:
            self.assertTrue(form.erp_consultation_user)
            form.erp_consultation_user = False
        self.assertFalse(portal.has_group("erp_key_user.group_consultation_user"))
