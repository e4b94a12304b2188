"""Attachments are served through this view, after ``policy.can_view``: files of a
confidential report never get a public media URL."""
from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404

from lapor.office.access import actor, staff_required
from lapor.reports import policy
from lapor.reports.models import Attachment


@staff_required
def download(request, pk):
    attachment = (
        Attachment.objects.select_related("report__addressed_agency", "report__assigned_agency")
        .filter(pk=pk).first()
    )
    if attachment is None or not policy.can_view(actor(request), attachment.report):
        raise Http404("Lampiran tidak ditemukan.")
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("Berkas lampiran tidak tersedia.") from None
    extension = mimetypes.guess_extension(attachment.content_type) or ""
    # The uploader's file name may itself carry personal data: a neutral name instead.
    response = FileResponse(handle, content_type=attachment.content_type,
                            filename=f"lampiran-{attachment.report.tracking_id}-{attachment.pk}{extension}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
