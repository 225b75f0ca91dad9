import numpy as np
import pandas as pd
import pytest

from sktext.utils._validation import BARE_STRING_MESSAGE, check_documents


def test_documents_come_back_as_a_list_in_order():
    docs = ["b a", ["x", np.str_("y")], ("t",)]  # numpy.str_ is a str subclass: a token
    assert check_documents(docs) == docs
    assert check_documents(np.array(["u", "v"], dtype=object)) == ["u", "v"]
    assert check_documents(pd.Series(["u", "v"], index=[5, 3])) == ["u", "v"]


@pytest.mark.parametrize(
    "docs, message",
    [
        ([["fine", "tokens"], ["one", 2, "three"]], "document 1 is a token list with non-string"),
        ([["a"], ["b", None]], "document 1 is a token list with non-string"),
        ([["a", b"bytes"]], "document 0 is a token list with non-string"),
        (["text", None], "document 1 is None"),
        (["text", float("nan")], "document 1 is NaN"),
        (["text", 3], "document 1 is a int"),
    ],
)
def test_the_first_bad_document_is_named(docs, message):
    with pytest.raises(ValueError, match=message):
        check_documents(docs)


def test_token_lists_refused_when_not_allowed():
    with pytest.raises(ValueError, match="document 0 is a list .* must be a string"):
        check_documents([["a", "b"]], allow_tokenized=False)


def test_bare_string_none_and_2d_input():
    with pytest.raises(ValueError, match=BARE_STRING_MESSAGE):
        check_documents("one string")
    with pytest.raises(ValueError, match="got None"):
        check_documents(None)
    with pytest.raises(ValueError, match=r"shape \(2, 1\)"):
        check_documents(np.array([["a"], ["b"]], dtype=object))
    with pytest.raises(TypeError, match="got int"):
        check_documents(3)
