import { HistoryDialog } from "@html_editor/components/history_dialog/history_dialog";

/**
 * The HTML field history dialog without its "Restore history" button: a
 * published version is read and compared, never restored (reset the guide to
 * draft and restore its content instead).
 */
export class ErpProcessGuideReadonlyHistoryDialog extends HistoryDialog {
    static template = "erp_key_user.ErpProcessGuideReadonlyHistoryDialog";
    static props = {
        ...HistoryDialog.props,
        restoreRequested: { type: Function, optional: true },
    };
}
