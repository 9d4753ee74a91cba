"""scikit-learn side of bench/telco-models.ts.

Usage: /usr/bin/python3 bench/telco-models.py <dir>
<dir> holds what the TypeScript side wrote:
  fold.csv             fold id per Telco row (custlab's stratifiedKFold, seed 42)
  X<f>_train.csv, X<f>_test.csv, y<f>_train.csv, y<f>_test.csv
                       custlab's Preprocessor output for fold f (fitted on the training rows only)
  telco.csv path in meta.json
Prints one JSON object: per model, per-fold AUC on (a) custlab's matrices, (b) sklearn's own pipeline.
"""
import json, sys, time
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.impute import SimpleImputer

d = sys.argv[1]
meta = json.load(open(f"{d}/meta.json"))
fold = np.loadtxt(f"{d}/fold.csv", dtype=int)
K = int(fold.max()) + 1
out = {"sklearn_version": __import__("sklearn").__version__, "same_matrix": {}, "own_pipeline": {}}

def models():
    return {
        "logreg": lambda: LogisticRegression(C=1.0, max_iter=5000),
        "gbdt": lambda: HistGradientBoostingClassifier(random_state=0),
        "gbdt_tuned": lambda: HistGradientBoostingClassifier(learning_rate=0.02, max_leaf_nodes=4, min_samples_leaf=50, l2_regularization=1.0, max_iter=600, random_state=0),
        "forest": lambda: RandomForestClassifier(n_estimators=300, min_samples_leaf=5, n_jobs=1, random_state=0),
    }

# (a) the very matrices custlab trained on
for name, mk in models().items():
    aucs, secs = [], 0.0
    for f in range(K):
        Xtr = np.loadtxt(f"{d}/X{f}_train.csv", delimiter=","); ytr = np.loadtxt(f"{d}/y{f}_train.csv")
        Xte = np.loadtxt(f"{d}/X{f}_test.csv", delimiter=","); yte = np.loadtxt(f"{d}/y{f}_test.csv")
        s = time.time(); m = mk().fit(Xtr, ytr); secs += time.time() - s
        aucs.append(roc_auc_score(yte, m.predict_proba(Xte)[:, 1]))
    out["same_matrix"][name] = {"auc_per_fold": aucs, "auc_mean": float(np.mean(aucs)), "auc_std": float(np.std(aucs)), "fit_seconds": secs}

# (b) scikit-learn's own preprocessing from the raw CSV on the same folds
df = pd.read_csv(meta["csv"])
df["TotalCharges"] = pd.to_numeric(df["TotalCharges"], errors="coerce")
y = (df["Churn"] == "Yes").astype(int).values
X = df.drop(columns=["customerID", "Churn"])
num = ["tenure", "MonthlyCharges", "TotalCharges", "SeniorCitizen"]
cat = [c for c in X.columns if c not in num]
for name, mk in models().items():
    aucs = []
    for f in range(K):
        tr, te = fold != f, fold == f
        pre = ColumnTransformer([("n", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), num), ("c", OneHotEncoder(handle_unknown="ignore"), cat)])
        p = make_pipeline(pre, mk()).fit(X[tr], y[tr])
        aucs.append(roc_auc_score(y[te], p.predict_proba(X[te])[:, 1]))
    out["own_pipeline"][name] = {"auc_mean": float(np.mean(aucs)), "auc_std": float(np.std(aucs))}
print(json.dumps(out))
