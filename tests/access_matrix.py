# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The access matrix as data: who may do what inside their own company.

``test_access_matrix`` asserts every cell by acting as the role, and
``tools/gen_readme.py`` prints it in the README. Plain Python on purpose: the
README generator imports it without Odoo."""

ROLES = (
    "manager",
    "key_user",
    "key_user_wh",
    "consultation",
    "portal",
    "portal_key_user",
    "agent",
    "employee",
    "portal_no_role",
    "public",
)
CONSULTATION = {
    "manager",
    "key_user",
    "key_user_wh",
    "consultation",
    "portal",
    "portal_key_user",
    "agent",
}
KEY_USERS = {"manager", "key_user", "key_user_wh"}

# object -> operation -> roles allowed (everybody else is denied)
MATRIX = {
    "incident": {
        "read": CONSULTATION,
        "write": KEY_USERS | {"agent"},
        "unlink": {"manager"},
    },
    "create_incident": {"create": {"manager", "key_user", "key_user_wh"}},
    # portal consultation users ask their key user on the portal
    "create_question": {
        "create": KEY_USERS | {"consultation", "portal", "portal_key_user", "agent"}
    },
    "guide_published": {
        "read": CONSULTATION,
        # finance: key_user's area only; agents write every customer's manuals
        "write": {"manager", "key_user", "agent"},
        "unlink": {"manager", "key_user", "agent"},
    },
    "guide_draft": {
        "read": KEY_USERS | {"agent"},
        "write": {"manager", "key_user_wh", "agent"},  # warehouse
    },
    "guide_internal": {"read": KEY_USERS | {"consultation", "agent"}},
    "create_guide": {"create": {"manager", "key_user", "agent"}},
    # readers read the published version, never the working copy's steps;
    # agents write every customer's manuals
    "step_published": {
        "read": KEY_USERS | {"agent"},
        "write": {"manager", "key_user", "agent"},
    },
    "step_draft": {"read": KEY_USERS | {"agent"}},
    # written by nobody: "Publish" creates them
    "version_published": {"read": CONSULTATION, "write": set(), "unlink": set()},
    "instance": {"read": CONSULTATION, "write": {"manager"}, "unlink": {"manager"}},
    "create_instance": {"create": {"manager"}},
    "area": {"read": CONSULTATION, "write": {"manager"}},
    "assignment": {"read": CONSULTATION, "write": {"manager"}, "unlink": {"manager"}},
}

# how the README names the roles and objects
ROLE_LABELS = {
    "manager": "Support manager",
    "key_user": "Key user (Finance)",
    "key_user_wh": "Key user (Warehouse)",
    "consultation": "Internal consultation user",
    "portal": "Portal consultation user",
    "portal_key_user": "Portal key user (a customer's)",
    "agent": "Support agent (the supplier's)",
    "employee": "Internal user without role",
    "portal_no_role": "Portal user without role",
    "public": "Public (anonymous)",
}
OBJECT_LABELS = {
    "incident": "Incident of the company",
    "create_incident": "New incident",
    "create_question": "New question",
    "guide_published": "Published Finance guide",
    "guide_draft": "Draft Warehouse guide",
    "guide_internal": "Published guide not shown on the portal",
    "create_guide": "New Finance guide",
    "step_published": "Step of a published Finance guide",
    "step_draft": "Step of a draft guide",
    "version_published": "Published version of the Finance guide",
    "instance": "ERP instance",
    "create_instance": "New ERP instance",
    "area": "Support area",
    "assignment": "Key-user assignment",
}
