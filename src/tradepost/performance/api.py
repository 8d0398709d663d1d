"""Seller performance API: a seller's scorecard, and the owner's ranking of sellers."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from tradepost.accounts.auth import request_actor
from tradepost.core import clock
from tradepost.core.schemas import READ_ERRORS
from tradepost.performance.representation import ranking_data, scorecard_data
from tradepost.performance.schemas import RankingOut, RankingQuery, ScorecardOut, ScorecardQuery
from tradepost.performance.selectors import ranking_period, seller_ranking, seller_scorecard

router = Router(tags=["reports"])


@router.get("/sellers/{slug}/scorecard", response={200: ScorecardOut, **READ_ERRORS})
def get_scorecard(request: HttpRequest, slug: str, query: Query[ScorecardQuery]) -> dict[str, Any]:
    """A seller's acknowledgement and ship times, late, cancellation, dispute and refund rates
    and rating, per week or month, for the seller orders paid in each. The owner reads any
    seller's, a seller its own; a buyer only the public part (rating, promise, on-time rate)."""
    scorecard = seller_scorecard(
        actor=request_actor(request),
        slug=slug,
        interval=query.interval,
        periods=query.periods,
        day=query.period or clock.now().astimezone(UTC).date(),
    )
    return scorecard_data(scorecard)


@router.get("/reports/sellers", response={200: RankingOut, **READ_ERRORS})
def rank_sellers(request: HttpRequest, query: Query[RankingQuery]) -> dict[str, Any]:
    """Owner: every seller's figures over whole UTC days (at most 366), ranked by one of them,
    keyset-paginated."""
    period = ranking_period(
        date_from=query.date_from,
        date_to=query.date_to,
        today=clock.now().astimezone(UTC).date(),
    )
    ranking = seller_ranking(
        actor=request_actor(request),
        period=period,
        sort=query.sort,
        limit=query.limit,
        cursor=query.cursor,
    )
    return ranking_data(ranking)
