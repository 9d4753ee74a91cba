"""gensim side of bench/topics.ts, and the independent scorer for both sides. Run from the repo root:
  /usr/bin/python3 bench/topics.py fit <datasets dir> <K> <passes> <seed>
      Fits the anchor LDA (../shared/anchors/gensim_lda_baseline.py: same preprocessing, LdaModel with
      `passes` passes, random_state = seed), times LdaModel alone (wall and CPU) and prints one JSON object
      with the times and the top 10 words of each topic (ranked by probability, show_topic).
  /usr/bin/python3 bench/topics.py score <datasets dir> <topics.json>
      Scores every topic set in topics.json ({"name": [[word, ...], ...], ...}) with one scorer: gensim's
      CoherenceModel c_v over plain lowercase word tokens [a-z']+ of every review (no stopword or length
      filter), dictionary built from those tokens, top 10 terms of each topic. All sets are scored by one
      CoherenceModel (c_v of a topic depends only on its own words and the texts), then averaged per set.
      Prints one JSON object {"name": c_v, ...}.
The bench never picks topics by this scorer: every fitted set is scored and reported."""
import sys, time, re, json
import numpy as np, pandas as pd
from gensim import corpora, models
from gensim.models import CoherenceModel

mode, D = sys.argv[1], sys.argv[2]
c = pd.read_csv(f"{D}/womens-clothing-reviews/Womens Clothing E-Commerce Reviews.csv").dropna(subset=["Review Text"])

if mode == "fit":
    K, P, seed = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    stop = set("a an the and or but if to of in on for with at by from is are was were be been it this that i my me we you she he they them its it's so as not no very just too also have has had do did does would could will can really am im i'm dress top fit size".split())
    docs = [[w for w in re.findall(r"[a-z']+", t.lower()) if w not in stop and len(w) > 2] for t in c["Review Text"]]
    d = corpora.Dictionary(docs); d.filter_extremes(no_below=5, no_above=0.5); bow = [d.doc2bow(x) for x in docs]
    s = time.perf_counter(); c0 = time.process_time()
    lda = models.LdaModel(bow, num_topics=K, id2word=d, passes=P, random_state=seed)
    dt = time.perf_counter() - s; dcpu = time.process_time() - c0
    print(json.dumps({"seed": seed, "fit_s": round(dt, 3), "fit_cpu_s": round(dcpu, 3), "docs": len(docs), "vocab": len(d),
                      "topics": [[w for w, _ in lda.show_topic(t, topn=10)] for t in range(K)]}))
elif mode == "score":
    sets = json.load(open(sys.argv[3]))
    plain = [re.findall(r"[a-z']+", t.lower()) for t in c["Review Text"]]
    pd_ = corpora.Dictionary(plain)
    allt, idx = [], {}
    for name, topics in sets.items():
        topics = [[w for w in t if w in pd_.token2id][:10] for t in topics]
        idx[name] = (len(allt), len(allt) + len(topics)); allt += topics
    cm = CoherenceModel(topics=allt, texts=plain, dictionary=pd_, coherence="c_v", topn=10)
    per = cm.get_coherence_per_topic()
    print(json.dumps({name: round(float(np.mean(per[a:b])), 4) for name, (a, b) in idx.items()}))
else:
    sys.exit(f"bench/topics.py: unknown mode {mode!r} (fit or score)")
