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
import { ErrorDialog, RPCErrorDialog } from "@web/core/errors/error_dialogs";
import { defineMailModels } from "@mail/../tests/mail_test_helpers";

import { reportIncidentCogMenuItem } from "@erp_key_user/cog_menu/report_incident_cog_menu";
import { ERROR_TEXT_MAX_LENGTH } from "@erp_key_user/error_dialog/report_incident_error_dialog";
import { SuggestionListField } from "@erp_key_user/report_wizard/suggestion_list_field";

describe.current.tags("desktop");
defineMailModels();

function groupsAre(groups) {
    onRpc("has_group", ({ args }) => groups.includes(args[1]));
}

async function mountErrorDialog(Dialog = ErrorDialog, props = {}) {
    const env = await makeDialogMockEnv();
    await mountWithCleanup(Dialog, {
        env,
        props: {
            name: "odoo.exceptions.ValidationError",
            message: "The move is not balanced.",
            traceback: "Traceback (most recent call last): ...",
            close: () => expect.step("close"),
            ...props,
        },
    });
}

function recordActions(currentController) {
    const calls = [];
    mockService("action", {
        get currentController() {
            return currentController;
        },
        doAction(action, options) {
            calls.push([action, options.additionalContext]);
        },
    });
    return calls;
}

test("error dialog: a key user reports the error as an incident", async () => {
    groupsAre(["erp_key_user.group_key_user", "erp_key_user.group_consultation_user"]);
    const calls = recordActions(undefined);
    await mountErrorDialog();
    expect(queryAllTexts("footer button")).toEqual(["Close", "Report incident"]);
    await click(".o_erp_key_user_report_error");
    await animationFrame();
    expect.verifySteps(["close"]);
    expect(calls).toEqual([
        [
            "erp_key_user.action_erp_incident_report_wizard",
            {
                default_error_message:
                    "Odoo Error\nodoo.exceptions.ValidationError\nThe move is not balanced." +
                    "\n\nTraceback (most recent call last): ...",
            },
        ],
    ]);
});

test("error dialog: a server error carries the exception, the traceback and the record", async () => {
    groupsAre(["erp_key_user.group_consultation_user"]);
    const calls = recordActions({
        view: { type: "form" },
        props: { resModel: "account.move", resId: 7 },
        currentState: { resId: 9 },
    });
    // what Odoo's rpcErrorHandler gives the dialog for a UserError
    await mountErrorDialog(RPCErrorDialog, {
        name: "RPC_ERROR",
        message: "Odoo Server Error",
        type: "server",
        exceptionName: "odoo.exceptions.UserError",
        traceback: "Error: RPC_ERROR at rpc.js",
        data: {
            name: "odoo.exceptions.UserError",
            message: "You cannot post an unbalanced entry.",
            debug: 'File "account_move.py", line 42\nUserError: unbalanced',
        },
    });
    expect(queryAllTexts("footer button")).toEqual(["Close", "Ask key user"]);
    await click(".o_erp_key_user_report_error");
    await animationFrame();
    expect.verifySteps(["close"]);
    const [[action, context]] = calls;
    expect(action).toBe("erp_key_user.action_erp_incident_ask_key_user");
    expect(context.active_model).toBe("account.move");
    expect(context.active_id).toBe(9, { message: "the record shown, after paging" });
    const text = context.default_error_message;
    expect(text).toMatch(/^Invalid Operation\nodoo\.exceptions\.UserError\nYou cannot post an unbalanced entry\./);
    expect(text).toInclude('File "account_move.py", line 42');
    const head = text.split("\n\n")[0];
    expect(head).not.toInclude("RPC_ERROR");
    expect(head).not.toInclude("Odoo Server Error");
});

test("error dialog: a list refers to its model only, a huge traceback keeps its end", async () => {
    groupsAre(["erp_key_user.group_key_user"]);
    const calls = recordActions({ view: { type: "list" }, props: { resModel: "res.partner" } });
    await mountErrorDialog(ErrorDialog, { traceback: "x".repeat(60000) + "THE END" });
    await click(".o_erp_key_user_report_error");
    await animationFrame();
    expect.verifySteps(["close"]);
    const [[, context]] = calls;
    expect(context.active_model).toBe("res.partner");
    expect(context.active_id).toBe(false);
    expect(context.default_error_message.length).toBe(ERROR_TEXT_MAX_LENGTH);
    expect(context.default_error_message).toInclude("THE END");
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

test("suggestions: title and matching line, the question's words marked, escaped", async () => {
    await makeDialogMockEnv();
    const suggestion = {
        model: "erp.incident",
        kind: "incident",
        kind_label: "Solved before",
        id: 3,
        reference: "INC/3",
        title: [
            ["<b>Ostolaskun</b>", true],
            [" kirjaus", false],
        ],
        line: [
            ["Valitse ", false],
            ["ostolaskulle", true],
            [" <img src=x>", false],
        ],
    };
    await mountWithCleanup(SuggestionListField, {
        props: { name: "suggestions", record: { data: { suggestions: [suggestion] } } },
    });
    expect(".o_erp_suggestion").toHaveCount(1);
    expect(queryAllTexts(".o_erp_suggestion mark")).toEqual(["<b>Ostolaskun</b>", "ostolaskulle"]);
    expect(".o_erp_suggestion_excerpt").toHaveText("Valitse ostolaskulle <img src=x>");
    expect(".o_erp_suggestion b, .o_erp_suggestion img").toHaveCount(0);
});
