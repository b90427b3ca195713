# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ERP Key Users",
    "summary": "First-line ERP support: key users, consultation users, "
    "incidents, escalation to the implementation partner and process guides",
    "version": "19.0.1.3.0",
    "category": "Services/Key User Support",
    "website": "https://github.com/erp-key-user/erp_key_user",
    "author": "erp_key_user contributors",
    "license": "LGPL-3",
    "depends": ["mail", "portal", "resource", "html_editor"],
    "data": [
        "security/erp_key_user_groups.xml",
        "security/ir.model.access.csv",
        "security/erp_key_user_rules.xml",
        "security/erp_self_help_rules.xml",
        "data/erp_incident_sequence.xml",
        "data/erp_support_area_data.xml",
        "data/mail_message_subtype_data.xml",
        "data/mail_template_data.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        # first: the incident views' Ask Key User button opens its action
        "wizards/erp_incident_report_wizard_views.xml",
        "views/erp_incident_views.xml",
        "views/erp_change_request_views.xml",
        "views/erp_process_guide_views.xml",
        "report/erp_process_guide_report.xml",
        "views/erp_instance_views.xml",
        "views/erp_support_area_views.xml",
        "views/erp_key_user_assignment_views.xml",
        "views/res_config_settings_views.xml",
        "views/res_users_views.xml",
        "wizards/erp_incident_escalate_wizard_views.xml",
        "wizards/erp_process_guide_version_compare_views.xml",
        "report/erp_incident_analysis_views.xml",
        "views/menus.xml",
        "report/erp_self_help_analysis_views.xml",
        "views/portal_templates.xml",
        "views/portal_question_templates.xml",
        "views/portal_request_templates.xml",
    ],
    "demo": [
        "demo/erp_key_user_demo.xml",
        "demo/erp_key_user_platform_demo.xml",
        "demo/erp_key_user_platform_question_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "erp_key_user/static/src/cog_menu/**/*",
            "erp_key_user/static/src/error_dialog/**/*",
            "erp_key_user/static/src/fields/**/*",
            "erp_key_user/static/src/report_wizard/**/*",
            "erp_key_user/static/src/views/erp_process_guide_form/**/*",
        ],
        "web.assets_frontend": [
            "erp_key_user/static/src/interactions/**/*",
        ],
        "web.assets_unit_tests": [
            "erp_key_user/static/tests/**/*.test.js",
        ],
        "web.assets_tests": [
            "erp_key_user/static/tests/tours/**/*",
        ],
    },
    "application": True,
    "installable": True,
}
