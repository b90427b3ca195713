# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import functools
import re
from difflib import SequenceMatcher

from markupsafe import Markup, escape

from odoo import api, models
from odoo.tools import SQL

from .erp_self_help_mixin import CJK_RUN_RE, SIMPLE_CONFIG, TS_CONFIGS, cjk_bigrams

ANSWERED_STATES = ("resolved", "closed")
# a question is stemmed in every language: the asker may write in another
# language than their user's, and each record's vector holds only the lexemes
# of its own language, so a lexeme of the wrong stemmer rarely matches anything
QUERY_CONFIGS = (*TS_CONFIGS.values(), SIMPLE_CONFIG)
MAX_TOKENS = 24
MAX_TYPO_TOKENS = 8
MIN_TYPO_LENGTH = 5
# pg_trgm's default word_similarity_threshold: the `<%` operator (index) uses it
TYPO_SIMILARITY = 0.6
TYPO_WEIGHT = 0.15
SAME_MODEL_BOOST = 0.5
SAME_AREA_BOOST = 0.25
# a guide of the form scores this much without any word in common
FORM_GUIDE_SCORE = 0.01
# the question's words whose pairs pick the incidents ranked first
MAX_PAIR_WORDS = 8
# incidents sharing one word only: ranked among the user's newest ones
MAX_ONE_WORD_CANDIDATES = 2000
SNIPPET_SIZE = 160


class ErpSelfHelp(models.AbstractModel):
    """The self-help search: the answers already written (published guides,
    resolved incidents) that match a question, best first.

    Used by the report wizard's suggestions, the similar incidents of an
    incident, and any portal form. Everything is read with the rights of the
    user who asks: the candidates come from the ORM's own query of each model
    (record rules included), only the ranking is added in SQL."""

    _name = "erp.self.help"
    _description = "Self-Help Search"

    # ------------------------------------------------------------------
    # public
    # ------------------------------------------------------------------

    @api.model
    def _search_answers(
        self,
        text,
        res_model=None,
        area=None,
        limit=5,
        guides=True,
        incidents=True,
        incident_states=ANSWERED_STATES,
        exclude=None,
    ):
        """Up to ``limit`` answers to ``text``, best first: a list of dicts
        ``{"record", "score", "terms"}`` mixing guides and incidents.

        Ranked by full-text relevance (stemmed in English, Finnish, Swedish and
        Spanish; Chinese by character bigrams; the title counts more than the
        body), plus trigram similarity for misspelt words, boosted when the
        record belongs to the same form (``res_model``) and ``area``; recency
        only breaks ties. Guides covering ``res_model`` come even without a
        word in common, after the matches. ``terms`` are the question's words
        for highlighting (``_highlight``). Only published guides and
        incidents in ``incident_states`` are considered, and only those the
        current user may read."""
        tokens = self._get_query_tokens(text)
        model_id = self._get_model_id(res_model)
        if not tokens and not model_id:
            return []
        # trigrams only for the words no answer contains as written: a
        # misspelling. Over a long history the trigram scan of a common word
        # costs more than the whole full-text search.
        stop_words, typos = self._classify_tokens(tokens, self._get_typo_tokens(tokens))
        # what the highlighting marks: "the" or "och" explain no match
        terms = [token for token in tokens if token not in stop_words] or tokens
        hits = []
        if guides:
            hits += self._search_guides(tokens, typos, model_id, area, limit, exclude)
        if incidents and incident_states:
            hits += self._search_incidents(
                tokens,
                typos,
                res_model,
                area,
                limit,
                incident_states,
                exclude,
                words=[token for token in tokens if token not in stop_words],
            )
        hits.sort(key=lambda hit: (hit["score"], hit["recency"]), reverse=True)
        for hit in hits:
            hit["terms"] = terms
            del hit["recency"]
        return hits[:limit]

    # ------------------------------------------------------------------
    # question
    # ------------------------------------------------------------------

    @api.model
    def _get_query_tokens(self, text):
        """The question's words, lowercase, Chinese as bigrams, without repeats."""
        tokens = []
        for token in re.findall(r"\w+", cjk_bigrams(text).lower()):
            if (len(token) > 1 or CJK_RUN_RE.match(token)) and token not in tokens:
                tokens.append(token)
        return tokens[:MAX_TOKENS]

    @api.model
    def _get_model_id(self, res_model):
        if not res_model or res_model not in self.env:
            return False
        return self.env["ir.model"]._get_id(res_model)

    @api.model
    def _get_tsquery_sql(self, tokens):
        """Any of the words, stemmed by every configuration (an OR query: a
        paraphrase shares only some words with the answer)."""
        any_word = " | ".join("'%s'" % token for token in tokens)
        return SQL(
            "(%s)",
            SQL(" || ").join(
                SQL("to_tsquery(%s::regconfig, %s)", config, any_word)
                for config in QUERY_CONFIGS
            ),
        )

    @api.model
    def _get_typo_tokens(self, tokens):
        return [
            token
            for token in tokens
            if len(token) >= MIN_TYPO_LENGTH
            and not token.isdigit()
            and not CJK_RUN_RE.match(token)
        ][:MAX_TYPO_TOKENS]

    @api.model
    def _get_unknown_tokens(self, tokens):
        """The words of ``tokens`` that no answer the user may read contains."""
        return self._classify_tokens(tokens, tokens)[1]

    @api.model
    def _classify_tokens(self, tokens, candidates):
        """(stop words, unknown words) of the question, in one query: the
        words that are stop words of one of the stemmed languages ("the",
        "och", "ja", "de"), and the ``candidates`` that no answer the user
        may read contains in any language's stemming: probably misspelt.

        It tells only whether a word occurs somewhere, never where, and only
        among the records of the user's record rules: whether another
        customer's or company's text holds a word changes nothing in what
        the user gets."""
        if not tokens:
            return set(), []
        stop = SQL(" OR ").join(
            SQL("length(to_tsvector(%s::regconfig, t.word)) = 0", config)
            for config in TS_CONFIGS.values()
        )
        unknown = SQL("FALSE")
        if candidates:
            word_query = SQL(" || ").join(
                SQL("to_tsquery(%s::regconfig, quote_literal(t.word))", config)
                for config in QUERY_CONFIGS
            )
            exists = []
            for model in ("erp.incident", "erp.process.guide"):
                Model = self.env[model]
                Model.flush_model(
                    ["self_help_title", "self_help_text", "self_help_lang"]
                )
                query = Model._search([])
                query.add_where(
                    SQL(
                        "%s @@ (%s)",
                        SQL.identifier(query.table, "self_help_vector"),
                        word_query,
                    )
                )
                exists.append(SQL("EXISTS (%s)", query.select(SQL("1"))))
            unknown = SQL(
                "t.word = ANY(%s) AND NOT (%s)",
                list(candidates),
                SQL(" OR ").join(exists),
            )
        rows = self.env.execute_query(
            SQL(
                "SELECT t.word, %s, %s FROM unnest(%s::text[]) AS t(word)",
                stop,
                unknown,
                list(tokens),
            )
        )
        stop_words = {word for word, is_stop, _unknown in rows if is_stop}
        unknown_words = {word for word, _stop, is_unknown in rows if is_unknown}
        return stop_words, [token for token in candidates if token in unknown_words]

    # ------------------------------------------------------------------
    # SQL
    # ------------------------------------------------------------------

    def _get_match_sql(self, alias, tokens, typos, pairs=None):
        """(condition, score) of the words for the table ``alias``, and of
        the misspelt words ``typos`` by trigram similarity to the title. With
        ``pairs``, only the rows holding one of those pairs of words match
        (the score is the same)."""
        if not tokens:
            return SQL("FALSE"), SQL("0")
        vector = SQL.identifier(alias, "self_help_vector")
        title = SQL.identifier(alias, "self_help_title")
        tsquery = self._get_tsquery_sql(tokens)
        # a subquery hides the words from the planner, which estimates a text
        # query's rows as if its words were independent, expects most of a
        # long history for common words and reads every row (half a second on
        # 200,000 incidents) where the vectors' index or the ids find the rows
        # in milliseconds
        conditions = [SQL("%s @@ (SELECT %s)", vector, pairs or tsquery)]
        score = [SQL("ts_rank(%s, %s)", vector, tsquery)]
        for token in typos:
            # `<%` is what the trigram index serves; the similarity is added
            # to the score only above the same threshold
            conditions.append(SQL("%s <%% %s", token, title))
            similarity = SQL("word_similarity(%s, %s)", token, title)
            score.append(
                SQL(
                    "CASE WHEN %s >= %s THEN %s * %s ELSE 0 END",
                    similarity,
                    TYPO_SIMILARITY,
                    similarity,
                    TYPO_WEIGHT,
                )
            )
        return SQL("(%s)", SQL(" OR ").join(conditions)), SQL(" + ").join(score)

    def _run_ranked_query(self, model, query, condition, score, recency, limit):
        """Rank the rows of ``query`` (the ORM's, record rules included) that
        meet ``condition``; return [{record, score, recency}]."""
        # the vector is generated by PostgreSQL from columns the ORM may still
        # hold in memory (a resolution just written): write them first
        model.flush_model()
        query.add_where(condition)
        query.order = SQL(
            "score DESC, recency DESC NULLS LAST, %s DESC",
            SQL.identifier(query.table, "id"),
        )
        query.limit = limit
        rows = self.env.execute_query(
            query.select(
                SQL.identifier(query.table, "id"),
                SQL("%s AS score", score),
                SQL("%s AS recency", recency),
            )
        )
        records = model.browse([row[0] for row in rows])
        return [
            {"record": record, "score": row[1], "recency": row[2]}
            for record, row in zip(records, rows, strict=True)
        ]

    def _search_guides(self, tokens, typos, model_id, area, limit, exclude):
        Guide = self.env["erp.process.guide"]
        domain = [("state", "=", "published")]
        if exclude and exclude._name == Guide._name:
            domain.append(("id", "not in", exclude.ids))
        query = Guide._search(domain)
        alias = query.table
        condition, score = self._get_match_sql(alias, tokens, typos)
        same_model = SQL("FALSE")
        if model_id:
            same_model = SQL(
                "EXISTS (SELECT 1 FROM erp_process_guide_ir_model_rel rel "
                "WHERE rel.guide_id = %s AND rel.model_id = %s)",
                SQL.identifier(alias, "id"),
                model_id,
            )
            # the guides of the form are self-help even without a common word
            condition = SQL("(%s OR %s)", condition, same_model)
            score = SQL("GREATEST(%s, %s)", score, FORM_GUIDE_SCORE)
        score = self._boost(score, same_model, alias, area)
        return self._run_ranked_query(
            Guide,
            query,
            condition,
            score,
            SQL("%s", SQL.identifier(alias, "published_on")),
            limit,
        )

    def _search_incidents(
        self, tokens, typos, res_model, area, limit, states, exclude, words=()
    ):
        """Incidents ranked as ``_get_match_sql`` scores them: first those
        sharing two of the question's ``words`` (stop words aside), however
        old; when they are fewer than ``limit``, then those sharing only one,
        among the user's newest ``MAX_ONE_WORD_CANDIDATES``. On a long history
        a common word is in a row out of two, and ranking them all costs more
        than the rest of the form (200,000 incidents: over half a second a
        question). A question of one word is looked up in the whole history."""
        if not tokens:
            return []
        domain = [("state", "in", list(states))]
        if exclude and exclude._name == "erp.incident":
            domain.append(("id", "not in", exclude.ids))
        rank = functools.partial(self._rank_incidents, tokens, typos, res_model, area)
        pairs = self._get_pairs_tsquery_sql(words)
        if pairs is None:
            return rank(domain, limit)
        hits = rank(domain, limit, pairs=pairs)
        if len(hits) < limit:
            newest = [
                ("id", ">=", self._get_oldest_of_newest_incidents(domain)),
                ("id", "not in", [hit["record"].id for hit in hits]),
            ]
            hits += rank(domain + newest, limit - len(hits))
        return hits

    def _get_oldest_of_newest_incidents(self, domain):
        """The id from which the user's ``MAX_ONE_WORD_CANDIDATES`` newest
        incidents of ``domain`` start (0 when they are fewer): a literal, so
        that the planner reads those rows by their ids."""
        oldest = self.env["erp.incident"].search(
            domain, order="id desc", offset=MAX_ONE_WORD_CANDIDATES - 1, limit=1
        )
        return oldest.id or 0

    def _rank_incidents(
        self, tokens, typos, res_model, area, domain, limit, pairs=None
    ):
        Incident = self.env["erp.incident"]
        query = Incident._search(domain)
        alias = query.table
        condition, score = self._get_match_sql(alias, tokens, typos, pairs)
        same_model = (
            SQL("%s = %s", SQL.identifier(alias, "res_model"), res_model)
            if res_model
            else SQL("FALSE")
        )
        score = self._boost(score, same_model, alias, area)
        recency = SQL(
            "COALESCE(%s, %s)",
            SQL.identifier(alias, "resolved_on"),
            SQL.identifier(alias, "create_date"),
        )
        return self._run_ranked_query(Incident, query, condition, score, recency, limit)

    @api.model
    def _get_pairs_tsquery_sql(self, words):
        """Any two of the first ``MAX_PAIR_WORDS`` words, each stemmed by every
        configuration; ``None`` for less than two words."""
        words = list(words)[:MAX_PAIR_WORDS]
        if len(words) < 2:
            return None
        single = [self._get_tsquery_sql([word]) for word in words]
        return SQL(
            "(%s)",
            SQL(" || ").join(
                SQL("(%s && %s)", single[i], single[j])
                for i in range(len(single))
                for j in range(i + 1, len(single))
            ),
        )

    def _boost(self, score, same_model, alias, area):
        same_area = (
            SQL("%s = %s", SQL.identifier(alias, "area_id"), area.id)
            if area
            else SQL("FALSE")
        )
        return SQL(
            "(%s) * (1 + CASE WHEN %s THEN %s ELSE 0 END "
            "+ CASE WHEN %s THEN %s ELSE 0 END)",
            score,
            same_model,
            SAME_MODEL_BOOST,
            same_area,
            SAME_AREA_BOOST,
        )

    # ------------------------------------------------------------------
    # highlighting
    # ------------------------------------------------------------------

    @api.model
    def _word_matches(self, word, tokens):
        """Whether a word of an answer matches one of the question's words:
        same stem (a common beginning: 'ostolaskun' / 'ostolasku', 'posted' /
        'posting') or a misspelling ('invocie' / 'invoice')."""
        word = word.lower()
        for token in tokens:
            if CJK_RUN_RE.match(token):
                continue
            common = len(token)
            if not word.startswith(token):
                common = next(
                    (
                        i
                        for i, (a, b) in enumerate(zip(word, token, strict=False))
                        if a != b
                    ),
                    min(len(word), len(token)),
                )
            shortest = min(len(word), len(token))
            if shortest >= 3 and common >= max(3, shortest - 2):
                return True
            if (
                shortest >= MIN_TYPO_LENGTH
                and SequenceMatcher(None, word, token).ratio() >= 0.8
            ):
                return True
        return False

    @api.model
    def _highlight_segments(self, text, tokens):
        """``text`` cut into ``[piece, matched]`` pairs, the pieces matching
        the question's words marked: what the wizard's suggestion list and
        ``_highlight`` show (each escapes the pieces)."""
        if not text:
            return []
        if not tokens:
            return [[text, False]]
        bigrams = {token for token in tokens if CJK_RUN_RE.match(token)}
        segments = []
        for piece in re.split(r"(\w+)", text):
            if not piece:
                continue
            if not re.match(r"\w", piece):
                segments.append([piece, False])
            elif CJK_RUN_RE.search(piece):
                segments += self._highlight_cjk(piece, bigrams)
            else:
                segments.append([piece, self._word_matches(piece, tokens)])
        # neighbours of the same kind as one piece: fewer nodes to render
        merged = []
        for piece, matched in segments:
            if merged and merged[-1][1] == matched and not matched:
                merged[-1][0] += piece
            else:
                merged.append([piece, matched])
        return merged

    @api.model
    def _highlight(self, text, tokens):
        """``text`` escaped, with the words matching the question in <mark>."""
        return Markup("").join(
            Markup("<mark>%s</mark>") % piece if matched else escape(piece)
            for piece, matched in self._highlight_segments(text, tokens)
        )

    @api.model
    def _highlight_cjk(self, piece, bigrams):
        """[chunk, matched] of a run of Chinese characters: the characters of
        the question's bigrams are marked."""
        marked = [False] * len(piece)
        for i in range(len(piece) - 1):
            if piece[i : i + 2] in bigrams:
                marked[i] = marked[i + 1] = True
        out, i = [], 0
        while i < len(piece):
            j = i
            while j < len(piece) and marked[j] == marked[i]:
                j += 1
            out.append([piece[i:j], marked[i]])
            i = j
        return out

    # ------------------------------------------------------------------
    # display
    # ------------------------------------------------------------------

    @api.model
    def _get_snippet(self, record, tokens, size=SNIPPET_SIZE):
        """The first line of the answer's body holding a word of the
        question (else its first line), cut to about ``size`` characters."""
        lines = record._get_self_help_lines()
        if not lines:
            return ""
        best = next(
            (
                line
                for line in lines
                if any(
                    self._word_matches(word, tokens) or word in tokens
                    for word in re.findall(r"\w+", cjk_bigrams(line).lower())
                )
            ),
            lines[0],
        )
        return best if len(best) <= size else best[:size].rsplit(" ", 1)[0] + "…"

    @api.model
    def _get_suggestions(self, hits):
        """The suggestions as data, for the report wizard's list and the
        portal's HTML: per answer its kind, id, reference, title and the line
        that matched, cut into ``[piece, matched]`` (``_highlight_segments``)."""
        suggestions = []
        for hit in hits:
            record, terms = hit["record"], hit["terms"]
            is_guide = record._name == "erp.process.guide"
            suggestions.append(
                {
                    "model": record._name,
                    "kind": "guide" if is_guide else "incident",
                    "kind_label": self.env._("Guide")
                    if is_guide
                    else self.env._("Solved before"),
                    "id": record.id,
                    "reference": "" if is_guide else record.name or "",
                    "title": self._highlight_segments(
                        record._get_self_help_texts()[0], terms
                    ),
                    "line": self._highlight_segments(
                        self._get_snippet(record, terms), terms
                    ),
                }
            )
        return suggestions

    @api.model
    def _render_suggestions(self, hits, token, area=None):
        """The suggestions as HTML, for the portal's forms: kind, title and
        the line that matched, the question's words in <mark>; each opens in
        a new tab through the route that counts it (controllers/self_help.py)."""
        if not hits:
            return False

        def marked(segments):
            return Markup("").join(
                Markup("<mark>%s</mark>") % piece if matched else escape(piece)
                for piece, matched in segments
            )

        items = []
        for suggestion in self._get_suggestions(hits):
            url = "/erp_key_user/self_help/%s/%s/%s%s" % (
                token,
                suggestion["kind"],
                suggestion["id"],
                "?area=%s" % area.id if area else "",
            )
            items.append(
                Markup(
                    '<li class="mb-2"><span class="badge text-bg-light me-1">%s</span>'
                    '<a href="%s" target="_blank" rel="noopener">%s</a>'
                    '<div class="text-muted small">%s</div></li>'
                )
                % (
                    suggestion["kind_label"],
                    url,
                    marked(suggestion["title"]),
                    marked(suggestion["line"]),
                )
            )
        return Markup('<ul class="list-unstyled mb-0">%s</ul>') % Markup("").join(items)
