"""The examples in the engine's docstrings run and give what they show."""

import doctest

import pytest

import champion.spc
from champion.spc import _analysis, _api, _meaning, _verdict


@pytest.mark.parametrize(
    "module", [champion.spc, _api, _analysis, _meaning, _verdict], ids=lambda m: m.__name__
)
def test_docstring_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
