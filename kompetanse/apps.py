from django.apps import AppConfig


class KompetanseConfig(AppConfig):
    name = "kompetanse"
    verbose_name = "Kompetansemodul"
