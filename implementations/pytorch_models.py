#!/usr/bin/python3
"""PyTorch (Debian's python3-torch) VAE and GAN as implementations under test, on the CPU with the
thread count given as the first argument (default 1).

    modelbench run --impl pytorch-1-thread --impl pytorch-2-threads      (bundled: this file)

Timing ops: `init` builds fresh networks from the harness's architecture (Glorot-uniform weights,
zero biases, Adam as asked), `train_steps` takes Adam steps on batches it cycles through in the
loaded data (VAE) or draws at random from it (GAN), reading its loss back as a training loop does.
Twin ops (`fit --twin`): `init` with `parameters` starts from the harness's values, `train_steps`
with `batches` and `noise` trains on exactly those, and `parameters` reads the values back.
Judging ops: `encode`, `decode`, `elbo` (VAE), `generate`, `discriminate`, `value` (GAN).
Validation ops (`modelbench validate`): `fit` (VAE: Bernoulli or Gaussian decoder with a learned
variance per dimension, `hidden` 0 for linear maps; GAN: 2 x 64 ReLU networks, Adam 1e-3 with
beta1 0.5, the non-saturating or the minimax generator loss) and `fit_discriminator`.
"""
import math
import sys

from modelbench_protocol import serve, timed, unavailable

THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 1
try:
    import torch
    torch.set_num_threads(THREADS)
except ImportError as e:
    torch = None
    MISSING = str(e)

state = {}


def hello(_):
    name = f"PyTorch ({THREADS} thread{'s' if THREADS != 1 else ''})"
    if torch is None:
        return unavailable(name, f"PyTorch is not importable by {sys.executable}: {MISSING}", "apt-get install python3-torch")
    import numpy as np
    return {"name": name, "version": f"{torch.__version__}, numpy {np.__version__}", "models": ["vae", "gan"],
            "workloads": {"vae": ["train-step", "encode", "decode"], "gan": ["train-step", "train-step-images", "generate"]},
            "device": f"CPU, {torch.get_num_threads()} thread(s)"}


def linear(n_in, n_out):
    layer = torch.nn.Linear(n_in, n_out)
    torch.nn.init.xavier_uniform_(layer.weight)
    torch.nn.init.zeros_(layer.bias)
    return layer


def mlp(n_in, hidden, layers, n_out):
    mods, width = [], n_in
    for _ in range(layers):
        mods += [linear(width, hidden), torch.nn.ReLU()]
        width = hidden
    mods.append(linear(width, n_out))
    return torch.nn.Sequential(*mods)


def tensor(a):
    return torch.as_tensor(a, dtype=torch.float32)


def init(req):
    p = req.get("params", {})
    torch.manual_seed(int(p.get("seed", 1)) % (2 ** 31))
    state.clear()
    state["model"] = req["model"]
    state["cursor"] = 0
    lr, b1 = p.get("lr", 1e-3), p.get("beta1", 0.9)
    if req["model"] == "vae":
        state["likelihood"] = p.get("likelihood", "bernoulli")
        d, h, k = p["input"], p["hidden"], p["latent"]
        state["enc"], state["mu"], state["logvar"] = mlp(d, h, 1, h)[:-1] if h else torch.nn.Identity(), linear(h or d, k), linear(h or d, k)
        state["dec"] = torch.nn.Sequential(linear(k, h), torch.nn.ReLU(), linear(h, d)) if h else linear(k, d)
        params = [q for m in ("enc", "mu", "logvar", "dec") for q in state[m].parameters()]
        if state["likelihood"] == "gaussian":
            state["out_logvar"] = torch.zeros(d, requires_grad=True)
            params.append(state["out_logvar"])
        state["opt"] = torch.optim.Adam(params, lr=lr, betas=(b1, p.get("beta2", 0.999)), eps=1e-8)
    elif req["model"] == "gan":
        if p.get("loss", "nonsaturating") not in GENERATOR_LOSSES:
            raise ValueError(f"params.loss must be one of {sorted(GENERATOR_LOSSES)}, got {p.get('loss')!r}")
        state["loss"] = GENERATOR_LOSSES[p.get("loss", "nonsaturating")]
        state["noise"] = p["noise"]
        state["g"] = mlp(p["noise"], p["hidden"], p["layers"], p["data_dim"])
        state["d"] = mlp(p["data_dim"], p["hidden"], p["layers"], 1)
        betas = (b1, p.get("beta2", 0.999))
        state["opt_g"] = torch.optim.Adam(state["g"].parameters(), lr=lr, betas=betas, eps=1e-8)
        state["opt_d"] = torch.optim.Adam(state["d"].parameters(), lr=lr, betas=betas, eps=1e-8)
    else:
        raise ValueError(f"model {req['model']!r} is not implemented here")
    if "parameters" in req:
        assign_parameters(req["parameters"])
    return {}


def named_layers():
    """The GAN's linear layers under the harness's names: g0, g1, ..., g.out, then d0, ..., d.out."""
    out = {}
    for net in ("g", "d"):
        layers = [m for m in state[net] if isinstance(m, torch.nn.Linear)]
        for k, layer in enumerate(layers):
            out[f"{net}.out" if k == len(layers) - 1 else f"{net}{k}"] = layer
    return out


def vae_layers():
    """The VAE's linear layers under the harness's names: enc, mu, logvar, dec, out (no enc, dec when linear)."""
    dec = state["dec"]
    if isinstance(dec, torch.nn.Linear):
        return {"mu": state["mu"], "logvar": state["logvar"], "out": dec}
    return {"enc": state["enc"][0], "mu": state["mu"], "logvar": state["logvar"], "dec": dec[0], "out": dec[2]}


def named_parameters():
    """name -> (tensor, transposed): the harness stores a weight as [inputs, outputs], nn.Linear as [out, in]."""
    if state.get("model") not in ("gan", "vae"):
        raise ValueError("parameters: call init first")
    out = {}
    for name, layer in (named_layers() if state["model"] == "gan" else vae_layers()).items():
        out[f"{name}.w"] = (layer.weight, True)
        out[f"{name}.b"] = (layer.bias, False)
    if state["model"] == "vae" and "out_logvar" in state:
        out["out.logvar"] = (state["out_logvar"], False)
    return out


def assign_parameters(given):
    mine = named_parameters()
    if not isinstance(given, dict) or set(given) != set(mine):
        got = sorted(given) if isinstance(given, dict) else type(given).__name__
        raise ValueError(f"init: parameters must name exactly {sorted(mine)}, got {got}")
    with torch.no_grad():
        for name, (param, transposed) in mine.items():
            value = tensor(given[name])
            value = value.t() if transposed else value
            if tuple(value.shape) != tuple(param.shape):
                raise ValueError(f"init: parameters[{name!r}] has shape {list(value.shape)}, "
                                 f"the network needs {list(param.shape)}")
            param.copy_(value)


def parameters(_req):
    out = {}
    for name, (param, transposed) in named_parameters().items():
        value = param.detach().t() if transposed else param.detach()
        out[name] = value.double().numpy()
    return {"parameters": out}


# The generator's loss on the discriminator's logits of its samples, which it minimises.
GENERATOR_LOSSES = {
    "nonsaturating": lambda logits: torch.nn.functional.softplus(-logits).mean(),  # -log D(G(z))
    "minimax": lambda logits: -torch.nn.functional.softplus(logits).mean(),        # log(1 - D(G(z)))
}


def vae_parts(x, eps=None):
    h = state["enc"](x)
    m, lv = state["mu"](h), state["logvar"](h)
    z = m + torch.exp(0.5 * lv) * (torch.randn_like(m) if eps is None else eps)
    out = state["dec"](z)
    if state["likelihood"] == "gaussian":
        out_lv = state["out_logvar"]
        rec = -0.5 * (math.log(2 * math.pi) + out_lv + (x - out) ** 2 / out_lv.exp()).sum(1)
    else:
        rec = -torch.nn.functional.binary_cross_entropy_with_logits(out, x, reduction="none").sum(1)
    kl = 0.5 * (m.pow(2) + lv.exp() - 1 - lv).sum(1)
    return rec - kl


def given_rows(req, field, rows, cols):
    """A twin's batches or noise: exactly `rows` rows of `cols` values, used in order."""
    value = req[field]
    if getattr(value, "shape", None) != (rows, cols):
        got = getattr(value, "shape", type(value).__name__)
        raise ValueError(f"train_steps: {field} must be {rows} x {cols} (steps x batch rows), got {got}")
    return tensor(value)


def twin_steps(req):
    """GAN steps on the harness's real batches and noise: per step one batch of rows, then D's and G's noise."""
    steps, batch = int(req.get("steps", 1)), int(req.get("batch", 128))
    g, d, softplus = state["g"], state["d"], torch.nn.functional.softplus
    reals = given_rows(req, "batches", steps * batch, d[0].in_features)
    zs = given_rows(req, "noise", 2 * steps * batch, state["noise"])
    values = []
    for k in range(steps):
        real = reals[k * batch:(k + 1) * batch]
        z_d, z_g = zs[2 * k * batch:(2 * k + 1) * batch], zs[(2 * k + 1) * batch:(2 * k + 2) * batch]
        values.append(gan_step(g, d, softplus, real, z_d, z_g))
    return {"value": values[-1], "values": values}


def gan_step(g, d, softplus, real, z_d, z_g):
    fake = g(z_d).detach()
    v = -softplus(-d(real)).mean() - softplus(d(fake)).mean()
    state["opt_d"].zero_grad()
    (-v).backward()
    state["opt_d"].step()
    g_loss = state["loss"](d(g(z_g)))
    state["opt_g"].zero_grad()
    g_loss.backward()
    state["opt_g"].step()
    g_loss.item()  # a training loop reads its losses back
    return v.item()


def vae_twin_steps(req):
    """VAE steps on the harness's batches (in order) and its reparameterisation noise eps, one batch each."""
    steps, batch = int(req.get("steps", 1)), int(req.get("batch", 128))
    first = state["mu"] if isinstance(state["dec"], torch.nn.Linear) else state["enc"][0]
    xs = given_rows(req, "batches", steps * batch, first.in_features)
    eps = given_rows(req, "noise", steps * batch, state["mu"].out_features)
    values = []
    for k in range(steps):
        loss = -vae_parts(xs[k * batch:(k + 1) * batch], eps[k * batch:(k + 1) * batch]).mean()
        state["opt"].zero_grad()
        loss.backward()
        state["opt"].step()
        values.append(-loss.item())
    return {"elbo": values[-1], "values": values}


def train_steps(req):
    if "batches" in req or "noise" in req:
        return twin_steps(req) if state.get("model") == "gan" else vae_twin_steps(req)
    data = state.setdefault("data", {}).get(id(req["X"]))
    if data is None or data[0] is not req["X"]:
        state["data"][id(req["X"])] = data = (req["X"], tensor(req["X"]))
    x_all = data[1]
    rows, batch, steps = x_all.shape[0], int(req.get("batch", 128)), int(req.get("steps", 1))

    def run():
        last = None
        for _ in range(steps):
            if state["model"] == "vae":
                idx = torch.arange(state["cursor"], state["cursor"] + batch) % rows
                state["cursor"] = (state["cursor"] + batch) % rows
                loss = -vae_parts(x_all[idx]).mean()
                state["opt"].zero_grad()
                loss.backward()
                state["opt"].step()
                last = -loss.item()
            else:
                real = x_all[torch.randint(0, rows, (batch,))]
                z_d = torch.randn(batch, state["noise"])
                z_g = torch.randn(batch, state["noise"])
                last = gan_step(state["g"], state["d"], torch.nn.functional.softplus, real, z_d, z_g)
        return last

    last, ms = timed(run)
    return {("elbo" if state["model"] == "vae" else "value"): last, "elapsed_ms": ms}


def fit(req):
    """validate's fit: fresh networks, then whole epochs (VAE) or steps (GAN) on X."""
    p = req.get("params", {})
    x = req["X"]
    if req["model"] == "vae":
        init({"model": "vae", "params": {"input": x.shape[1], "hidden": p.get("hidden", 0), "latent": p["latent"], "likelihood": p.get("likelihood", "gaussian"), "lr": p.get("lr", 1e-3), "seed": p.get("seed", 1)}})
        data, batch, trace = tensor(x), int(p.get("batch", 128)), []
        for _ in range(int(p["epochs"])):
            order, total = torch.randperm(data.shape[0]), 0.0
            for start in range(0, data.shape[0], batch):
                xb = data[order[start:start + batch]]
                elbo_b = vae_parts(xb)
                state["opt"].zero_grad()
                (-elbo_b.mean()).backward()
                state["opt"].step()
                total += float(elbo_b.sum())
            trace.append(total / data.shape[0])
        return {"elbo_trace": trace}
    if req["model"] == "gan":
        init({"model": "gan", "params": {"data_dim": x.shape[1], "noise": p.get("noise", 1), "hidden": 64, "layers": 2, "lr": 1e-3, "beta1": 0.5, "loss": p.get("loss", "nonsaturating"), "seed": p.get("seed", 1)}})
        steps = int(p.get("steps", 1000))
        trace = []
        if steps > 0:
            trace.append(train_steps({"X": x, "steps": steps, "batch": p.get("batch", 256)})["value"])
        return {"value_trace": trace}
    raise ValueError(f"model {req['model']!r} is not implemented here")


def fit_discriminator(req):
    p = req.get("params", {})
    x_all, d, sp = tensor(req["X"]), state["d"], torch.nn.functional.softplus
    batch = int(p.get("batch", 512))
    for _ in range(int(p.get("steps", 1000))):
        real = x_all[torch.randint(0, x_all.shape[0], (batch,))]
        with torch.no_grad():
            fake = state["g"](torch.randn(batch, state["noise"]))
        v = -sp(-d(real)).mean() - sp(d(fake)).mean()
        state["opt_d"].zero_grad()
        (-v).backward()
        state["opt_d"].step()
    return {}


def encode(req):
    with torch.no_grad():
        def run():
            h = state["enc"](tensor(req["X"]))
            return state["mu"](h), state["logvar"](h)
        (mu, logvar), ms = timed(run)
        return {"mu": mu.double().numpy(), "logvar": logvar.double().numpy(), "elapsed_ms": ms}


def decode(req):
    with torch.no_grad():
        out, ms = timed(state["dec"], tensor(req["Z"]))
        if state["likelihood"] == "gaussian":
            return {"mean": out.double().numpy(), "logvar": state["out_logvar"].detach().double().expand_as(out).numpy(), "elapsed_ms": ms}
        return {"logits": out.double().numpy(), "elapsed_ms": ms}


def elbo(req):
    with torch.no_grad():
        return {"elbo": vae_parts(tensor(req["X"]), tensor(req["eps"])).double().tolist()}


def generate(req):
    with torch.no_grad():
        x, ms = timed(state["g"], tensor(req["Z"]))
        return {"X": x.double().numpy(), "elapsed_ms": ms}


def discriminate(req):
    with torch.no_grad():
        return {"logits": state["d"](tensor(req["X"]))[:, 0].double().tolist()}


def value(req):
    with torch.no_grad():
        sp = torch.nn.functional.softplus
        d = state["d"]
        v = -sp(-d(tensor(req["X"]))).mean() - sp(d(state["g"](tensor(req["Z"])))).mean()
        return {"value": float(v)}


HANDLERS = {"hello": hello, "fit": fit, "fit_discriminator": fit_discriminator, "init": init, "train_steps": train_steps, "encode": encode, "decode": decode, "elbo": elbo,
            "generate": generate, "discriminate": discriminate, "value": value, "parameters": parameters}

if __name__ == "__main__":
    serve(HANDLERS)
