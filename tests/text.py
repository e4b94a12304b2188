"""What a person reads or hears of a page, for tests that check its words."""
from html.parser import HTMLParser

# Attributes assistive technology reads out (and a placeholder, which people read).
LABELS = frozenset({"aria-label", "title", "alt", "placeholder"})


class Visible(HTMLParser):
    """Text outside <script>/<style>, and the values of ``attributes``; with ``messages``,
    also the sentences scripts show (``data-msg-*``, e.g. map.js's). Text marked
    ``translate="no"`` (identifiers shown as they are in every language, such as a data
    file's column names) is left out, as translation tools leave it."""

    def __init__(self, attributes=LABELS, messages=False):
        super().__init__()
        self.attributes, self.messages = attributes, messages
        self.parts, self.hidden, self.untranslated = [], 0, []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        if ("translate", "no") in attrs:
            self.untranslated.append(tag)
            self.hidden += 1
        for name, value in attrs:
            if not value or (tag == "input" and name == "value"):  # a field's value is what was typed
                continue
            if name in self.attributes or (self.messages and name.startswith("data-msg-")):
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1
        if self.untranslated and self.untranslated[-1] == tag:
            self.untranslated.pop()
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_parts(html: str, **options) -> list[str]:
    parser = Visible(**options)
    parser.feed(html)
    return parser.parts


def visible(html: str, **options) -> str:
    """The page's visible text, its whitespace collapsed."""
    return " ".join(" ".join(visible_parts(html, **options)).split())
