"""Tests of the GloVe torch module, its batches and its sparse AdaGrad training."""

import numpy as np
import pytest
import scipy.sparse as sp
import torch

from sktext.nn import CooccurrenceBatches, GloVe, glove_loss, glove_weighting, train_glove
from sktext.nn._glove import _AdaGradState, _stable_argsort, _train_batch


def random_counts(n_words=40, density=0.3, seed=0):
    """A symmetric sparse matrix of positive co-occurrence-like counts."""
    upper = sp.random(n_words, n_words, density=density / 2, random_state=seed, format="csr")
    upper.data = np.round(upper.data * 50, 2) + 0.5
    return (upper + upper.T).tocsr()


def seeded_model(n_words, vector_size, seed=0):
    model = GloVe(n_words=n_words, vector_size=vector_size)
    model.reset_parameters(torch.Generator().manual_seed(seed))
    return model


def entries_of(batch):
    """Word ids, context ids and counts of a batch, in its row-major order."""
    rows = torch.repeat_interleave(batch.rows, torch.diff(batch.row_ptr.long()))
    return rows, batch.columns.long(), batch.counts


# ------------------------------------------------------------------ loss and weighting
def test_weighting_is_capped_power():
    counts = torch.tensor([0.5, 5.0, 10.0, 1e6])
    expected = torch.tensor([(0.05) ** 0.75, 0.5**0.75, 1.0, 1.0])
    torch.testing.assert_close(glove_weighting(counts, x_max=10.0, alpha=0.75), expected)


def test_loss_is_the_weighted_least_squares_sum():
    counts = torch.tensor([1.0, 4.0, 200.0])
    predictions = torch.tensor([0.5, 1.0, 2.0])
    f = glove_weighting(counts, x_max=100.0, alpha=0.75)
    expected = 0.5 * (f * (predictions - counts.log()) ** 2).sum()
    torch.testing.assert_close(glove_loss(predictions, counts), expected)
    assert float(glove_loss(counts.log(), counts)) == 0.0


# ------------------------------------------------------------------------------ module
def test_module_layout_and_initialisation():
    model = seeded_model(50, 6)
    d = 6
    assert model.weight.shape == model.context_weight.shape == (50, d + 2)
    # constant columns, and the reference's uniform [-0.5, 0.5) / d elsewhere
    assert torch.all(model.weight[:, d + 1] == 1) and torch.all(model.context_weight[:, d] == 1)
    free = torch.cat([model.weight[:, : d + 1], model.context_weight[:, [*range(d), d + 1]]])
    assert free.abs().max() <= 0.5 / d and free.std() > 0.1 / d
    # a generator makes the initialisation reproducible
    torch.testing.assert_close(seeded_model(50, 6).weight, model.weight)
    assert not torch.equal(seeded_model(50, 6, seed=1).weight, model.weight)


def test_forward_is_dot_product_plus_biases():
    model = seeded_model(10, 4)
    rows, columns = torch.tensor([0, 3, 9]), torch.tensor([5, 3, 1])
    expected = (
        (model.word_vectors()[rows] * model.context_vectors()[columns]).sum(1)
        + model.weight[rows, model.word_bias_column]
        + model.context_weight[columns, model.context_bias_column]
    )
    torch.testing.assert_close(model(rows, columns), expected)
    torch.testing.assert_close(
        model.embeddings(), model.word_vectors() + model.context_vectors(), rtol=0, atol=0
    )
    assert not model.embeddings().requires_grad


# ----------------------------------------------------------------------------- batches
@pytest.mark.parametrize("batch_size", [1, 7, 64, 10_000])
def test_batches_hold_every_entry_once_in_sparse_layouts(batch_size):
    counts = random_counts()
    batches = CooccurrenceBatches(counts, batch_size=batch_size, seed=0)
    assert batches.n_entries == counts.nnz and batches.n_words == 40
    # random batches of batch_size entries on average; none empty
    assert len(batches) <= -(-counts.nnz // batch_size)
    sizes = [len(batch.counts) for batch in batches]
    assert min(sizes) >= 1 and sum(sizes) == counts.nnz
    rebuilt = sp.csr_matrix((40, 40))
    for batch in batches:
        rows, columns, values = entries_of(batch)
        # row-major inside the batch: sorted by (row, column), rows compacted and distinct
        keys = rows * 40 + columns
        assert torch.all(keys[1:] > keys[:-1])
        assert torch.all(batch.rows[1:] > batch.rows[:-1])
        # the transposed layout lists the same entries by (column, row)
        context = torch.repeat_interleave(batch.context_rows, torch.diff(batch.context_ptr.long()))
        order = batch.transposed_order.long()
        assert torch.equal(context, columns[order])
        assert torch.equal(batch.transposed_rows.long(), rows[order])
        transposed_keys = context * 40 + batch.transposed_rows.long()
        assert torch.all(transposed_keys[1:] > transposed_keys[:-1])
        rebuilt = rebuilt + sp.csr_matrix(
            (values.numpy(), (rows.numpy(), columns.numpy())), shape=(40, 40)
        )
    np.testing.assert_allclose(rebuilt.toarray(), counts.toarray().astype(np.float32))


def test_stable_argsort_of_wide_keys():
    keys = np.random.default_rng(0).integers(0, 3 * 2**17, size=5000)
    np.testing.assert_array_equal(_stable_argsort(keys, 3 * 2**17), np.argsort(keys, kind="stable"))


def test_batch_sizes_average_batch_size():
    counts = random_counts(200, density=0.5)
    sizes = [len(b.counts) for b in CooccurrenceBatches(counts, batch_size=1000, seed=0)]
    assert len(sizes) == -(-counts.nnz // 1000)
    assert np.mean(sizes) == pytest.approx(counts.nnz / len(sizes))
    assert min(sizes) > 800 and max(sizes) < 1200  # binomial spread around the mean


def test_batches_are_random_but_reproducible():
    counts = random_counts()

    def first_batch_keys(seed):
        rows, columns, _ = entries_of(CooccurrenceBatches(counts, batch_size=50, seed=seed)[0])
        return (rows * 40 + columns).tolist()

    assert first_batch_keys(0) == first_batch_keys(0)
    assert first_batch_keys(0) != first_batch_keys(1)


@pytest.mark.parametrize(
    "matrix, match",
    [
        (sp.csr_matrix((3, 3)), "no non-zero entry"),
        (sp.csr_matrix(np.ones((2, 3))), "must be square"),
        (sp.csr_matrix(np.array([[0, -1.0], [1.0, 0]])), "non-negative"),
    ],
)
def test_batches_reject_unusable_matrices(matrix, match):
    with pytest.raises(ValueError, match=match):
        CooccurrenceBatches(matrix, batch_size=4, seed=0)


# ---------------------------------------------------------------------------- training
def test_one_step_equals_dense_autograd_reference():
    """The SDDMM/SpMM step is AdaGrad on the summed loss of the batch, per-entry squares."""
    n_words, d, rate = 30, 5, 0.05
    counts = random_counts(n_words, density=0.4, seed=2)
    batch = CooccurrenceBatches(counts, batch_size=200, seed=0)[0]
    model = seeded_model(n_words, d)
    reference = seeded_model(n_words, d)
    rows, columns, values = entries_of(batch)

    loss = glove_loss(reference(rows, columns), values, x_max=10.0, alpha=0.75)
    loss.backward()
    with torch.no_grad():
        weighted_diff = glove_weighting(values, 10.0, 0.75) * (
            reference(rows, columns) - values.log()
        )
        squares = torch.zeros(n_words, d + 2).index_add_(
            0, rows, (weighted_diff[:, None] * reference.context_weight[columns]) ** 2
        )
        context_squares = torch.zeros(n_words, d + 2).index_add_(
            0, columns, (weighted_diff[:, None] * reference.weight[rows]) ** 2
        )
        word_rate = torch.full((d + 2,), rate)
        word_rate[d + 1] = 0  # the constant column
        context_rate = torch.full((d + 2,), rate)
        context_rate[d] = 0
        sum_squares = 1 + word_rate**2 * squares
        context_sum_squares = 1 + context_rate**2 * context_squares
        expected_weight = reference.weight - word_rate * reference.weight.grad / sum_squares.sqrt()
        expected_context = (
            reference.context_weight
            - context_rate * reference.context_weight.grad / context_sum_squares.sqrt()
        )

    state = _AdaGradState(model, rate)
    with torch.no_grad():
        batch_loss = _train_batch(model, state, batch, 10.0, 0.75)
    torch.testing.assert_close(batch_loss, loss.detach())
    torch.testing.assert_close(model.weight.data, expected_weight)
    torch.testing.assert_close(model.context_weight.data, expected_context)
    torch.testing.assert_close(state.sum_squares, sum_squares)
    torch.testing.assert_close(state.context_sum_squares, context_sum_squares)
    # the rows the batch did not touch are unchanged; constant columns stay 1
    untouched = torch.ones(n_words, dtype=torch.bool)
    untouched[rows] = False
    assert torch.equal(model.weight[untouched], seeded_model(n_words, d).weight[untouched])
    assert torch.all(model.weight[:, d + 1] == 1) and torch.all(model.context_weight[:, d] == 1)


def test_training_fits_a_low_rank_log_count_matrix():
    # counts generated by a GloVe model of rank 3: training recovers them closely
    rng = np.random.default_rng(0)
    n_words, rank = 60, 3
    vectors, context = rng.normal(size=(n_words, rank)), rng.normal(size=(n_words, rank))
    log_counts = vectors @ context.T + 2.0
    counts = sp.csr_matrix(np.exp(log_counts) * (rng.random((n_words, n_words)) < 0.5))
    model = seeded_model(n_words, 8)
    batches = CooccurrenceBatches(counts, batch_size=256, seed=0)
    curve = train_glove(model, batches, epochs=200, learning_rate=0.1, x_max=1.0, seed=0)
    assert curve[-1] < 1e-3 * curve[0]
    coo = counts.tocoo()
    with torch.no_grad():
        predicted = model(torch.from_numpy(coo.row).long(), torch.from_numpy(coo.col).long())
    residual = predicted.numpy() - np.log(coo.data)
    assert np.sqrt(np.mean(residual**2)) < 0.05


def test_loss_falls_monotonically_and_training_is_reproducible():
    counts = random_counts(80, density=0.2, seed=1)
    batches = CooccurrenceBatches(counts, batch_size=64, seed=0)
    runs = []
    for _ in range(2):
        model = seeded_model(80, 10)
        curve = train_glove(model, batches, epochs=12, x_max=10.0, seed=3)
        runs.append((curve, model.embeddings()))
    curve = runs[0][0]
    assert all(np.diff(curve) < 0)
    assert runs[0][0] == runs[1][0]
    assert torch.equal(runs[0][1], runs[1][1])
    # another order of the batches gives other vectors
    model = seeded_model(80, 10)
    train_glove(model, batches, epochs=12, x_max=10.0, seed=4)
    assert not torch.equal(model.embeddings(), runs[0][1])


def test_callback_gets_each_epoch():
    calls = []
    model = seeded_model(40, 4)
    batches = CooccurrenceBatches(random_counts(), batch_size=100, seed=0)
    curve = train_glove(
        model, batches, epochs=3, callback=lambda *args: calls.append(args), x_max=10.0
    )
    assert [c[0] for c in calls] == [1, 2, 3]
    assert [c[1] for c in calls] == curve
    assert all(c[2] >= 0 for c in calls)


def test_loss_curve_is_the_mean_loss_per_entry():
    counts = random_counts()
    batches = CooccurrenceBatches(counts, batch_size=10**6, seed=0)  # one batch
    model = seeded_model(40, 4)
    coo = counts.tocoo()
    rows, columns = torch.from_numpy(coo.row).long(), torch.from_numpy(coo.col).long()
    with torch.no_grad():
        before = glove_loss(model(rows, columns), torch.from_numpy(coo.data).float(), 10.0)
    curve = train_glove(model, batches, epochs=1, x_max=10.0)
    assert curve[0] == pytest.approx(float(before) / counts.nnz, rel=1e-5)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_step_matches_cpu():  # pragma: no cover - no GPU in CI
    counts = random_counts()
    batches = CooccurrenceBatches(counts, batch_size=100, seed=0)
    cpu = seeded_model(40, 4)
    gpu = seeded_model(40, 4).to("cuda")
    cpu_curve = train_glove(cpu, batches, epochs=3, x_max=10.0)
    gpu_curve = train_glove(gpu, batches, epochs=3, x_max=10.0)
    np.testing.assert_allclose(gpu_curve, cpu_curve, rtol=1e-4)
    torch.testing.assert_close(gpu.embeddings().cpu(), cpu.embeddings(), rtol=1e-4, atol=1e-5)
