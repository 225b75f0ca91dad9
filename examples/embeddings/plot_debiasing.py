"""
=====================================================
Analogies and gender bias, before and after debiasing
=====================================================

Word vectors learned from news text answer analogies (*paris* is to *france* as *berlin*
is to ?), and they also learn the stereotypes of that text: occupation words lean
towards *she* or *he*. This example learns word2vec vectors on the embedding
corpus (two epochs over its 7M words), finds the gender direction from definitional pairs
(:func:`sktext.embeddings.bias_direction`), measures how far a few occupations lean
along it (:func:`sktext.embeddings.bias_projection`), and hard-debiases the vectors
(:func:`sktext.embeddings.debias`, Bolukbasi et al., 2016): the neutral words lose their
projection, the definitional pairs keep it (equalized), and three analogies are asked of
both sets of vectors.
"""

import matplotlib.pyplot as plt
import numpy as np

from sktext import Word2VecTransformer
from sktext.datasets import load_embedding_corpus
from sktext.embeddings import bias_direction, bias_projection, debias

texts = load_embedding_corpus()  # 22,609 documents, about 7M words
wv = Word2VecTransformer(vector_size=100, epochs=2, workers=2, random_state=0).fit(texts).wv_
print(f"{len(wv):,} words")

# %%
# The bias direction and the occupations' projections
# ---------------------------------------------------
# The direction is the first principal component of the differences of pairs such as
# she/he, woman/man, her/his. A word's projection is the cosine of its vector with it.
# Learned from 7M words in two epochs, the direction is weak: *she* and *he* project
# almost alike, and the words' common component dominates the cosines (the vectors of
# Bolukbasi et al. came from 100 billion words). Debiasing still does what it promises:
# each definitional pair ends symmetric about 0 and every other word at 0.
direction = bias_direction(wv)  # oriented so that she, woman, ... project higher
definitional = ["she", "he", "woman", "man", "mother", "father"]
occupations = [
    "nurse",
    "secretary",
    "teacher",
    "doctor",
    "lawyer",
    "engineer",
    "programmer",
    "scientist",
    "manager",
    "soldier",
    "pilot",
    "president",
]
occupations = [w for w in occupations if w in wv]
debiased = debias(wv)
before = bias_projection(wv, definitional + occupations, direction)
after = bias_projection(debiased, definitional + occupations, direction)
for word, b, a in zip(definitional + occupations, before, after, strict=True):
    print(f"{word:>11}: {b:+.3f} -> {a:+.3f}")

# %%
# Analogies before and after
# --------------------------
# ``a : b :: c : ?`` is answered by the word nearest to ``b - a + c``.
analogies = [("france", "paris", "germany"), ("man", "king", "woman"), ("good", "better", "bad")]
for a, b, c in analogies:
    answers = []
    for vectors in (wv, debiased):
        if all(w in vectors for w in (a, b, c)):
            best = vectors.most_similar(positive=[b, c], negative=[a], topn=1)[0][0]
            answers.append(best)
    print(f"{a} : {b} :: {c} : " + " -> ".join(answers))

# %%
# The projections, before and after
# ---------------------------------
words = definitional + occupations
y = np.arange(len(words))
fig, ax = plt.subplots(figsize=(7, 6), layout="constrained")
ax.barh(y + 0.2, before, height=0.4, label="learned vectors", color="tab:purple")
ax.barh(y - 0.2, after, height=0.4, label="after hard debiasing", color="tab:gray")
ax.axhline(len(definitional) - 0.5, color="0.3", lw=0.8, ls="--")
ax.axvline(0, color="0.3", lw=0.8)
ax.set_yticks(y, words)
ax.invert_yaxis()
ax.plot(after[len(definitional) :], y[len(definitional) :] - 0.2, "|", color="tab:gray", ms=8)
ax.set_xlabel("cosine with the gender direction")
ax.set_title("After debiasing: pairs symmetric about 0, occupations at 0")
ax.legend(loc="lower right", fontsize=9)
