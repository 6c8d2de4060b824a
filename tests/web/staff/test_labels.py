"""The words for machine values in Python sentences are those of the template's labels."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

TEMPLATE = (
    Path(__file__).resolve().parents[3] / "src/nadzor/web/templates/nadzor/staff/_labels.html"
)


def test_the_python_labels_follow_the_template() -> None:
    from nadzor.web.staff._labels import label

    pairs = re.findall(
        r'value == "([a-z_]+)" %\}\{% translate "([^"]+)" context "([^"]+)" %\}',
        TEMPLATE.read_text(),
    )
    assert len(pairs) > 40
    with translation.override("en"):
        assert [label(value) for value, _words, _context in pairs] == [w for _v, w, _c in pairs]
    with translation.override("ru"):
        assert label("sent_home") == "отпущен домой"
        assert label("not_subject") == "не подлежит призыву"
        assert label("something_new") == "something_new"
