"""The query layer: a filter state (and a user's scope) in, the small results pages draw out.

Filters become ``WHERE`` clauses and aggregates ``GROUP BY`` in the store's
database (SQLAlchemy Core, the same code on SQLite and PostgreSQL); no
function here reads a whole case into memory. :class:`CaseQuery` binds one
(case, data version, filter state, scope) to a *runner* that executes a
query function: the command line and the tests run them directly, the app
runs them through a cache keyed by the same (function, key, arguments), so a
rerun with the same filters costs nothing and a new data version never
sees an old result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from casemap.filters import FilterState
from casemap.access import mask_frame, mask_record
from casemap.query import accounts, figures, graph, links, masking, money, periods, person, rows, spread
from casemap.access import EVERYWHERE, LOCAL, Access, Scope
from casemap.query.where import Key

__all__ = ["CaseQuery", "Key", "Access", "LOCAL", "Scope", "EVERYWHERE", "Runner", "direct_runner"]

# runner(function, key, *args) -> function(engine, key, *args), perhaps from a cache
Runner = Callable[..., Any]


def direct_runner(engine: Engine) -> Runner:
    """A runner that executes every query as it is asked (command line, tests)."""

    def run(function, key: Key, *args):
        return function(engine, key, *args)

    return run


@dataclass(frozen=True)
class CaseQuery:
    """What the pages ask of one case at one data version, under one filter state and scope."""

    key: Key
    run: Runner

    @classmethod
    def of(cls, run: Runner, state: FilterState, version: int, access: Access | Scope = LOCAL) -> CaseQuery:
        """The queries of ``state``'s case at ``version`` as ``access`` may see them (a bare scope: unmasked).

        A viewer's network filter names a pseudonym; the key holds the id behind it.
        """
        key = Key.of(state, version, access)
        if key.access.masked and key.state.network is not None:
            query = cls(key, run)
            key = replace(key, state=replace(key.state, network=query.real_id(key.state.network)))
        return cls(key, run)

    # -- masking (see casemap.query.masking) ----------------------------------------

    def real_id(self, party: str | None) -> str | None:
        """The id behind ``party`` as a page gave it (a viewer's pages hold pseudonyms)."""
        if party is None or not self.access.masked:
            return party
        known = self.run(masking.pseudonyms, self.unfiltered().key)
        return masking.real_id(party, self.access, known)

    def _masked(self, frame: pd.DataFrame) -> pd.DataFrame:
        return mask_frame(frame, self.access, self.key.case)

    @property
    def access(self) -> Access:
        """Who asks: role and scope."""
        return self.key.access

    def unfiltered(self) -> CaseQuery:
        """The same case, version and access with no filter set."""
        return CaseQuery(Key.of(FilterState(case=self.key.case), self.key.version, self.key.access), self.run)

    # -- headline and places ------------------------------------------------

    def headline(self) -> dict:
        """Suspects, arrested, provinces, cities, amount involved, payments and their total."""
        return self.run(figures.headline, self.key)

    def accounts_rented(self) -> dict:
        """Numbers and accounts rented out shown, how many traced to the overseas side, and per kind."""
        return self.run(accounts.accounts_rented, self.key)

    def places_with_accounts(self, level: str = "province") -> pd.DataFrame:
        """:meth:`by_province` or :meth:`by_city` with the accounts rented there (``accounts_rented``), for the map."""
        places = self.by_province() if level == "province" else self.by_city()
        return accounts.with_accounts(places, self.run(accounts.rented_groups, self.key), level)

    def by_province(self) -> pd.DataFrame:
        """Per-province figures (see :func:`casemap.query.figures.by_place`)."""
        return figures.by_place(self.run(figures.place_groups, self.key), "province")

    def by_city(self) -> pd.DataFrame:
        """Per-city figures, with each city's province."""
        return figures.by_place(self.run(figures.place_groups, self.key), "city")

    # -- time ----------------------------------------------------------------

    def date_span(self) -> dict:
        """First and last arrest and payment shown."""
        return self.run(figures.date_span, self.key)

    def arrests_over_time(self, freq: str) -> pd.DataFrame:
        """Arrests per week (``"W"``) or month (``"MS"``), with the running total."""
        return periods.arrests_over_time(self.run(figures.arrests_by_day, self.key), freq)

    def natural_freq(self) -> str:
        """Weeks for a short span of arrest dates, months for a long one."""
        span = self.date_span()
        return periods.natural_freq(span["first_arrest"], span["last_arrest"])

    def milestones(self) -> pd.DataFrame:
        """The case's milestones in date order."""
        return self.run(figures.milestones, self.key)

    def case_span(self) -> tuple:
        """The first and last dated event shown (payment, arrest or milestone), or (None, None)."""
        span = self.date_span()
        dates = [*span.values(), *self.milestones()["date"]]
        dates = [d for d in dates if d is not None and not pd.isna(d)]
        return (min(dates), max(dates)) if dates else (None, None)

    def activity(self, freq: str) -> pd.DataFrame:
        """Arrests and payments per period over the case span (see :func:`casemap.query.periods.activity_by_period`)."""
        return periods.activity_by_period(
            self.run(figures.arrests_by_day, self.key), self.run(figures.payments_by_day, self.key),
            freq, span=self.case_span(),
        )

    def spread(self) -> pd.DataFrame:
        """Per month and province: active, arrested and still free so far."""
        groups = self.run(spread.activity_groups, self.key)
        return spread.spread_by_month(groups, self.date_span()["first_payment"])

    def data_as_of(self):
        """The date of the case's latest arrest or payment, filters aside; None if none."""
        span = self.unfiltered().date_span()
        dates = [d for d in (span["last_arrest"], span["last_payment"]) if d is not None]
        return max(dates).date() if dates else None

    # -- money ---------------------------------------------------------------

    def by_channel(self) -> pd.DataFrame:
        """Payments and amount per channel."""
        return self.run(money.by_channel, self.key)

    def by_purpose(self) -> pd.DataFrame:
        """Payments and amount per purpose, largest first."""
        return self.run(money.by_purpose, self.key)

    def province_flows(self) -> pd.DataFrame:
        """Amounts between provinces (and overseas), largest first."""
        return self.run(money.province_flows, self.key)

    def role_flows(self) -> pd.DataFrame:
        """Amounts by payer role, channel and payee role (overseas a role of its own), largest first."""
        return self.run(money.role_flows, self.key)

    def top_parties(self, side: str, n: int = 10, role: str | None = None) -> pd.DataFrame:
        """The parties that paid or received the most."""
        return self._masked(self.run(money.top_parties, self.key, side, n, role))

    def people(self, ids) -> pd.DataFrame:
        """The suspect rows with these ids, for labels."""
        ids = {self.real_id(party) for party in ids} - {None}
        return self._masked(self.run(money.people, self.key, tuple(sorted(ids))))

    # -- the suspects table ------------------------------------------------------

    def suspect_count(self, search=None) -> int:
        """How many suspects pass the filters and match ``search`` (a :class:`~casemap.query.rows.SuspectSearch`)."""
        return self.run(rows.suspect_count, self.key, search or rows.NO_SEARCH)

    def suspect_page(self, search=None, sort: str = "suspect_id", descending: bool = False,
                     offset: int = 0, limit: int = 100) -> pd.DataFrame:
        """One page of the suspects shown and searched, sorted (see :func:`casemap.query.rows.suspect_page`)."""
        search = search or rows.NO_SEARCH
        return self._masked(self.run(rows.suspect_page, self.key, search, sort, descending, int(offset), int(limit)))

    def suspect(self, suspect_id: str) -> pd.Series | None:
        """Every stored column of one suspect within the scope, for the detail panel; None if unknown."""
        row = self.run(rows.suspect_row, self.key, self.real_id(str(suspect_id)))
        return None if row is None else mask_record(row, self.access, self.key.case)

    def suspect_extra_keys(self, search=None) -> tuple[str, ...]:
        """The ``extra`` keys of the suspects shown and searched: an export's extra columns (none for a viewer)."""
        if self.access.masked:
            return ()
        return self.run(rows.suspect_extra_keys, self.key, search or rows.NO_SEARCH)

    def suspect_chunks(self, search=None, size: int | None = None):
        """Every suspect shown and searched, all stored columns, a chunk of ``size`` rows at a time, by id."""
        search, size = search or rows.NO_SEARCH, size or rows.EXPORT_CHUNK
        chunks = rows.keyset_chunks(lambda after: self.run(rows.suspect_chunk, self.key, search, after, size), size)
        return (self._masked(chunk) for chunk in chunks)

    # -- one person ------------------------------------------------------------

    def counterparts(self, person_id: str) -> pd.DataFrame:
        """Whom ``person_id`` paid and was paid by, how much, how often and when (see :func:`casemap.query.person.counterparts`)."""
        return self._masked(self.run(person.counterparts, self.key, self.real_id(str(person_id))))

    def counterpart_places(self, person_id: str, level: str = "province") -> pd.DataFrame:
        """The counterparts of ``person_id`` summed by province or city, with the map's metrics."""
        return person.by_place(self.counterparts(person_id), level)

    def person_payments(self, person_id: str, freq: str) -> pd.DataFrame:
        """The payments ``person_id`` made and received per day (``"D"``), week (``"W"``) or month (``"MS"``)."""
        daily = self.run(person.payments_by_day, self.key, self.real_id(str(person_id)))
        return person.payments_over_time(daily, freq)

    # -- network -------------------------------------------------------------

    def graph(self):
        """The payment graph shown, within the node budget, with its centrality (a ``PaymentGraph``)."""
        return masking.mask_graph(self.run(graph.payment_graph, self.key), self.access, self.key.case)

    def person_graph(self, person: str):
        """One party's network (the party, its counterparts, the payments among them), read from its payments."""
        found = self.run(graph.person_graph, self.key, self.real_id(person))
        return masking.mask_graph(found, self.access, self.key.case)

    def ego_graph(self, node: str):
        """The network of a node of :meth:`graph`: a person's from the store, a group's from the graph shown."""
        shown = self.graph()
        if node in shown.graph and shown.graph.nodes[node]["kind"] == "group":
            return graph.group_graph(shown, node)
        return self.person_graph(node)

    # -- links -----------------------------------------------------------------

    def link_graph(self):
        """The payment graph shown with its people's accounts and typed links (a ``LinkGraph``).

        A viewer's graph names people, accounts and holders by pseudonym
        (:func:`casemap.query.masking.mask_link_graph`): the nodes a viewer's
        page hands back (focus, expansions, path ends) are those pseudonyms.
        """
        if self.access.masked:
            return self.run(masking.masked_link_graph, self.key)
        return self.run(links.link_graph, self.key)

    def leads(self) -> pd.DataFrame:
        """The accounts that came with a lead, with their holder's fate (see :func:`casemap.query.links.leads`).

        A viewer sees accounts and holders by pseudonym and names masked.
        """
        if self.access.masked:
            return self.run(masking.masked_leads, self.key)
        return self.run(links.leads, self.key)
