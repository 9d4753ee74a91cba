"""scikit-learn side of bench/sentiment.ts: the anchor TF-IDF + LR pipelines under stratified 5-fold CV
(seed 42), so custlab's CV figures compare like with like. Run from the repo root:
  /usr/bin/python3 bench/sentiment.py ../shared/datasets [clothing|chinese|all]
Prints one JSON object per dataset: auc/accuracy/f1-macro means, mean fit CPU seconds per fold and the wall time of the whole CV."""
import sys, time, json, numpy as np, pandas as pd
from sklearn.model_selection import StratifiedKFold
from sklearn.linear_model import LogisticRegression
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import roc_auc_score, accuracy_score, f1_score
D = sys.argv[1]; which = sys.argv[2] if len(sys.argv) > 2 else "all"

def cv(name, texts, y, make_vec):
    aucs, accs, f1s, secs = [], [], [], []
    w0 = time.perf_counter()
    for tr, te in StratifiedKFold(5, shuffle=True, random_state=42).split(texts, y):
        s = time.process_time(); v = make_vec(); A = v.fit_transform(texts[tr]); m = LogisticRegression(max_iter=2000, C=4).fit(A, y[tr]); secs.append(time.process_time() - s)
        p = m.predict_proba(v.transform(texts[te]))[:, 1]
        aucs.append(roc_auc_score(y[te], p)); accs.append(accuracy_score(y[te], p > 0.5)); f1s.append(f1_score(y[te], p > 0.5, average="macro"))
    print(json.dumps({"dataset": name, "rows": len(y), "auc_mean": round(float(np.mean(aucs)), 4), "auc_folds": [round(a, 4) for a in aucs],
                      "accuracy_mean": round(float(np.mean(accs)), 4), "f1_macro_mean": round(float(np.mean(f1s)), 4), "fit_cpu_s_mean": round(float(np.mean(secs)), 2),
                      "cv_wall_s": round(time.perf_counter() - w0, 2)}), flush=True)

if which in ("clothing", "all"):
    c = pd.read_csv(f"{D}/womens-clothing-reviews/Womens Clothing E-Commerce Reviews.csv").dropna(subset=["Review Text"])
    cv("clothing", (c["Title"].fillna("") + " " + c["Review Text"]).values, (c["Rating"] >= 4).astype(int).values,
       lambda: TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True))
if which in ("chinese", "all"):
    z = pd.read_csv(f"{D}/chinese-reviews/online_shopping_10_cats.csv").dropna(subset=["review"])
    cv("chinese", z["review"].values, z["label"].values, lambda: TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), min_df=2, sublinear_tf=True))
