import json

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from floor.models import Item


@csrf_exempt
@require_POST
def submit(request):
    """Validate three fields, insert one row."""
    try:
        data = json.loads(request.body)
    except ValueError:
        return JsonResponse({"error": "invalid JSON"}, status=400)
    errors = {}
    title = str(data.get("title") or "").strip()
    body = str(data.get("body") or "").strip()
    email = str(data.get("email") or "").strip()
    if not title or len(title) > 200:
        errors["title"] = "required, at most 200 characters"
    if not body:
        errors["body"] = "required"
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = "not an e-mail address"
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    item = Item.objects.create(title=title, body=body, email=email, created_at=timezone.now())
    return JsonResponse({"id": item.pk}, status=201)


@require_GET
def latest(request):
    """The latest 20 rows, by an indexed column."""
    rows = list(Item.objects.order_by("-created_at").values("id", "title", "created_at")[:20])
    return JsonResponse({"items": rows})
