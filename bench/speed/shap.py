"""Peer side of bench/speed/shap.ts: XGBoost's TreeSHAP (Booster.predict(pred_contribs=True)).

Usage:
  /usr/bin/python3 bench/speed/shap.py train <prefix> <n_train> <p> <depthwise|lossguide> <trees> <model.json>
  /usr/bin/python3 bench/speed/shap.py contribs <prefix> <n_train> <rows> <p> <model.json> <threads> [<out.f64>]
<prefix>.X.f64 holds row-major float64 values that are exact float32 numbers (training rows, then the rows
to explain); <prefix>.y.f64 the labels. `train` fits 100 trees (learning rate 0.1, hist; depthwise: max_depth 6,
XGBoost's default; lossguide: 31 leaves, no depth limit, like custlab's gbdt) and saves the JSON model.
`contribs` times pred_contribs on the rows to explain with `threads` threads (data already in a DMatrix) and
prints one JSON line: seconds and mean |contribution| over the feature columns; with <out.f64> it also writes
the n × (p + 1) contributions (last column: XGBoost's bias).
"""
import json, sys, time
import numpy as np
import xgboost as xgb

mode = sys.argv[1]
if mode == "train":
    prefix, ntr, p, kind, trees, out = sys.argv[2:8]
    ntr, p, trees = int(ntr), int(p), int(trees)
    X = np.fromfile(prefix + ".X.f64", dtype=np.float64)[: ntr * p].reshape(ntr, p).astype(np.float32)
    y = np.fromfile(prefix + ".y.f64", dtype=np.float64)[:ntr]
    params = {"objective": "binary:logistic", "tree_method": "hist", "eta": 0.1, "max_bin": 256, "nthread": 2, "seed": 0}
    if kind == "depthwise":
        params.update({"max_depth": 6})
    else:
        params.update({"grow_policy": "lossguide", "max_leaves": 31, "max_depth": 0})
    s = time.perf_counter()
    b = xgb.train(params, xgb.DMatrix(X, label=y), trees)
    fit_s = time.perf_counter() - s
    b.save_model(out)
    print(json.dumps({"fit_s": fit_s}))
elif mode == "contribs":
    prefix, ntr, rows, p, model, threads = sys.argv[2:8]
    ntr, rows, p, threads = int(ntr), int(rows), int(p), int(threads)
    X = np.fromfile(prefix + ".X.f64", dtype=np.float64)[ntr * p : (ntr + rows) * p].reshape(rows, p).astype(np.float32)
    b = xgb.Booster(model_file=model)
    b.set_param({"nthread": threads})
    dm = xgb.DMatrix(X, nthread=threads)
    s = time.perf_counter()
    c = b.predict(dm, pred_contribs=True)
    secs = time.perf_counter() - s
    if len(sys.argv) > 8:
        c.astype(np.float64).tofile(sys.argv[8])
    print(json.dumps({"fit_s": secs, "metric": float(np.abs(c[:, :p]).mean())}))
else:
    raise SystemExit(f"unknown mode {mode}")
