import pytest
import torch
from torch.nn import functional as F

from sktext.nn import CatchUpAdam


def _train(sparse, opt_cls, prefetch=False, steps=300, weight_decay=0.0, **kwargs):
    gen = torch.Generator().manual_seed(0)
    n_rows, dim, batch = 500, 8, 16
    start = torch.randn(n_rows, dim, generator=gen) * 0.1
    target = torch.randn(n_rows, dim, generator=gen)
    weight = torch.nn.Parameter(start.clone())
    if weight_decay:
        kwargs["weight_decay"] = weight_decay
    opt = opt_cls([weight], lr=1e-2, **kwargs)
    for _ in range(steps):
        # skewed row frequencies: many rows go long stretches without a gradient
        rows = torch.unique((torch.rand(batch, generator=gen) ** 3 * n_rows).long())
        if prefetch:
            opt.catch_up(weight, rows)
        loss = ((F.embedding(rows, weight, sparse=sparse) - target[rows]) ** 2).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
    if hasattr(opt, "flush"):
        opt.flush()
    return start, weight.detach()


def _rel_err(result, reference, start):
    return float((result - reference).norm() / (reference - start).norm())


def test_catch_up_follows_dense_adam():
    start, dense = _train(False, torch.optim.Adam)
    _, caught_up = _train(True, CatchUpAdam, prefetch=True)
    assert _rel_err(caught_up, dense, start) < 1e-4


def test_lazy_sparse_adam_does_not_follow_dense_adam():
    # the reason CatchUpAdam exists: SparseAdam (and catch_up=False) drift far from Adam
    start, dense = _train(False, torch.optim.Adam)
    _, sparse_adam = _train(True, torch.optim.SparseAdam)
    _, lazy = _train(True, CatchUpAdam, catch_up=False)
    assert _rel_err(sparse_adam, dense, start) > 0.3
    assert _rel_err(lazy, sparse_adam, start) < 1e-5


def test_dense_gradients_match_torch_adam_with_coupled_weight_decay():
    start, reference = _train(False, torch.optim.Adam, weight_decay=0.01)
    _, mine = _train(False, CatchUpAdam, weight_decay=0.01)
    assert _rel_err(mine, reference, start) < 1e-6


def test_flush_applies_pending_momentum():
    weight = torch.nn.Parameter(torch.ones(3, 2))
    opt = CatchUpAdam([weight], lr=0.1)
    for rows in ([0], [1], [1], [1]):
        loss = F.embedding(torch.tensor(rows), weight, sparse=True).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
    before = weight.detach().clone()
    opt.flush()
    moved = (weight.detach() - before).abs().sum(1)
    assert moved[0] > 0  # row 0 missed three steps of momentum
    assert moved[1] == 0  # up to date
    assert moved[2] == 0  # never had a gradient
    assert opt.state[weight]["last_step"].tolist() == [4, 4, 0]  # row 2 never touched


def test_switching_gradient_layout_is_an_error():
    weight = torch.nn.Parameter(torch.ones(3, 2))
    opt = CatchUpAdam([weight])
    F.embedding(torch.tensor([0]), weight, sparse=True).sum().backward()
    opt.step()
    opt.zero_grad()
    F.embedding(torch.tensor([0]), weight, sparse=False).sum().backward()
    with pytest.raises(RuntimeError, match="switched from sparse to dense"):
        opt.step()


@pytest.mark.parametrize("kwargs", [dict(lr=-1.0), dict(betas=(1.0, 0.9)), dict(eps=-1.0)])
def test_invalid_hyperparameters(kwargs):
    with pytest.raises(ValueError):
        CatchUpAdam([torch.nn.Parameter(torch.ones(1))], **kwargs)


def test_uncoalesced_gradients_with_duplicate_rows():
    # nn.Embedding(sparse=True) yields duplicate rows: they must be summed, not overwritten
    weight_a = torch.nn.Parameter(torch.ones(4, 2))
    weight_b = torch.nn.Parameter(torch.ones(4, 2))
    opt_a = CatchUpAdam([weight_a], lr=0.1)
    opt_b = torch.optim.Adam([weight_b], lr=0.1)
    rows = torch.tensor([2, 0, 2, 2])
    (F.embedding(rows, weight_a, sparse=True) * torch.arange(4.0)[:, None]).sum().backward()
    (F.embedding(rows, weight_b) * torch.arange(4.0)[:, None]).sum().backward()
    opt_a.step()
    opt_b.step()
    torch.testing.assert_close(weight_a.detach(), weight_b.detach())
