"""Facts about the HTTP request that several interfaces need."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address for throttling and the audit log.

    Behind N trusted reverse proxies (CAREERRELAY_TRUSTED_PROXIES=N) it is the address the
    outermost trusted proxy saw, the Nth entry from the right of X-Forwarded-For; entries further
    left were written by the client and prove nothing. With no proxy it is the socket's peer.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    hops = settings.CAREERRELAY_TRUSTED_PROXIES
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < hops:
        return remote
    candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
