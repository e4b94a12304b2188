"""Attachments are served through this view, after ``policy.can_view``: files of a
confidential report never get a public media URL."""
from __future__ import annotations

import mimetypes

from django.http import Http404

from lapor.office.access import actor, staff_required
from lapor.reports import policy
from lapor.reports.attachments import attachment_response
from lapor.reports.models import Attachment


@staff_required
def download(request, pk):
    attachment = (
        Attachment.objects.select_related("report__addressed_agency", "report__assigned_agency")
        .filter(pk=pk).first()
    )
    if attachment is None or not policy.can_view(actor(request), attachment.report):
        raise Http404("Lampiran tidak ditemukan.")
    extension = mimetypes.guess_extension(attachment.content_type) or ""
    # The uploader's file name may itself carry personal data: a neutral name instead.
    filename = f"lampiran-{attachment.report.tracking_id}-{attachment.pk}{extension}"
    try:
        return attachment_response(attachment, filename=filename, cache_control="private, no-store")
    except OSError:
        raise Http404("Berkas lampiran tidak tersedia.") from None
