"""Scorecards and rankings as the API returns them (and the dashboard reads)."""

from __future__ import annotations

from typing import Any

from tradepost.catalog.models import Seller
from tradepost.performance.figures import Duration, Figures, Rate
from tradepost.performance.periods import Span
from tradepost.performance.selectors import Ranking, Scorecard
from tradepost.reviews.representation import rating_data
from tradepost.reviews.selectors import seller_rating


def seller_ref_data(seller: Seller) -> dict[str, Any]:
    return {"slug": seller.slug, "name": seller.name}


def rate_data(rate: Rate) -> dict[str, Any]:
    return {"count": rate.count, "of": rate.of, "rate_bps": rate.rate_bps}


def duration_data(duration: Duration) -> dict[str, Any]:
    return {
        "count": duration.count,
        "median_seconds": duration.median_seconds,
        "average_seconds": duration.average_seconds,
    }


def figures_data(figures: Figures) -> dict[str, Any]:
    return {
        "seller_orders": figures.seller_orders,
        "acknowledgement": duration_data(figures.acknowledgement),
        "shipping": duration_data(figures.shipping),
        "late": rate_data(figures.late),
        "cancellation": rate_data(figures.cancellation),
        "dispute": rate_data(figures.dispute),
        "refund": rate_data(figures.refund),
        "rating": {"average": figures.rating_average, "count": figures.totals.reviews},
    }


def period_data(period: tuple[Span, Figures] | None) -> dict[str, Any] | None:
    if period is None:
        return None
    span, figures = period
    return {"start": span.start, "end": span.last_day, "figures": figures_data(figures)}


def scorecard_data(scorecard: Scorecard) -> dict[str, Any]:
    public = scorecard.public
    return {
        "seller": seller_ref_data(scorecard.seller),
        "interval": scorecard.interval,
        "public": {
            "rating": rating_data(public.rating),
            "shipping_promise": public.shipping_promise,
            "on_time": rate_data(public.on_time),
        },
        "current": period_data(scorecard.current),
        "previous": period_data(scorecard.previous),
        "change": scorecard.change,
        "trend": [period_data(period) for period in scorecard.trend],
    }


def ranking_data(ranking: Ranking) -> dict[str, Any]:
    return {
        "date_from": ranking.date_from,
        "date_to": ranking.date_to,
        "sort": ranking.sort,
        "items": [
            {
                "rank": row.rank,
                "seller": seller_ref_data(row.seller),
                "rating": rating_data(seller_rating(row.seller)),
                "figures": figures_data(row.figures),
            }
            for row in ranking.items
        ],
        "next_cursor": ranking.next_cursor,
    }
