"""Word dropout and sparse-row bookkeeping shared by TextCNN and TextRNN."""

import pytest
import torch

from sktext.nn import CatchUpAdam, TextCNN, TextRNN

MODULES = {
    "textcnn": lambda **kw: TextCNN(
        vocab_size=40, embedding_dim=6, n_outputs=2, num_filters=4, filter_sizes=(2,), **kw
    ),
    "textrnn": lambda **kw: TextRNN(
        vocab_size=40, embedding_dim=6, n_outputs=2, hidden_size=5, **kw
    ),
}


def _net(kind, **kwargs):
    torch.manual_seed(0)
    return MODULES[kind](**kwargs)


@pytest.mark.parametrize("kind", MODULES)
def test_drop_words_replaces_words_only_in_training(kind):
    net = _net(kind, word_dropout=0.3)
    gen = torch.Generator().manual_seed(0)
    X = torch.randint(2, 40, (400, 60), generator=gen)
    X[:, 45:] = 0  # padding
    torch.manual_seed(1)
    dropped = net.train().drop_words(X)
    changed = dropped != X
    assert torch.all(dropped[changed] == net.unknown_idx)
    assert not changed[:, 45:].any()  # padding is never replaced
    assert changed[:, :45].float().mean().item() == pytest.approx(0.3, abs=0.01)
    assert net.eval().drop_words(X) is X
    assert _net(kind, word_dropout=0.0).train().drop_words(X) is X


@pytest.mark.parametrize("kind", MODULES)
def test_word_dropout_does_not_change_predictions(kind):
    X = torch.tensor([[5, 6, 7, 8, 1, 0], [9, 3, 0, 0, 0, 0]])
    with_dropout = _net(kind, word_dropout=0.5).eval()
    without = _net(kind, word_dropout=0.0).eval()
    torch.testing.assert_close(with_dropout(X), without(X), rtol=0, atol=0)


@pytest.mark.parametrize("kind", MODULES)
def test_rows_read_include_the_unknown_row_under_word_dropout(kind):
    X = torch.tensor([[5, 6, 0], [9, 0, 0]])
    [(_, rows)] = _net(kind, sparse=True, word_dropout=0.2).rows_read(X)
    assert rows.tolist() == [0, 1, 5, 6, 9]
    [(_, rows)] = _net(kind, sparse=True).rows_read(X)
    assert rows.tolist() == [0, 5, 6, 9]


@pytest.mark.parametrize("kind", MODULES)
@pytest.mark.parametrize("word_dropout", [0.0, 0.5])
def test_unknown_vector_learns_only_with_word_dropout(kind, word_dropout):
    """The unknown row is trained iff training meets it (sparse CatchUpAdam updates)."""
    net = _net(kind, sparse=True, word_dropout=word_dropout).train()
    opt = CatchUpAdam(net.parameters(), lr=0.05)
    X = torch.randint(2, 40, (32, 10), generator=torch.Generator().manual_seed(0))
    y = torch.arange(32) % 2
    before = net.embedding.weight[1].detach().clone()
    for _ in range(3):
        for param, rows in net.rows_read(X):
            opt.catch_up(param, rows, assume_unique=True)
        opt.zero_grad()
        torch.nn.functional.cross_entropy(net(X), y).backward()
        opt.step()
    changed = not torch.equal(net.embedding.weight[1], before)
    assert changed == (word_dropout > 0)


@pytest.mark.parametrize("kind", MODULES)
def test_sparse_and_dense_adam_agree_under_word_dropout(kind):
    """Catching up the unknown row keeps CatchUpAdam on dense Adam's trajectory."""
    X = torch.randint(2, 40, (16, 8), generator=torch.Generator().manual_seed(0))
    y = torch.arange(16) % 2
    weights = []
    for sparse in (True, False):
        net = _net(kind, sparse=sparse, word_dropout=0.3).train()
        opt = (CatchUpAdam if sparse else torch.optim.Adam)(net.parameters(), lr=0.01)
        torch.manual_seed(5)  # the same words dropped in both runs
        for step in range(5):
            # odd steps do not read the unknown row: dense Adam still moves it (momentum),
            # CatchUpAdam defers that, and must catch up before the next step reads it
            net.word_dropout = 0.0 if step % 2 else 0.3
            rows = X if step % 2 else X[:, :3]
            if sparse:
                for param, ids in net.rows_read(rows):
                    opt.catch_up(param, ids, assume_unique=True)
            opt.zero_grad()
            torch.nn.functional.cross_entropy(net(rows), y).backward()
            opt.step()
        if sparse:
            opt.flush()
        weights.append(net.embedding.weight.detach())
    torch.testing.assert_close(weights[0], weights[1], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("kind", MODULES)
@pytest.mark.parametrize("word_dropout", [-0.1, 1.0])
def test_word_dropout_out_of_range(kind, word_dropout):
    with pytest.raises(ValueError, match="word_dropout must be in"):
        _net(kind, word_dropout=word_dropout)
