"""gensim side of bench/topics.ts, and the independent scorer for both sides. Run from the repo root:
  /usr/bin/python3 bench/topics.py ../shared/datasets [K] [passes] [custlab_topics.json]
1. Fits the anchor LDA (../shared/anchors/gensim_lda_baseline.py: same preprocessing, LdaModel with
   `passes` passes, random_state 0) and times it.
2. Scores gensim's topics and custlab's (a JSON list of K word lists, from bench/topics.ts) with one scorer:
   gensim's CoherenceModel c_v over plain lowercase word tokens [a-z']+ of every review (no stopword or
   length filter), dictionary built from those tokens, top 10 terms of each topic.
Prints one JSON object."""
import sys, time, re, json, pandas as pd
from gensim import corpora, models
from gensim.models import CoherenceModel
D = sys.argv[1]; K = int(sys.argv[2]) if len(sys.argv) > 2 else 10; P = int(sys.argv[3]) if len(sys.argv) > 3 else 5
ours = json.load(open(sys.argv[4])) if len(sys.argv) > 4 else None
c = pd.read_csv(f"{D}/womens-clothing-reviews/Womens Clothing E-Commerce Reviews.csv").dropna(subset=["Review Text"])
stop = set("a an the and or but if to of in on for with at by from is are was were be been it this that i my me we you she he they them its it's so as not no very just too also have has had do did does would could will can really am im i'm dress top fit size".split())
docs = [[w for w in re.findall(r"[a-z']+", t.lower()) if w not in stop and len(w) > 2] for t in c["Review Text"]]
d = corpora.Dictionary(docs); d.filter_extremes(no_below=5, no_above=0.5); bow = [d.doc2bow(x) for x in docs]
s = time.perf_counter(); c0 = time.process_time(); lda = models.LdaModel(bow, num_topics=K, id2word=d, passes=P, random_state=0); dt = time.perf_counter() - s; dcpu = time.process_time() - c0
# the scorer: plain [a-z']+ tokens, top 10 terms
plain = [re.findall(r"[a-z']+", t.lower()) for t in c["Review Text"]]
pd_ = corpora.Dictionary(plain)
def cv(topics):
    topics = [[w for w in t if w in pd_.token2id][:10] for t in topics]
    cm = CoherenceModel(topics=topics, texts=plain, dictionary=pd_, coherence="c_v", topn=10)
    return cm.get_coherence(), cm.get_coherence_per_topic()
gensim_topics = [[w for w, _ in lda.show_topic(t, topn=10)] for t in range(K)]
s2 = time.perf_counter()
g_cv, g_per = cv(gensim_topics)
out = {"gensim_lda_k": K, "passes": P, "fit_s": round(dt, 2), "fit_cpu_s": round(dcpu, 2), "docs": len(docs), "vocab": len(d),
       "scorer": "gensim CoherenceModel c_v, texts = [a-z']+ tokens of every review, top 10 terms",
       "gensim_c_v": round(g_cv, 4), "gensim_topics": gensim_topics}
if ours is not None:
    o_cv, o_per = cv(ours)
    out.update({"custlab_c_v": round(o_cv, 4), "custlab_per_topic": [round(v, 4) for v in o_per]})
out["coherence_s"] = round(time.perf_counter() - s2, 2)
print(json.dumps(out))
