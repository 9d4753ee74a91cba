"""scikit-learn side of bench/churn-online-retail.ts: same feature table, same preprocessing.

usage: /usr/bin/python3 bench/churn-online-retail.py features.csv
The CSV has customer_id, the numeric features, country, channel, churn and split (train|test).
Preprocessing mirrors custlab's Preprocessor: numeric → median impute + StandardScaler,
text → one-hot with "(missing)" for blanks, unknown categories ignored.
"""
import sys, time
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import make_pipeline
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler, OneHotEncoder
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score, average_precision_score

df = pd.read_csv(sys.argv[1], keep_default_na=False, na_values=[""], dtype={"customer_id": str, "country": str, "channel": str})
for c in ("country", "channel"):
    df[c] = df[c].fillna("(missing)")
num = [c for c in df.columns if c not in ("customer_id", "country", "channel", "churn", "split")]
cat = [c for c in ("country", "channel") if df.loc[df.split == "train", c].nunique() > 1]
tr, te = df[df.split == "train"], df[df.split == "test"]
pre = ColumnTransformer([("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), num),
                         ("cat", OneHotEncoder(handle_unknown="ignore"), cat)])
for name, model in (("LogisticRegression", LogisticRegression(C=1.0, max_iter=2000)),
                    ("HistGradientBoosting", HistGradientBoostingClassifier(random_state=42))):
    t = time.time()
    pipe = make_pipeline(pre, model).fit(tr[num + cat], tr.churn)
    p = pipe.predict_proba(te[num + cat])[:, 1]
    d = te.churn.values
    k = max(1, round(0.1 * len(d)))
    order = p.argsort()[::-1][:k]
    lift = d[order].mean() / d.mean()
    print(f"sklearn {name:22s} AUC {roc_auc_score(d, p):.4f}  PR-AUC {average_precision_score(d, p):.4f}  top-decile lift {lift:.3f}  fit {time.time() - t:.2f} s")
