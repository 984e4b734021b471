"""Schemathesis over the whole OpenAPI document of a running server: every operation gets
generated requests (valid ones and, in negative mode, ones the schema forbids), sent with an org
API key. A finding is any 5xx, or any error answer that is not RFC 9457 problem+json with a
title and the status. Used by the bounded run in the suite (`test_fuzz.py`) and the longer run
(`benchmarks/api_fuzz.py`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.core.result import Err

PROBLEM = "application/problem+json"


@dataclass
class Finding:
    operation: str
    request: str
    status: int
    why: str


@dataclass
class Report:
    operations: int = 0
    requests: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def _why(status: int, content_type: str, body: bytes) -> str:
    if status >= 500:
        return "server error"
    if status < 400:
        return ""
    if not content_type.startswith(PROBLEM):
        return f"error answered as {content_type or 'no content type'}, not {PROBLEM}"
    try:
        problem = json.loads(body)
    except ValueError:
        return "problem+json body is not JSON"
    if not isinstance(problem, dict) or problem.get("status") != status or not problem.get("title"):
        return "problem+json without the status or a title"
    return ""


@dataclass(frozen=True)
class _Target:
    base_url: str
    headers: dict[str, str]
    examples: int
    seed: int | None


def _send_all(strategy: Any, label: str, target: _Target, report: Report) -> None:
    @settings(
        max_examples=target.examples,
        deadline=None,
        derandomize=target.seed is not None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def send(case: schemathesis.Case) -> None:
        response = case.call(base_url=target.base_url, headers=target.headers, timeout=30)
        report.requests += 1
        report.statuses[response.status_code] = report.statuses.get(response.status_code, 0) + 1
        content_type = next(iter(response.headers.get("content-type", [])), "")
        why = _why(response.status_code, content_type, response.content)
        if why:
            request = response.request
            body = request.body if isinstance(request.body, str | bytes) else ""
            sent = f"{request.method} {request.url} {body!r:.300}"
            report.findings.append(Finding(label, sent, response.status_code, why))

    send()


def fuzz(
    base_url: str,
    api_key: str,
    *,
    examples: int,
    seed: int | None = 0,
    modes: tuple[GenerationMode, ...] = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE),
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Fuzz every operation of `{base_url}/api/v1/openapi.json`; findings are collected, not raised."""
    schema = schemathesis.openapi.from_url(f"{base_url}/api/v1/openapi.json")
    target = _Target(base_url, {"Authorization": f"Bearer {api_key}"}, examples, seed)
    report = Report()
    for result in schema.get_all_operations():
        report.operations += 1
        if isinstance(result, Err):  # an operation the document describes wrongly is a finding too
            report.findings.append(Finding("schema", "", 0, f"invalid operation: {result.err()}"))
            continue
        operation = result.ok()
        if progress:
            progress(operation.label)
        for mode in modes:
            _send_all(operation.as_strategy(generation_mode=mode), operation.label, target, report)
    return report
