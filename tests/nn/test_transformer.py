import numpy as np
import pytest
import torch

pytest.importorskip("transformers")

from sktext.nn import TextTransformer, pool_hidden_states  # noqa: E402
from sktext.nn._transformer import encoder_layers, freeze_lower_layers  # noqa: E402
from sktext.utils._testing import tiny_transformer_path  # noqa: E402

# token ids of 5, 2 and 3 tokens (ids of the tiny vocabulary), padded with 0
IDS = torch.tensor([[2, 10, 11, 12, 3], [2, 3, 0, 0, 0], [2, 13, 3, 0, 0]])
MASK = (torch.arange(5) < torch.tensor([[5], [2], [3]])).long()


def _net(**kwargs):
    torch.manual_seed(0)
    params = dict(model=tiny_transformer_path(), n_outputs=3, dropout=0.0)
    params.update(kwargs)
    return TextTransformer(**params).eval()


def test_pool_hidden_states_over_real_tokens_only():
    hidden = torch.arange(24, dtype=torch.float32).reshape(2, 3, 4)
    mask = torch.tensor([[1, 1, 0], [1, 0, 0]])
    mean = pool_hidden_states(hidden, mask, "mean")
    torch.testing.assert_close(mean[0], hidden[0, :2].mean(dim=0))
    torch.testing.assert_close(mean[1], hidden[1, 0])
    torch.testing.assert_close(pool_hidden_states(hidden, mask, "cls"), hidden[:, 0])
    with pytest.raises(ValueError, match="pooling"):
        pool_hidden_states(hidden, mask, "max")


def test_pool_hidden_states_float32_under_low_precision():
    hidden = torch.randn(2, 3, 4).to(torch.bfloat16)
    out = pool_hidden_states(hidden, torch.ones(2, 3, dtype=torch.long))
    assert out.dtype == torch.float32


@pytest.mark.parametrize("pooling", ["mean", "cls"])
def test_padding_never_changes_a_document(pooling):
    net = _net(pooling=pooling)
    with torch.no_grad():
        out = net(IDS, MASK)
        assert out.shape == (3, 3)
        for i, length in enumerate([5, 2, 3]):
            alone = net(IDS[i : i + 1, :length], MASK[i : i + 1, :length])
            torch.testing.assert_close(alone, out[i : i + 1], rtol=1e-5, atol=1e-6)


def test_mean_pooling_equals_the_encoders_states_averaged():
    net = _net()
    with torch.no_grad():
        states = net.encoder(input_ids=IDS[:1], attention_mask=MASK[:1]).last_hidden_state
        torch.testing.assert_close(net.encode(IDS[:1], MASK[:1]), states.mean(dim=1))


def test_layer_stack_and_freezing():
    net = _net()
    layers = encoder_layers(net.encoder)
    assert len(layers) == 2
    freeze_lower_layers(net.encoder, 1)
    frozen = {name for name, p in net.encoder.named_parameters() if not p.requires_grad}
    assert frozen, "nothing was frozen"
    assert all(name.startswith(("embeddings.", "encoder.layer.0.")) for name in frozen)
    assert any(name.startswith("embeddings.") for name in frozen)
    assert all(p.requires_grad for name, p in net.encoder.named_parameters() if ".layer.1." in name)
    with pytest.raises(ValueError, match="more than the 2 layers"):
        freeze_lower_layers(net.encoder, 3)


def test_trainable_layers_zero_leaves_only_what_follows_the_stack():
    net = _net(trainable_layers=0)
    trainable = [name for name, p in net.named_parameters() if p.requires_grad]
    assert all(name.startswith(("output.", "encoder.pooler.")) for name in trainable)
    assert any(name.startswith("output.") for name in trainable)


def test_no_decay_parameters_are_biases_and_norms():
    net = _net()
    no_decay = {id(p) for p in net.no_decay_parameters()}
    names = {name for name, p in net.named_parameters() if id(p) in no_decay}
    assert all(name.endswith("bias") or "LayerNorm" in name for name in names)
    assert any("LayerNorm.weight" in name for name in names)
    decayed = [p for p in net.parameters() if id(p) not in no_decay]
    assert decayed and all(p.dim() == 2 for p in decayed)


def test_gradients_reach_the_encoder():
    net = _net().train()
    loss = net(IDS, MASK).logsumexp(dim=1).sum()
    loss.backward()
    grad = net.encoder.get_input_embeddings().weight.grad
    assert grad is not None and torch.count_nonzero(grad) > 0
    assert np.isfinite(grad.abs().sum().item())


def test_bad_pooling():
    with pytest.raises(ValueError, match="pooling"):
        _net(pooling="max")
