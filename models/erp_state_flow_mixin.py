# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models
from odoo.exceptions import UserError


class ErpStateFlowMixin(models.AbstractModel):
    """One guard for the ``state`` of incidents and process guides.

    The model lists its transitions in ``_state_transitions`` (action ->
    (states it may start from, state it leads to)) and gives the sentence
    refusing each action in ``_get_transition_error``. An action is refused for
    the whole recordset, before anything is written, as soon as one record is
    in a state the table does not allow it from."""

    _name = "erp.state.flow.mixin"
    _description = "State machine of a workflow record"

    # action -> (states it may start from, state it leads to)
    _state_transitions = {}
    # the placeholder naming the record in the refusal sentences
    _state_flow_record_key = "record"

    def _get_transition_error(self, action):
        """The sentence refusing ``action`` to a record in another state, with
        the record (``_state_flow_record_key``) and ``%(state)s`` to fill in."""
        raise NotImplementedError

    def _get_transition_target(self, action):
        return self._state_transitions[action][1]

    def _check_transition(self, action):
        """Raise a ``UserError`` naming the first record that ``action`` may
        not move, and the state it is in."""
        allowed_from = self._state_transitions[action][0]
        refused = self.filtered(lambda record: record.state not in allowed_from)[:1]
        if refused:
            state_labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self._get_transition_error(action)
                % {
                    self._state_flow_record_key: refused.display_name,
                    "state": state_labels[refused.state],
                }
            )
