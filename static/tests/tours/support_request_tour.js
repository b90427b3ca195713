// Copyright 2026 erp_key_user contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { registry } from "@web/core/registry";

const TITLE = "Payment run skips vendors without a bank account";
const REPLY = "Add a bank account to the vendor, then run the payment again.";

/** Select the option whose label contains ``label``. */
function selectOption(label) {
    return async function (helpers) {
        const option = [...this.anchor.options].find((opt) =>
            opt.textContent.includes(label)
        );
        if (!option) {
            throw new Error(`no option "${label}" in ${this.anchor.name}`);
        }
        await helpers.select(option.value);
    };
}

// A customer's portal key user sends a support request: refused once (a
// title that says nothing, no answers), then sent with the checklist answered.
registry.category("web_tour.tours").add("erp_key_user_support_request_tour", {
    url: "/my/incidents",
    steps: () => [
        {
            content: "Open the form",
            trigger: "a.o_erp_portal_new_request",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The staging instance is named",
            trigger: ".o_erp_request_staging_name:contains(staging)",
        },
        {
            content: "Choose the area",
            trigger: "select[name=area_id]",
            run: selectOption("Finance"),
        },
        {
            content: "A title that says nothing",
            trigger: "input[name=title]",
            run: "edit Problem",
        },
        {
            content: "Send it",
            trigger: "button.o_erp_request_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Refused: the title is one of the problems listed",
            trigger: ".o_erp_request_errors li:contains(does not say what happens)",
        },
        {
            content: "Every problem is listed",
            trigger: ".o_erp_request_errors li:contains(what result was expected)",
        },
        {
            content: "What was chosen is kept",
            trigger: "select[name=area_id]",
            run() {
                const chosen = this.anchor.selectedOptions[0]?.textContent || "";
                if (!chosen.includes("Finance")) {
                    throw new Error(`the area chosen was lost: "${chosen}"`);
                }
            },
        },
        {
            content: "A descriptive title",
            trigger: "input[name=title]",
            run: `edit ${TITLE}`,
        },
        {
            content: "What the user was doing",
            trigger: "textarea[name=description]",
            run: "edit Confirming the weekly vendor payment run.",
        },
        {
            content: "What was expected",
            trigger: "textarea[name=expected_result]",
            run: "edit Every due vendor bill is paid.",
        },
        {
            content: "What happened instead",
            trigger: "textarea[name=actual_result]",
            run: "edit Vendors without a bank account are skipped.",
        },
        {
            content: "The error message",
            trigger: "textarea[name=error_message]",
            run: "edit No bank account for this partner.",
        },
        {
            content: "The guide followed",
            trigger: "select[name=guide_id]",
            run: selectOption("vendor payments"),
        },
        {
            content: "Reproduced on staging",
            trigger: "input[name=reproduced_in_staging]",
            run: "check",
        },
        {
            content: "No reason is asked any more",
            trigger: ".o_erp_request_not_reproduced.d-none:not(:visible)",
        },
        {
            content: "Send it",
            trigger: "button.o_erp_request_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Sent: the request's page says so",
            trigger: ".o_erp_portal_request_sent",
        },
        {
            content: "It is escalated",
            trigger: ".o_erp_incident_state[data-state=escalated]",
        },
    ],
});

// The supplier's agent answers it publicly in the backend chatter.
registry.category("web_tour.tours").add("erp_key_user_support_request_agent_tour", {
    steps: () => [
        {
            content: "The request is open",
            trigger: `.o_form_view .o_field_widget[name=title]:contains(${TITLE}), .o_form_view .o_field_widget[name=title] input`,
        },
        {
            content: "Write to the customer",
            trigger: ".o-mail-Chatter-sendMessage",
            run: "click",
        },
        {
            content: "The answer",
            trigger: ".o-mail-Composer-input",
            run: `edit ${REPLY}`,
        },
        {
            content: "Send it",
            trigger: ".o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "It is in the chatter",
            trigger: `.o-mail-Message-body:contains(${REPLY})`,
        },
    ],
});

// The customer's key user reads the answer on the portal.
registry.category("web_tour.tours").add("erp_key_user_support_request_reply_tour", {
    steps: () => [
        {
            content: "The agent's answer is in the communication history",
            trigger: `#chatterRoot:shadow .o-mail-Message:contains(${REPLY})`,
        },
    ],
});
