"""The Gaussian process of `bayes`: hpedu's own (numpy/scipy) against scikit-learn's public API.

Both fit the same model the same way: kernel scale * Matern(2.5, one
length-scale per feature) + noise on standardised targets, hyperparameters by
L-BFGS-B on hpedu's negative log marginal likelihood plus log-prior from the
default start. (A) `GaussianProcessRegressor(normalize_y=False)` on targets
standardised by the caller, with that optimizer as its public `optimizer`
hook, and the posterior read from its public fitted attributes (`kernel_`,
`L_`, `alpha_`); (B) `hpedu.tuning.gp.fit_gp`. Prints, for 10, 30 and 60
observed points in 2-D and 6-D, the median time of one fit and of one
posterior built and evaluated at the 2,432 candidates a proposal scores,
whether both found the same hyperparameters, and the start-up cost of the
Bayesian path (`import hpedu.tuning.bayes` then one fit) in a fresh process,
with and without importing scikit-learn's regressor. Run by hand:

    python benchmarks/gp_fit.py [--repeats 7]
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402

from hpedu.tuning.acquisition import Posterior, TailWarp, neg_log_marginal_likelihood  # noqa: E402
from hpedu.tuning.gp import GPFit, fit_gp, log_prior  # noqa: E402
from hpedu.tuning.objectives import get_objective  # noqa: E402

N_CANDIDATES = 2048 + 6 * 64


def fit_sklearn_public(X: np.ndarray, y: np.ndarray) -> GPFit:
    """The same fit through scikit-learn's public API only."""
    from scipy.optimize import minimize
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

    mean, std = float(np.mean(y)), float(np.std(y)) or 1.0
    ys = (y - mean) / std
    D = X.shape[1]

    def optimizer(obj_func, initial_theta, bounds):
        def f(theta):
            nll, grad = neg_log_marginal_likelihood(theta, X, ys, 0.0, 1e-10)
            lp, g = log_prior(theta, False)
            return nll - lp, grad - g

        res = minimize(f, initial_theta, jac=True, method="L-BFGS-B", bounds=bounds, options={"maxiter": 200})
        return res.x, res.fun

    kernel = ConstantKernel(1.0, (1e-3, 1e3)) * Matern(np.full(D, 0.5), (1e-2, 1e2), nu=2.5) + WhiteKernel(1e-4, (1e-6, 1.0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gpr = GaussianProcessRegressor(kernel, normalize_y=False, optimizer=optimizer).fit(X, ys)
    k = gpr.kernel_
    return GPFit(X=X, y=ys, y_mean=mean, y_std=std, theta=k.theta, scale=k.k1.k1.constant_value,
                 length_scale=np.asarray(k.k1.k2.length_scale, dtype=float), noise=k.k2.noise_level,
                 L=gpr.L_, alpha=gpr.alpha_)


def _data(name: str, n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    obj = get_objective(name)
    U = np.random.default_rng(seed).random((n, len(obj.space)))
    y = np.array([obj.loss(obj(obj.space.from_unit(u))) for u in U])
    return U, TailWarp(y)(y)


def _median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _startup(with_sklearn: bool, repeats: int) -> float:
    """Seconds to import the Bayesian path and fit once in a fresh process
    (with scikit-learn's regressor imported too, as the path did before gp.py)."""
    extra = "import sklearn.gaussian_process; " if with_sklearn else ""
    code = ("import time; t0 = time.perf_counter(); import numpy as np; import hpedu.tuning.bayes; "
            f"{extra}from hpedu.tuning.gp import fit_gp; rng = np.random.default_rng(0); "
            "fit_gp(rng.random((10, 2)), rng.random(10)); print(time.perf_counter() - t0)")
    out = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True).stdout) for _ in range(repeats)]
    return statistics.median(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args(argv)
    if args.repeats < 1:
        ap.error(f"--repeats must be at least 1, got {args.repeats}")
    print("| function | n | fit: scikit-learn API ms | fit: hpedu ms | posterior + 2,432 predictions ms | same theta |")
    print("|---|---|---|---|---|---|")
    for name in ("branin", "hartmann6"):
        for n in (10, 30, 60):
            X, y = _data(name, n)
            t_sk = _median_time(lambda: fit_sklearn_public(X, y), args.repeats)
            t_np = _median_time(lambda: fit_gp(X, y), args.repeats)
            a, b = fit_sklearn_public(X, y), fit_gp(X, y)
            same = np.allclose(a.theta, b.theta, rtol=0, atol=1e-6)
            F = np.random.default_rng(1).random((N_CANDIDATES, X.shape[1]))
            t_post = _median_time(lambda: Posterior(b, TailWarp(y)).predict(F), args.repeats)
            print(f"| {name} | {n} | {t_sk * 1e3:.1f} | {t_np * 1e3:.1f} | {t_post * 1e3:.1f} | {same} |", flush=True)
    print(f"\nstart-up, fresh process, `import hpedu.tuning.bayes` + one 10-point fit (median of {args.repeats}):")
    print(f"  with scikit-learn's regressor: {_startup(True, args.repeats) * 1e3:.0f} ms")
    print(f"  hpedu's own GP:                {_startup(False, args.repeats) * 1e3:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
