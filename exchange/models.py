from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportUpload(models.Model):
    """HR files kept between the preview and the confirmation, so what is
    confirmed is exactly what was previewed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    units_name = models.CharField(max_length=255)
    units_data = models.BinaryField()
    people_name = models.CharField(max_length=255)
    people_data = models.BinaryField()
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("HR file upload")
        verbose_name_plural = _("HR file uploads")

    def __str__(self) -> str:
        return f"{self.units_name} + {self.people_name}"

    def files(self) -> tuple[tuple[str, bytes], tuple[str, bytes]]:
        return (
            (self.units_name, bytes(self.units_data)),
            (self.people_name, bytes(self.people_data)),
        )
