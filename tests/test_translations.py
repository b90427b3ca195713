# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The four translations (i18n/: es, fi, sv, zh_CN) are complete and reach the
user: the messages and screens of the after-go-live features in the acting
user's language, loaded as Odoo loads them when a language is installed."""

import re

import polib

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools.misc import file_path

from .common import ErpKeyUserCase

LANGS = {"es_ES": "es", "fi_FI": "fi", "sv_SE": "sv", "zh_CN": "zh_CN"}
# markup, placeholders and templates: what is left are the words to translate
NOT_WORDS = re.compile(r"<[^>]+>|%\([a-z_]+\)[.0-9]*[sdf]|%[sd]|\{\{.*?\}\}|\S+://\S+")


def _po(name):
    return polib.pofile(file_path(f"erp_key_user/i18n/{name}"))


@tagged("post_install", "-at_install")
class TestTranslations(ErpKeyUserCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code in LANGS:
            cls.env["res.lang"]._activate_lang(code)
        cls.env["ir.module.module"]._load_module_terms(
            ["erp_key_user"], list(LANGS), overwrite=True
        )
        cls.translations = {
            code: {entry.msgid: entry.msgstr for entry in _po(f"{name}.po")}
            for code, name in LANGS.items()
        }

    def _translated(self, code, source):
        translation = self.translations[code][source]
        self.assertTrue(translation, f"{source!r} has no {code} translation")
        self.assertNotEqual(translation, source)
        return translation

    def test_every_entry_of_the_template_is_translated(self):
        """Each language holds the template's entries, each with a
        translation, unless it has at most one word (a code such as "SLA",
        "URL", or a name kept as it is, which OCA's format leaves empty) or
        is a report file name (a Python expression)."""
        template = _po("erp_key_user.pot")
        expected = {entry.msgid for entry in template}
        for name in LANGS.values():
            entries = _po(f"{name}.po")
            self.assertEqual({entry.msgid for entry in entries}, expected, name)
            missing = [
                entry.msgid
                for entry in entries
                if not entry.msgstr
                and not any("print_report_name" in o for o, _line in entry.occurrences)
                and len(re.findall(r"\w{2,}", NOT_WORDS.sub(" ", entry.msgid))) > 1
            ]
            self.assertFalse(missing, f"{name}.po: {missing}")

    def test_refusals_reach_the_user_in_their_language(self):
        incident = self._create_incident(self.key_user_a, kind="question")
        incident.with_user(self.key_user_a).action_mark_change_request()
        for code in LANGS:
            # as the web client sends it: the user's language in the context
            as_user = {"user": self.key_user_a, "context": {"lang": code}}
            with self.assertRaises(UserError) as refusal:
                incident.with_env(incident.env(**as_user)).action_approve_change()
            self.assertEqual(
                str(refusal.exception.args[0]),
                self._translated(
                    code,
                    "Only support managers approve or refuse change requests: the "
                    "request waits for them in their activities.",
                ),
            )
            with self.assertRaises(AccessError) as refusal:
                instance = self.production_a
                instance.with_env(instance.env(**as_user)).action_end_hypercare()
            self.assertEqual(
                str(refusal.exception.args[0]),
                self._translated(code, "Only a support manager ends the hypercare."),
            )

    def test_screens_in_the_users_language(self):
        Instance = self.env["erp.instance"]
        form = self.env.ref("erp_key_user.view_erp_instance_hypercare_form")
        for code in LANGS:
            labels = Instance.with_context(lang=code).fields_get(["go_live_date"])
            self.assertEqual(
                labels["go_live_date"]["string"],
                self._translated(code, "Go-Live Date"),
            )
            arch = Instance.with_context(lang=code).get_views([(form.id, "form")])
            self.assertIn(
                self._translated(code, "First-level resolution rate"),
                arch["views"]["form"]["arch"],
            )
