import itertools

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from sktext.nn import TextRNN

CELLS = ["lstm", "gru"]
POOLINGS = ["last", "max", "mean", "attention"]


def _net(**kwargs):
    torch.manual_seed(0)
    params = dict(vocab_size=30, embedding_dim=6, n_outputs=3, hidden_size=5, dropout=0.0)
    params.update(kwargs)
    return TextRNN(**params).eval()


# documents of 4, 1 (a one-token document), 0 (empty) and 3 tokens, padded with 0
IDS = torch.tensor([[3, 4, 5, 6], [7, 0, 0, 0], [0, 0, 0, 0], [9, 1, 8, 0]])


@pytest.mark.parametrize(
    "cell, bidirectional, pooling, num_layers",
    list(itertools.product(CELLS, [False, True], POOLINGS, [1, 2])),
)
def test_shapes_and_padding_never_enters(cell, bidirectional, pooling, num_layers):
    net = _net(cell=cell, bidirectional=bidirectional, pooling=pooling, num_layers=num_layers)
    out = net(IDS)
    assert out.shape == (4, 3) and torch.isfinite(out).all()
    pooled = net.encode(IDS)
    assert pooled.shape == (4, 5 * (2 if bidirectional else 1))
    # appending padding columns does not change any output
    torch.testing.assert_close(net(F.pad(IDS, (0, 7))), out, rtol=0, atol=1e-6)
    # each document alone (no padding at all) gives its output in the batch
    for i, length in enumerate([4, 1, 0, 3]):
        alone = net(IDS[i : i + 1, : max(length, 1)])
        torch.testing.assert_close(alone, out[i : i + 1], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("num_layers", [1, 2])
def test_last_pooling_is_the_state_after_the_last_real_token(cell, num_layers):
    net = _net(cell=cell, bidirectional=True, pooling="last", num_layers=num_layers)
    doc = torch.tensor([[3, 4, 5]])
    # the last layer's outputs, (1, 3, 2 * hidden), no padding here
    steps, _ = net.rnn(net.embedding(doc))
    forward_last, backward_first = steps[0, -1, :5], steps[0, 0, 5:]
    torch.testing.assert_close(net.encode(doc)[0], torch.cat([forward_last, backward_first]))
    padded = F.pad(doc, (0, 4))
    torch.testing.assert_close(net.encode(padded), net.encode(doc))


def test_empty_batch_width_and_empty_document_defined():
    net = _net(pooling="attention")
    empty = net(torch.zeros((2, 0), dtype=torch.long))
    torch.testing.assert_close(empty, net(torch.zeros((2, 5), dtype=torch.long)))
    assert torch.isfinite(empty).all()


def test_embedding_modes_and_sparse_rows():
    vectors = np.random.RandomState(0).randn(30, 4).astype(np.float32)
    static = _net(mode="static", embeddings=vectors)
    assert static.embedding.embedding_dim == 4 and not static.embedding.weight.requires_grad
    assert (static.embedding.weight[0] == 0).all()
    torch.testing.assert_close(static.embedding.weight[1:], torch.as_tensor(vectors[1:]))
    assert static.sparse_parameters() == []
    sparse = _net(mode="non-static", embeddings=vectors, sparse=True)
    assert sparse.sparse_parameters() == [sparse.embedding.weight]
    ((param, rows),) = sparse.rows_read(IDS)
    assert param is sparse.embedding.weight
    assert rows.tolist() == [0, 1, 3, 4, 5, 6, 7, 8, 9]
    sparse.train()
    sparse(IDS).sum().backward()
    assert sparse.embedding.weight.grad.is_sparse
    assert sparse.embedding.weight.grad.coalesce().indices().unique().tolist() == [
        1,
        3,
        4,
        5,
        6,
        7,
        8,
        9,
    ]


def test_layer_dropout_only_between_stacked_layers():
    assert _net(num_layers=1, layer_dropout=0.3).rnn.dropout == 0.0
    assert _net(num_layers=2, layer_dropout=0.3).rnn.dropout == 0.3
    assert _net(num_layers=3).rnn.num_layers == 3


def test_learns_order_dependent_task():
    """Label = whether token 3 comes before token 4: a bag of words cannot tell."""
    rng = np.random.RandomState(0)
    docs, labels = [], []
    for _ in range(256):
        filler = list(rng.randint(5, 12, size=rng.randint(0, 6)))
        pair = [3, 4] if rng.rand() < 0.5 else [4, 3]
        labels.append(int(pair[0] == 3))
        pos = rng.randint(0, len(filler) + 1)
        docs.append(filler[:pos] + pair + filler[pos:])
    width = max(map(len, docs))
    X = torch.tensor([d + [0] * (width - len(d)) for d in docs])
    y = torch.tensor(labels)
    torch.manual_seed(0)
    net = TextRNN(vocab_size=12, embedding_dim=8, n_outputs=2, hidden_size=16, dropout=0.0)
    opt = torch.optim.Adam(net.parameters(), lr=0.02)
    for _ in range(60):
        opt.zero_grad()
        F.cross_entropy(net(X), y).backward()
        opt.step()
    net.eval()
    assert (net(X).argmax(1) == y).float().mean() > 0.95


def test_bad_arguments():
    with pytest.raises(ValueError, match="cell must be one of"):
        _net(cell="rnn")
    with pytest.raises(ValueError, match="pooling must be one of"):
        _net(pooling="sum")
    with pytest.raises(ValueError, match="mode must be one of"):
        _net(mode="multichannel")
    with pytest.raises(ValueError, match="needs embeddings"):
        _net(mode="static")
    with pytest.raises(ValueError, match="embeddings must have shape"):
        _net(mode="static", embeddings=np.zeros((3, 4)))


def _pool_alone(net, doc, pooling):
    """The pooling of one document's step outputs, computed without any padding."""
    steps, _ = net.rnn(net.embedding(torch.tensor([doc])))  # (1, len, dirs * hidden)
    steps = steps[0]
    if pooling == "max":
        return steps.amax(dim=0)
    if pooling == "mean":
        return steps.mean(dim=0)
    weights = torch.softmax(torch.tanh(net.attention(steps)) @ net.context, dim=0)
    return weights @ steps


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("pooling", ["max", "mean", "attention"])
def test_pooling_over_real_steps_only_in_a_batch_of_different_lengths(cell, pooling):
    # The masks only matter when documents of different lengths share a batch: a single
    # padded document is cut to its own length before the recurrence.
    net = _net(cell=cell, pooling=pooling)
    docs = [[3, 4, 5, 6, 7, 8, 9], [10, 11], [12, 13, 14, 15], [16]]
    ids = torch.tensor([doc + [0] * (7 - len(doc)) for doc in docs])
    with torch.no_grad():
        pooled = net.encode(ids)
        for i, doc in enumerate(docs):
            torch.testing.assert_close(pooled[i], _pool_alone(net, doc, pooling))


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("pooling", POOLINGS)
def test_padded_recurrence_matches_packed_sequences_with_gradients(cell, pooling):
    # The CPU path runs the layers over the padded batch (linear time); the GPU path packs
    # the sequences. Both give the same outputs and the same gradients.
    torch.manual_seed(0)
    params = dict(vocab_size=30, embedding_dim=6, n_outputs=3, hidden_size=5, dropout=0.0)
    net = TextRNN(cell=cell, pooling=pooling, num_layers=2, **params)
    ids = torch.tensor([[3, 4, 5, 6, 7, 8], [9, 10, 0, 0, 0, 0], [11, 12, 13, 14, 0, 0]])
    results = []
    for recurrence in (net._padded_recurrence, net._packed_recurrence):
        net.zero_grad()
        lengths = (ids != 0).sum(dim=1)
        out, last = recurrence(net.embedding(ids), lengths)
        mask = (torch.arange(6).unsqueeze(0) < lengths.unsqueeze(1)).unsqueeze(2)
        (out * mask).sum().backward(retain_graph=True)
        last.sum().backward()
        grads = [p.grad.clone() for p in net.rnn.parameters()]
        results.append(((out * mask).detach(), last.detach(), grads))
    (out, last, grads), (ref_out, ref_last, ref_grads) = results
    torch.testing.assert_close(out, ref_out)
    torch.testing.assert_close(last, ref_last)
    for grad, ref in zip(grads, ref_grads, strict=True):
        torch.testing.assert_close(grad, ref)
