"""The personal data held about a citizen, as they may read and download it (SPEC §5, §6).

Everything is read through the same rules as the pages: the profile in clear (it is the
citizen's own), and the reports they filed or that were filed for them, with the history
``policy.visible_events`` lets them read. Each code (sex, kind, status, action) comes with
its label in the reader's language, as the pages say it: a citizen reading the file alone
should not have to guess what "not_our_authority" means.
"""
from __future__ import annotations


from lapor.accounts import pseudonyms
from lapor.accounts.models import ReporterProfile
from lapor.reports import policy


def _iso(value):
    return value.isoformat() if value else None


def personal_data(user) -> dict:
    profile = ReporterProfile.objects.filter(user=user).first()
    actor = policy.actor_for(user)
    reports = (
        policy.visible_reports(actor)
        .filter(policy.own_reports_q(user))
        .select_related("category", "region", "addressed_agency", "assigned_agency", "reporter", "filed_by")
        .prefetch_related("events", "followups")
        .order_by("created_at", "id")
    )
    mine = pseudonyms.own_ids(user)
    return {
        "account": {
            "username": user.username,
            "full_name": user.full_name,
            "email": user.email,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "profile": None if profile is None else {
            "nik": profile.nik,
            "sex": profile.sex,
            "sex_label": str(profile.get_sex_display()) if profile.sex else "",
            "birth_date": _iso(profile.birth_date),
            "occupation": profile.occupation,
            "phone": profile.phone,
            "email": profile.email,
            "is_proxy": profile.is_proxy,
            "is_phone_only": profile.is_phone_only,
        },
        "reports": [
            {
                "tracking_id": r.tracking_id,
                "filed_for_resident": r.filed_by_id in mine and r.reporter_id not in mine,
                "kind": r.kind,
                "kind_label": str(r.get_kind_display()),
                "title": r.title,
                "original_title": r.original_title,
                "body": r.body,
                "incident_date": _iso(r.incident_date),
                "latitude": r.latitude,
                "longitude": r.longitude,
                "region": r.region_id,
                "address": r.address,
                "category": str(r.category) if r.category_id else None,
                "addressed_agency": r.addressed_agency.name if r.addressed_agency_id else None,
                "is_anonymous": r.is_anonymous,
                "is_confidential": r.is_confidential,
                "show_reporter_name": r.show_reporter_name,
                "status": r.status,
                "status_label": str(r.status_label),
                "created_at": _iso(r.created_at),
                "history": [
                    {"at": _iso(e.at), "action": e.action, "label": str(e.get_action_display()),
                     "from_status": e.from_status, "to_status": e.to_status,
                     "to_status_label": str(e.to_status_label) if e.to_status else "",
                     "by": policy.event_actor_label(actor, r, e), "text": e.text}
                    for e in policy.visible_events(actor, r)
                ],
                "followups": [
                    {"at": _iso(f.created_at), "body": f.body, "satisfied": f.satisfied, "comment": f.rating_comment}
                    for f in r.followups.all()
                ],
            }
            for r in reports
        ],
    }
