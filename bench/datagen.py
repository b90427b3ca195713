"""Bulk data in SQL: the same incidents for erp_key_user and tickets for
helpdesk_mgmt, with the rows each module's ORM would have written next to them
(a creation message and two followers per record).

Both tables get the same rows in the same order: row ``g`` of either module
has the same customer, title, status, dates and author. Records of one customer
are spread over the whole table (a random interleaving with a fixed seed), as
they are in a database that lived for years."""

import importlib.util
import os

HERE = os.path.dirname(os.path.abspath(__file__))

TITLE_VERBS = [
    "Cannot validate",
    "Error when posting",
    "Wrong total on",
    "Missing field in",
    "Slow loading of",
    "Cannot print",
    "Duplicate lines in",
    "Wrong tax on",
    "Cannot confirm",
    "Blank page on",
    "Wrong rounding in",
    "Cannot cancel",
    "Wrong currency on",
    "Cannot export",
    "Access denied on",
    "Wrong date on",
    "Cannot archive",
]
TITLE_OBJECTS = [
    "invoice",
    "delivery",
    "purchase order",
    "sales quotation",
    "payslip",
    "manufacturing order",
    "inventory adjustment",
    "vendor bill",
    "lot",
    "serial number",
    "bank statement",
    "timesheet",
    "credit note",
]
TITLE_CONTEXTS = [
    "after the last update",
    "for the Madrid warehouse",
    "with a customer discount",
    "in foreign currency",
    "when the period is closed",
    "for a returned product",
    "with partial quantities",
    "on the mobile app",
    "for intercompany orders",
    "in the monthly closing",
    "with several taxes",
]
# one title in len(verbs) * len(contexts) = 187 holds both words
SEARCH_WORDS = ["rounding", "warehouse"]
SOURCE_MODELS = [
    "account.move",
    "sale.order",
    "purchase.order",
    "stock.picking",
    "mrp.production",
    "hr.payslip",
    "res.partner",
]
# state of ours -> (stage name of helpdesk_mgmt's default data)
STAGE_OF_STATE = {
    "new": "New",
    "in_progress": "In Progress",
    "escalated": "Awaiting",
    "waiting_info": "Awaiting",
    "resolved": "Done",
    "closed": "Done",
    "cancelled": "Cancelled",
}


def distribution(total, customers, big, tiny):
    """Records per customer: customer 0 holds ``big``, customer 1 ``tiny``,
    the others share the rest evenly."""
    rest = total - big - tiny
    others = customers - 2
    if others < 1 or rest < others:
        raise ValueError("not enough records or customers for this distribution")
    counts = [big, tiny] + [rest // others] * others
    for i in range(rest - (rest // others) * others):
        counts[2 + i] += 1
    return counts


VERB = "(%(verbs)s)[r.g %% %(n_verbs)s + 1]"
OBJECT = "(%(objects)s)[r.g / %(n_verbs)s %% %(n_objects)s + 1]"
CONTEXT = "(%(contexts)s)[r.g / %(n_vo)s %% %(n_contexts)s + 1]"
TITLE_EXPR = f"{VERB} || ' ' || {OBJECT} || ' ' || {CONTEXT}"
DESCRIPTION_EXPR = f"'I wanted to ' || lower({VERB}) || ' the ' || {OBJECT}"

# The common part of both inserts: one row per record, with its customer and the
# values both modules share. ``g`` is the creation order (1 = oldest).
ROWS_SQL = """
CREATE TEMP TABLE bench_rows AS
WITH slots AS (
    SELECT c.idx
      FROM bench_customer c, generate_series(1, c.n)
), ordered AS (
    SELECT idx, row_number() OVER (ORDER BY random()) AS g FROM slots
)
SELECT o.g, c.*,
       floor(random() * 100)::int AS h,
       floor(random() * 10)::int AS h2,
       now() - interval '1095 days' * (1 - o.g::float / %(total)s)
             - interval '1 hour' AS created
  FROM ordered o JOIN bench_customer c ON c.idx = o.idx;
ALTER TABLE bench_rows ADD COLUMN updated timestamp;
UPDATE bench_rows SET updated = least(created + interval '5 days', now());
"""

STATE_SQL = """
ALTER TABLE bench_rows ADD COLUMN state varchar;
UPDATE bench_rows SET state = CASE
    WHEN g > %(total)s * 0.9 THEN (ARRAY['new', 'in_progress', 'escalated',
        'waiting_info', 'resolved'])[h %% 5 + 1]
    WHEN h >= 98 THEN 'escalated'
    WHEN h >= 88 THEN 'cancelled'
    ELSE 'closed' END;
ANALYZE bench_rows;
"""

INCIDENT_SQL = f"""
INSERT INTO erp_incident (
    name, title, kind, instance_id, company_id, partner_id, area_id, key_user_id,
    reporter_id, res_model, res_id, res_name, res_url, description,
    expected_result, actual_result, error_message, priority, state,
    resolution_level, escalated_on, sla_deadline, sla_breached, resolved_on,
    resolution, create_uid, create_date, write_uid, write_date)
SELECT
    'INC/' || extract(year FROM r.created) || '/'
        || lpad(r.g::text, greatest(5, length(r.g::text)), '0'),
    {TITLE_EXPR},
    CASE WHEN r.h2 < 6 THEN 'incident' ELSE 'question' END,
    r.instance_id, r.company_id,
    (SELECT partner_id FROM erp_instance WHERE id = r.instance_id),
    (%(areas)s)[r.g %% %(n_areas)s + 1],
    r.key_user_id,
    CASE WHEN r.consultation_user_id IS NOT NULL AND r.h2 >= 6
         THEN r.consultation_user_id ELSE r.key_user_id END,
    CASE WHEN r.h < 70 THEN (%(models)s)[r.g %% %(n_models)s + 1] END,
    CASE WHEN r.h < 70 THEN r.g %% 5000 + 1 END,
    CASE WHEN r.h < 70 THEN 'REF/' || (r.g %% 5000 + 1) END,
    CASE WHEN r.h < 70 THEN '/odoo/' || (%(models)s)[r.g %% %(n_models)s + 1]
        || '/' || (r.g %% 5000 + 1) END,
    {DESCRIPTION_EXPR},
    'The document is saved and posted.',
    'An error message appears and nothing is saved.',
    CASE WHEN r.h2 < 6 THEN 'ValidationError: the operation cannot be completed' END,
    (ARRAY['0', '1', '1', '1', '2', '3'])[r.h %% 6 + 1],
    r.state,
    CASE WHEN r.state IN ('resolved', 'closed')
         THEN CASE WHEN r.h2 < 3 THEN 'supplier' ELSE 'key_user' END END,
    CASE WHEN r.state IN ('escalated', 'waiting_info')
           OR (r.state IN ('resolved', 'closed') AND r.h2 < 3)
         THEN r.created + interval '1 day' END,
    CASE WHEN r.state IN ('escalated', 'waiting_info')
           OR (r.state IN ('resolved', 'closed') AND r.h2 < 3)
         THEN r.created + interval '4 days' END,
    r.state = 'escalated' AND r.h %% 3 = 0,
    CASE WHEN r.state IN ('resolved', 'closed') THEN r.updated END,
    CASE WHEN r.state IN ('resolved', 'closed')
         THEN '<p>Solved: see the process guide of the area.</p>' END,
    r.key_user_id, r.created, r.key_user_id, r.updated
  FROM bench_rows r
 ORDER BY r.g
"""

TICKET_SQL = f"""
INSERT INTO helpdesk_ticket (
    number, name, description, user_id, stage_id, partner_id,
    commercial_partner_id, partner_name, partner_email, company_id, team_id,
    priority, sequence, active, kanban_state, unattended, last_stage_update,
    assigned_date, closed_date, create_uid, create_date, write_uid, write_date)
SELECT
    'HT' || lpad(r.g::text, greatest(5, length(r.g::text)), '0'),
    {TITLE_EXPR},
    '<p>' || {DESCRIPTION_EXPR} || '</p>',
    r.helpdesk_user_id,
    s.id,
    r.contact_id, r.customer_id, r.contact_name, r.contact_email,
    r.company_id, r.team_id,
    (ARRAY['0', '1', '1', '1', '2', '3'])[r.h %% 6 + 1],
    10, TRUE, 'normal', s.unattended,
    r.updated,
    r.created,
    CASE WHEN s.closed THEN r.updated END,
    r.helpdesk_user_id, r.created, r.helpdesk_user_id, r.updated
  FROM bench_rows r
  JOIN bench_stage s ON s.state = r.state
 ORDER BY r.g
"""

# A creation message and two followers per record, as the ORM writes them.
MAIL_SQL = """
INSERT INTO mail_message (model, res_id, record_company_id, message_type,
    subtype_id, author_id, body, date, is_internal, create_uid, create_date,
    write_uid, write_date)
SELECT %(model)s, t.id, t.company_id, 'notification', %(subtype)s, p.partner_id,
       %(body)s, t.create_date, FALSE, t.create_uid, t.create_date,
       t.create_uid, t.create_date
  FROM {table} t JOIN res_users p ON p.id = t.create_uid;

INSERT INTO mail_followers (res_model, res_id, partner_id)
SELECT DISTINCT %(model)s, t.id, f.partner_id
  FROM {table} t
  JOIN bench_customer c ON {join}
  CROSS JOIN LATERAL (VALUES ({follower_a}), ({follower_b})) AS f(partner_id)
 WHERE f.partner_id IS NOT NULL;

INSERT INTO mail_followers_mail_message_subtype_rel (mail_followers_id,
    mail_message_subtype_id)
SELECT f.id, %(comment_subtype)s FROM mail_followers f
 WHERE f.res_model = %(model)s;
"""


def fill_self_help_texts(cr):
    """The texts the self-help search reads (its vectors follow in
    PostgreSQL), by the SQL of the 19.0.1.3.0 upgrade, which fills them on
    existing databases: rows inserted in SQL get none from the ORM."""
    path = os.path.join(
        os.path.dirname(HERE), "migrations", "19.0.1.3.0", "pre-migrate.py"
    )
    spec = importlib.util.spec_from_file_location("erp_key_user_self_help_sql", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    migration.create_functions(cr)
    migration.fill_incidents(cr)


def generate(conn, setup, counts, log=print):
    """Insert ``sum(counts)`` incidents and as many tickets."""
    total = sum(counts)
    customers = setup["customers"]
    with conn.cursor() as cr:
        cr.execute("SELECT setseed(0.2026)")
        cr.execute(
            """
            CREATE TEMP TABLE bench_customer (
                idx int, n int, company_id int, instance_id int,
                key_user_id int, key_user_partner_id int,
                consultation_user_id int, consultation_partner_id int,
                helpdesk_user_id int, helpdesk_user_partner_id int, team_id int,
                customer_id int, contact_id int, contact_name varchar,
                contact_email varchar)
            """
        )
        for customer, count in zip(customers, counts, strict=True):
            cr.execute(
                """
                INSERT INTO bench_customer
                SELECT %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, p.id,
                       p.name, p.email
                  FROM res_partner p WHERE p.id = %s
                """,
                [
                    customer["index"],
                    count,
                    customer["company_id"],
                    customer["instance_id"],
                    customer["key_user_id"],
                    customer["key_user_partner_id"],
                    customer.get("consultation_user_id"),
                    customer.get("consultation_partner_id"),
                    customer["helpdesk_user_id"],
                    customer["helpdesk_user_partner_id"],
                    customer["team_id"],
                    customer["customer_id"],
                    customer["contact_id"],
                ],
            )
        cr.execute(
            "CREATE TEMP TABLE bench_stage (state varchar, id int, "
            "closed bool, unattended bool)"
        )
        for state, stage_name in STAGE_OF_STATE.items():
            stage = next(s for s in setup["stages"] if s["name"] == stage_name)
            cr.execute(
                "INSERT INTO bench_stage VALUES (%s, %s, %s, %s)",
                [state, stage["id"], stage["closed"], stage["unattended"]],
            )
        cr.execute(ROWS_SQL, {"total": total})
        cr.execute(STATE_SQL, {"total": total})
        words = {
            "verbs": TITLE_VERBS,
            "objects": TITLE_OBJECTS,
            "contexts": TITLE_CONTEXTS,
            "n_verbs": len(TITLE_VERBS),
            "n_objects": len(TITLE_OBJECTS),
            "n_contexts": len(TITLE_CONTEXTS),
            "n_vo": len(TITLE_VERBS) * len(TITLE_OBJECTS),
            "models": SOURCE_MODELS,
            "n_models": len(SOURCE_MODELS),
            "areas": setup["areas"],
            "n_areas": len(setup["areas"]),
        }
        log("  inserting %d incidents" % total)
        cr.execute(INCIDENT_SQL, words)
        log("  filling their self-help texts as the module's upgrade does")
        fill_self_help_texts(cr)
        log("  inserting %d tickets" % total)
        cr.execute(TICKET_SQL, words)
        subtypes = setup["subtypes"]
        for table, model, join, subtype, body, follower_a, follower_b in (
            (
                "erp_incident",
                "erp.incident",
                "c.instance_id = t.instance_id",
                subtypes["mail.mt_note"],
                "<p>Incident created</p>",
                "c.key_user_partner_id",
                "CASE WHEN t.reporter_id = c.consultation_user_id "
                "THEN c.consultation_partner_id END",
            ),
            (
                "helpdesk_ticket",
                "helpdesk.ticket",
                "c.contact_id = t.partner_id",
                subtypes["helpdesk_mgmt.hlp_tck_created"],
                "<p>Ticket created</p>",
                "c.contact_id",
                "c.helpdesk_user_partner_id",
            ),
        ):
            log("  inserting messages and followers of %s" % model)
            cr.execute(
                MAIL_SQL.format(
                    table=table,
                    join=join,
                    follower_a=follower_a,
                    follower_b=follower_b,
                ),
                {
                    "model": model,
                    "subtype": subtype,
                    "body": body,
                    "comment_subtype": subtypes["mail.mt_comment"],
                },
            )
        # the sequences go on after the generated numbers
        for seq_id in setup["sequences"].values():
            if seq_id:
                cr.execute(
                    "ALTER SEQUENCE ir_sequence_%03d RESTART WITH %d"
                    % (seq_id, total + 1)
                )
    conn.commit()
    old_autocommit = conn.autocommit
    conn.autocommit = True
    with conn.cursor() as cr:
        log("  VACUUM ANALYZE")
        for table in (
            "erp_incident",
            "helpdesk_ticket",
            "mail_message",
            "mail_followers",
            "mail_followers_mail_message_subtype_rel",
            "res_partner",
            "res_users",
        ):
            cr.execute("VACUUM ANALYZE %s" % table)
    conn.autocommit = old_autocommit
    return total
