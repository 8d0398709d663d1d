from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "tradepost.reviews"
    label = "reviews"
    verbose_name = "Reviews"
