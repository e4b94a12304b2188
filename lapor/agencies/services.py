"""Writes to the agency tree, staff roles and routing rules from the back office (SPEC §6,
§8, §10). Each one appends an entry to the audit log in the same transaction.

The callers (``lapor.office.views.manage``) have already checked that ``by`` administers
the agencies involved; these functions do the write and record who did it.
"""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from allauth.account.models import EmailAddress

from lapor.agencies.models import Agency, Membership, Role, RoutingRule
from lapor.audit.models import AuditAction
from lapor.audit.services import audit_record, diff, snapshot
from lapor.core.text import same_words


def _unique_slug(parent: Agency, name: str) -> str:
    base = slugify(f"{parent.slug}-{name}")[:70] or "unit"
    slug, n = base, 2
    while Agency.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def unit_create(*, by, parent: Agency, name: str, short_name: str = "", is_inspectorate: bool = False,
                ip: str | None = None) -> Agency:
    """A new work unit under ``parent``, in its region and time zone.

    Not inside an inspectorate this person does not administer (``manage_rule``).
    Side effects: the Agency row; an audit entry (created)."""
    _may_change_unit(by, parent)
    _name_free(parent, name)
    unit = Agency(
        name=name.strip(), short_name=short_name.strip(), parent=parent, kind=Agency.Kind.UNIT,
        region=parent.region, time_zone=parent.time_zone, is_inspectorate=is_inspectorate,
        slug=_unique_slug(parent, name),
    )
    unit.full_clean()
    unit.save()
    audit_record(actor=by, action=AuditAction.CREATED, target=unit, changes=diff(None, snapshot(unit)), ip=ip)
    return unit


def _name_free(parent: Agency, name: str, *, leaving_out: Agency | None = None) -> None:
    """Two units of one parent with one name would be one entry twice in every list of
    units to dispose or transfer to: refused (case and spaces aside)."""
    wanted = same_words(name)
    siblings = Agency.objects.filter(parent=parent).exclude(pk=getattr(leaving_out, "pk", None))
    if any(same_words(n) == wanted for n in siblings.values_list("name", flat=True)):
        raise ValidationError({"name": _("Sudah ada unit kerja bernama %(name)s di bawah %(parent)s.") % {
            "name": name.strip(), "parent": parent.name}})


@transaction.atomic
def unit_update(*, by, unit: Agency, name: str, short_name: str = "", is_active: bool = True,
                ip: str | None = None) -> Agency:
    """Rename a work unit (after a merger or a new regulation) or take it out of service.

    A unit is taken out of service only when nothing still depends on it: no active unit
    under it and no open report assigned to it (dispose or transfer those first); reports
    it handled keep its name (the rule is the model's, ``Agency.clean``: the Django admin
    keeps it too). Raises ValidationError saying which. Side effects: the row;
    an audit entry (changed) with the old and new values."""
    _may_change_unit(by, unit)  # first: its open reports are none of this person's business
    before = snapshot(unit)
    if unit.parent_id:
        _name_free(unit.parent, name, leaving_out=unit)
    unit.name, unit.short_name, unit.is_active = name.strip(), short_name.strip(), is_active
    unit.full_clean()
    unit.save(update_fields=["name", "short_name", "is_active"])
    changes = diff(before, snapshot(unit))
    if changes:
        audit_record(actor=by, action=AuditAction.CHANGED, target=unit, changes=changes, ip=ip)
    return unit


@transaction.atomic
def staff_account_create(*, by, username: str, email: str, full_name: str, agency: Agency,
                         ip: str | None = None):
    """A staff account without a password: nobody chooses or sends one for the officer.
    The role given next (``membership_grant``) e-mails them an invitation once the
    transaction commits, with a link that sets their own password and so proves the
    address (lapor/notifications/invitations.py).

    Side effects: the User and its unverified EmailAddress; an audit entry (created) in
    ``agency``'s tree, with the e-mail hidden."""
    user = get_user_model().objects.create_user(username=username.strip(), email=email, full_name=full_name.strip(),
                                                is_staff=True)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    audit_record(actor=by, action=AuditAction.CREATED, target=user, agency=agency, ip=ip,
                 changes=diff(None, snapshot(user)))
    return user


@transaction.atomic
def membership_grant(*, by, user, agency: Agency, role: str, ip: str | None = None,
                     notify: bool = True) -> tuple[Membership, bool]:
    """Give ``user`` ``role`` in ``agency``; (membership, created). Granting a role the
    person already holds changes nothing, records nothing and tells nobody.

    A role inside an inspectorate (whose staff read the whistle-blowing about the rest of
    their government) is given by the national admin or an admin of that inspectorate
    only, never by the government's own admins above it. Raises ValidationError (``agency``).

    Side effects: the Membership row; an audit entry (role granted); after commit, an
    e-mail to the person (``notify``; an import gathers its own, one per person): an
    invitation that sets the password for an account never used, else a notice of the
    role (lapor/notifications/invitations.py)."""
    from lapor.notifications.invitations import staff_roles_granted

    _may_staff(by, agency)
    membership, created = Membership.objects.get_or_create(user=user, agency=agency, role=role)
    if created:
        audit_record(actor=by, action=AuditAction.ROLE_GRANTED, target=membership, ip=ip,
                     changes=diff(None, snapshot(membership)))
        if notify:
            staff_roles_granted({user.pk: [membership.pk]}, by=by)
    return membership, created


def manage_rule(by):
    """Whether ``by`` may change roles and units at an agency path: a function of the path.

    An inspectorate reads the whistle-blowing about the rest of its government, so the
    government's admins above it neither staff it, nor take its staff away, nor add,
    rename or close its units. Inside an inspectorate only the national admin and the
    admins of that part of it (the inspectorate itself, or a unit of it and that unit's
    own units) do. One query; the rule is then asked of as many paths as needed."""
    from lapor.reports import policy

    a = policy.actor_for(by)
    if by is None or a.has(Role.NATIONAL_ADMIN):
        return lambda path: True
    own = a.paths(Role.AGENCY_ADMIN)
    inspectorates = list(Agency.objects.filter(is_inspectorate=True).values_list("path", flat=True))

    def may(path: str) -> bool:
        return all(any(path.startswith(mine) and mine.startswith(inspectorate) for mine in own)
                   for inspectorate in inspectorates if path.startswith(inspectorate))

    return may


def may_manage(by, agency: Agency) -> bool:
    return manage_rule(by)(agency.path)


def _may_staff(by, agency: Agency) -> None:
    if not may_manage(by, agency):
        raise ValidationError({"agency": _(
            "Peran di Inspektorat diberikan oleh admin Inspektorat itu sendiri atau oleh Admin Nasional: "
            "Inspektorat mengawasi instansi Anda.")})


def _may_change_unit(by, agency: Agency) -> None:
    if not may_manage(by, agency):
        raise ValidationError(_("Unit kerja Inspektorat diatur oleh admin Inspektorat itu sendiri atau oleh "
                                "Admin Nasional: Inspektorat mengawasi instansi Anda."))


@transaction.atomic
def membership_revoke(*, by, membership: Membership, ip: str | None = None) -> None:
    """Take a role away; inside an inspectorate only by its own admins or the national
    admin (as ``membership_grant``). Raises ValidationError. Side effects: the Membership
    row is deleted; an audit entry (role revoked) keeps who held which role where."""
    _may_staff(by, membership.agency)
    audit_record(actor=by, action=AuditAction.ROLE_REVOKED, target=membership, ip=ip,
                 changes=diff(snapshot(membership), None))
    membership.delete()


@transaction.atomic
def routing_rule_create(*, by, category, region, agency: Agency, ip: str | None = None) -> RoutingRule:
    """A rule sending (category, region) to ``agency``. Raises IntegrityError when one
    exists for that pair. Side effects: the rule; an audit entry (created)."""
    rule = RoutingRule.objects.create(category=category, region=region, agency=agency)
    audit_record(actor=by, action=AuditAction.CREATED, target=rule, changes=diff(None, snapshot(rule)), ip=ip)
    return rule


@transaction.atomic
def routing_rule_delete(*, by, rule: RoutingRule, ip: str | None = None) -> None:
    """Side effects: the rule is deleted; an audit entry (deleted) keeps what it said."""
    audit_record(actor=by, action=AuditAction.DELETED, target=rule, changes=diff(snapshot(rule), None), ip=ip)
    rule.delete()
