"""gensim side of bench/topics.ts: the anchor LDA (../shared/anchors/gensim_lda_baseline.py, same
preprocessing, same CoherenceModel calls) plus the top-20 words of each topic, so custlab's c_v / u_mass
code can be checked on gensim's own topics. Run from the repo root:
  /usr/bin/python3 bench/topics.py ../shared/datasets [K] [passes]
Prints one JSON object."""
import sys, time, re, json, pandas as pd
from gensim import corpora, models
from gensim.models import CoherenceModel
D = sys.argv[1]; K = int(sys.argv[2]) if len(sys.argv) > 2 else 10; P = int(sys.argv[3]) if len(sys.argv) > 3 else 5
c = pd.read_csv(f"{D}/womens-clothing-reviews/Womens Clothing E-Commerce Reviews.csv").dropna(subset=["Review Text"])
stop = set("a an the and or but if to of in on for with at by from is are was were be been it this that i my me we you she he they them its it's so as not no very just too also have has had do did does would could will can really am im i'm dress top fit size".split())
docs = [[w for w in re.findall(r"[a-z']+", t.lower()) if w not in stop and len(w) > 2] for t in c["Review Text"]]
d = corpora.Dictionary(docs); d.filter_extremes(no_below=5, no_above=0.5); bow = [d.doc2bow(x) for x in docs]
s = time.perf_counter(); c0 = time.process_time(); lda = models.LdaModel(bow, num_topics=K, id2word=d, passes=P, random_state=0); dt = time.perf_counter() - s; dcpu = time.process_time() - c0
s2 = time.perf_counter()
cv = CoherenceModel(model=lda, texts=docs, dictionary=d, coherence="c_v").get_coherence()
um = CoherenceModel(model=lda, corpus=bow, dictionary=d, coherence="u_mass").get_coherence()
npmi = CoherenceModel(model=lda, texts=docs, dictionary=d, coherence="c_npmi").get_coherence()
ct = time.perf_counter() - s2
topics = [[w for w, _ in lda.show_topic(t, topn=20)] for t in range(K)]
print(json.dumps({"gensim_lda_k": K, "passes": P, "fit_s": round(dt, 2), "fit_cpu_s": round(dcpu, 2), "coherence_s": round(ct, 2), "c_v": round(cv, 4), "u_mass": round(um, 4),
                  "c_npmi": round(npmi, 4), "docs": len(docs), "vocab": len(d), "topics": topics}))
