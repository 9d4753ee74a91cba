"""Peer side of bench/speed/gbdt.ts: one fit of scikit-learn HistGradientBoostingClassifier or XGBoost hist.

Usage:
  /usr/bin/python3 bench/speed/gbdt.py synth <prefix> <n_train> <n_test> <p> <hgb|xgb> <threads> <iters> <leaves>
  /usr/bin/python3 bench/speed/gbdt.py telco <dir> <hgb|xgb> <threads>
The caller sets OMP_NUM_THREADS (scikit-learn's OpenMP); XGBoost gets n_jobs=threads.
synth reads <prefix>.X.f64 (row-major float64, train rows then test rows) and <prefix>.y.f64;
telco reads custlab's per-fold matrices X<f>_train.csv … written by the TypeScript side.
Prints one JSON line: fit seconds (fit only, data already in memory) and AUC.
"""
import json, sys, time
import numpy as np
from sklearn.metrics import roc_auc_score


def model(kind, threads, iters, leaves, sklearn_defaults=False):
    if kind == "hgb":
        from sklearn.ensemble import HistGradientBoostingClassifier
        if sklearn_defaults:
            return HistGradientBoostingClassifier(random_state=0)
        return HistGradientBoostingClassifier(max_iter=iters, max_leaf_nodes=leaves, learning_rate=0.1, early_stopping=False, random_state=0)
    import xgboost as xgb
    return xgb.XGBClassifier(tree_method="hist", n_estimators=iters, max_leaves=leaves, max_depth=0, grow_policy="lossguide",
                             learning_rate=0.1, max_bin=256, n_jobs=threads, random_state=0)


mode = sys.argv[1]
if mode == "synth":
    prefix, ntr, nte, p, kind, threads, iters, leaves = sys.argv[2:10]
    ntr, nte, p, threads, iters, leaves = int(ntr), int(nte), int(p), int(threads), int(iters), int(leaves)
    X = np.fromfile(prefix + ".X.f64", dtype=np.float64).reshape(ntr + nte, p)
    y = np.fromfile(prefix + ".y.f64", dtype=np.float64)
    m = model(kind, threads, iters, leaves)
    s = time.perf_counter(); m.fit(X[:ntr], y[:ntr]); fit_s = time.perf_counter() - s
    auc = roc_auc_score(y[ntr:], m.predict_proba(X[ntr:])[:, 1])
    print(json.dumps({"fit_s": fit_s, "auc": float(auc)}))
elif mode == "telco":
    d, kind, threads = sys.argv[2], sys.argv[3], int(sys.argv[4])
    fit_s, aucs = 0.0, []
    for f in range(5):
        Xtr = np.loadtxt(f"{d}/X{f}_train.csv", delimiter=","); ytr = np.loadtxt(f"{d}/y{f}_train.csv")
        Xte = np.loadtxt(f"{d}/X{f}_test.csv", delimiter=","); yte = np.loadtxt(f"{d}/y{f}_test.csv")
        m = model(kind, threads, 100, 31, sklearn_defaults=True)
        s = time.perf_counter(); m.fit(Xtr, ytr); fit_s += time.perf_counter() - s
        aucs.append(roc_auc_score(yte, m.predict_proba(Xte)[:, 1]))
    print(json.dumps({"fit_s": fit_s, "auc": float(np.mean(aucs))}))
else:
    raise SystemExit(f"unknown mode {mode}")
