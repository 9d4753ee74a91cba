"""Experiments behind bench/churn-ideas.ts (issue #18: Online Retail churn AUC out of time).

usage: /usr/bin/python3 bench/churn-ideas.py tx.csv baseline,stacked,extra,product,hazard,intime,blend,support
tx.csv: the cleaned lines custlab churn reads. Features follow customerFeatures (rows before the cutoff
only; country as a UK flag); labels: no purchase in (cutoff, cutoff + H]. Training cutoffs as custlab
churn: the latest at 2011-09-09 - 90 d, then every 30 d back (4). Each line prints idea -> AUC at 2011-09-09
with HistGradientBoostingClassifier defaults ("default", = custlab --model gbdt) and a slow, shallow
configuration ("slow": lr 0.03, 8 leaves, 300 iterations).
"""
import sys, warnings
import numpy as np, pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import cross_val_predict, StratifiedKFold
from sklearn.metrics import roc_auc_score
from scipy.stats import rankdata
warnings.filterwarnings("ignore")
DAY = 86400e9
tx = pd.read_csv(sys.argv[1], dtype={"customer_id": str, "order_id": str, "product_id": str}, keep_default_na=False, na_values=[])
ONLY = sys.argv[2].split(",")
tx["ts"] = pd.to_datetime(tx.timestamp).astype("int64")
tx = tx[tx.customer_id != ""]
tx["purchase"] = (tx.quantity > 0) & (tx.unit_price > 0) & (~tx.order_id.str.startswith("C"))
tx["val"] = tx.quantity * tx.unit_price
buy = tx[tx.purchase]
ret = tx[~tx.purchase & ((tx.quantity < 0) | tx.order_id.str.startswith("C"))]
orders = buy.groupby(["customer_id", "order_id"]).agg(ts=("ts", "min"), value=("val", "sum"), units=("quantity", "sum"), lines=("val", "size")).reset_index().sort_values(["customer_id", "ts"]).reset_index(drop=True)
country = buy.groupby("customer_id").country.first()
def D(s): return pd.Timestamp(s).value
C, H = D("2011-09-09"), 90
SLOW = dict(learning_rate=0.03, max_leaf_nodes=8, max_iter=300)

def basic(c, upto=None):
    """customerFeatures at c from orders before `upto` (default c)."""
    upto = c if upto is None else upto
    o = orders[orders.ts < upto].copy(); o["age"] = (c - o.ts) / DAY
    g = o.groupby("customer_id")
    f = pd.DataFrame({"recency_days": g.age.min(), "tenure_days": g.age.max(), "frequency": g.size(), "monetary": g.value.sum()})
    f["avg_order_value"] = f.monetary / f.frequency
    o["gap"] = g.ts.diff() / DAY
    f["ipt_mean_days"] = o.groupby("customer_id").gap.mean()
    f["ipt_std_days"] = o.groupby("customer_id").gap.std(ddof=1); f.loc[f.frequency < 3, "ipt_std_days"] = np.nan
    for w in (30, 90, 180, 365):
        s = o[o.age <= w].groupby("customer_id")
        f[f"orders_{w}d"] = s.size().reindex(f.index).fillna(0); f[f"spend_{w}d"] = s.value.sum().reindex(f.index).fillna(0)
    f["basket_units"] = g.units.mean(); f["basket_lines"] = g.lines.mean()
    b = buy[buy.ts < upto]
    f["distinct_products"] = b.groupby("customer_id").product_id.nunique().reindex(f.index).fillna(0)
    r = ret[ret.ts < upto].assign(a=lambda d: d.quantity.abs()).groupby("customer_id").a.sum().reindex(f.index).fillna(0)
    bu = b.groupby("customer_id").quantity.sum().reindex(f.index).fillna(0)
    f["return_rate"] = r / (r + bu)
    dt = pd.to_datetime(o.ts)
    o["we"] = dt.dt.dayofweek.isin([5, 6]).values; o["q4"] = (dt.dt.month >= 10).values
    f["weekend_share"] = o.groupby("customer_id").we.mean(); f["q4_share"] = o.groupby("customer_id").q4.mean()
    f["country_uk"] = (country.reindex(f.index) == "United Kingdom").astype(float)
    return f

def label(f, c, h=H):
    o = orders[(orders.ts > c) & (orders.ts <= c + h * DAY)]
    return (~f.index.isin(o.customer_id.unique())).astype(int)

def extra(c, f):
    """(c) decayed counts/spend, overdue ratios, gaps, active months, acquisition month."""
    o = orders[orders.ts < c].copy(); o["age"] = (c - o.ts) / DAY
    e = pd.DataFrame(index=f.index)
    e["active_months"] = o.assign(m=pd.to_datetime(o.ts).dt.to_period("M").values).groupby("customer_id").m.nunique()
    for hl in (14, 30, 60, 120):
        e[f"decay_orders_{hl}"] = o.assign(w=np.exp(-np.log(2) * o.age / hl)).groupby("customer_id").w.sum()
        e[f"decay_spend_{hl}"] = o.assign(w=o.value * np.exp(-np.log(2) * o.age / hl)).groupby("customer_id").w.sum()
    o["gap"] = o.groupby("customer_id").ts.diff() / DAY
    e["overdue"] = f.recency_days / f.ipt_mean_days
    e["last_gap_ratio"] = o.groupby("customer_id").gap.last() / f.ipt_mean_days
    e["gap_median"] = o.groupby("customer_id").gap.median()
    e["overdue_med"] = f.recency_days / e.gap_median
    e["span_days"] = f.tenure_days - f.recency_days
    e["max_order_value"] = o.groupby("customer_id").value.max()
    e["orders_14d"] = o[o.age <= 14].groupby("customer_id").size()
    e["active_weeks_90"] = o[o.age <= 90].assign(w=(o.age // 7)).groupby("customer_id").w.nunique()
    e["first_month"] = pd.to_datetime(o.groupby("customer_id").ts.min()).dt.month
    zero = ["active_months", "orders_14d", "active_weeks_90"] + [x for x in e.columns if x.startswith("decay")]
    return e.reindex(f.index).fillna({k: 0 for k in zero})

def build(c): f = basic(c); return f.join(extra(c, f))
CUTS = [C - H * DAY - j * 30 * DAY for j in range(4)]
tr = pd.concat([build(c).assign(y=lambda f, c=c: label(f, c), cut=c) for c in CUTS])
te = build(C); te["y"] = label(te, C); te["cut"] = C
B = list(basic(C).columns)
E = [c for c in te.columns if c not in B + ["y", "cut"]]
def fitauc(X, trn=tr, **kw):
    m = HistGradientBoostingClassifier(random_state=42, **kw).fit(trn[X], trn.y)
    return m.predict_proba(te[X])[:, 1]
def show(name, X, trn=tr):
    print(f"{name:60s} default {roc_auc_score(te.y, fitauc(X, trn)):.4f}  slow {roc_auc_score(te.y, fitauc(X, trn, **SLOW)):.4f}", flush=True)

if "baseline" in ONLY: show("baseline: customerFeatures, 4 cutoffs 30 d apart", B)
if "stacked" in ONLY:  # (d)
    for n in (13, 20):
        cuts = [C - H * DAY - j * 7 * DAY for j in range(n)]
        s = pd.concat([basic(c).assign(y=lambda f, c=c: label(f, c)) for c in cuts])
        show(f"(d) {n} weekly 90-day cutoffs stacked", B, s)
if "extra" in ONLY:  # (c)
    for e in E: show(f"(c) + {e}", B + [e])
    show("(c) + all of the above", B + E)
if "product" in ONLY:  # (e)
    t2 = tr.reset_index().rename(columns={"index": "customer_id"})
    t2["fold"] = pd.util.hash_array(t2.customer_id.values.astype(object)) % 5
    def cp(c): return buy[buy.ts < c][["customer_id", "product_id"]].drop_duplicates().assign(cut=c)
    trp = pd.concat([cp(c) for c in CUTS]).merge(t2[["customer_id", "cut", "y", "fold"]], on=["customer_id", "cut"])
    prior, m = t2.y.mean(), 20
    def rates(src): s = src.groupby("product_id").y.agg(["sum", "count"]); return (s["sum"] + m * prior) / (s["count"] + m)
    parts = []
    for k in range(5):
        d = trp[trp.fold == k].copy(); d["r"] = d.product_id.map(rates(trp[trp.fold != k])).fillna(prior); parts.append(d)
    oof = pd.concat(parts).groupby(["customer_id", "cut"]).r.mean().rename("prate_mean")
    tp = cp(C); tp["r"] = tp.product_id.map(rates(trp)).fillna(prior)
    trx = t2.merge(oof, left_on=["customer_id", "cut"], right_index=True, how="left").set_index("customer_id")
    te["prate_mean"] = tp.groupby("customer_id").r.mean().reindex(te.index)
    show("(e) + out-of-fold product churn rate (mean over products)", B + ["prate_mean"], trx)
    show("(e) + product rate + active_months", B + ["prate_mean", "active_months"], trx)
if "hazard" in ONLY:  # (a)
    for W, start in ((7, "2011-01-15"), (14, "2011-01-15"), (30, "2011-01-15"), (30, "2011-03-01")):
        rows, t = [], C - W * DAY
        while t >= D(start):
            f = basic(t); f["y"] = label(f, t, W); rows.append(f); t -= 7 * DAY
        hz = pd.concat(rows)
        steps = [(C + k * W * DAY, min(W, H - k * W) / W) for k in range(int(np.ceil(H / W)))]
        fks = [basic(c, upto=C).reindex(te.index) for c, _ in steps]  # features ahead, assuming no purchase after C
        out = []
        for kw in ({}, SLOW):
            mdl = HistGradientBoostingClassifier(random_state=42, **kw).fit(hz[B], hz.y)
            logS = sum(w * np.log(np.clip(mdl.predict_proba(fk[B])[:, 1], 1e-9, 1)) for fk, (_, w) in zip(fks, steps))
            out.append(roc_auc_score(te.y, logS))
        print(f"{'(a) hazard: ' + str(W) + '-day windows weekly from ' + start + f' ({len(hz)} rows)':60s} default {out[0]:.4f}  slow {out[1]:.4f}", flush=True)
if "intime" in ONLY:
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    p = [cross_val_predict(HistGradientBoostingClassifier(random_state=42, **kw), te[B], te.y, cv=cv, method="predict_proba")[:, 1] for kw in ({}, SLOW)]
    print(f"{'bound: in-time 5-fold CV on the 2011-09-09 customers':60s} default {roc_auc_score(te.y, p[0]):.4f}  slow {roc_auc_score(te.y, p[1]):.4f}", flush=True)
if "blend" in ONLY:
    lr = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), LogisticRegression(C=1, max_iter=2000)).fit(tr[B], tr.y).predict_proba(te[B])[:, 1]
    print(f"{'LR alone':60s} {roc_auc_score(te.y, lr):.4f}")
    print(f"{'rank blend gbdt (default) + LR':60s} {roc_auc_score(te.y, rankdata(fitauc(B)) + rankdata(lr)):.4f}", flush=True)
if "support" in ONLY:
    drop = ["tenure_days", "orders_365d", "spend_365d", "monetary", "frequency", "distinct_products", "q4_share"]
    show("in-support: drop history-length features", [c for c in B if c not in drop])
