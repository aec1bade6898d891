"""The wording helpers of ``shnn.validation`` that error messages share: a count with its
noun in the right number, a type name with the right indefinite article."""

import pytest

from shnn.validation import article, plural


@pytest.mark.parametrize("n, text", [(0, "0 states"), (1, "1 state"), (2, "2 states"),
                                     (10, "10 states")])
def test_plural_agrees_with_the_count(n, text):
    assert plural(n, "state") == text


def test_plural_takes_an_irregular_plural():
    assert plural(1, "degree of freedom", "degrees of freedom") == "1 degree of freedom"
    assert plural(2, "degree of freedom", "degrees of freedom") == "2 degrees of freedom"
    assert plural(1, "(q, p) interval pair") == "1 (q, p) interval pair"


@pytest.mark.parametrize("word, text", [
    ("int", "an int"), ("float", "a float"), ("str", "a str"), ("list", "a list"),
    ("dict", "a dict"), ("tuple", "a tuple"), ("NoneType", "a NoneType"),
    ("module", "a module"), ("function", "a function"), ("Tensor", "a Tensor"),
    ("ndarray", "an ndarray"), ("OrderedDict", "an OrderedDict"), ("uint8", "a uint8"),
    ("int64", "an int64"), ("object", "an object"),
])
def test_article_follows_the_first_sound(word, text):
    assert article(word) == text


def test_messages_use_the_helpers():
    from shnn.data import Domain
    from shnn.systems import get

    with pytest.raises(ValueError, match=r"has 2 \(q, p\) interval pairs but system "
                                         r"'single_pendulum' has 1 degree of freedom$"):
        Domain.of([(0, 1), (0, 1)], [(0, 1), (0, 1)]).check_system(get("single_pendulum"))
    with pytest.raises(ValueError, match=r"has 1 \(q, p\) interval pair but system "
                                         r"'double_pendulum' has 2 degrees of freedom$"):
        Domain.of([(0, 1)], [(0, 1)]).check_system(get("double_pendulum"))
