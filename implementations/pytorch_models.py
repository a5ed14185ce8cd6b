#!/usr/bin/python3
"""PyTorch (Debian's python3-torch) VAE and GAN as implementations under test, on the CPU with the
thread count given as the first argument (default 1).

    modelbench run --impl pytorch-1-thread --impl pytorch-2-threads      (bundled: this file)

Timing ops: `init` builds fresh networks from the harness's architecture (Glorot-uniform weights,
zero biases, Adam as asked), `train_steps` takes Adam steps on batches it cycles through in the
loaded data (VAE) or draws at random from it (GAN), reading its loss back as a training loop does.
Judging ops: `encode`, `decode`, `elbo` (VAE), `generate`, `discriminate`, `value` (GAN).
"""
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
        if p.get("likelihood", "bernoulli") != "bernoulli":
            raise ValueError("this adapter's VAE has a Bernoulli decoder only")
        d, h, k = p["input"], p["hidden"], p["latent"]
        state["enc"], state["mu"], state["logvar"] = mlp(d, h, 1, h)[:-1] if h else torch.nn.Identity(), linear(h or d, k), linear(h or d, k)
        state["dec"] = torch.nn.Sequential(linear(k, h), torch.nn.ReLU(), linear(h, d)) if h else linear(k, d)
        params = [q for m in ("enc", "mu", "logvar", "dec") for q in state[m].parameters()]
        state["opt"] = torch.optim.Adam(params, lr=lr, betas=(b1, p.get("beta2", 0.999)), eps=1e-8)
    elif req["model"] == "gan":
        if p.get("loss", "nonsaturating") != "nonsaturating":
            raise ValueError("this adapter's GAN trains with the non-saturating loss only")
        state["noise"] = p["noise"]
        state["g"] = mlp(p["noise"], p["hidden"], p["layers"], p["data_dim"])
        state["d"] = mlp(p["data_dim"], p["hidden"], p["layers"], 1)
        betas = (b1, p.get("beta2", 0.999))
        state["opt_g"] = torch.optim.Adam(state["g"].parameters(), lr=lr, betas=betas, eps=1e-8)
        state["opt_d"] = torch.optim.Adam(state["d"].parameters(), lr=lr, betas=betas, eps=1e-8)
    else:
        raise ValueError(f"model {req['model']!r} is not implemented here")
    return {}


def vae_parts(x, eps=None):
    h = state["enc"](x)
    m, lv = state["mu"](h), state["logvar"](h)
    z = m + torch.exp(0.5 * lv) * (torch.randn_like(m) if eps is None else eps)
    logits = state["dec"](z)
    rec = -torch.nn.functional.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(1)
    kl = 0.5 * (m.pow(2) + lv.exp() - 1 - lv).sum(1)
    return rec - kl


def train_steps(req):
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
                g, d, softplus = state["g"], state["d"], torch.nn.functional.softplus
                real = x_all[torch.randint(0, rows, (batch,))]
                fake = g(torch.randn(batch, state["noise"])).detach()
                v = -softplus(-d(real)).mean() - softplus(d(fake)).mean()
                state["opt_d"].zero_grad()
                (-v).backward()
                state["opt_d"].step()
                g_loss = softplus(-d(g(torch.randn(batch, state["noise"])))).mean()
                state["opt_g"].zero_grad()
                g_loss.backward()
                state["opt_g"].step()
                last = v.item()
                g_loss.item()
        return last

    last, ms = timed(run)
    return {("elbo" if state["model"] == "vae" else "value"): last, "elapsed_ms": ms}


def encode(req):
    with torch.no_grad():
        def run():
            h = state["enc"](tensor(req["X"]))
            return state["mu"](h), state["logvar"](h)
        (mu, logvar), ms = timed(run)
        return {"mu": mu.double().numpy(), "logvar": logvar.double().numpy(), "elapsed_ms": ms}


def decode(req):
    with torch.no_grad():
        logits, ms = timed(state["dec"], tensor(req["Z"]))
        return {"logits": logits.double().numpy(), "elapsed_ms": ms}


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


serve({"hello": hello, "init": init, "train_steps": train_steps, "encode": encode, "decode": decode, "elbo": elbo,
       "generate": generate, "discriminate": discriminate, "value": value})
