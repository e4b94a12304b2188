"""A request whose body ends before its ``Content-Length`` is refused, never half-read.

A phone that loses its signal mid-upload closes the connection; gunicorn (served directly,
as ``script/start`` does for a pilot or a classroom) hands Django the part that arrived,
and Django's parsers take it for the whole: a report filed with its text cut mid-sentence
and its photo dropped, an answer sent to a citizen ending mid-word, an Idempotency-Key used
up by the broken request so that the app's retry is refused. nginx in front
(deploy/nginx) buffers whole bodies and never passes such a request on; this middleware
makes the application itself safe: the body is read through a stream that raises
``BodyCutShort`` (a 400, "bad request") when it ends early, so nothing is written and the
retry starts afresh.
"""
from __future__ import annotations

from django.core.exceptions import BadRequest


class BodyCutShort(BadRequest):
    """The connection closed before the whole body arrived."""


class _WholeBody:
    """The request's stream, checked against the length the client announced."""

    def __init__(self, stream, expected: int):
        self._stream, self._expected, self._got = stream, expected, 0

    def _count(self, data: bytes, size) -> bytes:
        self._got += len(data)
        if self._got < self._expected and (not data or size is None or size < 0):
            raise BodyCutShort(f"request body ended after {self._got} of {self._expected} bytes")
        return data

    def read(self, size=-1):
        return self._count(self._stream.read(size) if size is not None else self._stream.read(), size)

    def readline(self, size=-1):
        data = self._stream.readline(size) if size is not None else self._stream.readline()
        self._got += len(data)
        if not data and self._got < self._expected:
            raise BodyCutShort(f"request body ended after {self._got} of {self._expected} bytes")
        return data

    def __getattr__(self, name):
        return getattr(self._stream, name)


class WholeBodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            expected = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            expected = 0
        stream = getattr(request, "_stream", None)
        if expected > 0 and stream is not None:
            request._stream = _WholeBody(stream, expected)
        return self.get_response(request)
