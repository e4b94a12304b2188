"""The API's JSON parser: DRF's, except that a body nested deeper than Python can read
(``[[[[…`` a hundred thousand times) is refused like any other body that is no JSON (a
400 in the caller's language, lapor/api/errors.py), not a server error: DRF catches only
``ValueError``, and the decoder raises ``RecursionError`` there."""
from __future__ import annotations

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as DrfJSONParser


class JSONParser(DrfJSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply") from None
