# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""19.0.1.3.0: the self-help texts of the process guides, in SQL, from their
last published version (see pre-migrate.py, which added the columns and
filled the incidents'). After the update: on an upgrade from before
19.0.1.1.0 the published versions are made by that version's post-migrate,
which runs before this one."""

import importlib.util
import os

_spec = importlib.util.spec_from_file_location(
    "erp_key_user_pre_migrate_19_0_1_3_0",
    os.path.join(os.path.dirname(__file__), "pre-migrate.py"),
)
pre_migrate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pre_migrate)


def migrate(cr, version):
    if not version:
        return
    pre_migrate.create_functions(cr)
    pre_migrate.fill_guides(cr)
