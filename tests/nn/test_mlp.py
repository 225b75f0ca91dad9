import numpy as np
import pytest
import scipy.sparse as sp
import torch

from sktext.nn import MLP, SparseInputLinear


def _csr_tensor(matrix):
    matrix = sp.csr_matrix(matrix, dtype=np.float32)
    return torch.sparse_csr_tensor(
        torch.from_numpy(matrix.indptr.astype(np.int64)),
        torch.from_numpy(matrix.indices.astype(np.int64)),
        torch.from_numpy(matrix.data),
        size=matrix.shape,
    )


def test_sparse_and_dense_input_give_the_same_output():
    torch.manual_seed(0)
    dense = sp.random(7, 30, density=0.2, random_state=0, dtype=np.float32).toarray()
    dense[3] = 0  # an empty row
    layer = SparseInputLinear(in_features=30, out_features=5)
    torch.nn.init.normal_(layer.weight)
    torch.nn.init.normal_(layer.bias)
    out_dense = layer(torch.from_numpy(dense))
    out_sparse = layer(_csr_tensor(dense))
    assert out_sparse.shape == (7, 5)
    torch.testing.assert_close(out_sparse, out_dense, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(out_sparse[3], layer.bias.detach())


def test_sparse_grad_touches_only_the_rows_read():
    layer = SparseInputLinear(in_features=50, out_features=4, sparse_grad=True)
    torch.nn.init.normal_(layer.weight)
    x = sp.csr_matrix(([1.0, 2.0, 3.0], ([0, 0, 1], [3, 7, 7])), shape=(2, 50))
    layer(_csr_tensor(x)).sum().backward()
    grad = layer.weight.grad
    assert grad.is_sparse
    assert set(grad.coalesce().indices()[0].tolist()) == {3, 7}


def _compact(matrix):
    matrix = sp.csr_matrix(matrix, dtype=np.float32)
    rows, local = np.unique(matrix.indices, return_inverse=True)
    compact = sp.csr_matrix(
        (matrix.data, local.ravel(), matrix.indptr), shape=(matrix.shape[0], len(rows))
    )
    return _csr_tensor(compact), torch.from_numpy(rows.astype(np.int64))


@pytest.mark.parametrize("sparse_grad", [False, True])
def test_compacted_batch_gives_same_output_and_gradient(sparse_grad):
    torch.manual_seed(0)
    x = sp.random(6, 40, density=0.15, random_state=2, dtype=np.float32, format="csr")
    full = SparseInputLinear(in_features=40, out_features=3, sparse_grad=sparse_grad)
    torch.nn.init.normal_(full.weight)
    torch.nn.init.normal_(full.bias)
    out_full = full(_csr_tensor(x))
    out_full.square().sum().backward()
    grad_full = full.weight.grad.to_dense()
    full.weight.grad = None
    x_compact, rows = _compact(x)
    # the gradient from autograd's embedding_bag backward, from the batch's transpose
    # (what sktext's training batches carry), and with the rows given as already read
    transposed = _csr_tensor(sp.csr_matrix(x_compact.to_dense().numpy()).T)
    read = full.weight.detach()[rows].clone()
    for kwargs in ({}, {"transposed": transposed}, {"transposed": transposed, "weight_rows": read}):
        full.weight.grad = None
        out_compact = full(x_compact, rows, **kwargs)
        torch.testing.assert_close(out_compact, out_full)
        out_compact.square().sum().backward()
        grad = full.weight.grad
        assert grad.is_sparse == sparse_grad
        if sparse_grad:
            # exactly the rows read, in increasing order: no duplicates to merge
            assert grad._indices()[0].tolist() == rows.tolist()
        torch.testing.assert_close(grad.to_dense(), grad_full)
    # the forward pass reads the rows it is given, not the weight's
    out = full(x_compact, rows, transposed=transposed, weight_rows=torch.zeros_like(read))
    torch.testing.assert_close(out, full.bias.detach().expand(6, 3))
    with pytest.raises(ValueError, match="weight_rows needs a compacted batch"):
        full(x_compact, rows, weight_rows=read)


@pytest.mark.parametrize("hidden", [(), (16,), (16, 8)])
@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic", "identity"])
def test_mlp_shapes(hidden, activation):
    module = MLP(n_features=12, n_outputs=3, hidden_layer_sizes=hidden, activation=activation)
    out = module(torch.randn(5, 12))
    assert out.shape == (5, 3)
    assert len(module.layers) == len(hidden)


def test_mlp_rows_read_and_sparse_parameters():
    x = _csr_tensor(sp.random(4, 20, density=0.3, random_state=1))
    module = MLP(n_features=20, n_outputs=2, hidden_layer_sizes=(8,), sparse_grad=True)
    assert module.sparse_parameters() == [module.input_layer.weight]
    [(param, rows)] = module.rows_read(x)
    assert param is module.input_layer.weight
    torch.testing.assert_close(rows, torch.unique(x.col_indices()))
    given = torch.tensor([1, 5])
    assert module.rows_read(x, rows=given)[0][1] is given
    dense_module = MLP(n_features=20, n_outputs=2, hidden_layer_sizes=(8,))
    assert dense_module.sparse_parameters() == []
    assert dense_module.rows_read(x) == []
    # the forward input that takes the rows as read: compacted batches only
    weight = module.input_layer.weight
    assert module.weight_rows_keyword(weight, x, rows=given, transposed=x) == "weight_rows"
    assert module.weight_rows_keyword(weight, x, rows=given) is None
    assert module.weight_rows_keyword(module.layers[0].weight, x, given, x) is None


def test_glorot_initialisation_bounds():
    module = MLP(n_features=1000, n_outputs=2, hidden_layer_sizes=(10,))
    bound = np.sqrt(6 / 1010)
    assert module.input_layer.weight.abs().max() <= bound
    assert module.input_layer.weight.abs().max() > 0.9 * bound


@pytest.mark.parametrize("activation, factor", [("logistic", 2.0), ("tanh", 6.0), ("relu", 6.0)])
def test_glorot_factor_depends_on_the_activation_as_in_sklearn(activation, factor):
    # scikit-learn's MLP: bound sqrt(factor / (fan_in + fan_out)), factor 2 for logistic
    torch.manual_seed(0)
    module = MLP(n_features=600, n_outputs=10, hidden_layer_sizes=(400,), activation=activation)
    for weight, fan_in, fan_out in [
        (module.input_layer.weight, 600, 400),
        (module.layers[0].weight, 400, 10),
    ]:
        bound = np.sqrt(factor / (fan_in + fan_out))
        assert bound * 0.99 < float(weight.abs().max()) <= bound
