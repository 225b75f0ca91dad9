import numpy as np
import pytest
import torch

from sktext.nn import CatchUpAdam, TextCNN


def _net(**kwargs):
    params = dict(vocab_size=30, embedding_dim=6, n_outputs=3, num_filters=5)
    params.update(kwargs)
    torch.manual_seed(0)
    return TextCNN(**params).eval()


def test_output_shape_and_parameters():
    net = _net(filter_sizes=(2, 3))
    ids = torch.randint(2, 30, (4, 9))  # (batch, seq_len)
    assert net(ids).shape == (4, 3)
    assert [c.kernel_size[0] for c in net.convs] == [2, 3]
    assert net.output.in_features == 5 * 2


def test_documents_shorter_than_the_widest_filter():
    net = _net(filter_sizes=(3, 4, 5))
    short = torch.tensor([[4, 7]])  # 2 tokens, narrower than every filter
    out = net(short)
    assert out.shape == (1, 3) and torch.isfinite(out).all()
    # the same as the document padded by hand to any width
    for width in (5, 8, 20):
        padded = torch.zeros(1, width, dtype=torch.long)
        padded[0, :2] = short[0]
        torch.testing.assert_close(net(padded), out)
    # an empty document (all padding) is defined
    assert torch.isfinite(net(torch.zeros(2, 1, dtype=torch.long))).all()


def test_result_does_not_depend_on_padding():
    net = _net()
    rng = np.random.RandomState(0)
    docs = [rng.randint(1, 30, size=n) for n in (1, 4, 7, 12)]
    alone = [net(torch.as_tensor(d).unsqueeze(0)) for d in docs]
    batch = torch.zeros(len(docs), 40, dtype=torch.long)
    for i, d in enumerate(docs):
        batch[i, : len(d)] = torch.as_tensor(d)
    torch.testing.assert_close(net(batch), torch.cat(alone))


def test_max_over_time_pooling_by_hand():
    net = _net(filter_sizes=(2,), num_filters=1, n_outputs=1, dropout=0.0)
    ids = torch.tensor([[3, 5, 9, 0, 0]])
    emb = net.embedding.weight[ids[0, :3]]  # (3, emb_dim)
    w, b = net.convs[0].weight[0], net.convs[0].bias[0]  # (emb_dim, 2)
    windows = [(emb[i : i + 2].T * w).sum() + b for i in range(2)]
    pooled = torch.relu(torch.stack(windows).max())
    expected = net.output.weight[0, 0] * pooled + net.output.bias[0]
    torch.testing.assert_close(net(ids)[0, 0], expected)


def test_modes():
    vectors = torch.randn(30, 4)
    static = _net(mode="static", embeddings=vectors)
    assert static.embedding.weight.shape == (30, 4)  # dim from the vectors
    assert not static.embedding.weight.requires_grad
    torch.testing.assert_close(static.embedding.weight[1:], vectors[1:])
    assert (static.embedding.weight[0] == 0).all()  # padding row
    non_static = _net(mode="non-static", embeddings=vectors)
    assert non_static.embedding.weight.requires_grad
    multi = _net(mode="multichannel", embeddings=vectors)
    assert multi.convs[0].in_channels == 8
    assert not multi.static_embedding.weight.requires_grad
    assert multi(torch.randint(1, 30, (2, 6))).shape == (2, 3)
    rand = _net()
    assert rand.embedding.weight[1:].abs().max() <= 0.25
    with pytest.raises(ValueError, match="needs embeddings"):
        _net(mode="static")
    with pytest.raises(ValueError, match="takes no embeddings"):
        _net(embeddings=vectors)
    with pytest.raises(ValueError, match="shape"):
        _net(mode="static", embeddings=torch.randn(10, 4))
    with pytest.raises(ValueError, match="mode must be"):
        _net(mode="dynamic")


def test_static_channel_stays_fixed_when_training():
    vectors = torch.randn(30, 4)
    net = _net(mode="multichannel", embeddings=vectors).train()
    opt = torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr=0.1)
    ids = torch.randint(1, 30, (8, 6))
    for _ in range(3):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(net(ids), torch.arange(8) % 3).backward()
        opt.step()
    torch.testing.assert_close(net.static_embedding.weight[1:], vectors[1:])
    assert not torch.allclose(net.embedding.weight[1:], vectors[1:])


def test_sparse_embedding_gradients_and_rows_read():
    net = _net(sparse=True).train()
    ids = torch.tensor([[3, 4, 4, 0], [7, 0, 0, 0]])
    torch.nn.functional.cross_entropy(net(ids), torch.tensor([0, 1])).backward()
    assert net.embedding.weight.grad.is_sparse
    assert net.sparse_parameters() == [net.embedding.weight]
    [(param, rows)] = net.rows_read(ids)
    assert param is net.embedding.weight and rows.tolist() == [0, 3, 4, 7]
    assert _net(sparse=True, mode="static", embeddings=torch.randn(30, 4)).sparse_parameters() == []
    # CatchUpAdam takes the sparse gradient
    opt = CatchUpAdam(net.parameters(), lr=0.01)
    before = net.embedding.weight[3].clone()
    opt.step()
    assert not torch.equal(net.embedding.weight[3], before)


def test_apply_max_norm():
    net = _net()
    with torch.no_grad():
        net.output.weight.mul_(100)
    net.apply_max_norm(3.0)
    norms = net.output.weight.norm(dim=1)
    torch.testing.assert_close(norms, torch.full_like(norms, 3.0))
