"""FusionModule: a text module's document vectors fused with a branch over other columns."""

import pytest
import torch

from sktext.nn import FusionModule, TextCNN


def _fusion(**params):
    torch.manual_seed(0)
    return FusionModule(
        text_module=TextCNN,
        n_tabular_features=3,
        vocab_size=20,
        embedding_dim=4,
        num_filters=16,
        filter_sizes=(2,),
        n_outputs=2,
        dropout=0.0,  # no other randomness in training mode
        **params,
    )


def _batch(n):
    torch.manual_seed(1)
    ids = torch.randint(1, 20, (n, 6))  # (batch, seq_len)
    return [ids], torch.randn(n, 3)


def test_modality_dropout_hides_whole_texts_in_training_only():
    module = _fusion(modality_dropout=0.3)
    columns, tabular = _batch(4000)
    text_size = module.output.in_features - 64  # concat: [text vector; branch of 64]
    module.eval()
    full = module.encode(columns, tabular)
    some_text = full[:, :text_size].abs().sum(dim=1) > 0
    assert some_text.float().mean() > 0.99
    module.train()
    torch.manual_seed(2)
    fused = module.encode(columns, tabular)
    kept = (fused == full).all(dim=1)
    hidden = ~kept
    # a hidden row has no text at all and its branch intact; the others are untouched
    assert (fused[hidden, :text_size] == 0).all()
    torch.testing.assert_close(fused[:, text_size:], full[:, text_size:])
    assert 0.27 < hidden[some_text].float().mean().item() < 0.33  # about 30% of the rows


def _text_rows_hidden(module, columns, tabular=None):
    full = module.eval().encode(columns, tabular)
    fused = module.train().encode(columns, tabular)
    return (fused != full).any(dim=1).float().mean().item()


def test_no_modality_dropout_without_columns_or_when_zero():
    columns, tabular = _batch(500)
    assert _text_rows_hidden(_fusion(modality_dropout=0.0), columns, tabular) == 0
    assert _text_rows_hidden(_fusion(modality_dropout=0.5), columns, tabular) > 0.4
    text_only = FusionModule(
        text_module=TextCNN,
        n_text_columns=2,
        vocab_size=20,
        embedding_dim=4,
        num_filters=16,
        filter_sizes=(2,),
        n_outputs=2,
        dropout=0.0,
        modality_dropout=0.9,
    )
    assert _text_rows_hidden(text_only, columns * 2) == 0


def test_wide_part_reads_the_columns_straight_to_the_outputs():
    module = _fusion().eval()
    columns, tabular = _batch(50)
    assert (module.wide.weight == 0).all()  # the pretrained-like start is untouched
    with torch.no_grad():
        module.output.weight.zero_()
        module.output.bias.zero_()
        module.wide.weight.copy_(torch.tensor([[1.0, -2.0, 0.5], [0.0, 3.0, 1.0]]))
    torch.testing.assert_close(module(columns, tabular), tabular @ module.wide.weight.T)
    assert (
        FusionModule(
            text_module=TextCNN, vocab_size=20, embedding_dim=4, num_filters=4, n_outputs=2
        ).wide
        is None
    )  # text columns only: nothing to read


@pytest.mark.parametrize("fusion", ["concat", "gate", "attention"])
def test_text_weight_blends_text_and_columns_at_prediction_only(fusion):
    module = _fusion(fusion=fusion, modality_dropout=0.0)
    columns, tabular = _batch(40)
    other_text = [torch.randint(1, 20, columns[0].shape)]
    with torch.no_grad():
        module.wide.weight.normal_()
        module.eval()
        outputs, on_other_text = {}, {}
        for weight in (0.0, 0.3, 1.0):
            module.text_weight.fill_(weight)
            outputs[weight] = module(columns, tabular)
            on_other_text[weight] = module(other_text, tabular)
        # the blend of the outputs with the text and of the columns alone
        torch.testing.assert_close(outputs[0.3], 0.3 * outputs[1.0] + 0.7 * outputs[0.0])
        torch.testing.assert_close(on_other_text[0.0], outputs[0.0])  # no text read
        assert not torch.allclose(on_other_text[1.0], outputs[1.0])
        module.train()  # training sees the whole text whatever the weight
        module.text_weight.fill_(0.3)
        torch.testing.assert_close(module(columns, tabular), outputs[1.0])
    assert "text_weight" in module.state_dict()  # saved with the weights
