"""Python side of bench/kmeans.ts: scikit-learn KMeans on the matrix the TS bench wrote.
Usage: /usr/bin/python3 bench/kmeans.py <matrix.f64> <rows> <cols> <k> <init_out.f64> [repeat] [seeds]
   or: /usr/bin/python3 bench/kmeans.py --csv <matrix.csv> <k>   (Online Retail RFM matrix)
Prints one JSON object. Runs (1) KMeans(k, n_init=1, random_state=0, algorithm="lloyd", max_iter=100)
exactly as ../shared/anchors/python_baselines.py does, and (2) the same from explicit k-means++
centres (written to init_out so the TS side can start from the very same centres).
   or: /usr/bin/python3 bench/kmeans.py --fit <matrix.f64> <rows> <cols> <k> <init.f64>
       (bench/speed/kmeans.ts: one Lloyd fit from the given centres, max_iter 100; prints fit_s, inertia, iters)"""
import sys, json, time, numpy as np
from sklearn.cluster import KMeans, kmeans_plusplus
if sys.argv[1] == "--fit":
    n, d, k = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    X = np.fromfile(sys.argv[2], dtype="<f8").reshape(n, d); C = np.fromfile(sys.argv[6], dtype="<f8").reshape(k, d)
    t = time.perf_counter(); km = KMeans(k, n_init=1, init=C, algorithm="lloyd", max_iter=100).fit(X); s = time.perf_counter() - t
    print(json.dumps({"fit_s": s, "inertia": float(km.inertia_), "iters": int(km.n_iter_)}))
    sys.exit(0)
if sys.argv[1] == "--csv":
    # RFM matrix written by the TS bench: KMeans(k, n_init=10, random_state=0) as in the anchor script
    from sklearn.metrics import silhouette_score
    X = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1); k = int(sys.argv[3])
    t = time.perf_counter(); km = KMeans(k, n_init=10, random_state=0).fit(X); s = time.perf_counter() - t
    print(json.dumps({"rows": int(X.shape[0]), "inertia": float(km.inertia_), "iters": int(km.n_iter_), "s": s, "silhouette": float(silhouette_score(X, km.labels_))}))
    sys.exit(0)
path, n, d, k, init_out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
repeat = int(sys.argv[6]) if len(sys.argv) > 6 else 1
X = np.fromfile(path, dtype="<f8").reshape(n, d)
out = {}
def best_of(make):
    best = None
    for _ in range(repeat):
        t = time.perf_counter(); km = make().fit(X); s = time.perf_counter() - t
        if best is None or s < best[0]: best = (s, km)
    return {"s": best[0], "iters": int(best[1].n_iter_), "inertia": float(best[1].inertia_)}
out["free"] = best_of(lambda: KMeans(k, n_init=1, random_state=0, algorithm="lloyd", max_iter=100))
# seeds 0..S-1, one run each: which k-means++ start a seed draws changes the iteration count a lot
seeds = int(sys.argv[7]) if len(sys.argv) > 7 else 0
if seeds:
    sweep = []
    for sd in range(seeds):
        t = time.perf_counter(); km = KMeans(k, n_init=1, random_state=sd, algorithm="lloyd", max_iter=100).fit(X)
        sweep.append({"seed": sd, "s": time.perf_counter() - t, "iters": int(km.n_iter_), "inertia": float(km.inertia_)})
    out["seeds"] = sweep
C, _ = kmeans_plusplus(X, k, random_state=1)
C.astype("<f8").tofile(init_out)
out["same_init"] = best_of(lambda: KMeans(k, n_init=1, init=C, algorithm="lloyd", max_iter=100))
# the anchor's own recipe (numpy RNG) for reference
rng = np.random.default_rng(0); B = rng.normal(size=(n, d)).astype(np.float64) + rng.integers(0, 8, size=(n, 1))
t = time.perf_counter(); km = KMeans(k, n_init=1, random_state=0, algorithm="lloyd", max_iter=100).fit(B)
out["anchor_recipe"] = {"s": time.perf_counter() - t, "iters": int(km.n_iter_), "inertia": float(km.inertia_)}
print(json.dumps(out))
