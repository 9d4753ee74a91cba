"""pandas side of bench/load-clean-rfm.ts: the same steps as ../shared/anchors/python_baselines.py §2
(read_csv + dropna/filter + groupby RFM) on Online Retail. Prints one JSON object with times (s).
Usage: /usr/bin/python3 bench/load_clean_rfm_pandas.py <online_retail.csv> [repeats]"""
import sys, time, json
import pandas as pd

path = sys.argv[1]
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
runs = []
for _ in range(repeats):
    t0 = time.perf_counter(); c0 = time.process_time()
    r = pd.read_csv(path, dtype={"InvoiceNo": str, "StockCode": str})
    t1 = time.perf_counter()
    rows = len(r)
    r = r.dropna(subset=["CustomerID"])
    r = r[~r["InvoiceNo"].str.startswith("C") & (r["Quantity"] > 0) & (r["UnitPrice"] > 0)]
    r["InvoiceDate"] = pd.to_datetime(r["InvoiceDate"])
    r["amount"] = r["Quantity"] * r["UnitPrice"]
    ref = r["InvoiceDate"].max() + pd.Timedelta(days=1)
    rfm = r.groupby("CustomerID").agg(recency=("InvoiceDate", lambda d: (ref - d.max()).days), frequency=("InvoiceNo", "nunique"), monetary=("amount", "sum"))
    t2 = time.perf_counter(); c2 = time.process_time()
    runs.append({"read_s": t1 - t0, "rfm_s": t2 - t1, "total_s": t2 - t0, "cpu_s": c2 - c0})
best = min(runs, key=lambda x: x["total_s"])
print(json.dumps({"pandas": pd.__version__, "rows": rows, "customers": len(rfm), "best": best, "runs": runs,
                  "monetary_sum": float(rfm["monetary"].sum()), "frequency_sum": int(rfm["frequency"].sum())}))
