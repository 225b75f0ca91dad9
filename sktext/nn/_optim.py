"""Adam for sparse row gradients that follows dense Adam's trajectory.

The first layer of :class:`~sktext.nn.MLP` on TF-IDF input receives gradients only
for the rows (features) present in a batch. ``torch.optim.SparseAdam`` then updates
just those rows *lazily*: a row that received a gradient at step ``s`` moves once,
whereas dense Adam keeps moving it at every later step with its decaying first moment
(``m * beta1**k``). Summed over the following steps that momentum is worth about
``1 / (1 - beta1 / sqrt(beta2))`` (~10) single steps, so lazy Adam effectively trains rare
features ten times slower, which costs accuracy on text where rare words carry the signal.

:class:`CatchUpAdam` keeps the sparse speed and restores dense Adam's behaviour: when a row
is touched again (or when :meth:`CatchUpAdam.flush` is called, e.g. at the end of an epoch),
the updates dense Adam would have made during the steps the row had no gradient are applied
in one go. With ``g = 0`` on those steps, ``m`` and ``v`` just decay, so the missed update
is ``sum_k c_{s+k} r**k * m / sqrt(v)`` with ``r = beta1 / sqrt(beta2)`` and
``c_j = lr_j * sqrt(1 - beta2**j) / (1 - beta1**j)`` (bias corrections); the sum is computed
per row from the stored ``c_j`` history. The only approximation is ``eps``, taken at the first
missed step for all of them (it matters only where ``sqrt(v)`` is as small as ``eps``).
Coupled L2 ``weight_decay`` acts on rows when they receive a gradient only.

Dense gradients (every other parameter) get the standard Adam update.
"""

import math

import torch
from torch.optim import Optimizer

__all__ = ["CatchUpAdam"]

# Terms of the missed-update sum computed exactly; the rest (weight < r**64 ~ 1e-3 of the
# first term) is added in closed form with the last coefficient.
_EXACT_TERMS = 64
# Rows brought up to date at once (bounds the (rows, _EXACT_TERMS) temporaries).
_CATCH_UP_CHUNK = 16384


def _coalesced_rows(grad):
    """Row indices and values of a sparse row gradient, merging duplicates only if needed.

    Autograd drops the "coalesced" flag when it stores a gradient; a gradient whose row
    indices are strictly increasing (e.g. from :class:`~sktext.nn.SparseInputLinear` on a
    compacted batch) is coalesced already, and checking that is far cheaper than a sort.
    """
    if not grad.is_coalesced():
        rows = grad._indices()[0]
        if rows.numel() < 2 or bool((rows[1:] > rows[:-1]).all()):
            return rows, grad._values()
        grad = grad.coalesce()
    return grad.indices()[0], grad.values()


class CatchUpAdam(Optimizer):
    """Adam that accepts sparse row gradients and reproduces dense Adam's trajectory.

    Parameters
    ----------
    params : iterable
        Parameters or parameter groups.
    lr : float, default=1e-3
        Learning rate.
    betas : tuple of float, default=(0.9, 0.999)
        Decay rates of the first and second moment estimates.
    eps : float, default=1e-8
        Added to the denominator for numerical stability.
    weight_decay : float, default=0.0
        Coupled L2 penalty (added to the gradient, as in ``torch.optim.Adam``); for sparse
        gradients it acts on the rows present in the gradient.
    catch_up : bool, default=True
        Apply the momentum updates a row missed while it had no gradient. ``False`` gives
        lazy Adam (``torch.optim.SparseAdam`` semantics plus weight decay).
    """

    def __init__(
        self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, catch_up=True
    ):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= betas[0] < 1.0 or not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid betas: {betas}")
        if eps < 0.0:
            raise ValueError(f"Invalid eps: {eps}")
        defaults = dict(
            lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay, catch_up=catch_up
        )
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if p.grad.is_sparse:
                    self._sparse_step(p, group)
                else:
                    self._dense_step(p, group)
        return loss

    @staticmethod
    def _init_state(state, p, sparse):
        state["step"] = 0
        state["exp_avg"] = torch.zeros_like(p, memory_format=torch.preserve_format)
        state["exp_avg_sq"] = torch.zeros_like(p, memory_format=torch.preserve_format)
        if sparse:
            # step at which each row was last brought up to date
            state["last_step"] = torch.zeros(p.shape[0], dtype=torch.long, device=p.device)
            # coefficient history c_j (index j = step), grown by doubling
            state["coef"] = torch.zeros(256, dtype=torch.float64, device=p.device)

    def _dense_step(self, p, group):
        state = self.state[p]
        if not state:
            self._init_state(state, p, sparse=False)
        if "last_step" in state:
            raise RuntimeError("CatchUpAdam: a parameter switched from sparse to dense gradients")
        beta1, beta2 = group["betas"]
        state["step"] += 1
        t = state["step"]
        grad = p.grad
        if group["weight_decay"]:
            grad = grad.add(p, alpha=group["weight_decay"])
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m.lerp_(grad, 1 - beta1)
        v.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        bc1 = 1 - beta1**t
        bc2 = 1 - beta2**t
        denom = (v.sqrt() / math.sqrt(bc2)).add_(group["eps"])
        p.addcdiv_(m, denom, value=-group["lr"] / bc1)

    def _sparse_step(self, p, group):
        state = self.state[p]
        if not state:
            self._init_state(state, p, sparse=True)
        if "last_step" not in state:
            raise RuntimeError("CatchUpAdam: a parameter switched from dense to sparse gradients")
        beta1, beta2 = group["betas"]
        rows, values = _coalesced_rows(p.grad)
        t = state["step"] + 1
        if group["catch_up"]:
            self._catch_up(p, state, group, rows, upto=t - 1)
        else:
            state["last_step"][rows] = t - 1
        m_rows = state["exp_avg"].index_select(0, rows)
        v_rows = state["exp_avg_sq"].index_select(0, rows)
        p_rows = p.index_select(0, rows)
        if group["weight_decay"]:
            values = values.add(p_rows, alpha=group["weight_decay"])
        m_rows.lerp_(values, 1 - beta1)
        v_rows.mul_(beta2).addcmul_(values, values, value=1 - beta2)
        bc1 = 1 - beta1**t
        bc2 = 1 - beta2**t
        denom = (v_rows.sqrt() / math.sqrt(bc2)).add_(group["eps"])
        p_rows.addcdiv_(m_rows, denom, value=-group["lr"] / bc1)
        p.index_copy_(0, rows, p_rows)
        state["exp_avg"].index_copy_(0, rows, m_rows)
        state["exp_avg_sq"].index_copy_(0, rows, v_rows)
        state["last_step"][rows] = t
        state["step"] = t
        self._record_coef(state, t, group["lr"] * math.sqrt(bc2) / bc1)

    @staticmethod
    def _record_coef(state, t, value):
        coef = state["coef"]
        if t >= coef.numel():
            grown = torch.zeros(2 * coef.numel(), dtype=coef.dtype, device=coef.device)
            grown[: coef.numel()] = coef
            state["coef"] = coef = grown
        coef[t] = value

    @staticmethod
    def _missed_update_factor(coef, last, missed, r):
        """``sum_{k=1..missed} coef[last + k] * r**k`` for each row (float64)."""
        k = torch.arange(1, _EXACT_TERMS + 1, device=last.device)
        pos = last[:, None] + k  # (rows, K)
        valid = k <= missed[:, None]
        pos = pos.clamp_(max=coef.numel() - 1)
        rk = torch.pow(torch.tensor(r, dtype=torch.float64, device=last.device), k)
        factor = (coef[pos] * rk * valid).sum(1)
        # tail beyond the exact terms, with the last exact coefficient (c_j varies slowly)
        tail_n = (missed - _EXACT_TERMS).clamp_(min=0)
        if bool((tail_n > 0).any()):
            c_last = coef[(last + _EXACT_TERMS).clamp_(max=coef.numel() - 1)]
            tail = c_last * r ** (_EXACT_TERMS + 1) * (1 - r ** tail_n.double()) / (1 - r)
            factor = factor + torch.where(tail_n > 0, tail, torch.zeros_like(tail))
        return factor

    def _catch_up(self, p, state, group, rows, upto):
        """Bring ``rows`` to step ``upto`` as dense Adam would with zero gradients."""
        last = state["last_step"][rows]
        # rows never touched (last == 0) have m = v = 0: nothing pending, nothing to mark
        pending = (last > 0) & (last < upto)
        if not bool(pending.any()):
            return
        rows, last = rows[pending], last[pending]
        state["last_step"][rows] = upto
        # bounded memory: the factor sum materialises (rows, _EXACT_TERMS) per chunk
        for start in range(0, rows.numel(), _CATCH_UP_CHUNK):
            chunk = slice(start, start + _CATCH_UP_CHUNK)
            self._apply_missed_updates(p, state, group, rows[chunk], last[chunk], upto)

    def _apply_missed_updates(self, p, state, group, rows, last, upto):
        beta1, beta2 = group["betas"]
        missed = upto - last
        r = beta1 / math.sqrt(beta2)
        factor = self._missed_update_factor(state["coef"], last, missed, r)
        m = state["exp_avg"].index_select(0, rows)
        v = state["exp_avg_sq"].index_select(0, rows)
        # dense Adam divides by sqrt(v_j / bc2_j) + eps; with sqrt(bc2_j) folded into c_j
        # that is sqrt(v_j) + eps * sqrt(bc2_j), taken at the first missed step
        eps = group["eps"] * torch.sqrt(1 - beta2 ** (last + 1).to(torch.float64))
        step = m / (v.sqrt() + eps.to(p.dtype)[:, None])
        p.index_copy_(0, rows, p.index_select(0, rows) - factor.to(p.dtype)[:, None] * step)
        missed_f = missed.to(p.dtype)[:, None]
        state["exp_avg"].index_copy_(0, rows, m * torch.pow(beta1, missed_f))
        state["exp_avg_sq"].index_copy_(0, rows, v * torch.pow(beta2, missed_f))

    @torch.no_grad()
    def catch_up(self, param, rows, *, assume_unique=False):
        """Bring ``rows`` of ``param`` up to date before they are read.

        Call it before a forward pass with the rows the batch will read (for the first
        layer on sparse input: the batch's feature indices; pass ``assume_unique=True`` if
        they are already sorted and unique). The gradient is then computed
        at the same parameter values dense Adam would have, and the trajectory matches dense
        Adam's up to ``eps``. Without it, the missed updates are applied in :meth:`step`,
        after a forward pass that saw the rows without them.
        """
        state = self.state.get(param)
        if not state or "last_step" not in state:
            return
        group = next(g for g in self.param_groups if any(q is param for q in g["params"]))
        if group["catch_up"]:
            rows = rows.to(state["last_step"].device)
            if not assume_unique:
                rows = torch.unique(rows)
            self._catch_up(param, state, group, rows, upto=state["step"])

    @torch.no_grad()
    def flush(self):
        """Apply every pending missed update, so parameters equal dense Adam's now.

        Call it before the parameters are read (evaluation, saving). Cheap relative to an
        epoch: one pass over the rows with pending updates.
        """
        for group in self.param_groups:
            if not group["catch_up"]:
                continue
            for p in group["params"]:
                state = self.state.get(p)
                if not state or "last_step" not in state:
                    continue
                t = state["step"]
                last = state["last_step"]
                rows = torch.nonzero((last > 0) & (last < t)).flatten()
                if rows.numel():
                    self._catch_up(p, state, group, rows, upto=t)
