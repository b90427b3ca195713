// Copyright 2026 erp_key_user contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { registry } from "@web/core/registry";

// A key user on a contact's form: cog menu › Report incident, fill the
// wizard, and land on the new incident.
registry.category("web_tour.tours").add("erp_key_user_report_incident_tour", {
    steps: () => [
        {
            content: "The contact form is open",
            trigger: ".o_form_view .o_field_widget[name=name]",
        },
        {
            content: "Open the cog menu",
            trigger: ".o_cp_action_menus button",
            run: "click",
        },
        {
            content: "Report incident",
            trigger: ".o_erp_key_user_report_incident:contains(Report incident)",
            run: "click",
        },
        {
            content: "The wizard knows the record",
            trigger: ".modal .o_field_widget[name=res_name]:contains(Tour Customer)",
        },
        {
            content: "Describe the problem",
            trigger: ".modal .o_field_widget[name=title] input",
            run: "edit Customer address is not printed on the delivery slip",
        },
        {
            trigger: ".modal .o_field_widget[name=description] textarea",
            run: "edit Printing the delivery slip of this customer",
        },
        {
            content: "Send",
            trigger: ".modal button[name=action_report]",
            run: "click",
        },
        {
            content: "The new incident is open",
            trigger:
                ".o_form_view .o_field_widget[name=title]:contains(Customer address is not printed), .o_form_view .o_field_widget[name=title] input:value(Customer address is not printed on the delivery slip)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=name]:contains(INC/)",
        },
    ],
});
