// Copyright 2026 erp_key_user contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { registry } from "@web/core/registry";

const TITLE = "Stock valuation entry is not posted";
const COMMENT = "Thank you, the valuation entries are posted again.";

function fitsScreenStep(trigger) {
    return {
        content: "The page fits the screen width",
        trigger,
        run() {
            const overflow = document.documentElement.scrollWidth - window.innerWidth;
            if (overflow > 0) {
                throw new Error(`${window.location.pathname} overflows by ${overflow}px`);
            }
        },
    };
}

function historySteps() {
    return [
        {
            content: "Filter the list",
            trigger: "#portal_searchbar_filters",
            run: "click",
        },
        {
            content: "Show the history",
            trigger: ".dropdown-menu a.dropdown-item:contains(History)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The history filter is active (its menu is closed)",
            trigger: "a.dropdown-item.active:not(:visible):contains(History)",
        },
        {
            content: "Open the resolved incident",
            trigger: `.o_erp_portal_incident_row a:contains(${TITLE})`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Read how it was resolved",
            trigger: ".o_erp_incident_resolution:contains(Set the stock input account)",
        },
        {
            content: "Its status",
            trigger: ".o_erp_incident_state[data-state=resolved]",
        },
    ];
}

function commentSteps() {
    return [
        {
            content: "Write a comment",
            trigger: "#chatterRoot:shadow .o-mail-Composer-input",
            run: `edit ${COMMENT}`,
        },
        {
            content: "Send it",
            trigger: "#chatterRoot:shadow .o-mail-Composer button:contains(Send):enabled",
            run: "click",
        },
        {
            content: "The comment is in the chatter",
            trigger: `#chatterRoot:shadow .o-mail-Message:contains(${COMMENT})`,
        },
    ];
}

// A portal consultation user looks for an incident in the history, reads how
// it was resolved and comments on it.
registry.category("web_tour.tours").add("erp_key_user_portal_tour", {
    url: "/my/incidents",
    steps: () => [...historySteps(), ...commentSteps()],
});

// The same on a phone: the search bar is collapsed behind its toggler and
// nothing may overflow the screen width.
registry.category("web_tour.tours").add("erp_key_user_portal_mobile_tour", {
    url: "/my/incidents",
    steps: () => [
        fitsScreenStep(".o_erp_portal_incident_row"),
        {
            content: "Open the collapsed search bar",
            trigger: ".o_portal_navbar .navbar-toggler",
            run: "click",
        },
        ...historySteps(),
        fitsScreenStep("#erp_incident_details"),
        {
            content: "The problem persists button is there",
            trigger: ".o_erp_portal_persists .o_erp_portal_persists_toggle",
            run: "click",
        },
        {
            content: "It asks what still fails before sending it back",
            trigger: ".o_erp_portal_persists textarea[name=details]:visible",
        },
        ...commentSteps(),
    ],
});
