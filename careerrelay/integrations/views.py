"""Inbound webhook endpoints: check, store, answer. The worker does the rest."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from careerrelay.integrations.models import Provider
from careerrelay.integrations.services import WebhookMalformed, WebhookUnauthorized, delivery_receive

MAX_BODY = 2 * 1024 * 1024


def _receive(request: HttpRequest, provider: str, org_slug: str) -> HttpResponse:
    if len(request.body) > MAX_BODY:
        return JsonResponse({"error": "payload too large"}, status=413)
    try:
        result = delivery_receive(
            provider=provider, org_slug=org_slug, body=request.body, headers=dict(request.headers.items())
        )
    except WebhookUnauthorized:
        return JsonResponse({"error": "invalid signature"}, status=401)
    except WebhookMalformed:
        return JsonResponse({"error": "body is not a JSON object"}, status=400)
    return JsonResponse({"status": result.value})


@csrf_exempt
@require_POST
def greenhouse_hook(request: HttpRequest, org_slug: str) -> HttpResponse:
    return _receive(request, Provider.GREENHOUSE, org_slug)


@csrf_exempt
@require_POST
def lever_hook(request: HttpRequest, org_slug: str) -> HttpResponse:
    return _receive(request, Provider.LEVER, org_slug)
