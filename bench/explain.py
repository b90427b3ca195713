"""Query plans of the SQL that the measured requests really ran (taken from
the server's SQL debug log): ``EXPLAIN (ANALYZE, BUFFERS)`` of every SELECT
on the incident and ticket tables, and a flag on any plan that reads the whole
table (a sequential scan, or an index scan that reads more than half of it)."""

import re

TABLES = ("erp_incident", "helpdesk_ticket")
WHOLE_TABLE_SHARE = 0.5


def _tables_in(sql):
    return [t for t in TABLES if re.search(r'\b"?%s"?\b' % t, sql)]


def _walk(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from _walk(child)


def _scans(plan, reltuples):
    """(table, node type, index, rows read, whole table?) of each scan node."""
    for node in _walk(plan):
        table = node.get("Relation Name")
        if table not in TABLES:
            continue
        loops = node.get("Actual Loops", 1) or 1
        read = (
            node.get("Actual Rows", 0)
            + node.get("Rows Removed by Filter", 0)
            + node.get("Rows Removed by Index Recheck", 0)
        ) * loops
        whole = node["Node Type"] == "Seq Scan" or (
            reltuples.get(table, 0) > 0 and read > WHOLE_TABLE_SHARE * reltuples[table]
        )
        yield table, node["Node Type"], node.get("Index Name"), int(read), whole


def explain_statements(conn, statements):
    """``statements``: [(label, sql)]. Return one dict per distinct SELECT on
    the tables: label, sql, execution ms, text plan, scans, whole-table flag."""
    reltuples = {}
    with conn.cursor() as cr:
        for table in TABLES:
            cr.execute("SELECT count(*) FROM %s" % table)
            reltuples[table] = cr.fetchone()[0]
    results, seen = [], set()
    for label, sql in statements:
        key = (label, sql)
        if key in seen or not _tables_in(sql):
            continue
        seen.add(key)
        if not re.match(r"\s*(SELECT|WITH)\b", sql, re.I):
            continue
        with conn.cursor() as cr:
            try:
                cr.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
                plan = cr.fetchone()[0][0]
                cr.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                text = "\n".join(row[0] for row in cr.fetchall())
            except Exception as exc:  # a statement that needs its transaction
                conn.rollback()
                results.append({"label": label, "sql": sql, "error": str(exc)})
                continue
            finally:
                conn.rollback()
        scans = list(_scans(plan["Plan"], reltuples))
        results.append(
            {
                "label": label,
                "sql": sql,
                "ms": plan.get("Execution Time", 0.0),
                "plan": text,
                "scans": scans,
                "whole_table": [s for s in scans if s[4]],
            }
        )
    return results, reltuples
