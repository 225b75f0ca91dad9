"""GloVe word vectors on 7 million words of news and newsgroup posts, in one ``fit``.

Fits :class:`sktext.GloVeTransformer` on the embedding corpus (20 Newsgroups train+test and
3,788 news articles: 22,609 documents, about 7.1M tokens) with the settings of the GloVe
reference's demo (100 dimensions, window 10, words seen at least 5 times, x_max 10, 15
epochs), then prints the nearest neighbours of a few frequent words, two analogies and the
scores on Google's analogy questions and WordSim-353. About two minutes on 2 CPU cores.

Run with::

    python examples/glove_nearest_neighbours.py
"""

import time

from sktext import GloVeTransformer
from sktext.datasets import load_embedding_corpus
from sktext.embeddings import evaluate_embeddings

texts = load_embedding_corpus()
print(f"{len(texts):,} documents")

glove = GloVeTransformer(
    vector_size=100,
    window=10,
    min_count=5,
    x_max=10.0,
    epochs=15,
    token_pattern=r"[a-z0-9]+",  # lowercased letters and digits, as the reference run
    random_state=0,
    verbose=1,  # one line per epoch
)
start = time.perf_counter()
glove.fit(texts)
print(
    f"fitted in {time.perf_counter() - start:.0f} s: {len(glove.wv_):,} words, "
    f"{glove.n_cooccurrences_:,} non-zero co-occurrences"
)

wv = glove.wv_
print("\nnearest neighbours (cosine similarity)")
for word in ["monday", "god", "windows", "car", "president", "january", "hockey", "nasa"]:
    neighbours = ", ".join(f"{n} {s:.2f}" for n, s in wv.most_similar(word, topn=6))
    print(f"  {word:>10}: {neighbours}")

print("\nanalogies (a : b :: c : ?)")
for a, b, c in [("france", "paris", "germany"), ("good", "better", "bad")]:
    answer = wv.most_similar(positive=[b, c], negative=[a], topn=3, restrict_vocab=30_000)
    print(f"  {a} : {b} :: {c} : " + ", ".join(word for word, _ in answer))

scores = evaluate_embeddings(wv, restrict_vocab=30_000)
print(
    f"\nanalogy accuracy (30k most frequent words): {scores['analogy_accuracy']:.3f} "
    f"({scores['analogy_coverage']:.0%} of the questions answerable); "
    f"WordSim-353 Spearman: {scores['wordsim353_spearman']:.3f}"
)
