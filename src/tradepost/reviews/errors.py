"""Why a review step is refused; the API renders each as problem+json with its status."""

from __future__ import annotations

from tradepost.core.errors import Conflict


class NotOpenForReview(Conflict):
    code = "not_open_for_review"
    title = "Not open for review"

    def __init__(self, *, reference: str, status: str) -> None:
        label = status.replace("_", " ")
        super().__init__(
            f"{reference} is '{status}'; the buyer reviews it once it is completed, not while "
            f"it is {label}.",
            current_status=status,
        )


class AlreadyReviewed(Conflict):
    code = "already_reviewed"
    title = "Already reviewed"

    def __init__(self, *, reference: str) -> None:
        super().__init__(f"{reference} already has its review; a seller order is reviewed once.")


class AlreadyReplied(Conflict):
    code = "already_replied"
    title = "Already replied"

    def __init__(self, *, reference: str) -> None:
        super().__init__(f"The review of {reference} already has the seller's reply.")


class AlreadyHidden(Conflict):
    code = "already_hidden"
    title = "Already hidden"

    def __init__(self, *, review_id: str) -> None:
        super().__init__(f"Review {review_id} is already hidden.")
