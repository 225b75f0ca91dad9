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
``c_j = lr_j * sqrt(1 - beta2**j) / (1 - beta1**j)`` (bias corrections). The sums are
read from a table kept up to date at every step, ``tail[a] = sum_{j=a..t} c_j r**(j - a)``,
so a row's catch-up costs one lookup: ``r**(a - s) * tail[a]`` with ``a`` its first missed
step. The only approximation is ``eps``, taken at the first missed step for all of them
(it matters only where ``sqrt(v)`` is as small as ``eps``).
Coupled L2 ``weight_decay`` acts on rows when they receive a gradient only.

Dense gradients (every other parameter) get the standard Adam update.
"""

import math

import scipy.signal
import torch
from torch.optim import Optimizer

__all__ = ["CatchUpAdam"]

# Each step adds its coefficient to the tail sums of the last _window(r) first-missed
# steps; older ones are final (the terms left out weigh less than r**window ~ 1e-17).
_TAIL_PRECISION = 1e-17
_MAX_WINDOW = 16384
_fused_adam = getattr(torch, "_fused_adam_", None)

# Rows brought up to date at once (bounds the (rows, dim) temporaries).
_CATCH_UP_CHUNK = 16384


def _window(r):
    """Steps over which a coefficient still changes the tail sums (ratio ``r``)."""
    if r <= 0.0:
        return 1
    if r >= 1.0:
        return _MAX_WINDOW
    return int(min(_MAX_WINDOW, max(1, math.ceil(math.log(_TAIL_PRECISION) / math.log(r)))))


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
    """One Adam step, in place, on matching tensors, with the group's coupled L2 term.

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
                weight_decay=group["weight_decay"],  # coupled: grad + weight_decay * param
                eps=group["eps"],
                amsgrad=False,
                maximize=False,
            )
            return
        except (RuntimeError, NotImplementedError):  # pragma: no cover - exotic devices
            pass
    if group["weight_decay"]:
        grad = grad.add(param, alpha=group["weight_decay"])
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
            # coefficient history c_j (index j = step) and the tail sums of the module
            # docstring for the ratio r = beta1 / sqrt(beta2) (grown by doubling)
            state["coef"] = torch.zeros(256, dtype=torch.float64, device=p.device)
            state["tail"] = torch.zeros(256, dtype=torch.float64, device=p.device)

    def _dense_step(self, p, group):
        state = self.state[p]
        if not state:
            self._init_state(state, p, sparse=False)
        if "last_step" in state:
            raise RuntimeError("CatchUpAdam: a parameter switched from sparse to dense gradients")
        state["step"] += 1
        _adam_update(p, p.grad, state["exp_avg"], state["exp_avg_sq"], state["step"], group)

    def _sparse_state(self, p, group):
        """The state of a sparse-gradient parameter, its tail sums matching ``group``'s betas."""
        state = self.state[p]
        if not state:
            self._init_state(state, p, sparse=True)
        if "last_step" not in state:
            raise RuntimeError("CatchUpAdam: a parameter switched from dense to sparse gradients")
        r = _ratio(group)
        t = state["step"]
        if state["coef"].numel() <= t:
            raise RuntimeError(
                f"CatchUpAdam: the state holds {state['coef'].numel()} step coefficients "
                f"for step {t}: it was not written by this optimizer."
            )
        # a state of an older sktext (no tail sums) or betas changed since the last step
        if state.get("tail_ratio") != r or state["tail"].numel() != state["coef"].numel():
            state["tail"] = _tail_sums(state["coef"], t, r)
            state["tail_ratio"] = r
        return state

    def _sparse_step(self, p, group):
        state = self._sparse_state(p, group)
        beta1, beta2 = group["betas"]
        rows, values = _coalesced_rows(p.grad)
        t = state["step"] + 1
        # the rows as catch_up left them before the forward pass, if it read these rows
        prefetched = self._prefetched.pop(p, None)
        if prefetched is not None:
            read_at, read, p_rows, m_rows, v_rows = prefetched
            same_rows = read.shape == rows.shape and torch.equal(read, rows)
            if read_at != state["step"] or not same_rows:
                prefetched = None
        if prefetched is None:
            if group["catch_up"]:
                self._catch_up(p, state, group, rows)
            p_rows = p.index_select(0, rows)
            m_rows = state["exp_avg"].index_select(0, rows)
            v_rows = state["exp_avg_sq"].index_select(0, rows)
            if group["catch_up"]:
                # the moments are stored as of each row's last gradient: decay them to t - 1
                missed = (t - 1 - state["last_step"].index_select(0, rows)).to(p.dtype)[:, None]
                m_rows.mul_(torch.pow(beta1, missed))
                v_rows.mul_(torch.pow(beta2, missed))
            # else lazy Adam: moments frozen while a row has no gradient
        _adam_update(p_rows, values.contiguous(), m_rows, v_rows, t, group)
        p.index_copy_(0, rows, p_rows)
        state["exp_avg"].index_copy_(0, rows, m_rows)
        state["exp_avg_sq"].index_copy_(0, rows, v_rows)
        state["last_step"].index_fill_(0, rows, t)
        state["synced_step"].index_fill_(0, rows, t)
        state["step"] = t
        bc1, bc2 = 1 - beta1**t, 1 - beta2**t
        self._record_coef(state, t, group["lr"] * math.sqrt(bc2) / bc1)

    @property
    def _prefetched(self):
        """Rows read by the coming step, kept by :meth:`catch_up` (never pickled)."""
        cache = self.__dict__.get("_prefetched_rows")
        if cache is None:
            cache = self.__dict__["_prefetched_rows"] = {}
        return cache

    def load_state_dict(self, state_dict):
        self._prefetched.clear()
        super().load_state_dict(state_dict)

    @staticmethod
    def _record_coef(state, t, value):
        """Store ``c_t`` and add it to the tail sums it changes."""
        coef, tail = state["coef"], state["tail"]
        if t + 1 >= coef.numel():
            size = 2 * coef.numel()
            state["coef"] = coef = torch.cat([coef, coef.new_zeros(size - coef.numel())])
            state["tail"] = tail = torch.cat([tail, tail.new_zeros(size - tail.numel())])
        coef[t] = value
        r = state["tail_ratio"]
        first = max(1, t - _window(r) + 1)
        if first < t:
            # tail[a] += c_t r**(t - a) for a = first .. t - 1
            k = torch.arange(t - first, 0, -1, dtype=torch.float64, device=tail.device)
            tail[first:t] += value * torch.pow(r, k)
        tail[t] = value

    def _catch_up(self, p, state, group, rows):
        """Add to ``rows`` of ``p`` the updates dense Adam made through the current step.

        Rows had no gradient since ``last_step`` (their moments are stored as of then) and
        ``p`` already holds the missed updates through ``synced_step``.
        """
        t = state["step"]
        last = state["last_step"].index_select(0, rows)
        first = state["synced_step"].index_select(0, rows) + 1  # first missed step
        # rows never touched (last == 0) have m = v = 0: nothing pending
        pending = (last > 0) & (first <= t)
        if not bool(pending.any()):
            return
        rows, last, first = rows[pending], last[pending], first[pending]
        state["synced_step"].index_fill_(0, rows, t)
        # bounded memory: (rows, dim) temporaries per chunk
        for start in range(0, rows.numel(), _CATCH_UP_CHUNK):
            chunk = slice(start, start + _CATCH_UP_CHUNK)
            self._add_missed_updates(p, state, group, rows[chunk], last[chunk], first[chunk])

    def _add_missed_updates(self, p, state, group, rows, last, first):
        factor = self._missed_factor(state, first, last)
        m = state["exp_avg"].index_select(0, rows)
        v = state["exp_avg_sq"].index_select(0, rows)
        eps = self._missed_eps(group, first, last)
        update = m.div_(v.sqrt_().add_(eps.to(p.dtype)[:, None]))
        p.index_add_(0, rows, update.mul_(-factor.to(p.dtype)[:, None]))

    def _prefetch(self, p, state, group, rows, keep):
        """Bring ``rows`` up to date and keep them, with their moments, for the next step.

        The same arithmetic as :meth:`_catch_up` followed by the first half of
        :meth:`_sparse_step`, with one read of each tensor's rows instead of two. With
        ``keep``, the caught-up rows are not written into ``p`` (the next step writes
        them), and stay pending in the state until then.
        """
        beta1, beta2 = group["betas"]
        t = state["step"]
        last = state["last_step"].index_select(0, rows)
        first = state["synced_step"].index_select(0, rows) + 1  # first missed step
        p_rows = p.index_select(0, rows)
        m_rows = state["exp_avg"].index_select(0, rows)
        v_rows = state["exp_avg_sq"].index_select(0, rows)
        touched = last > 0  # rows never touched have m = v = 0: nothing pending
        if bool((touched & (first <= t)).any()):
            # up to date rows (first > t) read tail[t + 1] = 0
            factor = torch.where(touched, self._missed_factor(state, first, last), 0.0)
            factor = factor.to(p.dtype)[:, None]
            eps = self._missed_eps(group, first, last)
            eps = torch.where(touched, eps, 1.0).to(p.dtype)[:, None]
            p_rows.addcdiv_(m_rows * -factor, v_rows.sqrt().add_(eps))
            if not keep:
                p.index_copy_(0, rows, p_rows)
                state["synced_step"].index_fill_(0, rows, t)
        # the moments dense Adam has at step t
        missed = (t - last).to(p.dtype)[:, None]
        m_rows.mul_(torch.pow(beta1, missed))
        v_rows.mul_(torch.pow(beta2, missed))
        self._prefetched[p] = (t, rows, p_rows, m_rows, v_rows)
        return p_rows

    @staticmethod
    def _missed_factor(state, first, last):
        """``sum_j c_j r**(j - last)`` over the missed steps ``first..t`` of each row,
        ``r**(first - last) * tail[first]`` (float64)."""
        return state["tail"].index_select(0, first) * torch.pow(
            state["tail_ratio"], (first - last).double()
        )

    @staticmethod
    def _missed_eps(group, first, last):
        """Dense Adam divides beta1**k m by sqrt(beta2**k v / bc2_j) + eps; with sqrt(bc2_j)
        and the decays folded into c_j r**k that is sqrt(v) + eps sqrt(bc2_j) / beta2**(k/2),
        taken at the first missed step j = first for all of them."""
        beta2 = group["betas"][1]
        j = first.double()
        return group["eps"] * torch.sqrt((1 - beta2**j) / beta2 ** (j - last.double()))

    @torch.no_grad()
    def catch_up(self, param, rows, *, assume_unique=False, keep=False):
        """Bring ``rows`` of ``param`` up to date before they are read.

        Call it before a forward pass with the rows the batch will read (for the first
        layer on sparse input: the batch's feature indices; pass ``assume_unique=True`` if
        they are already sorted and unique). The gradient is then computed
        at the same parameter values dense Adam would have, and the trajectory matches dense
        Adam's up to ``eps``. Without it, the missed updates are applied in :meth:`step`,
        after a forward pass that saw the rows without them. The rows read here are kept
        until the next :meth:`step`, which reuses them if its gradient has the same rows.

        Returns ``param[rows]`` up to date (None when there is nothing to catch up: no
        step yet, or ``catch_up=False``). With ``keep=True`` they are not written into
        ``param``: the forward pass must read them from the returned tensor, and the next
        :meth:`step` (with a gradient on exactly these rows) writes them.
        """
        state = self.state.get(param)
        if not state or "last_step" not in state:
            return None
        group = next(g for g in self.param_groups if any(q is param for q in g["params"]))
        if not group["catch_up"]:
            return None
        state = self._sparse_state(param, group)
        rows = rows.to(state["last_step"].device)
        if not assume_unique:
            rows = torch.unique(rows)
        return self._prefetch(param, state, group, rows, keep)

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
                state = self._sparse_state(p, group)
                t = state["step"]
                last = state["last_step"]
                rows = torch.nonzero((last > 0) & (last < t)).flatten()
                if rows.numel():
                    self._catch_up(p, state, group, rows)
                    # moments as of step t too: the state is then exactly dense Adam's
                    beta1, beta2 = group["betas"]
                    missed = (t - last.index_select(0, rows)).to(p.dtype)[:, None]
                    for key, beta in (("exp_avg", beta1), ("exp_avg_sq", beta2)):
                        moment = state[key].index_select(0, rows).mul_(torch.pow(beta, missed))
                        state[key].index_copy_(0, rows, moment)
                    last.index_fill_(0, rows, t)


def _ratio(group):
    """``r = beta1 / sqrt(beta2)``: the decay of a missed step's update (module docstring)."""
    beta1, beta2 = group["betas"]
    return beta1 / math.sqrt(beta2)


def _tail_sums(coef, t, r):
    """``tail[a] = sum_{j=a..t} coef[j] r**(j - a)`` for ``a <= t`` (0 beyond), from scratch."""
    values = coef[1 : t + 1].cpu().numpy()[::-1]
    # tail[a] = coef[a] + r tail[a + 1]: a first-order recursion, run backwards
    sums = scipy.signal.lfilter([1.0], [1.0, -r], values)[::-1] if t else values
    tail = torch.zeros_like(coef)
    tail[1 : t + 1] = torch.from_numpy(sums.copy()).to(coef.device)
    return tail
