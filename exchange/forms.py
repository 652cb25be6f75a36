from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


class OrgFilesForm(forms.Form):
    units = forms.FileField(label=_("Units file (CSV or XLSX)"))
    people = forms.FileField(label=_("People file (CSV or XLSX)"))

    def clean_units(self) -> UploadedFile:
        return self._within_limit(self.cleaned_data["units"])

    def clean_people(self) -> UploadedFile:
        return self._within_limit(self.cleaned_data["people"])

    def _within_limit(self, upload: UploadedFile) -> UploadedFile:
        limit = settings.HR_IMPORT_MAX_BYTES
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s.")
                % {"limit": filesizeformat(limit)}
            )
        return upload
