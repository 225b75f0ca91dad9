"""Mutation check: does the test suite notice a one-line change to a critical line?

Each mutation below is ``(file, old text, new text, tests)``: the old text must occur
exactly once in the file (the script stops before running anything otherwise, naming
every pattern that no longer matches, so that patterns are easy to re-point after a
refactoring). The repository is copied once into a temporary directory; each mutation
is applied to that copy only (the working tree is never written), the listed tests
run there, and the file is restored. A mutation is *caught* when pytest reports a
failing test. At the end a table of caught/missed is printed; the exit status is 0 only
if every mutation was caught.

Usage (from the repository root, in the project's virtualenv)::

    python tools/mutate.py                 # all mutations: 5-15 s each on a quiet
                                           # 2-core machine, ~2 min when it is busy
    python tools/mutate.py --list          # the mutations, numbered
    python tools/mutate.py -k optim -k rnn # those whose file or label contains a word
    python tools/mutate.py --only 3,7      # by number
    python tools/mutate.py --check         # only check that every pattern matches once
    python tools/mutate.py --baseline      # first run the selected tests unmutated
    python tools/mutate.py --only 0 --tests tests/neural_network/test_lstm.py
                                           # does this other test catch mutation 0?

Not part of the default test suite.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]

# test files ----------------------------------------------------------------------------
MLP = "tests/neural_network/test_mlp.py"
TARGETS = "tests/neural_network/test_targets.py"
CNN = "tests/neural_network/test_textcnn.py"
LSTM = "tests/neural_network/test_lstm.py"
CLF = "tests/neural_network/test_transformer.py"
NN_MLP = "tests/nn/test_mlp.py"
NN_OPT = "tests/nn/test_optim.py"
NN_RNN = "tests/nn/test_rnn.py"
NN_CNN = "tests/nn/test_textcnn.py"
NN_EMB = "tests/nn/test_embedding.py"
NN_TRF = "tests/nn/test_transformer.py"
ENC = "tests/embeddings/test_sentence_encoder.py"
COOC = "tests/embeddings/test_cooccurrence.py"
SEQ = "tests/preprocessing/test_sequences.py"
HOSTILE = "tests/test_hostile_files.py"
ATOMIC = "tests/test_save_atomic.py"
PERSIST = "tests/test_persistence.py"
HF = "tests/utils/test_transformers.py"
CONT = "tests/neural_network/test_continued_training.py"
TABLE = "tests/preprocessing/test_table.py"
TABULAR = "tests/neural_network/test_tabular.py"
NN_FUSION = "tests/nn/test_fusion.py"
PAIRS = "tests/neural_network/test_text_pairs.py"
POISSON = "tests/neural_network/test_mlp_poisson.py"
DISTILL = "tests/test_distillation.py"
BUDGET = "tests/neural_network/test_transformer_budget.py"
ONNX_TRF = "tests/test_export_transformer.py"
DASK = "tests/test_dask.py"
DDP = "tests/neural_network/test_data_parallel.py"


# the real-data accuracy guards take minutes each and guard no line listed here
PYTEST_ARGS = ["-m", "not slow", "-k", "not rotten_tomatoes and not tfidf_pipeline"]


class Mutation(NamedTuple):
    file: str
    old: str
    new: str
    tests: tuple
    label: str = ""


def M(file, old, new, tests, label=""):
    return Mutation(file, old, new, tuple(tests), label)


MUTATIONS = [
    # ---- tasks: regression, multi-label, target scaling, dtype, document vectors
    M(
        "sktext/neural_network/_tasks.py",
        "return 0.5 * (outputs - y.to(outputs.dtype)).pow(2).mean(dim=1)",
        "return (outputs - y.to(outputs.dtype)).pow(2).mean(dim=1)",
        [TARGETS],
        "regression loss without scikit-learn's 1/2",
    ),
    M(
        "sktext/neural_network/_tasks.py",
        'return F.binary_cross_entropy_with_logits(logits, y, reduction="none").sum(dim=1)',
        'return F.binary_cross_entropy_with_logits(logits, y, reduction="none").mean(dim=1)',
        [TARGETS],
        "multi-label loss averaged over the labels instead of summed",
    ),
    M(
        "sktext/neural_network/_tasks.py",
        "            return (proba > 0.5).astype(np.int64)",
        "            return (proba > 0.4).astype(np.int64)",
        [TARGETS],
        "multi-label threshold",
    ),
    M(
        "sktext/neural_network/_tasks.py",
        "        return torch.sigmoid(logits)",
        "        return torch.softmax(logits, dim=-1)",
        [TARGETS],
        "multi-label outputs through a softmax",
    ),
    M(
        "sktext/neural_network/_tasks.py",
        "            y = y * self.target_scale_ + self.target_mean_",
        "            y = y * self.target_scale_",
        [TARGETS],
        "text regressors' predictions not shifted back",
    ),
    M(
        "sktext/neural_network/_tasks.py",
        "            Y = (Y - self.target_mean_) / self.target_scale_",
        "            Y = Y - self.target_mean_",
        [TARGETS],
        "targets not scaled",
    ),
    M(
        "sktext/neural_network/_tasks.py",
        "        return float(r2_score(np.asarray(y), outputs))",
        "        return -float(np.mean((np.asarray(y) - outputs) ** 2))",
        [TARGETS],
        "regression validation score is not R²",
    ),
    M(
        "sktext/neural_network/_mlp.py",
        "        return torch.float64 if X.dtype == np.float64 else torch.float32",
        "        return torch.float32",
        [TARGETS, "tests/test_common.py::test_sklearn_compatible_estimator"],
        "MLPs always compute in float32",
    ),
    M(
        "sktext/neural_network/_net.py",
        "            out = self.module_.encode(**x)\n",
        "            out = self.module_(**x)\n",
        [TARGETS],
        "transform returns the outputs, not the document vectors",
    ),
    M(
        "sktext/neural_network/_custom.py",
        '                "lengths": torch.from_numpy(sequences.lengths[rows].astype("int64")),',
        '                "lengths": torch.from_numpy(sequences.lengths[rows[::-1]]'
        '.astype("int64")),',
        [TARGETS],
        "custom module gets the wrong lengths",
    ),
    # ------------------------- training machinery (_net.py, _callbacks.py, _data.py, _base.py)
    M(
        "sktext/neural_network/_callbacks.py",
        "net.module_.load_state_dict(self.best_state_)",
        "pass",
        [MLP, CNN, LSTM],
        "early stopping: best weights not restored",
    ),
    M(
        "sktext/neural_network/_net.py",
        "total = weights.sum().clamp_min(1e-12)",
        "total = torch.tensor(float(len(losses)), device=losses.device)",
        [MLP],
        "weighted loss divided by the row count",
    ),
    M(
        "sktext/neural_network/_net.py",
        "weighted = (losses * weights).sum()",
        "weighted = losses.sum()",
        [MLP],
        "sample/class weights left out of the loss",
    ),
    M(
        "sktext/neural_network/_tasks.py",
        "return self.class_weight.to(y.device)[y]",
        "return self.class_weight.to(y.device)[1 - y.clamp(max=1)]",
        [MLP],
        "class weights looked up with the wrong class",
    ),
    M(
        "sktext/neural_network/_net.py",
        "loss = loss + 0.5 * self.alpha * l2 / total",
        "loss = loss + 0.5 * self.alpha * l2",
        [MLP],
        "dense L2 term not divided by the batch weight",
    ),
    M(
        "sktext/neural_network/_net.py",
        'group["weight_decay"] = self.alpha / float(total)',
        'group["weight_decay"] = self.alpha',
        [MLP],
        "sparse decay group not scaled by the batch weight",
    ),
    M(
        "sktext/neural_network/_net.py",
        "        read = self._catch_up_rows(Xi)\n",
        "        read = {}\n",
        [MLP],
        "no Adam catch-up before the forward pass",
    ),
    M(
        "sktext/neural_network/_net.py",
        "            self.optimizer_.flush()",
        "            pass",
        [MLP],
        "optimizer not flushed at the end of an epoch",
    ),
    M(
        "sktext/neural_network/_callbacks.py",
        "if score < self.best_score_ + self.tol:",
        "if score < self.best_score_:",
        [MLP],
        "early stopping ignores tol",
    ),
    M(
        "sktext/neural_network/_callbacks.py",
        "if self.no_improvement_ > self.n_iter_no_change:",
        "if self.no_improvement_ >= self.n_iter_no_change:",
        [MLP],
        "stopping one epoch early",
    ),
    M(
        "sktext/neural_network/_callbacks.py",
        "            if score > self.best_score_:\n",
        "            if score >= self.best_score_:\n",
        [MLP],
        "a later tie replaces the best epoch",
    ),
    M(
        "sktext/neural_network/_callbacks.py",
        "lr = self.learning_rate_init / (t + 1) ** self.power_t",
        "lr = self.learning_rate_init",
        [MLP],
        "invscaling schedule ignored",
    ),
    M(
        "sktext/neural_network/_callbacks.py",
        'group["lr"] /= 5.0',
        'group["lr"] /= 2.0',
        [MLP],
        "adaptive schedule divides by 2",
    ),
    M(
        "sktext/neural_network/_callbacks.py",
        "if self.max_fun is not None and self._function_evaluations(net) >= self.max_fun:",
        "if self.max_fun is not None and self._function_evaluations(net) > self.max_fun:",
        [MLP],
        "max_fun reached one evaluation late",
    ),
    M(
        "sktext/neural_network/_callbacks.py",
        "                print(self.stop_message_)",
        "                pass",
        [MLP],
        "verbose stop message not printed",
    ),
    M(
        "sktext/neural_network/_tasks.py",
        "return np.searchsorted(self.classes_, y).astype(np.int64)",
        "return (len(self.classes_) - 1 - np.searchsorted(self.classes_, y)).astype(np.int64)",
        [MLP],
        "label encoding reversed",
    ),
    M(
        "sktext/neural_network/_tasks.py",
        "return self.classes_[np.argmax(proba, axis=1)]",
        "return self.classes_[np.argmin(proba, axis=1)]",
        [MLP],
        "predict decodes the wrong class",
    ),
    M(
        "sktext/neural_network/_tasks.py",
        "return np.log(self.predict_proba(X))",
        "return np.log1p(self.predict_proba(X))",
        [MLP],
        "predict_log_proba wrong",
    ),
    M(
        "sktext/neural_network/_base.py",
        "self.net_.partial_fit(train_dataset, epochs=1)",
        "self.net_.partial_fit(train_dataset, epochs=2)",
        [MLP, CNN, LSTM],
        "partial_fit runs two epochs",
    ),
    M(
        "sktext/neural_network/_base.py",
        "if torch.device(current) != torch.device(device):",
        "if False:",
        [MLP],
        "no device-mismatch error on continued training",
    ),
    M(
        "sktext/neural_network/_base.py",
        "if self.verbose and self.verbose > 1:",
        "if self.verbose and self.verbose > 2:",
        [MLP],
        "no progress bar at verbose=2",
    ),
    M(
        "sktext/neural_network/_solver.py",
        '{"params": sparse, "weight_decay": self.alpha / batch_size, "sparse_l2": True}',
        '{"params": sparse, "weight_decay": 0.0, "sparse_l2": False}',
        [MLP],
        "sparse first layer not decayed",
    ),
    # ------------------------------------------------------------------ nn modules
    M(
        "sktext/nn/_mlp.py",
        'factor = 2.0 if activation == "logistic" else 6.0',
        "factor = 6.0",
        [NN_MLP, MLP],
        "logistic Glorot factor",
    ),
    M(
        "sktext/nn/_mlp.py",
        '    "tanh": nn.Tanh,',
        '    "tanh": nn.Hardtanh,',
        [NN_MLP, MLP],
        "tanh activation",
    ),
    M(
        "sktext/nn/_mlp.py",
        '    "logistic": nn.Sigmoid,',
        '    "logistic": nn.Tanh,',
        [NN_MLP, MLP],
        "logistic activation",
    ),
    M(
        "sktext/nn/_mlp.py",
        '    "identity": nn.Identity,',
        '    "identity": nn.ReLU,',
        [NN_MLP, MLP],
        "identity activation",
    ),
    M(
        "sktext/nn/_rnn.py",
        'return out.masked_fill(~mask.unsqueeze(2), float("-inf")).amax(dim=1)',
        "return out.amax(dim=1)",
        [NN_RNN],
        "RNN max pooling mask removed",
    ),
    M(
        "sktext/nn/_rnn.py",
        'scores = (u @ self.context).masked_fill(~mask, float("-inf"))',
        "scores = u @ self.context",
        [NN_RNN],
        "RNN attention mask removed",
    ),
    M(
        "sktext/nn/_rnn.py",
        "return summed / lengths.unsqueeze(1).to(out.dtype)",
        "return summed / width",
        [NN_RNN],
        "RNN mean over padded width",
    ),
    M(
        "sktext/nn/_rnn.py",
        "last = h_n[-self.num_directions :]",
        "last = h_n[: self.num_directions]",
        [NN_RNN],
        "RNN last pooling reads the first layer",
    ),
    M(
        "sktext/nn/_textcnn.py",
        'c = c.masked_fill(invalid.unsqueeze(1), float("-inf"))',
        "c = c",
        [NN_CNN],
        "TextCNN window mask removed",
    ),
    M(
        "sktext/nn/_textcnn.py",
        "lengths = (X != self.padding_idx).sum(dim=1)  # (batch,)",
        "lengths = (X != self.unknown_idx).sum(dim=1)  # (batch,)",
        [NN_CNN, CNN],
        "TextCNN lengths counted against the wrong id",
    ),
    M(
        "sktext/nn/_embedding.py",
        "            self.embedding.weight[padding_idx].zero_()",
        "            pass",
        [NN_EMB, NN_CNN, NN_RNN, CNN],
        "padding vector not zero",
    ),
    M(
        "sktext/preprocessing/_sequences.py",
        "PADDING_ID = 0",
        "PADDING_ID = 1",
        [SEQ, CNN],
        "padding id",
    ),
    # ------------------------------------------------------------------ CatchUpAdam
    M(
        "sktext/nn/_optim.py",
        'weight_decay=group["weight_decay"],  # coupled: grad + weight_decay * param',
        'weight_decay=-group["weight_decay"],  # coupled: grad + weight_decay * param',
        [NN_OPT, MLP],
        "fused Adam weight decay sign flipped",
    ),
    M(
        "sktext/nn/_optim.py",
        'grad = grad.add(param, alpha=group["weight_decay"])',
        'grad = grad.add(param, alpha=-group["weight_decay"])',
        [NN_OPT],
        "non-fused Adam weight decay sign flipped",
    ),
    M(
        "sktext/nn/_optim.py",
        '            state["tail_ratio"], (first - last).double()',
        '            state["tail_ratio"], (first - last + 1).double()',
        [NN_OPT],
        "catch-up decays one step too many",
    ),
    M(
        "sktext/nn/_optim.py",
        "            factor = torch.where(touched, self._missed_factor(state, first, last), 0.0)",
        "            factor = torch.where(touched, sel"
        "f._missed_factor(state, first + 1, last), 0.0)",
        [NN_OPT, MLP],
        "prefetch catch-up misses its first step",
    ),
    M(
        "sktext/nn/_optim.py",
        "            p_rows.addcdiv_(m_rows * -factor, v_rows.sqrt().add_(eps))",
        "            p_rows.addcdiv_(m_rows * factor, v_rows.sqrt().add_(eps))",
        [NN_OPT, MLP],
        "prefetch catch-up moves the wrong way",
    ),
    M(
        "sktext/nn/_optim.py",
        "            if not keep:",
        "            if False:",
        [NN_OPT],
        "catch_up() without keep leaves the rows unwritten",
    ),
    M(
        "sktext/nn/_optim.py",
        "            tail[first:t] += value * torch.pow(r, k)",
        "            tail[first:t] += value",
        [NN_OPT],
        "tail sums without the decay of missed steps",
    ),
    M(
        "sktext/nn/_optim.py",
        "_TAIL_PRECISION = 1e-17",
        "_TAIL_PRECISION = 1e-2",
        [NN_OPT],
        "tail sums over too short a window",
    ),
    M(
        "sktext/nn/_optim.py",
        '            state["tail"] = _tail_sums(state["coef"], t, r)',
        '            state["tail"] = torch.zeros_like(state["coef"])',
        [NN_OPT],
        "tail sums not rebuilt for an older state",
    ),
    M(
        "sktext/nn/_optim.py",
        '            if read_at != state["step"] or not same_rows:',
        "            if False:",
        [NN_OPT, NN_EMB, MLP],
        "step reuses prefetched rows that are not its gradient's",
    ),
    M(
        "sktext/nn/_optim.py",
        "                m_rows.mul_(torch.pow(beta1, missed))\n"
        "                v_rows.mul_(torch.pow(beta2, missed))\n"
        "            # else lazy Adam",
        "                v_rows.mul_(torch.pow(beta2, missed))\n            # else lazy Adam",
        [NN_OPT],
        "first moment not decayed over missed steps (step without prefetch)",
    ),
    M(
        "sktext/nn/_optim.py",
        "        m_rows.mul_(torch.pow(beta1, missed))\n"
        "        v_rows.mul_(torch.pow(beta2, missed))\n"
        "        self._prefetched[p]",
        "        v_rows.mul_(torch.pow(beta2, missed))\n        self._prefetched[p]",
        [NN_OPT, MLP],
        "first moment not decayed over missed steps (prefetch)",
    ),
    M(
        "sktext/nn/_mlp.py",
        "        grad_rows = _bag_product(ctx.transposed, grad_out.contiguous())  # (k, out)",
        "        grad_rows = _bag_product(ctx.transposed, grad_out.flip(0).contiguous())",
        [NN_MLP, MLP],
        "first-layer gradient from the wrong rows of the output gradient",
    ),
    M(
        "sktext/nn/_mlp.py",
        "        return grad_rows.new_zeros(shape).index_copy_(0, rows, grad_rows)",
        "        return grad_rows.new_zeros(shape).index_copy_(0, rows.flip(0), grad_rows)",
        [NN_MLP],
        "dense first-layer gradient on the wrong rows",
    ),
    M(
        "sktext/nn/_mlp.py",
        "            weight_rows = weight.index_select(0, rows)  # (k, out)",
        "            weight_rows = weight.index_select(0, rows.flip(0))  # (k, out)",
        [NN_MLP, MLP],
        "compacted forward reads the wrong rows",
    ),
    M(
        "sktext/neural_network/_mlp.py",
        "        position[rows] = np.arange(len(rows))",
        "        position[rows] = np.arange(len(rows))[::-1]",
        [MLP],
        "batch compaction maps non-zeros to the wrong rows",
    ),
    M(
        "sktext/neural_network/_net.py",
        "            Xi = {**Xi, **read}",
        "            pass",
        [MLP],
        "forward reads stale rows while the optimizer keeps the caught-up ones",
    ),
    M(
        "sktext/neural_network/_mlp.py",
        "        if incremental and self.early_stopping:",
        "        if False:",
        ["tests/neural_network/test_mlp_dropin.py"],
        "partial_fit with early_stopping=True accepted (scikit-learn refuses it)",
    ),
    M(
        "sktext/neural_network/_mlp.py",
        "        if not np.isfinite(values).all():",
        "        if False:",
        ["tests/neural_network/test_mlp_dropin.py"],
        "float64 input beyond float32's range becomes infinities",
    ),
    M(
        "sktext/neural_network/_transformer.py",
        "        return token_budgets(batch_size, length)\n",
        "        return token_budgets(batch_size, length)[0], 2 * batch_size * self.max_length_\n",
        [CLF],
        "transformer inference batches padded to max_length_ (long documents pad short ones)",
    ),
    M(
        "sktext/neural_network/_transformer.py",
        "        return token_budgets(batch_size, length)\n",
        "        return batch_size * self.max_length_, 2 * batch_size * length\n",
        [BUDGET],
        "transformer training batches padded to max_length_ (long documents pad short ones)",
    ),
    M(
        "sktext/neural_network/_transformer.py",
        "        return int(batch_size) * length * length\n",
        "        return None\n",
        [BUDGET],
        "no token-pair budget: long documents share transformer training batches",
    ),
    M(
        "sktext/neural_network/_transformer.py",
        "    length = BUDGET_LENGTH_FACTOR * reference_l"
        "ength(lengths, quantile=BUDGET_LENGTH_QUANTILE)",
        "    length = reference_length(lengths)",
        [BUDGET],
        "transformer budget in the 99th percentile (splits snippets, moved by long documents)",
    ),
    M(
        "sktext/neural_network/_transformer.py",
        "            epochs=self.max_iter,\n",
        "            epochs=None,\n",
        [BUDGET],
        "linear schedule planned for ceil(n / batch_size) batches per epoch",
    ),
    M(
        "sktext/neural_network/_callbacks.py",
        "        self.total_steps_ = self.step_ + n_batches * epochs_left",
        "        self.total_steps_ = self.total_steps",
        [BUDGET],
        "schedule not re-planned with the batches each epoch has",
    ),
    M(
        "sktext/neural_network/_net.py",
        "                self.epoch_batches_ = batches_in_pass(iterator)",
        "                self.epoch_batches_ = None",
        [BUDGET],
        "the net does not report the batches of the epoch",
    ),
    M(
        "sktext/utils/_batching.py",
        "        self.n_batches = len(batches)",
        "        self.n_batches = -(-len(self.lengths) // self.batch_size)",
        [BUDGET],
        "sampler reports ceil(n / batch_size) batches",
    ),
    M(
        "sktext/utils/_batching.py",
        "                fits &= counts * longest * longest <= self.max_token_pairs",
        "                fits &= counts * longest <= self.max_token_pairs",
        [BUDGET],
        "token pairs counted as tokens",
    ),
    M(
        "sktext/utils/_transformers.py",
        "    unreachable = None if is_local else _hub_unreachable()",
        "    unreachable = None",
        [HF],
        "an unreachable hub is retried (no cache-only loading)",
    ),
    M(
        "sktext/utils/_transformers.py",
        "    if constants.HF_HUB_OFFLINE or any(os.env"
        "iron.get(name) for name in _PROXY_VARIABLES):",
        "    if constants.HF_HUB_OFFLINE:",
        [HF],
        "the hub probed directly behind a proxy",
    ),
    M(
        "sktext/plotting.py",
        "    _make_room(ax.figure)\n",
        "",
        ["tests/test_plotting.py"],
        "learning curves in a user's subplots overlap their neighbours",
    ),
    M(
        "sktext/plotting.py",
        "    if any(getattr(params, name) != rcParams["
        'f"figure.subplot.{name}"] for name in names):',
        "    if False:",
        ["tests/test_plotting.py"],
        "a user's subplots_adjust spacing overridden",
    ),
    M(
        "sktext/nn/_optim.py",
        "exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)",
        "exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta1)",
        [NN_OPT],
        "non-fused Adam fallback: second moment",
    ),
    M(
        "sktext/nn/_optim.py",
        'denom = (exp_avg_sq.sqrt() / math.sqrt(bc2)).add_(group["eps"])',
        'denom = exp_avg_sq.sqrt().add_(group["eps"])',
        [NN_OPT],
        "non-fused Adam fallback: bias correction",
    ),
    # ------------------------------------------------------------------ co-occurrences
    M(
        "sktext/embeddings/_cooccurrence.py",
        "return denominator // distances, denominator",
        "return denominator // distances[::-1], denominator",
        [COOC],
        "distance weights reversed",
    ),
    M(
        "sktext/embeddings/_cooccurrence.py",
        "return 1.0 / distances, 1",
        "return 1.0 / distances**2, 1",
        [COOC],
        "distance weights of large windows",
    ),
    M(
        "sktext/embeddings/_cooccurrence.py",
        "across = np.flatnonzero(positions[d:] < d)",
        "across = np.flatnonzero(positions[d:] < d - 1)",
        [COOC],
        "windows cross document boundaries",
    ),
    # ------------------------------------------------------------------ transformers
    M(
        "sktext/preprocessing/_pretrained.py",
        "mask = np.arange(ids.shape[1]) < lengths[rows][:, None]",
        "mask = np.ones(ids.shape, dtype=bool)",
        [CLF, ENC],
        "pretrained batches: attention mask all ones",
    ),
    M(
        "sktext/nn/_transformer.py",
        "mask = attention_mask.unsqueeze(-1).to(hidden.dtype)",
        "mask = (attention_mask * 0 + 1).unsqueeze(-1).to(hidden.dtype)",
        [NN_TRF, ENC],
        "mean pooling over padding tokens",
    ),
    M(
        "sktext/utils/_transformers.py",
        "first = np.flatnonzero(np.r_[True, mapping[1:] != mapping[:-1]])",
        "first = np.flatnonzero(np.r_[mapping[1:] != mapping[:-1], True])",
        [CLF, ENC],
        "word starts taken as word ends",
    ),
    M(
        "sktext/utils/_transformers.py",
        "(row_ids[f], rows > 1) for f, rows",
        "(row_ids[f], rows > 2) for f, rows",
        [CLF, ENC],
        "documents cut into two rows not counted as truncated",
    ),
    M(
        "sktext/neural_network/_callbacks.py",
        "warm = (step + 1) / (warmup + 1)",
        "warm = 1.0",
        [CLF],
        "no linear warm-up",
    ),
    M(
        "sktext/neural_network/_callbacks.py",
        "class WarmupLinearSchedule(FitOnlyCallback):",
        "class WarmupLinearSchedule(Callback):",
        [CLF],
        "schedule left on in partial_fit",
    ),
    M(
        "sktext/neural_network/_transformer.py",
        '"weight_decay": 0.0}',
        '"weight_decay": self.weight_decay}',
        [CLF],
        "biases and norms decayed by AdamW",
    ),
    M(
        "sktext/neural_network/_net.py",
        'scaler.unscale_(getattr(self, name + "_"))',
        "pass",
        [CLF],
        "fp16 gradients clipped before unscaling",
    ),
    M(
        "sktext/neural_network/_net.py",
        "        dtype = AUTOCAST_DTYPES[self.mixed_precision]\n        if dtype is None:\n"
        "            return contextlib.nullcontext()",
        "        dtype = AUTOCAST_DTYPES[self.mixed_precision]\n        if True:\n"
        "            return contextlib.nullcontext()",
        [CLF],
        "bf16/fp16 autocast never entered",
    ),
    M(
        "sktext/nn/_transformer.py",
        "        elif below:\n            param.requires_grad_(False)",
        "        elif below:\n            pass",
        [NN_TRF, CLF],
        "frozen layers not frozen",
    ),
    M(
        "sktext/embeddings/_sentence_encoder.py",
        "vectors = restore_order(outputs, sampler.order)",
        "vectors = torch.cat(outputs)",
        [ENC],
        "encodings left in bucketed order",
    ),
    M(
        "sktext/embeddings/_sentence_encoder.py",
        "vectors = torch.nn.functional.normalize(vectors, dim=1)",
        "vectors = torch.nn.functional.normalize(vectors, dim=0)",
        [ENC],
        "normalized along the wrong axis",
    ),
    M(
        "sktext/embeddings/_sentence_encoder.py",
        '            self.device_ = "cpu"\n',
        "            pass\n",
        [ENC],
        "GPU pickle keeps device_='cuda' on a CPU machine",
    ),
    M(
        "sktext/neural_network/_transformer.py",
        'warn_at_max_iter=self.learning_rate != "linear"',
        "warn_at_max_iter=True",
        [CLF],
        "ConvergenceWarning under the linear schedule",
    ),
    M(
        "sktext/utils/_transformers.py",
        "def _looks_like_path(name):\n",
        "def _looks_like_path(name):\n    return False\n",
        [CLF],
        "local model paths taken for hub names",
    ),
    M(
        "sktext/neural_network/_callbacks.py",
        "epochs_left = max(self.epochs - self.epochs_begun_ + 1, 1)",
        "epochs_left = 1",
        [CLF],
        "schedule planned over one epoch",
    ),
    M(
        "sktext/neural_network/_transformer.py",
        "            return self.optimizer, {}\n        return torch.optim.AdamW",
        "            return self.optimizer, {}\n        return torch.optim.Adam",
        [CLF],
        "Adam instead of AdamW",
    ),
    M(
        "sktext/nn/_transformer.py",
        "        return hidden[:, 0]",
        "        return hidden[:, -1]",
        [NN_TRF, ENC],
        "CLS pooling reads the last token",
    ),
    M(
        "sktext/neural_network/_net.py",
        "(loss if scaler is None else scaler.scale(loss)).backward()",
        "loss.backward()",
        [CLF],
        "fp16 loss not scaled",
    ),
    # ------------------------------------------- faults and continued training (issue 12)
    M(
        "sktext/neural_network/_net.py",
        "            raise _Interrupted from exc",
        "            return self",
        [
            "tests/test_faults.py::test_interrupt_in_first_fit_reaches_caller_and_leaves_unfitted[mlp]"
        ],
        "Ctrl+C swallowed again (skorch's behaviour)",
    ),
    M(
        "sktext/neural_network/_net.py",
        "                    raise StopTraining from None",
        "                    raise",
        ["tests/test_faults.py::test_skorch_early_stopping_callback_still_ends_training_cleanly"],
        "skorch EarlyStopping taken for Ctrl+C",
    ),
    M(
        "sktext/neural_network/_base.py",
        "            self.__dict__.update(saved)\n",
        "",
        ["tests/test_faults.py::test_interrupt_in_middle_epoch_of_refit_keeps_previous_model[mlp]"],
        "failed fit not rolled back",
    ),
    M(
        "sktext/neural_network/_base.py",
        "            if saved_net is not None:\n                saved_net.restore()\n",
        "",
        [
            "tests/test_faults.py::test_interrupt_while_continuing_restores_weights_and_history[partial_fit-mlp]"
        ],
        "failed continued fit keeps the half-trained weights",
    ),
    M(
        "sktext/neural_network/_net.py",
        "            if training and not math.isfinite(loss):",
        "            if False:",
        ["tests/test_faults.py::test_nan_loss_raises_with_epoch_and_batch"],
        "non-finite loss not detected",
    ),
    M(
        "sktext/neural_network/_net.py",
        "        if training:\n            check_finite_parameters(self.module_)",
        "        if False:\n            check_finite_parameters(self.module_)",
        ["tests/test_faults.py::test_nan_weights_raise_for_every_neural_estimator[mlp]"],
        "non-finite weights not detected",
    ),
    M(
        "sktext/neural_network/_base.py",
        "    if np.any(sample_weight < 0):",
        "    if False:",
        ["tests/test_faults.py::test_bad_sample_weight_is_rejected"],
        "negative sample_weight accepted",
    ),
    M(
        "sktext/neural_network/_callbacks.py",
        "            self.best_state_ = None",
        "            pass",
        ["tests/test_faults.py::test_pickle_holds_no_copy_of_the_best_weights"],
        "pickles carry the best weights' copy",
    ),
    M(
        "sktext/neural_network/_base.py",
        "        vars(net).update(self._net_options())\n",
        "",
        [
            "tests/neural_network/test_continued_training.py::test_warm_start_uses_the_current_learning_rate_and_stopping_rule"
        ],
        "warm start keeps the old learning rate and alpha",
    ),
    M(
        "sktext/neural_network/_base.py",
        "        net.callbacks = self._callbacks(n_train)\n",
        "",
        [
            "tests/neural_network/test_continued_training.py::test_warm_start_uses_the_current_learning_rate_and_stopping_rule"
        ],
        "warm start keeps the old stopping rule",
    ),
    M(
        "sktext/neural_network/_base.py",
        "            _carry_optimizer_state(old_optimizer, old_module, net.optimizer_, module)",
        "            pass",
        [
            "tests/neural_network/test_continued_training.py::test_partial_fit_uses_the_current_learning_rate_and_keeps_adam_state"
        ],
        "optimizer state dropped on continuing",
    ),
    M(
        "sktext/neural_network/_base.py",
        "        if changed:\n            raise ValueError(",
        "        if False:\n            raise ValueError(",
        [
            "tests/neural_network/test_continued_training.py::test_warm_start_refuses_a_changed_architecture"
        ],
        "changed architecture accepted on a warm start",
    ),
    M(
        "sktext/neural_network/_sequence_base.py",
        "                self.vectorizer_ = grown\n",
        "                pass\n",
        ["tests/neural_network/test_continued_training.py::test_partial_fit_grows_the_vocabulary"],
        "vocabulary does not grow",
    ),
    M(
        "sktext/neural_network/_sequence_base.py",
        "grown.weight.copy_(torch.cat([weight, new_rows.to(weight)]))",
        "grown.weight.copy_(torch.cat([weight * 0, new_rows.to(weight)]))",
        [
            "tests/neural_network/test_continued_training.py::test_grown_embedding_keeps_old_rows_and_starts_new_ones_small"
        ],
        "old embedding rows lost when growing",
    ),
    M(
        "sktext/neural_network/_base.py",
        "            state = {k: _grow_rows(v, old.shape[0], new.shape[0])"
        " for k, v in state.items()}",
        "            pass",
        ["tests/neural_network/test_continued_training.py::test_partial_fit_grows_the_vocabulary"],
        "optimizer state not grown with the embedding",
    ),
    M(
        "sktext/preprocessing/_sequences.py",
        "            counts = {t: c for t, c in counts.items() if min_df <= doc_freq[t] <= max_df}"
        "\n        tokens = sorted(counts, key=lambda t: (-counts[t], t))[:room]",
        "        tokens = sorted(counts, key=lambda t: (-counts[t], t))[:room]",
        [
            "tests/neural_network/test_continued_training.py::test_min_df_applies_to_new_words_within_the_call"
        ],
        "min_df ignored for new words",
    ),
    M(
        "sktext/utils/_validation.py",
        "            if all(map(isinstance, doc, repeat(str))):",
        "            if any(map(isinstance, doc, repeat(str))):",
        ["tests/utils/test_validation.py"],
        "token lists with some non-string tokens accepted",
    ),
    M(
        "sktext/embeddings/_fasttext.py",
        "        vectors[by_ngrams] = sums / counts[:, None].astype(np.float32)",
        "        vectors[by_ngrams] = sums",
        ["tests/embeddings/test_fasttext.py"],
        "unseen words get the sum of their n-gram vectors, not the mean",
    ),
    M(
        "sktext/embeddings/_fasttext.py",
        "        np.cumsum(counts, out=indptr[1:])",
        "        np.cumsum(counts[::-1], out=indptr[1:])",
        ["tests/embeddings/test_fasttext.py"],
        "unseen words' n-grams assigned to the wrong words",
    ),
    # ---- issue 21: safe files (allow-list by exact name, sizes, atomic save)
    M(
        "sktext/_persistence.py",
        "    return any(module_name in _package_modules(p) for p in _PACKAGE_KINDS.get(kind, ()))",
        "    return True",
        [HOSTILE, PERSIST],
        "allow-list: every module allowed",
    ),
    M(
        "sktext/_persistence.py",
        "    if obj is None or _ref_name(obj) != name:",
        "    if obj is None:",
        [HOSTILE],
        "allow-list: a class only imported into an allowed module",
    ),
    M(
        "sktext/_persistence.py",
        '        parts = module_name.split(".") + (qualname.split(".") if dotted else [qualname])',
        '        parts = module_name.split(".")',
        [HOSTILE],
        "allow-list: dotted qualname (attribute walk) not refused",
    ),
    M(
        "sktext/_persistence.py",
        '            if any(p in _EXCLUDED_MODULE_PARTS or p.startswith("test_") for p in parts):',
        "            if False:",
        [HOSTILE],
        "allow-list: test modules of sklearn importable",
    ),
    M(
        "sktext/_persistence.py",
        '    "callback": ("sktext",),',
        '    "callback": ("sktext", "skorch"),',
        [HOSTILE],
        "callbacks of skorch (Checkpoint) built from files",
    ),
    M(
        "sktext/_persistence.py",
        "            if expected != declared:",
        "            if False:",
        [HOSTILE],
        "network shapes not compared before it is built",
    ),
    M(
        "sktext/_persistence.py",
        "            allowance = self.tensor_bytes",
        "            allowance = 2**60",
        [HOSTILE],
        "encoder size not bounded by the file's arrays",
    ),
    M(
        "sktext/_persistence.py",
        "            extra = 128 * n_rows  # two object arrays of one list per row",
        "            extra = 0",
        [HOSTILE],
        "lil matrix rows not counted",
    ),
    M(
        "sktext/_persistence.py",
        '            extra = 8 * (n_cols if fmt == "csc" else n_rows)  # index pointers',
        "            extra = 0",
        [HOSTILE],
        "csr index pointers not counted",
    ),
    M(
        "sktext/_persistence.py",
        "                if info.compress_type != zipfile.ZIP_STORED or not (",
        "                if False and not (",
        [HOSTILE],
        "compressed members accepted",
    ),
    M(
        "sktext/_persistence.py",
        "            if names != sorted((_JSON_NAME, _ARRAYS_NAME)):",
        "            if set(names) != {_JSON_NAME, _ARRAYS_NAME}:",
        [HOSTILE],
        "duplicate archive members accepted",
    ),
    M(
        "sktext/_persistence.py",
        "        if depth > _MAX_DEPTH:",
        "        if depth > 10 * _MAX_DEPTH:",
        [HOSTILE],
        "JSON depth not bounded",
    ),
    M(
        "sktext/_persistence.py",
        '    if config.get("model_type") != model_type:',
        "    if False:",
        [HOSTILE],
        "HF config of another model type accepted",
    ),
    M(
        "sktext/_persistence.py",
        "            if key in _HF_REMOTE_KEYS and item:",
        "            if False:",
        [HOSTILE],
        "HF config naming a backbone or remote code accepted",
    ),
    M(
        "sktext/_persistence.py",
        '            if key in _HF_ATTENTION_KEYS and item not in (None, "eager", "sdpa"):',
        "            if False:",
        [HOSTILE],
        "HF attention kernels from the hub accepted",
    ),
    M(
        "sktext/_persistence.py",
        '        key == "auto_map" or key.endswith(("_file", "_files")) for key in config',
        '        key == "auto_map" for key in config',
        [HOSTILE],
        "tokenizer config naming other files accepted",
    ),
    M(
        "sktext/_persistence.py",
        '        if isinstance(params.get("module__model"), str):',
        "        if False:",
        [HOSTILE],
        "module__model given as a path or hub name",
    ),
    M(
        "sktext/_persistence.py",
        '        if params.get("compile"):',
        "        if False:",
        [HOSTILE],
        "torch.compile from a file",
    ),
    M(
        "sktext/_persistence.py",
        "        os.replace(temporary, target)\n    except BaseException:\n"
        "        with contextlib.suppress(OSError):\n            os.unlink(temporary)",
        "        os.replace(temporary, target)\n    except BaseException:\n        pass",
        [ATOMIC],
        "temporary file left behind by a failed save",
    ),
    M(
        "sktext/_persistence.py",
        "            os.chmod(temporary, stat.S_IMODE(os.stat(target).st_mode))",
        "            pass",
        [ATOMIC],
        "replaced file loses its mode",
    ),
    M(
        "sktext/_persistence.py",
        "    target = os.path.realpath(os.fspath(path))  # through a symlink, onto its target",
        "    target = os.fspath(path)",
        [ATOMIC],
        "a symlink replaced instead of its target",
    ),
    M(
        "sktext/_persistence.py",
        "    except Exception as exc:  # BadZipFile, or a directory zipfile cannot decode",
        "    except zipfile.BadZipFile as exc:",
        [HOSTILE],
        "zipfile's UnicodeDecodeError escapes load",
    ),
    M(
        "sktext/_persistence.py",
        "    module_name, qualname = _parse_ref(name)\n    if not _is_allowed(name, kind):",
        "    module_name, qualname = _parse_ref(name)\n    try:\n"
        "        importlib.import_module(module_name)\n    except Exception:\n        pass\n"
        "    if not _is_allowed(name, kind):",
        [HOSTILE],
        "the module imported before the allow-list is checked",
    ),
    M(
        "sktext/_persistence.py",
        '            if "<" in name:',
        "            if False:",
        [PERSIST],
        "a lambda saved under a name no load can import",
    ),
    M(
        "sktext/_persistence.py",
        "            and isinstance(value.__self__, types.ModuleType)  # print, not [].append",
        "",
        [PERSIST],
        "a bound built-in method saved under a name no load can import",
    ),
    # ---- issue 21: silent failures
    M(
        "sktext/utils/_transformers.py",
        "    if all(token in special for token in vocabulary):",
        "    if False:",
        [HF + "::test_faulty_model_folders_are_refused_naming_the_folder"],
        "tokenizer of special tokens only (no tokenizer files) accepted",
    ),
    M(
        "sktext/utils/_transformers.py",
        'missing = sorted(k for k in info["missing_keys"] if not k.startswith(_UNUSED_WEIGHTS))',
        "missing = []",
        [HF + "::test_faulty_model_folders_are_refused_naming_the_folder"],
        "weights missing from the file (config of another model) accepted",
    ),
    M(
        "sktext/utils/_transformers.py",
        " if not k.startswith(_UNUSED_WEIGHTS))",
        ")",
        [HF + "::test_a_checkpoint_without_the_unused_pooler_loads"],
        "a checkpoint without the unused pooler refused",
    ),
    M(
        "sktext/utils/_transformers.py",
        'for key, saved, expected in info["mismatched_keys"]',
        "for key, saved, expected in []",
        [HF + "::test_faulty_model_folders_are_refused_naming_the_folder"],
        "weights of another shape than config.json's accepted (started at random)",
    ),
    M(
        "sktext/utils/_transformers.py",
        "output_loading_info=True, ignore_mismatched_sizes=True",
        "output_loading_info=True",
        [HF + "::test_faulty_model_folders_are_refused_naming_the_folder"],
        "other shapes give transformers' 'look at the above report!'",
    ),
    M(
        "sktext/utils/_transformers.py",
        "except (OSError, ValueError, KeyError, SafetensorError) as exc:",
        "except (OSError, ValueError, KeyError) as exc:",
        [HF + "::test_faulty_model_folders_are_refused_naming_the_folder"],
        "truncated safetensors file gives a raw SafetensorError without the folder",
    ),
    M(
        "sktext/utils/_transformers.py",
        "    budget = CHARS_PER_TOKEN * window if cuts else np.inf",
        "    budget = np.inf",
        [HF + "::test_a_long_text_is_cut_to_a_character_budget_before_tokenizing"],
        "long documents tokenized whole (no character budget)",
    ),
    M(
        "sktext/utils/_transformers.py",
        "        done = ~was_cut | (n_tokens >= enough)",
        "        done = np.ones(len(pieces), dtype=bool)",
        [HF + "::test_long_texts_give_the_ids_of_whole_text_tokenization"],
        "a cut text used although it gives fewer tokens than are kept",
    ),
    M(
        "sktext/utils/_transformers.py",
        "    enough = window + _CUT_MARGIN\n"
        '    cuts = getattr(tokenizer, "truncation_side", "right") == "right"',
        "    enough = window + _CUT_MARGIN\n    cuts = True",
        [HF + "::test_a_long_text_is_cut_to_a_character_budget_before_tokenizing"],
        "a tokenizer keeping the end of documents given their beginning",
    ),
    M(
        "sktext/neural_network/_sequence_base.py",
        "        self.vectorizer_ = self._continued_vectorizer()\n",
        "",
        [
            CONT + "::test_changed_max_length_applies_when_continuing",
            CONT + "::test_changed_min_df_applies_to_the_new_words",
            CONT + "::test_changed_max_features_caps_the_grown_vocabulary_or_is_refused",
        ],
        "changed min_df/max_features/max_length ignored when continuing",
    ),
    M(
        "sktext/neural_network/_sequence_base.py",
        "        if self.max_features is not None and self.max_features < n_words:",
        "        if False:",
        [CONT + "::test_changed_max_features_caps_the_grown_vocabulary_or_is_refused"],
        "max_features below the fitted vocabulary accepted when continuing",
    ),
    M(
        "sktext/neural_network/_transformer.py",
        "        self.max_length_ = token_limit(self, self.tokenizer_, encoder.config)\n",
        "",
        [CLF + "::test_changed_max_length_applies_when_continuing"],
        "transformer ignores a changed max_length when continuing",
    ),
    M(
        "sktext/neural_network/_tasks.py",
        "            if not np.all(np.isfinite(value)):",
        "            if False:",
        [TARGETS + "::test_text_regressors_refuse_targets_too_large_to_standardize"],
        "targets whose mean or std overflows trained on (inf predictions)",
    ),
    M(
        "sktext/neural_network/_tasks.py",
        "Y = (Y == values[-1] if len(values) == 2 else Y > 0).astype(np.float32)",
        "Y = Y.astype(np.float32)",
        [TARGETS + "::test_two_valued_label_matrix_is_binarized_as_scikit_learn_reads_it"],
        "a 0/2 or -1/1 label matrix trained on its raw values",
    ),
    M(
        "sktext/neural_network/_tasks.py",
        " if len(values) == 2 else Y > 0)",
        " if len(values) == 2 else Y)",
        [TARGETS + "::test_single_valued_label_matrix_reads_positive_values_as_present"],
        "a label matrix of one value not binarized",
    ),
    M(
        "sktext/neural_network/_tasks.py",
        '        type_of_target(y, input_name="y")\n        raise error',
        "        raise error",
        [TARGETS + "::test_lists_of_labels_get_scikit_learns_multilabelbinarizer_message"],
        "lists of label lists get numpy's 'inhomogeneous shape'",
    ),
    M(
        "sktext/neural_network/_base.py",
        "                self.net_.module_.zero_grad(set_to_none=True)\n",
        "",
        ["tests/test_faults.py::test_fitted_module_keeps_no_gradients"],
        "fitted module keeps its last gradients",
    ),
    # ---- issue 22: declarations merged along the MRO, model callbacks, one recurrence
    M(
        "sktext/neural_network/_base.py",
        '            *(namespace.get("_continuable", ()) for namespace in namespaces)',
        '            *(namespace.get("_continuable", ()) for namespace in namespaces[:3])',
        [CONT, "tests/test_architecture.py"],
        "continuable parameters of the subclasses not merged",
    ),
    M(
        "sktext/neural_network/_base.py",
        'dict.fromkeys(name for ns in namespaces for name in ns.get("_dropout_rates", ()))',
        "()",
        [CONT],
        "dropout rates not set on the module when training continues",
    ),
    M(
        "sktext/neural_network/_base.py",
        '            for name, constraint in namespace.get("_parameter_constraints", {}).items()',
        '            for name, constraint in namespace.get("_parameter_constraints", {}).items()\n'
        "            if namespace is namespaces[-1]",
        ["tests/test_common.py", "tests/test_architecture.py"],
        "parameter constraints of the bases not merged",
    ),
    M(
        "sktext/neural_network/_base.py",
        "        callbacks = list(self._model_callbacks())",
        "        callbacks = []",
        [LSTM, CNN],
        "model callbacks (gradient clipping, max-norm) never installed",
    ),
    M(
        "sktext/nn/_rnn.py",
        "        if not torch.jit.is_tracing():",
        "        if True:",
        ["tests/test_export.py"],
        "the exported RNN graph fixed to the example's width",
    ),
    # ---- issue 23: text and tabular columns
    M(
        "sktext/preprocessing/_table.py",
        "            positions = (day_of_year / 365.25, weekday / 7, hour / 24)",
        "            positions = (day_of_year, weekday, hour)",
        [TABLE],
        "calendar positions not in turns",
    ),
    M(
        "sktext/preprocessing/_table.py",
        "        oof = cross_val_predict(clone(self.estimator), X, y, cv=self.cv, method=method)",
        "        oof = getattr(self.estimator_, method)(X)",
        [TABLE],
        "stacked predictions in fold (the leak)",
    ),
    M(
        "sktext/preprocessing/_table.py",
        "            return log[:, 1:] - log[:, :1]",
        "            return log[:, :1] - log[:, 1:]",
        [TABLE],
        "log-odds of the first class",
    ),
    M(
        "sktext/neural_network/_tabular.py",
        "                    random_state=seed_from_random_state(self.random_state),",
        "                    random_state=None,",
        [TABULAR],
        "boosting not seeded by random_state",
    ),
    M(
        "sktext/_persistence.py",
        "                state.setdefault(name, default)",
        "                pass",
        [PERSIST],
        "files of earlier versions lack the new parameters",
    ),
    M(
        "sktext/nn/_fusion.py",
        "            t = t * keep.to(t.dtype)  # (batch, text_size): some rows without their text",
        "            t = t * keep.to(t.dtype) / (1 - self.modality_dropout)  # (batch, text_size)",
        [NN_FUSION],
        "modality dropout rescales the kept texts",
    ),
    M(
        "sktext/nn/_fusion.py",
        "        if self.training and self.modality_dropout > 0:",
        "        if self.modality_dropout > 0:",
        [NN_FUSION],
        "modality dropout at prediction",
    ),
    M(
        "sktext/preprocessing/_table.py",
        "            random_state=random_state,  # its quantiles come from a subsample",
        "            random_state=None,  # its quantiles come from a subsample",
        [TABULAR],
        "quantiles of large tables not seeded",
    ),
    M(
        "sktext/neural_network/_transformer.py",
        "                extra.update(lr=net.lr * self._fusion_lr_scale,"
        " lr_scale=self._fusion_lr_scale)",
        "                extra.update(lr=net.lr, lr_scale=1.0)",
        [TABULAR],
        "fusion layers at the encoder's learning rate",
    ),
    M(
        "sktext/neural_network/_callbacks.py",
        "    def _set_lr(self, net, lr):\n"
        "        for group in net.optimizer_.param_groups:\n"
        '            group["lr"] = lr * group.get("lr_scale", 1.0)',
        "    def _set_lr(self, net, lr):\n"
        "        for group in net.optimizer_.param_groups:\n"
        '            group["lr"] = lr',
        [TABULAR],
        "schedule ignores the group's scale",
    ),
    M(
        "sktext/_persistence.py",
        '                or np.any(split & ((nodes["left"] <= index)'
        ' | (nodes["left"] >= len(nodes))))',
        "                or False",
        [HOSTILE],
        "a tree's loop accepted on load",
    ),
    M(
        "sktext/_persistence.py",
        "                or np.any(split & ((feature < 0) | (feature >= n_features)))",
        "                or False",
        [HOSTILE],
        "a tree's out-of-range feature accepted on load",
    ),
    M(
        "sktext/_persistence.py",
        "            obj._loss = obj._get_loss(sample_weight=weights)",
        "            pass",
        [PERSIST],
        "boosting loaded without its loss",
    ),
    M(
        "sktext/nn/_transformer.py",
        "        if token_type_ids is not None and self._reads_token_types():",
        "        if False:",
        [PAIRS],
        "text pair: token_type_ids not passed to the encoder",
    ),
    M(
        "sktext/utils/_transformers.py",
        '        truncation="longest_first",',
        '        truncation="only_second",',
        [PAIRS],
        "text pair: the second text truncated, not the longer one",
    ),
    M(
        "sktext/utils/_transformers.py",
        "    enough = window + _CUT_MARGIN",
        "    enough = 0",
        [PAIRS],
        "text pair: a cut text kept though it gives too few tokens",
    ),
    M(
        "sktext/utils/_transformers.py",
        "    n_truncated = int(np.count_nonzero(n_first + n_second > window))",
        "    n_truncated = int(np.count_nonzero(n_first + n_second >= window))",
        [PAIRS],
        "text pair: a pair of exactly max_length tokens counted as truncated",
    ),
    # issue 24: sktext's MLPs as drop-ins for scikit-learn's
    M(
        "sktext/neural_network/_solver.py",
        '            "optimizer__max_eval": 1 + _LINE_SEARCH_TRIES,',
        '            "optimizer__max_eval": 1,',
        ["tests/neural_network/test_mlp_dropin.py"],
        "lbfgs: a line search without tries (steps of 0)",
    ),
    M(
        "sktext/neural_network/_base.py",
        "        self.n_iter_ = len(self.net_.history) - epochs_before",
        "        self.n_iter_ = len(self.net_.history)",
        ["tests/neural_network/test_mlp_dropin.py"],
        "n_iter_ adds up across calls",
    ),
    M(
        "sktext/neural_network/_base.py",
        "warm_start=continuing and not incremental",
        "warm_start=continuing",
        ["tests/neural_network/test_mlp_dropin.py"],
        "partial_fit held to the class check of a warm start",
    ),
    M(
        "sktext/neural_network/_tasks.py",
        "        elif warm_start and not np.array_equal(np.unique(y), self.classes_):",
        "        elif False:",
        ["tests/neural_network/test_mlp_dropin.py"],
        "warm start onto other classes accepted",
    ),
    M(
        "sktext/neural_network/_mlp.py",
        "        return _cast(X, model_dtype), np.result_type(X.dtype, fit_dtype)",
        "        return _cast(X, model_dtype), np.float64",
        ["tests/neural_network/test_mlp_dropin.py"],
        "float32 input and model give float64 outputs",
    ),
    M(
        "sktext/neural_network/_mlp.py",
        "        return _cast(X, model_dtype), np.result_type(X.dtype, fit_dtype)",
        "        return X, np.result_type(X.dtype, fit_dtype)",
        ["tests/neural_network/test_mlp_dropin.py"],
        "prediction input not cast to the weights' dtype",
    ),
    M(
        "sktext/neural_network/_mlp.py",
        "        return _cast(X, model_dtype), np.result_type(X.dtype, fit_dtype)",
        "        return _cast(X, model_dtype), np.result_type(X.dtype, model_dtype)",
        ["tests/neural_network/test_mlp_dropin.py"],
        "outputs follow the network's float32, not the float64 training input",
    ),
    M(
        "sktext/neural_network/_mlp.py",
        "        target = np.dtype(self.dtype) if reset else self._module_parameter_dtype()",
        "        target = X.dtype if reset else self._module_parameter_dtype()",
        [MLP],
        "float64 input trains in float64 (dtype ignored)",
    ),
    M(
        "sktext/neural_network/_mlp.py",
        "            self._fit_input_dtype = X.dtype.name",
        '            self._fit_input_dtype = "float32"',
        [MLP, "tests/neural_network/test_mlp_dropin.py"],
        "outputs float32 after a float64 fit",
    ),
    M(
        "sktext/neural_network/_mlp.py",
        "        array = tensor.numpy()  # shares the parameter's memory",
        "        array = tensor.numpy().copy()",
        ["tests/neural_network/test_mlp_dropin.py"],
        "coefs_ copies: edits lost",
    ),
    M(
        "sktext/neural_network/_mlp.py",
        "            param.copy_(value)",
        "            pass",
        ["tests/neural_network/test_mlp_dropin.py"],
        "assigned coefs_ not copied into the network",
    ),
    M(
        "sktext/neural_network/_tasks.py",
        "        if len(self.classes_) == 2:",
        "        if False:",
        ["tests/neural_network/test_mlp_dropin.py"],
        "binary early stopping with a 1-sample class falls back silently",
    ),
    M(
        "sktext/neural_network/_tasks.py",
        '    if solver == "lbfgs":',
        "    if False:",
        ["tests/neural_network/test_mlp_dropin.py"],
        "partial_fit shown with lbfgs",
    ),
    M(
        "sktext/utils/_docstrings.py",
        "documented if check is None else available_if(check)(documented)",
        "documented",
        ["tests/neural_network/test_mlp_dropin.py"],
        "documented partial_fit loses available_if",
    ),
    M(
        "sktext/nn/_fusion.py",
        "        out = self.output(self.dropout(self._fuse(t, h))) + wide",
        "        out = self.output(self.dropout(self._fuse(t, h)))",
        [NN_FUSION],
        "fusion: the wide part not added to the outputs",
    ),
    M(
        "sktext/nn/_fusion.py",
        "        if not self.training:  # blended with the columns alone",
        "        if True:  # blended with the columns alone",
        [NN_FUSION],
        "fusion: the text weight applied in training",
    ),
    M(
        "sktext/nn/_fusion.py",
        "            out = weight * out + (1 - weight) * alone",
        "            pass",
        [NN_FUSION],
        "fusion: the text weight ignored at prediction",
    ),
    M(
        "sktext/nn/_fusion.py",
        "            alone = self.output(self._fuse(torch.zeros_like(t), h)) + wide",
        "            alone = self.output(self._fuse(t, h)) + wide",
        [NN_FUSION],
        "fusion: the columns-alone outputs read the text",
    ),
    M(
        "sktext/nn/_fusion.py",
        '        self.register_buffer("text_weight", torch.ones(()))',
        '        self.register_buffer("text_weight", torch.ones(()), persistent=False)',
        [NN_FUSION, TABULAR],
        "fusion: the text weight not saved",
    ),
    M(
        "sktext/neural_network/_tabular.py",
        "            best = min(losses, key=losses.get)",
        "            best = max(losses, key=losses.get)",
        [TABULAR],
        "text weight of the highest held-out loss",
    ),
    M(
        "sktext/neural_network/_tabular.py",
        "            for weight in _TEXT_WEIGHTS[::-1]:  # 1 first: ties keep the text whole",
        "            for weight in _TEXT_WEIGHTS:  # 1 first: ties keep the text whole",
        [TABULAR],
        "text weight: ties drop the text",
    ),
    M(
        "sktext/neural_network/_tabular.py",
        "        module.text_weight.fill_(best)",
        "        pass",
        [TABULAR],
        "text weight chosen but not used by predict",
    ),
    M(
        "sktext/neural_network/_base.py",
        "            if not incremental:\n                self._after_training(valid_dataset)",
        "            self._after_training(valid_dataset)",
        [TABULAR],
        "partial_fit re-weighs the text",
    ),
    M(
        "sktext/neural_network/_base.py",
        '            total += float(net.validation_step(batch)["loss"]) * n',
        '            total += float(net.validation_step(batch)["loss"])',
        [TABULAR],
        "held-out loss not weighted by batch size",
    ),
    # issue 24: MLPRegressor(loss="poisson")
    M(
        "sktext/neural_network/_tasks.py",
        "        return (torch.xlogy(y, y) - y * outputs - y + torch.exp(outputs)).sum(dim=1)",
        "        return (-y * outputs + torch.exp(outputs)).sum(dim=1)",
        [POISSON],
        "poisson loss without the constant terms (not sklearn's half deviance)",
    ),
    M(
        "sktext/neural_network/_tasks.py",
        "        return (torch.xlogy(y, y) - y * outputs - y + torch.exp(outputs)).sum(dim=1)",
        "        return (torch.xlogy(y, y) - y * outputs - y + torch.exp(outputs)).mean(dim=1)",
        [POISSON],
        "poisson loss averaged over the outputs (sklearn sums)",
    ),
    M(
        "sktext/neural_network/_tasks.py",
        "        return (torch.xlogy(y, y) - y * outputs - y + torch.exp(outputs)).sum(dim=1)",
        "        return 0.5 * (outputs - y.to(outputs.dtype)).pow(2).mean(dim=1)",
        [POISSON],
        "poisson trains the squared error",
    ),
    M(
        "sktext/neural_network/_tasks.py",
        "    def outputs(self, outputs):\n        return torch.exp(outputs)",
        "    def outputs(self, outputs):\n        return outputs",
        [POISSON],
        "poisson without the exp output (log link)",
    ),
    M(
        "sktext/neural_network/_tasks.py",
        '        return getattr(self, "loss", "squared_error") == "poisson"',
        '        return getattr(self, "loss", "squared_error") == "Poisson"',
        [POISSON],
        "loss='poisson' ignored",
    ),
    M(
        "sktext/neural_network/_tasks.py",
        "        if poisson and Y.size and Y.min() < 0:",
        "        if poisson and Y.size and Y.min() < -1:",
        [POISSON],
        "negative y (above -1) accepted with poisson",
    ),
    M(
        "sktext/neural_network/_tasks.py",
        "            if self._standardize_targets and not poisson:",
        "            if self._standardize_targets:",
        [POISSON],
        "poisson targets standardized",
    ),
    M(
        "sktext/neural_network/_tasks.py",
        '        self.out_activation_ = "exp" if self._poisson() else "identity"',
        '        self.out_activation_ = "identity"',
        [POISSON],
        "poisson out_activation_ identity (to_sklearn predicts wrong)",
    ),
    M(
        "sktext/neural_network/_mlp.py",
        '    _parameter_constraints: dict = {"loss": [StrOptions({"squared_error", "poisson"})]}',
        '    _parameter_constraints: dict = {"loss": [str]}',
        [POISSON],
        "invalid loss not refused",
    ),
    M(
        "sktext/_persistence.py",
        '        "sktext.neural_network._tasks:PoissonRegressionTask",\n',
        "",
        [POISSON],
        "poisson model not savable",
    ),
    # ------------------------------------------------------------ distillation (issue 25)
    M(
        "sktext/neural_network/_tasks.py",
        '        return t * t * F.kl_div(log_q, y.to(logits.dtype), reduction="none").sum(dim=1)',
        '        return F.kl_div(log_q, y.to(logits.dtype), reduction="none").sum(dim=1)',
        [DISTILL],
        "soft-target loss without the T**2 factor",
    ),
    M(
        "sktext/neural_network/_tasks.py",
        "        log_q = F.log_softmax(logits / t, dim=-1)",
        "        log_q = F.log_softmax(logits, dim=-1)",
        [DISTILL],
        "student logits not divided by the temperature",
    ),
    M(
        "sktext/neural_network/_tasks.py",
        "            return SoftTargetTask(y_encoded.temperature)",
        "            return SoftTargetTask(1.0)",
        [DISTILL],
        "soft targets trained at temperature 1",
    ),
    M(
        "sktext/neural_network/_tasks.py",
        "        if isinstance(y, SoftTargets):\n            return self._encode_soft_targets",
        "        if False:\n            return self._encode_soft_targets",
        [DISTILL],
        "soft targets read as a multi-label matrix",
    ),
    M(
        "sktext/_distillation.py",
        "        logits = np.log(P) / self.temperature",
        "        logits = np.log(P)",
        [DISTILL],
        "teacher probabilities not softened",
    ),
    M(
        "sktext/_distillation.py",
        "        transfer = labelled + self._augmenter(rng).augment(labelled)",
        "        transfer = fit_docs + self._augmenter(rng).augment(fit_docs)",
        [DISTILL],
        "unlabelled texts left out of the transfer set",
    ),
    M(
        "sktext/_distillation.py",
        "        fit_docs = [docs[i] for i in idx]",
        "        fit_docs = list(docs)",
        [DISTILL],
        "held-out texts leak into the teacher's fit and the transfer set",
    ),
    M(
        "sktext/_distillation.py",
        '    return memory.cache(function, ignore=["teacher"])(teacher, key, *args)',
        "    return function(teacher, key, *args)",
        [DISTILL],
        "memory does not cache the teacher",
    ),
    M(
        "sktext/_distillation.py",
        '    return memory.cache(function, ignore=["teacher"])(teacher, key, *args)',
        "    return memory.cache(function)(teacher, key, *args)",
        [DISTILL],
        "memory keys the teacher by joblib's hash (equal copies of a network miss)",
    ),
    M(
        "sktext/_distillation.py",
        '    if getattr(memory, "location", True) is None:  # check_memory(None): no cache',
        "    if False:",
        [DISTILL],
        "without memory the teacher is hashed anyway (fails on unpicklable teachers)",
    ),
    M(
        "sktext/_distillation.py",
        '            obj = ("torch.Tensor", str(tensor.dtype), tuple(tensor.shape), raw)',
        "            pass",
        [DISTILL],
        "teacher key: tensors hashed by storage address",
    ),
    M(
        "sktext/_distillation.py",
        "            raw = tensor.contiguous().reshape(-1).view(torch.uint8).numpy()",
        '            raw = b""',
        [DISTILL],
        "teacher key: tensor values ignored (a changed teacher hits the cache)",
    ),
    M(
        "sktext/_distillation.py",
        "            obj = (type(obj).__module__, type(obj).__qualname__, vars(obj))",
        "            pass",
        [DISTILL],
        "teacher key: the skorch net hashed through its torch.save bytes",
    ),
    M(
        "sktext/_distillation.py",
        '            state = {k: v for k, v in vars(obj).items() if k != "name_or_path"}',
        "            state = dict(vars(obj))",
        [DISTILL],
        "teacher key: a loaded tokenizer's temporary folder in the key",
    ),
    M(
        "sktext/_distillation.py",
        "            state = {k: v for k, v in vars(obj).items() if k not in _MODE_FLAGS}",
        "            state = vars(obj)",
        [DISTILL],
        "teacher key: a module's train/eval mode in the key (a used teacher misses)",
    ),
    M(
        "sktext/_distillation.py",
        "            obj = (type(obj).__module__, type(obj).__qualname__, obj.state_dict())",
        "            pass",
        [DISTILL],
        "teacher key: optimizer state keyed by tensors (hashing fails)",
    ),
    M(
        "sktext/_distillation.py",
        '        if (name == "random_state" or name.endswith("__random_state")) and value is None',
        '        if name == "random_state" or name.endswith("__random_state")',
        [DISTILL],
        "the user's seeds of teacher/student overridden",
    ),
    M(
        "sktext/_distillation.py",
        "        fitted = self._check_teacher(teacher, y)\n",
        "        fitted = self._check_teacher(teacher, y)\n        self.__dict__.update(fitted)\n",
        [DISTILL],
        "classes_ set before the student is fitted (a failed refit half-updates the model)",
    ),
    M(
        "sktext/_distillation.py",
        "        if not np.array_equal(classes, np.unique(y)):",
        "        if False:",
        [DISTILL],
        "a frozen teacher of other classes accepted",
    ),
    M(
        "sktext/preprocessing/_augment.py",
        "        masked = rng.random_sample(n_words) < self.mask_prob",
        "        masked = rng.random_sample(n_words) > self.mask_prob",
        [DISTILL],
        "mask probability inverted",
    ),
    M(
        "sktext/preprocessing/_augment.py",
        "            n = min(int(rng.randint(1, self.max_ngram + 1)), n_words)",
        "            n = min(int(rng.randint(1, self.max_ngram)), n_words)",
        [DISTILL],
        "n-grams never of max_ngram words",
    ),
    M(
        "sktext/preprocessing/_augment.py",
        "                if key in seen:\n                    continue",
        "                if False:\n                    continue",
        [DISTILL],
        "duplicate copies kept",
    ),
    # ---- issue 26: searches shared through an Optuna storage; Optuna's warnings
    M(
        "sktext/_optuna_search_cv.py",
        "                message=TERMINATOR_DEPRECATION,\n",
        "",
        ["tests/test_search.py"],
        "every FutureWarning of a search silenced, not only optuna.terminator's",
    ),
    M(
        "sktext/_optuna_search_cv.py",
        "        with warnings.catch_warnings():\n",
        "        with warnings.catch_warnings():\n"
        "            return super().fit(X, y, groups=groups, **fit_params)\n",
        ["tests/test_search.py"],
        "the optuna.terminator FutureWarning shown once per trial",
    ),
    M(
        "sktext/_search.py",
        '"ignore", message="OptunaSearchCV is experimental", category=ExperimentalWarning',
        '"default", message="OptunaSearchCV is experimental", category=ExperimentalWarning',
        ["tests/test_search.py"],
        "OptunaSearchCV's ExperimentalWarning shown by make_optuna_search",
    ),
    M(
        "sktext/_search.py",
        "        pruner=pruner,\n        load_if_exists=True,",
        "        load_if_exists=True,",
        ["tests/test_search.py"],
        "shared study: the pruner not given to the study (Optuna's default median pruner)",
    ),
    M(
        "sktext/_search.py",
        "        load_if_exists=True,",
        "        load_if_exists=False,",
        ["tests/test_search.py"],
        "shared study: a second process cannot load the study of the first",
    ),
    M(
        "sktext/_search.py",
        "    if study.directions != [optuna.study.StudyDirection.MAXIMIZE]:",
        "    if False:",
        ["tests/test_search.py"],
        "shared study: an existing minimizing study taken over",
    ),
    M(
        "sktext/_search.py",
        "    if not isinstance(study_name, str) or not study_name:",
        "    if False:",
        ["tests/test_search.py"],
        "storage without study_name: every process creates a study of its own",
    ),
    M(
        "sktext/_search.py",
        "        if study_name is not None:",
        "        if False:",
        ["tests/test_search.py"],
        "study_name without storage accepted",
    ),
    # ---- issue 25: ONNX export of the transformers
    M(
        "sktext/_export.py",
        "                return torch.softmax(outputs, dim=1)",
        "                return torch.sigmoid(outputs)",
        [ONNX_TRF],
        "onnx transformer: sigmoid instead of the classifier's softmax",
    ),
    M(
        "sktext/_export.py",
        "                return outputs * self.scale + self.mean",
        "                return outputs",
        [ONNX_TRF],
        "onnx transformer: regressor outputs left standardized",
    ),
    M(
        "sktext/_export.py",
        "                    pooled = torch.nn.functional.normalize(pooled, dim=1)",
        "                    pass",
        [ONNX_TRF],
        "onnx transformer: encoder vectors not normalized",
    ),
    M(
        "sktext/_export.py",
        'out.last_hidden_state, attention_mask, options["pooling"]',
        'out.last_hidden_state, attention_mask, "cls"',
        [ONNX_TRF],
        "onnx transformer: encoder pooling ignored",
    ),
    M(
        "sktext/_export.py",
        'tokenizer.enable_truncation(meta["max_length"], direction=meta["truncation_side"])',
        "tokenizer.no_truncation()",
        [ONNX_TRF],
        "onnx transformer runner: documents not truncated",
    ),
    M(
        "sktext/_export.py",
        "    copy.enable_truncation(int(estimator.max_length_), direction=side)",
        "    copy.enable_truncation(int(estimator.max_length_) + 1, direction=side)",
        [ONNX_TRF],
        "onnx transformer: tokenizer file truncating elsewhere than the estimator",
    ),
    M(
        "sktext/_export.py",
        '        order = np.argsort(lengths, kind="stable")  # similar lengths share a batch',
        "        order = np.arange(len(lengths))",
        [ONNX_TRF],
        "onnx transformer runner: documents not sorted by length",
    ),
    M(
        "sktext/_export.py",
        "            out[rows] = values",
        "            out[start : start + len(rows)] = values",
        [ONNX_TRF],
        "onnx transformer runner: outputs not put back in input order",
    ),
    M(
        "sktext/_export.py",
        "    finally:\n        module.to(device).train(was_training)\n    name = type",
        "    finally:\n        module.to(device)\n    name = type",
        [ONNX_TRF],
        "onnx transformer: module left in eval mode after export",
    ),
    M(
        "sktext/_export.py",
        "        weight_type=QuantType.QInt8,",
        "        weight_type=QuantType.QUInt8,",
        [ONNX_TRF],
        "onnx transformer: uint8 weights instead of int8",
    ),
    M(
        "sktext/_export.py",
        "            _quantize_int8(fused_path, path)",
        "            os.replace(fused_path, path)",
        [ONNX_TRF],
        "onnx transformer: quantize='int8' writes the float graph",
    ),
    M(
        "sktext/_export.py",
        "            _fuse_transformer_graph(float_path, fused_path, module)",
        "            os.replace(float_path, fused_path)",
        [ONNX_TRF],
        "onnx transformer: int8 graph quantized without the optimizer's fusions",
    ),
    M(
        "sktext/_export.py",
        '["MatMul", "Attention", "EmbedLayerNormalization", "Gather"],',
        '["MatMul", "Attention", "Gather"],',
        [ONNX_TRF],
        "onnx transformer: embedding tables left in float in the int8 graph",
    ),
    M(
        "sktext/_export.py",
        '["MatMul", "Attention", "EmbedLayerNormalization", "Gather"],',
        '["MatMul", "EmbedLayerNormalization", "Gather"],',
        [ONNX_TRF],
        "onnx transformer: fused attention left in float in the int8 graph",
    ),
    M(
        "sktext/_export.py",
        "_export_for_fusion(wrapper, module, inputs, output, float_path, opset_version)",
        "_export_dynamo(wrapper, inputs, output, float_path, opset_version, max_length)",
        [ONNX_TRF],
        "onnx transformer: int8 starts from the dynamo graph (attention not fused)",
    ),
    M(
        "sktext/_export.py",
        '        encoder.set_attn_implementation("eager")',
        "        pass",
        [ONNX_TRF],
        "onnx transformer: int8 export traces SDPA attention (not fused)",
    ),
    M(
        "sktext/_export.py",
        "        encoder.set_attn_implementation(attention)",
        "        pass",
        [ONNX_TRF],
        "onnx transformer: encoder left on eager attention after the int8 export",
    ),
    M(
        "sktext/_export.py",
        "    _check_graph(float_path, output, ids_one, mask_one, expected_one, name)",
        "    pass",
        [ONNX_TRF],
        "onnx transformer: graph not checked on a second batch shape",
    ),
    M(
        "sktext/_export.py",
        "    if not difference <= _EXPORT_TOLERANCE:",
        "    if False:",
        [ONNX_TRF],
        "onnx transformer: graph kept without comparing it with torch",
    ),
    # ---- DistilledClassifier(word_vectors="teacher") and the transformer export's fusions
    M(
        "sktext/_distillation.py",
        '        if self.word_vectors == "teacher":',
        "        if False:",
        [DISTILL],
        "distillation: word_vectors='teacher' ignored (student keeps its own vectors)",
    ),
    M(
        "sktext/_distillation.py",
        "        **{name: params[name] for name in _VOCABULARY_PARAMS if name in params}",
        "",
        [DISTILL],
        "distillation: teacher's word vectors for words the student tokenizes differently",
    ),
    M(
        "sktext/_distillation.py",
        "    keyed.add_vectors(words, vectors)",
        "    keyed.add_vectors(words, vectors[::-1])",
        [DISTILL],
        "distillation: teacher's word vectors given to the wrong words",
    ),
    M(
        "sktext/_distillation.py",
        "    if dim is None or dim >= keyed.vector_size or len(keyed) <= dim:",
        "    if True:",
        [DISTILL],
        "distillation: teacher's word vectors not reduced to the student's embedding_dim",
    ),
    M(
        "sktext/_distillation.py",
        '    vectors = PCA(n_components=dim, svd_solver="full").fit_transform(keyed.vectors)',
        "    vectors = keyed.vectors[:, :dim]",
        [DISTILL],
        "distillation: teacher's word vectors cut to their first dimensions, not their PCA",
    ),
    M(
        "sktext/_distillation.py",
        '            dim = student.get_params(deep=False).get("embedding_dim")',
        "            dim = None",
        [DISTILL],
        "distillation: the student's embedding_dim ignored for the teacher's word vectors",
    ),
    M(
        "sktext/_distillation.py",
        '        if params["embeddings"] is not None:',
        "        if False:",
        [DISTILL],
        "distillation: the user's embeddings silently replaced by the teacher's",
    ),
    M(
        "sktext/_export.py",
        "    options.enable_skip_layer_norm = False",
        "    options.enable_skip_layer_norm = True",
        [ONNX_TRF],
        "onnx transformer: slow fused SkipLayerNormalization written into the int8 graph",
    ),
    M(
        "sktext/_export.py",
        "            disabled_optimizers=_SLOW_CPU_FUSIONS if on_cpu else None,",
        "            disabled_optimizers=None,",
        [ONNX_TRF],
        "onnx transformer: the CPU session fuses the slow SkipLayerNormalization back",
    ),
    M(
        "sktext/_export.py",
        '        on_cpu = all(name == "CPUExecutionProvider" for name in names)',
        "        on_cpu = True",
        [ONNX_TRF],
        "onnx transformer: GPU sessions lose their fused layer normalization",
    ),
    M(
        "sktext/_export.py",
        "        names = [p[0] if isinstance(p, tuple | list) else p for p in providers]",
        "        names = providers",
        [ONNX_TRF],
        "onnx transformer: the CPU provider given with options is taken for a GPU",
    ),
    M(
        "sktext/_export.py",
        "    options.enable_bias_gelu = False",
        "    options.enable_bias_gelu = True",
        [ONNX_TRF],
        "onnx transformer: slow fused BiasGelu written into the int8 graph",
    ),
    # ---- sktext.dask.predict: prediction over a dask cluster
    M(
        "sktext/dask.py",
        "            if key in _LOADED:",
        "            if False:",
        [DASK],
        "dask: a model file read again for every partition (no per-worker cache)",
    ),
    M(
        "sktext/dask.py",
        "    if len(part) == 0:  # an empty partition: no call (some models refuse 0 documents)",
        "    if False:",
        [DASK],
        "dask: an empty partition passed to the model",
    ),
    M(
        "sktext/dask.py",
        "        return pd.Series(output, index=index, name=name)",
        "        return pd.Series(output, name=name)",
        [DASK],
        "dask: predictions lose the partition's index",
    ),
    M(
        "sktext/dask.py",
        "        return names.tolist()",
        "        return list(range(n_columns))",
        [DASK],
        "dask: probability columns not named after the classes",
    ),
    M(
        "sktext/dask.py",
        "        model = client.scatter(model, broadcast=True, hash=False)",
        "        model = client.scatter(model, broadcast=False, hash=False)",
        [DASK],
        "dask: the estimator scattered to one worker only",
    ),
    M(
        "sktext/dask.py",
        "    if client is not None and not isinstance(model, _ModelFile):",
        "    if False:",
        [DASK],
        "dask: the estimator embedded in the task graph instead of scattered",
    ),
    M(
        "sktext/dask.py",
        "            meta = client.submit(_describe, model, method, sample, pure=False).result()",
        "            meta = _describe(model, method, sample)",
        [DASK],
        "dask: a model file read in the caller to infer the output",
    ),
    M(
        "sktext/dask.py",
        "    check_is_fitted(model)",
        "    pass",
        [DASK],
        "dask: an unfitted model accepted (a bag has no sample call)",
    ),
    M(
        "sktext/dask.py",
        "        if column not in X.columns:",
        "        if False:",
        [DASK],
        "dask: a missing text column without its error",
    ),
    M(
        "sktext/dask.py",
        "    if method not in METHODS:",
        "    if False:",
        [DASK],
        "dask: an unknown method without its error",
    ),
    # ---- issue 26: data-parallel training
    M(
        "sktext/neural_network/_distributed.py",
        "            share = list(batch[self.rank :: self.world_size])",
        "            share = list(batch[self.rank :: self.world_size + 1])",
        [DDP],
        "data parallel: shares miss rows of the batch",
    ),
    M(
        "sktext/neural_network/_distributed.py",
        "            yield share if share else [_FILLER - int(batch[0])]",
        "            yield share if share else [int(batch[0])]",
        [DDP],
        "data parallel: a filler row counted as a real one",
    ),
    M(
        "sktext/neural_network/_net.py",
        "            loss = weighted * self.world_size_ / total",
        "            loss = weighted / total",
        [DDP],
        "data parallel: loss not scaled by the world size (DDP's mean halves the step)",
    ),
    M(
        "sktext/neural_network/_net.py",
        "            total = self._global_batch_total(total)\n",
        "            total = total * self.world_size_\n",
        [DDP],
        "data parallel: each rank's loss normalised by its own share's weight",
    ),
    M(
        "sktext/neural_network/_net.py",
        "            loss = loss / self.world_size_",
        "            loss = loss",
        [DDP],
        "data parallel: the logged loss is the sum of the ranks', not the global batch's",
    ),
    M(
        "sktext/neural_network/_data.py",
        '            X["sample_weight"] = torch.zeros(len(idx), dtype=torch.float64)',
        "            pass",
        [DDP],
        "data parallel: a filler row weighs in the step",
    ),
    M(
        "sktext/neural_network/_base.py",
        "            torch.distributed.broadcast_object_list(shared, src=0)",
        "            pass",
        [DDP],
        "data parallel: random_state=None draws a different seed on each rank",
    ),
    M(
        "sktext/neural_network/_net.py",
        "        if rank:\n            self.verbose = 0",
        "        if False:\n            self.verbose = 0",
        [DDP],
        "data parallel: every rank prints the epoch table",
    ),
    M(
        "sktext/neural_network/_distributed.py",
        "                _, raised, trace, rank = min(errors, key=lambda e: e[0])",
        "                _, raised, trace, rank = max(errors, key=lambda e: e[0])",
        [DDP],
        "data parallel: a peer's 'connection closed' reported instead of the cause",
    ),
    M(
        "sktext/neural_network/_distributed.py",
        "            if errors and not died:",
        "            if errors:",
        [DDP],
        "data parallel: a killed worker reported as its peer's lost connection",
    ),
    M(
        "sktext/neural_network/_base.py",
        "            self.__dict__.update(params)\n            return self",
        "            return self",
        [DDP],
        "data parallel: the caller's estimator loses its parameters",
    ),
    M(
        "sktext/neural_network/_distributed.py",
        "            if exc.sigval == signal.SIGINT:",
        "            if False:",
        [DDP],
        "data parallel: Ctrl+C raises the launcher's SignalException",
    ),
]


def describe(i, m):
    label = m.label or m.new.strip().splitlines()[0][:60]
    return f"{i:2d} {m.file}: {label}"


def check_patterns(mutations, root):
    """Every old text occurs exactly once; every test path exists. Returns the problems."""
    problems = []
    for i, m in mutations:
        path = root / m.file
        if not path.exists():
            problems.append(f"#{i} {m.file}: file not found")
            continue
        count = path.read_text().count(m.old)
        if count != 1:
            problems.append(f"#{i} {m.file}: old text found {count} times: {m.old!r}")
        for test in m.tests:
            if not (root / test.split("::")[0]).exists():
                problems.append(f"#{i}: test path not found: {test}")
    return problems


def copy_repo(dest):
    for name in ("sktext", "tests"):
        shutil.copytree(
            ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    shutil.copy2(ROOT / "pyproject.toml", dest / "pyproject.toml")


def run_tests(copy, tests, timeout):
    env = dict(os.environ, HF_HUB_OFFLINE="1", PYTHONDONTWRITEBYTECODE="1")
    env.setdefault("OMP_NUM_THREADS", "1")  # the machine's cores are shared
    env.pop("PYTHONPATH", None)
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *PYTEST_ARGS]
    cmd += tests
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            cmd, cwd=copy, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return "TIMEOUT", time.perf_counter() - start, ""
    elapsed = time.perf_counter() - start
    failed = next((line for line in proc.stdout.splitlines() if line.startswith("FAILED")), "")
    status = {0: "MISSED", 1: "CAUGHT"}.get(proc.returncode, f"ERROR(rc={proc.returncode})")
    if status.startswith("ERROR"):
        failed = (proc.stdout + proc.stderr).strip().splitlines()[-1:] or [""]
        failed = failed[0]
    return status, elapsed, failed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    parser.add_argument("--check", action="store_true", help="only check the patterns")
    parser.add_argument("--only", help="comma-separated mutation numbers")
    parser.add_argument(
        "-k", action="append", default=[], help="file or label contains (repeatable: any)"
    )
    parser.add_argument("--baseline", action="store_true", help="run the tests unmutated first")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per mutation")
    parser.add_argument(
        "--tests", nargs="+", help="run these tests (paths or node ids) instead of the listed ones"
    )
    args = parser.parse_args(argv)
    # on SIGTERM, unwind normally: the temporary copy is removed
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    selected = list(enumerate(MUTATIONS))
    if args.tests:
        selected = [(i, m._replace(tests=tuple(args.tests))) for i, m in selected]
    if args.only:
        wanted = {int(s) for s in args.only.split(",")}
        selected = [(i, m) for i, m in selected if i in wanted]
    if args.k:  # any of the words (-k optim -k rnn: both groups)
        selected = [
            (i, m)
            for i, m in selected
            if any(word in m.file or word in describe(i, m) for word in args.k)
        ]
    if args.list:
        for i, m in selected:
            print(describe(i, m), "|", " ".join(m.tests))
        return 0
    problems = check_patterns(selected, ROOT)
    if problems:
        print("Mutation patterns that do not match exactly once (re-point them):")
        print("\n".join("  " + p for p in problems))
        return 2
    if args.check:
        print(f"{len(selected)} mutation patterns match exactly once.")
        return 0

    with tempfile.TemporaryDirectory(prefix="sktext-mutate-") as tmp:
        copy = Path(tmp)
        copy_repo(copy)
        where = subprocess.run(
            [sys.executable, "-c", "import sktext; print(sktext.__file__)"],
            cwd=copy,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if not Path(where).resolve().is_relative_to(copy.resolve()):
            print(f"the copy's tests would import sktext from {where}, not the copy")
            return 2
        if args.baseline:
            tests = sorted({t for _, m in selected for t in m.tests})
            status, elapsed, failed = run_tests(copy, tests, args.timeout * 4)
            print(f"baseline ({elapsed:.0f} s): {'ok' if status == 'MISSED' else failed}")
            if status != "MISSED":
                return 2
        rows = []
        for i, m in selected:
            path = copy / m.file
            original = path.read_text()
            path.write_text(original.replace(m.old, m.new, 1))
            try:
                status, elapsed, failed = run_tests(copy, m.tests, args.timeout)
            finally:
                path.write_text(original)
            rows.append((i, m, status, elapsed, failed))
            print(f"{status:7s} {elapsed:5.0f} s  {describe(i, m)}  {failed}", flush=True)

    print("\n| # | file | mutation | tests | result |")
    print("|---|---|---|---|---|")
    for i, m, status, _, failed in rows:
        label = m.label or m.new.strip().splitlines()[0][:60]
        tests = ", ".join(Path(t).name for t in m.tests)
        first = failed.removeprefix("FAILED ").split(" - ")[0]
        result = status.lower() + (f" ({first})" if status == "CAUGHT" else "")
        print(f"| {i} | `{m.file}` | {label} | {tests} | {result} |")
    caught = sum(r[2] == "CAUGHT" for r in rows)
    print(f"\n{caught}/{len(rows)} caught")
    return 0 if caught == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
