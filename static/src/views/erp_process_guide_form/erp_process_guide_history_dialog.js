import { HistoryDialog } from "@html_editor/components/history_dialog/history_dialog";

/**
 * The HTML field history dialog without its "Restore history" button, for
 * the content of a guide the user cannot edit (archived, or not theirs).
 */
export class ErpProcessGuideReadonlyHistoryDialog extends HistoryDialog {
    static template = "erp_key_user.ErpProcessGuideReadonlyHistoryDialog";
    static props = {
        ...HistoryDialog.props,
        restoreRequested: { type: Function, optional: true },
    };
}
