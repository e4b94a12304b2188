"""Staff route and handle reports through the API (SPEC §4, §7): what the back office's
workspace does (lapor/office/views/actions.py), for a city's own system or an agency's app.

Each endpoint parses its input with a serializer and makes the same service call with the
same meaning as the back office's form; the services and ``lapor.reports.policy`` decide
who may act and when (whistle-blowing, confidentiality, scope). A report the caller may
not see is a 404, as everywhere in the API; an action the status does not allow is a 400
``illegal_transition``, one this person may not take a 403 (lapor/api/errors.py)."""
from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework.response import Response

from lapor.api import serializers as s
from lapor.api.views import ACTION_RESPONSES, ERRORS, TRACKING_ID, _actor, _detail, _ReportAction
from lapor.office.views.actions import transferred_sentence
from lapor.reports import policy, references, services
from lapor.reports.errors import ActionForbidden
from lapor.reports.models import Report
from lapor.reports.sensitivity import published_naming_people


class _StaffAction(_ReportAction):
    """An action only staff take. Anyone else is refused before the report is looked up
    (403, whichever report they name); the service then decides, by the policy, whether
    this staff member may take it on this report as it stands."""

    def post(self, request, tracking_id):
        if not _actor(request).is_staff_member:
            raise ActionForbidden(_("Hanya untuk staf instansi."))
        return super().post(request, tracking_id)


class _HandingOn(_StaffAction):
    """An action after which the caller may no longer see the report (a transfer to
    another agency, "bukan wewenang" back to the router). Still visible (the national
    admin; a published report, as the public sees it): the report as the caller now sees
    it. Otherwise 200 with ``HandedOnOut``: where it went, nothing of its contents, which
    are no longer the caller's to read."""

    def answer(self, request, report, code):
        if policy.visible_reports(_actor(request)).filter(pk=report.pk).exists():
            return _detail(request, report, code)
        # ``report`` as it was before the action (the service acted on its own copy): who held it.
        held_by = report.assigned_agency or report.addressed_agency
        report = references.attach_one(Report.objects.get(pk=report.pk))
        agency = report.assigned_agency if report.assigned_agency_id else report.addressed_agency
        out = {"tracking_id": report.tracking_id, "status": report.status, "status_label": report.status_label,
               "agency": agency, "detail": self.handed_on(report, held_by)}
        return Response(s.HandedOnOut(out).data, status=code)

    def handed_on(self, report, held_by) -> str:  # pragma: no cover - overridden
        raise NotImplementedError


HANDING_ON_RESPONSES = {
    200: PolymorphicProxySerializer(component_name="ReportDetailOrHandedOn",
                                    serializers=[s.ReportDetailOut, s.HandedOnOut], resource_type_field_name=None),
    **ERRORS,
}


def _staff_schema(request, responses=None):
    return extend_schema(parameters=[TRACKING_ID], request=request, responses=responses or ACTION_RESPONSES,
                         tags=["agency"])


class Verify(_StaffAction):
    """Verify a report and dispatch it (``report_verify``): to ``agency`` (slug), by default
    the agency the reporter addressed. The verifier may rewrite the title as a summary
    (the reporter's own is kept), set ``is_anonymous``/``is_confidential`` and set or
    correct ``category`` (slug) and ``region`` (code); what is left out stays as it is,
    except ``is_confidential`` for a report whose text names people (a name, NIK, NIP,
    phone number or e-mail address) and is neither anonymous nor confidential: left out,
    it is verified confidential, the safe choice (SPEC §12), as the back office's form
    comes with "Rahasia" ticked; send `false` to publish it. The report becomes public
    unless confidential. An agency admin dispatches only within their own agency (403
    otherwise); whistle-blowing goes only to an inspectorate."""

    input = s.VerifyIn

    @_staff_schema(s.VerifyIn)
    def post(self, request, tracking_id):
        return super().post(request, tracking_id)

    def act(self, request, report, data):
        is_confidential = data.get("is_confidential")
        if is_confidential is None and published_naming_people(report):
            is_confidential = True
        services.report_verify(report=report, by=request.user, agency=data.get("agency"), title=data.get("title"),
                               is_anonymous=data.get("is_anonymous"), is_confidential=is_confidential,
                               category=data.get("category"), region=data.get("region"), note=data["note"])


class Postpone(_StaffAction):
    """Put verification on hold, saying why (e.g. calling the reporter). The 3-working-day
    verification clock keeps running."""

    input = s.PostponeIn

    @_staff_schema(s.PostponeIn)
    def post(self, request, tracking_id):
        return super().post(request, tracking_id)

    def act(self, request, report, data):
        services.report_postpone(report=report, by=request.user, reason=data["reason"])


class Return(_StaffAction):
    """Return an incomplete report to its reporter, saying exactly what is missing; they
    have 10 working days to complete it (``POST …/complete/``), after which it is archived."""

    input = s.ReturnIn

    @_staff_schema(s.ReturnIn)
    def post(self, request, tracking_id):
        return super().post(request, tracking_id)

    def act(self, request, report, data):
        services.report_return(report=report, by=request.user, missing=data["missing"])


class Archive(_StaffAction):
    """Archive a report that will not be handled, with a reason (spam, unintelligible, too
    general, not about government) and an optional note. Archived reports are never public."""

    input = s.ArchiveIn

    @_staff_schema(s.ArchiveIn)
    def post(self, request, tracking_id):
        return super().post(request, tracking_id)

    def act(self, request, report, data):
        services.report_archive(report=report, by=request.user, reason=data["reason"], note=data["note"])


class MarkDuplicate(_StaffAction):
    """Archive a report as a duplicate of ``original`` (its tracking ID), which the caller
    must be able to see (400 on ``original`` otherwise); the reporter follows the original.
    Also for a verified report no agency has answered yet (``dispatched``; the national
    admin or an admin of the agency holding it): it leaves the agency's work, and its
    supports and followers move to the original, which must be verified too. An answered
    report is refused (400 ``illegal_transition``): close it instead."""

    input = s.DuplicateIn

    @_staff_schema(s.DuplicateIn)
    def post(self, request, tracking_id):
        return super().post(request, tracking_id)

    def act(self, request, report, data):
        tracking_id = data["original"].lstrip("#")
        original = None
        if tracking_id.isascii() and tracking_id.isdigit():
            original = policy.visible_reports(_actor(request)).filter(tracking_id=tracking_id).first()
        if original is None:
            raise DjangoValidationError({"original": _("Laporan #%(id)s tidak ditemukan.") % {"id": tracking_id}})
        services.report_mark_duplicate(report=report, by=request.user, original=original)


class Dispose(_StaffAction):
    """Disposisi: forward a dispatched report down to ``unit`` (slug), a unit under the
    caller's agency or unit, with an optional note. The agency's clock keeps running."""

    input = s.DisposeIn

    @_staff_schema(s.DisposeIn)
    def post(self, request, tracking_id):
        return super().post(request, tracking_id)

    def act(self, request, report, data):
        services.report_dispose(report=report, by=request.user, unit=data["unit"], note=data["note"])


class NotOurAuthority(_HandingOn):
    """Bukan wewenang: hand a dispatched report back to its router, saying why, to be
    transferred to the right agency. The caller usually no longer sees it afterwards: the
    answer is then where it went (``HandedOnOut``), not the report."""

    input = s.NotOurAuthorityIn

    @_staff_schema(s.NotOurAuthorityIn, HANDING_ON_RESPONSES)
    def post(self, request, tracking_id):
        return super().post(request, tracking_id)

    def act(self, request, report, data):
        services.report_not_our_authority(report=report, by=request.user, reason=data["reason"])

    def handed_on(self, report, held_by) -> str:
        return _("Laporan dikembalikan ke admin sebagai bukan wewenang.")


class Transfer(_HandingOn):
    """Pelimpahan: hand a report to another agency (slug), saying why. A verified report
    arrives there with a fresh 5-working-day clock; one not verified yet (addressed to the
    wrong government) goes to that government's admins, who verify it. The caller usually
    no longer sees it afterwards: the answer is then where it went (``HandedOnOut``)."""

    input = s.TransferIn

    @_staff_schema(s.TransferIn, HANDING_ON_RESPONSES)
    def post(self, request, tracking_id):
        return super().post(request, tracking_id)

    def act(self, request, report, data):
        services.report_transfer(report=report, by=request.user, agency=data["agency"], reason=data["reason"])

    def handed_on(self, report, held_by) -> str:
        # As the back office says it: which report went where, and whose queue it left.
        return transferred_sentence(report, held_by)


class Close(_StaffAction):
    """Close a dispatched or answered report, saying why (e.g. settled by phone): the
    national admin, or an agency admin over the unit handling it."""

    input = s.CloseIn

    @_staff_schema(s.CloseIn)
    def post(self, request, tracking_id):
        return super().post(request, tracking_id)

    def act(self, request, report, data):
        services.report_close(report=report, by=request.user, reason=data["reason"])


class Note(_StaffAction):
    """An internal note, in the history that staff with the report in scope read; never
    shown to the reporter or the public."""

    input = s.NoteIn

    @_staff_schema(s.NoteIn)
    def post(self, request, tracking_id):
        return super().post(request, tracking_id)

    def act(self, request, report, data):
        services.report_add_note(report=report, by=request.user, text=data["text"])


class Flags(_StaffAction):
    """Protect a report after verification (``report_set_flags``): make it confidential (gone
    from every public list, map, search, feed and the public API) or anonymous (the
    reporter's identity hidden; never lifted), or publish a confidential one again. Anyone
    routing or handling the report may protect it; only its routers publish it again, never
    a whistle-blowing report. ``reason`` (at least 10 characters) is read by the reporter in
    their history; what is left out stays as it is."""

    input = s.FlagsIn

    @_staff_schema(s.FlagsIn)
    def post(self, request, tracking_id):
        return super().post(request, tracking_id)

    def act(self, request, report, data):
        services.report_set_flags(report=report, by=request.user, reason=data["reason"],
                                  is_anonymous=data.get("is_anonymous"), is_confidential=data.get("is_confidential"))
