"""Agency administration: an agency admin manages the units, staff and roles, answer
templates and routing rules of their own agency tree, never anything outside it. (The
national admin keeps master data in the Django admin; here they may act on every tree.)"""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lapor.accounts import proxies as proxy_services
from lapor.accounts.models import ReporterProfile
from lapor.agencies import services as agency_services
from lapor.agencies.models import Agency, Membership, Role, RoutingRule
from lapor.audit.services import client_ip
from lapor.core.forms import add_service_errors
from lapor.office import services as office_services
from lapor.office.access import actor, manageable_paths, role_required
from lapor.office.forms import agencies_under
from lapor.office.manage_forms import (
    GRANTABLE_ROLES, AnswerTemplateForm, ProxyForm, RoutingRuleForm, StaffForm, UnitEditForm, UnitForm,
)
from lapor.office.models import AnswerTemplate
from lapor.reports.errors import ActionForbidden

admin_only = role_required(Role.AGENCY_ADMIN, Role.NATIONAL_ADMIN)


def _agencies(request):
    # Inspectorates in the tree that are not this admin's stay offered: the services refuse
    # a role or a unit there with the reason (agencies.services.manage_rule).
    return agencies_under(manageable_paths(actor(request)))


def _in_tree(request, field: str = "agency") -> Q:
    paths = manageable_paths(actor(request))
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{field}__path__startswith": p})
    return q


@admin_only
def overview(request):
    return render(request, "office/manage/overview.html", {"agencies": _agencies(request)[:200],
                                                           "national": actor(request).has(Role.NATIONAL_ADMIN)})


@admin_only
def units(request):
    agencies = _agencies(request)
    form = UnitForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        parent = d["parent"]
        # Not an inspectorate: which unit takes a government's whistle-blowing (and so is
        # out of its admins' sight) is the national admin's call, in the Django admin.
        try:
            unit = agency_services.unit_create(by=request.user, parent=parent, name=d["name"],
                                               short_name=d["short_name"], ip=client_ip(request))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Unit kerja %(name)s dibuat di bawah %(parent)s.") % {
                "name": unit.name, "parent": parent.name})
            return redirect("office:manage_units")
    return render(request, "office/manage/units.html", {
        "form": form, "agencies": _listed_units(request),
    }, status=400 if form.is_bound else 200)


def _units_in_tree(request):
    """Units in this admin's trees, active or not, below the agencies they administer (the
    governments themselves are master data: the national admin keeps them, in the Django
    admin)."""
    a = actor(request)
    if a.has(Role.NATIONAL_ADMIN):
        return Agency.objects.all()
    q = Q(pk__in=[])
    for path in a.paths(Role.AGENCY_ADMIN):
        q |= Q(path__startswith=path) & ~Q(path=path)
    return Agency.objects.filter(q)


def _listed_units(request) -> list:
    """Every unit in the trees, those of an inspectorate this admin may not change marked
    ``closed`` (agencies.services.manage_rule): shown (its existence is no secret), with no
    link to change it."""
    may = agency_services.manage_rule(request.user)
    units = list(_units_in_tree(request).select_related("parent").order_by("path"))
    for unit in units:
        unit.closed = not may(unit.path)
    return units


@admin_only
def unit_edit(request, pk):
    unit = get_object_or_404(_units_in_tree(request).select_related("parent"), pk=pk)
    if not agency_services.may_manage(request.user, unit):
        raise Http404  # an inspectorate's unit, not this admin's to change (or to learn about)
    form = UnitEditForm(request.POST or None, initial={
        "name": unit.name, "short_name": unit.short_name, "is_active": unit.is_active})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            agency_services.unit_update(by=request.user, unit=unit, name=d["name"], short_name=d["short_name"],
                                        is_active=d["is_active"], ip=client_ip(request))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Unit kerja %(name)s disimpan.") % {"name": unit.name})
            return redirect("office:manage_units")
    return render(request, "office/manage/unit_edit.html", {"form": form, "unit": unit},
                  status=400 if form.is_bound else 200)


@admin_only
def staff(request):
    agencies = _agencies(request)
    form = StaffForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        user = d["user"]
        try:
            with transaction.atomic():
                new = user is None
                if new:
                    # No password (unusable): nobody chooses or sends one for the officer. Once
                    # this commits they are e-mailed an invitation whose link sets their own
                    # and proves the address (lapor/notifications/invitations.py).
                    user = agency_services.staff_account_create(
                        by=request.user, username=d["username"], email=d["email"], full_name=d["full_name"],
                        agency=d["agency"], ip=client_ip(request))
                _membership, created = agency_services.membership_grant(
                    by=request.user, user=user, agency=d["agency"], role=d["role"], ip=client_ip(request))
        except ValidationError as error:  # nothing made, not even the account
            add_service_errors(form, error)
            return render(request, "office/manage/staff.html", {
                "form": form, "memberships": _memberships(request), "grantable": {r.value for r in GRANTABLE_ROLES},
            }, status=400)
        if new:
            messages.info(request, _(
                "Akun %(username)s dibuat dan undangan dikirim ke %(email)s: lewat tautan di dalamnya petugas "
                "membuat kata sandinya sendiri, lalu memasang verifikasi dua langkah.") % {
                "username": user.username, "email": user.email})
        if created:
            messages.success(request, _("%(user)s kini %(role)s di %(agency)s.") % {
                "user": user.display_name, "role": Role(d["role"]).label, "agency": d["agency"].name})
        else:
            messages.info(request, _("%(user)s sudah memegang peran itu.") % {"user": user.display_name})
        return redirect("office:manage_staff")
    return render(request, "office/manage/staff.html", {
        "form": form, "memberships": _memberships(request), "grantable": {r.value for r in GRANTABLE_ROLES},
    }, status=400 if form.is_bound else 200)


def _memberships(request):
    """The roles in this admin's trees; those inside an inspectorate that is not theirs are
    shown (who works there is no secret) but marked ``closed``: no button takes them away."""
    may = agency_services.manage_rule(request.user)
    memberships = list(Membership.objects.filter(_in_tree(request)).select_related("user", "agency")
                       .order_by("agency__path", "role", "user__username"))
    for membership in memberships:
        membership.closed = not may(membership.agency.path)
    return memberships


@require_POST
@admin_only
def staff_remove(request, pk):
    membership = get_object_or_404(Membership.objects.filter(_in_tree(request)).select_related("user", "agency"), pk=pk)
    if membership.role not in {r.value for r in GRANTABLE_ROLES}:
        messages.error(request, _("Peran ini diatur oleh Admin Nasional."))
    elif membership.user_id == request.user.pk:
        messages.error(request, _("Anda tidak dapat mencabut peran Anda sendiri."))
    else:
        try:
            agency_services.membership_revoke(by=request.user, membership=membership, ip=client_ip(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Peran %(role)s %(user)s di %(agency)s dicabut.") % {
                "role": membership.get_role_display(), "user": membership.user.display_name,
                "agency": membership.agency.name})
    return redirect("office:manage_staff")


@admin_only
def proxies(request):
    """RT/RW representatives of the villages in this admin's region."""
    form = ProxyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user, region = form.cleaned_data["username"], form.cleaned_data["region"]
        try:
            proxy_services.proxy_appoint(by=request.user, user=user, region=region, ip=client_ip(request))
        except ValidationError as error:
            add_service_errors(form, error, renamed={"user": "username"})
        except ActionForbidden as error:
            form.add_error("region", error.message)
        else:
            messages.success(request, _("%(user)s kini perwakilan RT/RW di %(region)s.") % {
                "user": user.display_name, "region": region.name})
            return redirect("office:manage_proxies")
    listing = (ReporterProfile.objects.filter(proxy_services.proxy_regions_q(request.user))
               .select_related("user", "proxy_region").order_by("proxy_region__code", "user__username"))
    return render(request, "office/manage/proxies.html", {"form": form, "listing": listing},
                  status=400 if form.is_bound else 200)


@require_POST
@admin_only
def proxy_dismiss(request, pk):
    profile = get_object_or_404(
        ReporterProfile.objects.filter(proxy_services.proxy_regions_q(request.user)).select_related("user", "proxy_region"),
        pk=pk)
    proxy_services.proxy_dismiss(by=request.user, profile=profile, ip=client_ip(request))
    messages.success(request, _("%(user)s bukan lagi perwakilan RT/RW.") % {"user": profile.user.display_name})
    return redirect("office:manage_proxies")


@admin_only
def templates(request, pk=None):
    agencies = _agencies(request)
    instance = get_object_or_404(AnswerTemplate.objects.filter(_in_tree(request)), pk=pk) if pk else None
    form = AnswerTemplateForm(request.POST or None, instance=instance, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            template = office_services.answer_template_save(by=request.user, template=form.save(commit=False),
                                                            ip=client_ip(request))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Templat “%(title)s” disimpan.") % {"title": template.title})
            return redirect("office:manage_templates")
    listing = AnswerTemplate.objects.filter(_in_tree(request)).select_related("agency").order_by("agency__path", "title")
    return render(request, "office/manage/templates.html", {"form": form, "instance": instance, "listing": listing},
                  status=400 if form.is_bound else 200)


@require_POST
@admin_only
def template_delete(request, pk):
    template = get_object_or_404(AnswerTemplate.objects.filter(_in_tree(request)), pk=pk)
    office_services.answer_template_delete(by=request.user, template=template, ip=client_ip(request))
    messages.success(request, _("Templat “%(title)s” dihapus.") % {"title": template.title})
    return redirect("office:manage_templates")


def _region_is_ours(request, form) -> bool:
    """Routing rules are read for every report of their category and region, whoever
    it is addressed to: an agency admin writes them for their own government's region
    only (a rule with no region, for the whole country, is the national admin's, or that
    of an agency with no region of its own: a ministry's)."""
    a = actor(request)
    ours = list(Agency.objects.filter(path__in=a.paths(Role.AGENCY_ADMIN)).values_list("region_id", flat=True))
    if a.has(Role.NATIONAL_ADMIN) or None in ours:  # a national body (a ministry) has no region of its own
        return True
    region = form.cleaned_data["region"]
    if region is None:
        form.add_error("region", _("Isi kode wilayah di dalam wilayah instansi Anda; aturan untuk semua wilayah "
                                   "dibuat oleh Admin Nasional."))
        return False
    if not any(region.code == code or region.code.startswith(f"{code}.") for code in ours):
        form.add_error("region", _("Wilayah ini di luar wilayah instansi Anda."))
        return False
    return True


@admin_only
def routing(request):
    agencies = _agencies(request)
    form = RoutingRuleForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid() and _region_is_ours(request, form):
        d = form.cleaned_data
        try:
            with transaction.atomic():
                rule = agency_services.routing_rule_create(by=request.user, category=d["category"], region=d["region"],
                                                           agency=d["agency"], ip=client_ip(request))
        except IntegrityError:
            form.add_error(None, _("Sudah ada aturan untuk kategori dan wilayah ini."))
        else:
            messages.success(request, _("Aturan rute disimpan: %(rule)s.") % {"rule": rule})
            return redirect("office:manage_routing")
    rules = (RoutingRule.objects.filter(_in_tree(request)).select_related("category__parent", "region", "agency")
             .order_by("category__name", "region_id"))
    return render(request, "office/manage/routing.html", {"form": form, "rules": rules},
                  status=400 if form.is_bound else 200)


@require_POST
@admin_only
def routing_delete(request, pk):
    rule = get_object_or_404(RoutingRule.objects.filter(_in_tree(request)), pk=pk)
    agency_services.routing_rule_delete(by=request.user, rule=rule, ip=client_ip(request))
    messages.success(request, _("Aturan rute dihapus."))
    return redirect("office:manage_routing")
