"""Names are quoted once, with curly quotes, wherever the platform names them."""

import pytest
from django.template import Context, Template

from champion.core.words import quoted, unquoted


@pytest.mark.parametrize(
    "typed",
    ["Falls", " Falls ", '"Falls"', "'Falls'", "“Falls”", "‘Falls’", '“"Falls"”', "« Falls »"],
)
def test_a_name_is_quoted_once_however_it_was_typed(typed):
    assert quoted(typed) == "“Falls”"
    assert unquoted(typed) == "Falls"


def test_quotes_inside_a_name_nest_as_single_quotes_and_empty_stays_empty():
    assert quoted("Don't fall") == "“Don't fall”"
    assert quoted("“Safe” care and “kind” care") == "“‘Safe’ care and ‘kind’ care”"
    assert quoted('The "Safe" bundle') == "“The ‘Safe’ bundle”"
    assert quoted("") == "" and quoted(None) == ""


def test_the_template_filter_is_built_in_and_escapes():
    out = Template("{{ name|quoted }}").render(Context({"name": '"<b>Falls</b>"'}))
    assert out == "“&lt;b&gt;Falls&lt;/b&gt;”"


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0, "0"), (999, "999"), (10043, "10,043"), (1234567, "1,234,567"), (-2500, "-2,500"),
     (None, ""), ("12", "12"), (12.5, "12.5"), (True, "True")],
)  # fmt: skip
def test_counts_read_with_thousands_separators_and_other_values_as_they_are(value, shown):
    assert Template("{{ v|thousands }}").render(Context({"v": value})) == shown
