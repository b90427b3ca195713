// Copyright 2026 erp_key_user contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { registry } from "@web/core/registry";

function openWizard(title) {
    return [
        {
            content: "Open the cog menu",
            trigger: ".o_form_view .o_cp_action_menus button",
            run: "click",
        },
        {
            content: "Ask key user",
            trigger: ".o_erp_key_user_report_incident:contains(Ask key user)",
            run: "click",
        },
        {
            content: "The dialog is titled for what the user does",
            trigger: ".modal .modal-title:contains(Ask Key User)",
        },
        {
            content: "Type a title, without leaving the field",
            trigger: ".modal .o_field_widget[name=title] input",
            run: `fill ${title}`,
        },
    ];
}

// A consultation user on a contact's form: cog menu › Ask key user. While
// the title is typed (no leaving the field), one list shows the guides and
// past answers that may solve it, each with the line that matched and the
// question's words marked; each opens above the wizard, which is still
// there, as it was, once the suggestion is closed. The first wizard is
// discarded (a doubt solved by self-help), the second one is sent.
registry.category("web_tour.tours").add("erp_key_user_report_wizard_suggestions_tour", {
    steps: () => [
        ...openWizard("Delivery slip has no address"),
        {
            content: "A guide is suggested with its matching line, the words marked",
            trigger:
                ".modal .o_field_widget[name=suggestions] .o_erp_suggestion[data-kind=guide]:contains(Printing delivery slips):contains(otherwise the slip shows no address) mark:contains(address)",
        },
        {
            content: "A past answer is suggested with its resolution, the words marked",
            trigger:
                ".modal .o_field_widget[name=suggestions] .o_erp_suggestion[data-kind=incident]:contains(Delivery slip prints without the address):contains(Set the delivery address on the order) .o_erp_suggestion_open mark:contains(Delivery)",
        },
        {
            content: "One list: no other block of suggestions",
            trigger: ".modal:not(:has(.o_field_widget[name=suggestion_html], .o_field_widget[name=suggested_guide_ids]))",
        },
        {
            content: "Open the past answer",
            trigger: ".modal .o_erp_suggestion_open:contains(Delivery slip prints without the address)",
            run: "click",
        },
        {
            content: "It opens above the wizard",
            trigger:
                ".modal .o_form_view .o_field_widget[name=title]:contains(Delivery slip prints without the address)",
        },
        {
            content: "Close it",
            trigger:
                ".modal:has(.o_form_view .o_field_widget[name=title]:contains(Delivery slip prints without the address)) .modal-header .btn-close",
            run: "click",
        },
        {
            content: "The wizard is as it was",
            trigger: ".modal .o_field_widget[name=title] input:value(Delivery slip has no address)",
        },
        {
            content: "Open the guide",
            trigger: ".modal .o_erp_suggestion_open:contains(Printing delivery slips)",
            run: "click",
        },
        {
            content: "The guide opens above the wizard",
            trigger: ".modal .o_form_view .o_field_widget[name=published_name]:contains(Printing delivery slips)",
        },
        {
            content: "Close it",
            trigger: ".modal:has(.o_form_view .o_field_widget[name=published_name]:contains(Printing delivery slips)) .modal-header .btn-close",
            run: "click",
        },
        {
            content: "Still the wizard, with the suggestions",
            trigger: ".modal .o_field_widget[name=title] input:value(Delivery slip has no address)",
        },
        {
            content: "Only the wizard is left",
            trigger: "body:not(:has(.modal .o_form_view .o_field_widget[name=published_name]))",
        },
        {
            content: "The doubt is solved: discard the wizard",
            trigger: ".modal footer button:contains(Discard)",
            run: "click",
        },
        {
            content: "Back on the contact",
            trigger: "body:not(:has(.modal)) .o_form_view .o_field_widget[name=name]",
        },
        // another doubt: a suggestion is read, but the question is sent
        ...openWizard("Delivery slip has no address again"),
        {
            content: "Open the past answer",
            trigger: ".modal .o_erp_suggestion_open:contains(Delivery slip prints without the address)",
            run: "click",
        },
        {
            content: "Close it",
            trigger:
                ".modal:has(.o_form_view .o_field_widget[name=title]:contains(Delivery slip prints without the address)) .modal-header .btn-close",
            run: "click",
        },
        {
            content: "Only the wizard is left",
            trigger:
                "body:not(:has(.modal .o_form_view .o_field_widget[name=title]:contains(Delivery slip prints without the address)))",
        },
        {
            content: "It did not help: send the question",
            trigger: ".modal footer button:contains(Send)",
            run: "click",
        },
        {
            content: "The question is sent",
            trigger:
                "body:not(:has(.modal)) .o_form_view .o_field_widget[name=title]:contains(Delivery slip has no address again)",
        },
    ],
});
