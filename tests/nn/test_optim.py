import pytest
import torch
from torch.nn import functional as F

from sktext.nn import CatchUpAdam, _optim


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


def test_sparse_weight_decay_matches_dense_adam_when_every_row_has_a_gradient():
    # coupled L2 on the rows a gradient touches: with all rows in every batch, exactly
    # torch.optim.Adam(weight_decay=...) on dense gradients
    gen = torch.Generator().manual_seed(0)
    start = torch.randn(20, 4, generator=gen)
    target = torch.randn(20, 4, generator=gen)

    def train(sparse, opt_cls, weight_decay):
        weight = torch.nn.Parameter(start.clone())
        opt = opt_cls([weight], lr=1e-2, weight_decay=weight_decay)
        for step in range(100):
            scale = 1.0 + step % 3  # gradients of varying size
            out = F.embedding(torch.arange(20), weight, sparse=sparse)
            loss = scale * ((out - target) ** 2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
        return weight.detach()

    dense = train(False, torch.optim.Adam, 0.5)
    assert _rel_err(train(False, torch.optim.Adam, 0.0), dense, start) > 0.05  # it matters
    assert _rel_err(train(True, CatchUpAdam, 0.5), dense, start) < 1e-5


def test_catch_up_over_a_long_gap_follows_dense_adam():
    # Row 0 gets gradients for 400 steps, then none for 300 (row 1 keeps the steps
    # going): its catch-up sums 300 momentum steps, far beyond the exactly computed
    # terms, so the closed-form tail matters (without it: 1.6e-3 of the catch-up, beta2=0.99).
    # float64, so that dense Adam's own rounding over 300 steps stays far below the tail
    target = torch.tensor([[1.0, -2.0], [0.5, 0.5]], dtype=torch.float64)
    results = {}
    for name, sparse, opt_cls in [
        ("dense", False, torch.optim.Adam),
        ("sparse", True, CatchUpAdam),
    ]:
        weight = torch.nn.Parameter(torch.zeros(2, 2, dtype=torch.float64))
        opt = opt_cls([weight], lr=1e-3, betas=(0.9, 0.99))
        snapshot = None
        for step in range(700):
            rows = torch.tensor([0, 1]) if step < 400 else torch.tensor([1])
            loss = ((F.embedding(rows, weight, sparse=sparse) - target[rows]) ** 2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            if step == 399:
                snapshot = weight.detach()[0].clone()
        if hasattr(opt, "flush"):
            opt.flush()
        results[name] = (snapshot, weight.detach()[0].clone())
    (before, dense), (_, sparse) = results["dense"], results["sparse"]
    # relative to the movement of the 300 missed steps
    assert float((sparse - dense).norm() / (dense - before).norm()) < 1e-6


def test_non_fused_fallback_is_adam(monkeypatch):
    # torch >= 2.2 is supported; without torch._fused_adam_ the update is computed op by op
    monkeypatch.setattr(_optim, "_fused_adam", None)
    start, reference = _train(False, torch.optim.Adam, weight_decay=0.01)
    _, mine = _train(False, CatchUpAdam, weight_decay=0.01)
    assert _rel_err(mine, reference, start) < 1e-6
    _, dense = _train(False, torch.optim.Adam)
    _, caught_up = _train(True, CatchUpAdam, prefetch=True)
    assert _rel_err(caught_up, dense, start) < 1e-4


def test_state_without_tail_sums_is_rebuilt_and_training_follows_the_same_path():
    # an optimizer state saved by an older sktext has the step coefficients but no tail
    # sums: they are rebuilt from the coefficients, and training goes on as without a break
    def train(break_at=None):
        gen = torch.Generator().manual_seed(0)
        weight = torch.nn.Parameter(torch.randn(300, 4, generator=gen))
        target = torch.randn(300, 4, generator=gen)
        opt = CatchUpAdam([weight], lr=1e-2)
        for step in range(120):
            if step == break_at:
                state = opt.state[weight]
                del state["tail"], state["tail_ratio"]
            rows = torch.unique((torch.rand(12, generator=gen) ** 3 * 300).long())
            opt.catch_up(weight, rows)
            loss = ((F.embedding(rows, weight, sparse=True) - target[rows]) ** 2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
        opt.flush()
        return weight.detach()

    torch.testing.assert_close(train(break_at=60), train(), rtol=1e-6, atol=1e-7)


def test_catch_up_without_keep_writes_the_rows_and_keep_leaves_them_to_the_step():
    gen = torch.Generator().manual_seed(0)
    weight = torch.nn.Parameter(torch.randn(6, 3, generator=gen))
    opt = CatchUpAdam([weight], lr=0.1)
    for rows in ([0, 1], [1, 2], [2, 3]):  # rows 0 and 1 then miss steps
        rows = torch.tensor(rows)
        F.embedding(rows, weight, sparse=True).sum().backward()
        opt.step()
        opt.zero_grad()
    rows = torch.tensor([0, 1, 4])
    before = weight.detach().clone()
    read = opt.catch_up(weight, rows, keep=True)
    torch.testing.assert_close(weight.detach(), before)  # not written
    assert not torch.allclose(read[:2], before[:2])  # rows 0 and 1 caught up
    written = opt.catch_up(weight, rows)  # the same rows, written this time
    torch.testing.assert_close(written, read)
    torch.testing.assert_close(weight.detach()[rows], read)
    assert opt.catch_up(weight, rows, keep=True) is not None
    assert (
        CatchUpAdam([torch.nn.Parameter(torch.ones(2, 2))]).catch_up(
            torch.nn.Parameter(torch.ones(2, 2)), torch.tensor([0])
        )
        is None
    )


def test_step_catches_up_by_itself_as_a_prefetch_would():
    # without catch_up() before the forward pass, step() brings the rows up to date and
    # decays their moments itself: the same arithmetic as a catch_up() called just
    # before it (whose rows the step then reuses), so the same weights
    def train(prefetch_before_step):
        gen = torch.Generator().manual_seed(0)
        weight = torch.nn.Parameter(torch.randn(200, 4, generator=gen))
        target = torch.randn(200, 4, generator=gen)
        opt = CatchUpAdam([weight], lr=1e-2)
        for _ in range(150):
            rows = torch.unique((torch.rand(10, generator=gen) ** 3 * 200).long())
            loss = ((F.embedding(rows, weight, sparse=True) - target[rows]) ** 2).sum()
            opt.zero_grad()
            loss.backward()
            if prefetch_before_step:
                opt.catch_up(weight, rows)
            opt.step()
        opt.flush()
        return weight.detach()

    torch.testing.assert_close(train(False), train(True), rtol=1e-5, atol=1e-6)
