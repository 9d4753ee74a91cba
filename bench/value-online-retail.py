#!/usr/bin/python3
"""scikit-learn side of bench/value-online-retail.ts: reads the train/test feature matrices custlab
preprocessed (the same numbers custlab's regressors saw) and prints the test RMSE (and the other
metrics) of HistGradientBoostingRegressor (squared_error and poisson, scikit-learn defaults) and
RandomForestRegressor(100 trees, min_samples_leaf=5)."""
import json, sys, time
import numpy as np
from scipy.stats import spearmanr
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

# CSV written by the TS side: split (0 = train, 1 = test), y, then the feature columns (full precision)
d = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
tr, te = d[:, 0] == 0, d[:, 0] == 1
Xtr, ytr, Xte, yte = d[tr, 2:], d[tr, 1], d[te, 2:], d[te, 1]
out = {}
for name, make in [("sklearn-hgb", lambda: HistGradientBoostingRegressor(random_state=0)),
                   ("sklearn-hgb-poisson", lambda: HistGradientBoostingRegressor(loss="poisson", random_state=0)),
                   ("sklearn-forest", lambda: RandomForestRegressor(n_estimators=100, min_samples_leaf=5, random_state=0, n_jobs=1))]:
    t = time.time()
    p = make().fit(Xtr, ytr).predict(Xte)
    out[name] = {"mae": mean_absolute_error(yte, p), "rmse": float(np.sqrt(mean_squared_error(yte, p))), "r2": r2_score(yte, p),
                 "spearman": float(spearmanr(yte, p).correlation), "fit_seconds": time.time() - t}
print(json.dumps(out))
