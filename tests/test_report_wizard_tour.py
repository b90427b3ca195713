# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.tests import HttpCase, new_test_user, tagged

from .common import new_key_user_with_instance


@tagged("post_install", "-at_install")
class TestReportWizardTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key_user, _instance = new_key_user_with_instance(
            cls.env, "tour_key_user", "Tour Production"
        )
        # the link is noted on the contact where Odoo lets the user post:
        # this key user may edit contacts
        cls.key_user.group_ids += cls.env.ref("base.group_partner_manager")
        cls.customer = cls.env["res.partner"].create({"name": "Tour Customer"})

    def test_report_incident_from_a_contact_form(self):
        self.start_tour(
            f"/odoo/res.partner/{self.customer.id}",
            "erp_key_user_report_incident_tour",
            login="tour_key_user",
        )
        incident = self.env["erp.incident"].search(
            [("title", "=", "Customer address is not printed on the delivery slip")]
        )
        self.assertEqual(len(incident), 1)
        self.assertEqual(incident.kind, "incident")
        self.assertEqual(incident.reporter_id, self.key_user)
        self.assertEqual(incident.res_model, "res.partner")
        self.assertEqual(incident.res_id, self.customer.id)
        self.assertIn(incident.name, self.customer.message_ids[:1].body)


@tagged("post_install", "-at_install")
class TestReportWizardSuggestionsTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        key_user, instance = new_key_user_with_instance(
            cls.env, "tour_sugg_key_user", "Tour Suggestions Production"
        )
        new_test_user(
            cls.env,
            login="tour_sugg_consultation",
            groups="base.group_user,erp_key_user.group_consultation_user",
        )
        cls.customer = cls.env["res.partner"].create({"name": "Tour Customer"})
        area = cls.env.ref("erp_key_user.erp_support_area_warehouse")
        guide = cls.env["erp.process.guide"].create(
            {
                "name": "Printing delivery slips",
                "company_id": instance.company_id.id,
                "area_id": area.id,
                "summary": "Tick Print the address on the delivery type before "
                "printing; otherwise the slip shows no address at all.",
            }
        )
        guide.action_publish()
        incident = (
            cls.env["erp.incident"]
            .with_user(key_user)
            .create(
                {
                    "kind": "incident",
                    "title": "Delivery slip prints without the address",
                    "instance_id": instance.id,
                    "area_id": area.id,
                    "resolution": "<p>Set the delivery address on the order "
                    "before validating the transfer.</p>",
                }
            )
        )
        incident.action_resolve()

    def _self_help_counts(self):
        self.env.flush_all()
        [row] = self.env["erp.self.help.analysis"]._read_group(
            [("company_id", "=", self.env.company.id)],
            [],
            ["nbr_doubts:sum", "nbr_self_solved:sum"],
        )
        return row

    def test_suggestions_show_their_text_and_open_above_the_wizard(self):
        """One list of suggestions; the answers opened from it are counted:
        the wizard discarded is a doubt solved by self-help, the one sent is
        not (its question carries the wizard's token)."""
        doubts, solved = self._self_help_counts()
        self.start_tour(
            f"/odoo/res.partner/{self.customer.id}",
            "erp_key_user_report_wizard_suggestions_tour",
            login="tour_sugg_consultation",
        )
        user = self.env["res.users"].search([("login", "=", "tour_sugg_consultation")])
        question = self.env["erp.incident"].search(
            [("title", "=", "Delivery slip has no address again")]
        )
        self.assertEqual(question.reporter_id, user)
        events = self.env["erp.self.help.event"].search([("user_id", "=", user.id)])
        by_token = {
            token: events.filtered(lambda e, t=token: e.token == t)
            for token in set(events.mapped("token"))
        }
        self.assertEqual(len(by_token), 2, "one token per wizard")
        sent = by_token.pop(question.self_help_token)
        [discarded] = by_token.values()
        self.assertEqual(
            (len(discarded.guide_id), len(discarded.incident_id)),
            (1, 1),
            "the discarded wizard: the guide and the past answer opened",
        )
        self.assertEqual(
            sent.incident_id.title, "Delivery slip prints without the address"
        )
        # the question sent, and the doubt solved by self-help
        self.assertEqual(self._self_help_counts(), (doubts + 2, solved + 1))
