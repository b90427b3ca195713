// Copyright 2026 erp_key_user contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { describe, expect, test } from "@odoo/hoot";
import { click, queryAllTexts } from "@odoo/hoot-dom";
import { animationFrame } from "@odoo/hoot-mock";
import {
    makeDialogMockEnv,
    mockService,
    mountWithCleanup,
    onRpc,
} from "@web/../tests/web_test_helpers";
import { ErrorDialog } from "@web/core/errors/error_dialogs";
import { defineMailModels } from "@mail/../tests/mail_test_helpers";

import { reportIncidentCogMenuItem } from "@erp_key_user/cog_menu/report_incident_cog_menu";

describe.current.tags("desktop");
defineMailModels();

function groupsAre(groups) {
    onRpc("has_group", ({ args }) => groups.includes(args[1]));
}

async function mountErrorDialog() {
    const env = await makeDialogMockEnv();
    await mountWithCleanup(ErrorDialog, {
        env,
        props: {
            name: "odoo.exceptions.ValidationError",
            message: "The move is not balanced.",
            traceback: "Traceback (most recent call last): ...",
            close: () => expect.step("close"),
        },
    });
}

test("error dialog: a key user reports the error as an incident", async () => {
    groupsAre(["erp_key_user.group_key_user", "erp_key_user.group_consultation_user"]);
    mockService("action", {
        doAction(action, options) {
            expect.step([action, options.additionalContext.default_error_message]);
        },
    });
    await mountErrorDialog();
    expect(queryAllTexts("footer button")).toEqual(["Close", "Report incident"]);
    await click(".o_erp_key_user_report_error");
    await animationFrame();
    expect.verifySteps([
        "close",
        [
            "erp_key_user.action_erp_incident_report_wizard",
            "Odoo Error\nodoo.exceptions.ValidationError\nThe move is not balanced.",
        ],
    ]);
});

test("error dialog: a consultation user asks the key user", async () => {
    groupsAre(["erp_key_user.group_consultation_user"]);
    await mountErrorDialog();
    expect(queryAllTexts("footer button")).toEqual(["Close", "Ask key user"]);
});

test("error dialog: nothing for users without a role", async () => {
    groupsAre([]);
    await mountErrorDialog();
    expect(queryAllTexts("footer button")).toEqual(["Close"]);
});

test("error dialog: still shown when the role cannot be checked", async () => {
    onRpc("has_group", () => {
        throw new Error("server down");
    });
    await mountErrorDialog();
    expect(queryAllTexts("footer button")).toEqual(["Close"]);
});

test("cog menu entry: form views of consultation users only", async () => {
    const formEnv = (resModel) => ({
        config: { viewType: "form" },
        model: { root: { resModel, resId: 7 } },
    });
    await makeDialogMockEnv();
    groupsAre(["erp_key_user.group_consultation_user"]);
    expect(await reportIncidentCogMenuItem.isDisplayed(formEnv("res.partner"))).toBe(true);
    expect(
        await reportIncidentCogMenuItem.isDisplayed({
            config: { viewType: "list" },
            model: { root: { resModel: "res.partner" } },
        })
    ).toBe(false);
    expect(
        await reportIncidentCogMenuItem.isDisplayed(formEnv("erp.incident.report.wizard"))
    ).toBe(false);
});

test("cog menu entry: hidden without the consultation role", async () => {
    await makeDialogMockEnv();
    groupsAre([]);
    expect(
        await reportIncidentCogMenuItem.isDisplayed({
            config: { viewType: "form" },
            model: { root: { resModel: "res.partner", resId: 7 } },
        })
    ).toBe(false);
});
