"""FusionModule: a text module's document vectors fused with a branch over other columns."""

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
