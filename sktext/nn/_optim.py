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
_fused_adam = getattr(torch, "_fused_adam_", None)

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


def _adam_update(param, grad, exp_avg, exp_avg_sq, step, group):
    """One Adam step, in place, on matching tensors (``grad`` already includes L2).

    Uses torch's fused Adam kernel when it is available for the device (one pass over
    memory instead of seven), else the same arithmetic op by op.
    """
    beta1, beta2 = group["betas"]
    if _fused_adam is not None:
        try:
            _fused_adam(
                [param],
                [grad],
                [exp_avg],
                [exp_avg_sq],
                [],
                [torch.tensor(float(step), device=param.device)],
                lr=group["lr"],
                beta1=beta1,
                beta2=beta2,
                weight_decay=0.0,
                eps=group["eps"],
                amsgrad=False,
                maximize=False,
            )
            return
        except (RuntimeError, NotImplementedError):  # pragma: no cover - exotic devices
            pass
    exp_avg.lerp_(grad, 1 - beta1)
    exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
    bc1 = 1 - beta1**step
    bc2 = 1 - beta2**step
    denom = (exp_avg_sq.sqrt() / math.sqrt(bc2)).add_(group["eps"])
    param.addcdiv_(exp_avg, denom, value=-group["lr"] / bc1)


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
            # per row: step of the moments stored (its last gradient, or the last flush) ...
            state["last_step"] = torch.zeros(p.shape[0], dtype=torch.long, device=p.device)
            # ... and step through which the parameter holds the momentum updates
            state["synced_step"] = torch.zeros(p.shape[0], dtype=torch.long, device=p.device)
            # coefficient history c_j (index j = step), grown by doubling
            state["coef"] = torch.zeros(256, dtype=torch.float64, device=p.device)

    def _dense_step(self, p, group):
        state = self.state[p]
        if not state:
            self._init_state(state, p, sparse=False)
        if "last_step" in state:
            raise RuntimeError("CatchUpAdam: a parameter switched from sparse to dense gradients")
        state["step"] += 1
        grad = p.grad
        if group["weight_decay"]:
            grad = grad.add(p, alpha=group["weight_decay"])
        _adam_update(p, grad, state["exp_avg"], state["exp_avg_sq"], state["step"], group)

    def _sparse_step(self, p, group):
        state = self.state[p]
        if not state:
            self._init_state(state, p, sparse=True)
        if "last_step" not in state:
            raise RuntimeError("CatchUpAdam: a parameter switched from dense to sparse gradients")
        beta1, beta2 = group["betas"]
        rows, values = _coalesced_rows(p.grad)
        t = state["step"] + 1
        last = state["last_step"].index_select(0, rows)
        if group["catch_up"]:
            self._catch_up(p, state, group, rows, upto=t - 1)
            # the moments are stored as of each row's last gradient: decay them to t - 1
            missed = (t - 1 - last).to(p.dtype)[:, None]
            m_rows = state["exp_avg"].index_select(0, rows).mul_(torch.pow(beta1, missed))
            v_rows = state["exp_avg_sq"].index_select(0, rows).mul_(torch.pow(beta2, missed))
        else:  # lazy Adam: moments frozen while a row has no gradient
            m_rows = state["exp_avg"].index_select(0, rows)
            v_rows = state["exp_avg_sq"].index_select(0, rows)
        p_rows = p.index_select(0, rows)
        if group["weight_decay"]:
            values = values.add(p_rows, alpha=group["weight_decay"])
        _adam_update(p_rows, values.contiguous(), m_rows, v_rows, t, group)
        p.index_copy_(0, rows, p_rows)
        state["exp_avg"].index_copy_(0, rows, m_rows)
        state["exp_avg_sq"].index_copy_(0, rows, v_rows)
        state["last_step"].index_fill_(0, rows, t)
        state["synced_step"].index_fill_(0, rows, t)
        state["step"] = t
        bc1, bc2 = 1 - beta1**t, 1 - beta2**t
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
    def _missed_update_factor(coef, last, first, final, r):
        """``sum_{k=first..final} coef[last + k] * r**k`` for each row (float64)."""
        k = first[:, None] + torch.arange(_EXACT_TERMS, device=last.device)  # (rows, K)
        pos = (last[:, None] + k).clamp_(max=coef.numel() - 1)
        valid = k <= final[:, None]
        factor = (coef[pos] * torch.pow(r, k.double()) * valid).sum(1)
        # terms beyond the exact ones, with the last exact coefficient (c_j varies slowly)
        tail_n = (final - first + 1 - _EXACT_TERMS).clamp_(min=0)
        if bool((tail_n > 0).any()):
            c_last = coef[(last + first + _EXACT_TERMS - 1).clamp_(max=coef.numel() - 1)]
            k0 = (first + _EXACT_TERMS).double()
            tail = c_last * torch.pow(r, k0) * (1 - torch.pow(r, tail_n.double())) / (1 - r)
            factor = factor + torch.where(tail_n > 0, tail, torch.zeros_like(tail))
        return factor

    def _catch_up(self, p, state, group, rows, upto):
        """Add to ``rows`` of ``p`` the updates dense Adam made through step ``upto``.

        Rows had no gradient since ``last_step`` (their moments are stored as of then) and
        ``p`` already holds the missed updates through ``synced_step``.
        """
        last = state["last_step"].index_select(0, rows)
        synced = state["synced_step"].index_select(0, rows)
        # rows never touched (last == 0) have m = v = 0: nothing pending
        pending = (last > 0) & (synced < upto)
        if not bool(pending.any()):
            return
        rows, last, synced = rows[pending], last[pending], synced[pending]
        state["synced_step"].index_fill_(0, rows, upto)
        # bounded memory: the factor sum materialises (rows, _EXACT_TERMS) per chunk
        for start in range(0, rows.numel(), _CATCH_UP_CHUNK):
            chunk = slice(start, start + _CATCH_UP_CHUNK)
            self._add_missed_updates(p, state, group, rows[chunk], last[chunk], synced[chunk], upto)

    def _add_missed_updates(self, p, state, group, rows, last, synced, upto):
        beta1, beta2 = group["betas"]
        r = beta1 / math.sqrt(beta2)
        # steps synced+1 .. upto are k = synced-last+1 .. upto-last steps after the gradient
        factor = self._missed_update_factor(state["coef"], last, synced - last + 1, upto - last, r)
        m = state["exp_avg"].index_select(0, rows)
        v = state["exp_avg_sq"].index_select(0, rows)
        # Dense Adam divides beta1**k m by sqrt(beta2**k v / bc2_j) + eps; with sqrt(bc2_j)
        # and the decays folded into c_j r**k that is sqrt(v) + eps sqrt(bc2_j) / beta2**(k/2),
        # taken at the first missed step j = synced + 1 for all of them.
        j = (synced + 1).double()
        eps = group["eps"] * torch.sqrt((1 - beta2**j) / beta2 ** (j - last.double()))
        update = m.div_(v.sqrt_().add_(eps.to(p.dtype)[:, None]))
        p.index_add_(0, rows, update.mul_(-factor.to(p.dtype)[:, None]))

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
                    # moments as of step t too: the state is then exactly dense Adam's
                    beta1, beta2 = group["betas"]
                    missed = (t - last.index_select(0, rows)).to(p.dtype)[:, None]
                    for key, beta in (("exp_avg", beta1), ("exp_avg_sq", beta2)):
                        moment = state[key].index_select(0, rows).mul_(torch.pow(beta, missed))
                        state[key].index_copy_(0, rows, moment)
                    last.index_fill_(0, rows, t)
