"""
========================================
Text beside other columns: one DataFrame
========================================

Every sktext text model takes a pandas DataFrame: ``text_columns`` names the column(s)
holding the text; the other columns (numbers, categories, dates) are encoded by
``tabular="auto"`` and fused with the text inside the network, trained end to end.

This example predicts who wrote a tweet of the 2016 US election campaign (Hillary
Clinton's or Donald Trump's account) from its text and from the columns beside it: the
hour, whether it is a retweet, the posting app and the retweet and favourite counts.
It compares the text alone, the columns alone, scikit-learn's usual way of combining
them (TF-IDF and one-hot columns into a logistic regression) and a TextCNN on the text
alone and fused with the columns. The full comparison, the transformer included, is in
:doc:`/tabular`.
"""

import time

import matplotlib.pyplot as plt
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from sktext import TextCNNClassifier
from sktext.datasets import load_election_tweets

columns = ["text", "hour", "is_retweet", "source", "retweet_count", "favorite_count"]


def load(subset):
    X, y = load_election_tweets(subset=subset, target="author", as_frame=True, return_X_y=True)
    X = X.assign(hour=X["time"].dt.hour)[columns]
    return X, y.astype(str).to_numpy()


X_train, y_train = load("train")
X_test, y_test = load("test")
print(X_train.head(3))

# %%
# scikit-learn's recipes
# ----------------------
# The text alone (TF-IDF), the other columns alone (gradient boosting), and both in one
# ``ColumnTransformer`` into a logistic regression.
numbers = make_column_selector(dtype_include=["number", "bool"])
categories = make_column_selector(dtype_include=["object", "category"], pattern="^(?!text$)")
models = {
    "TF-IDF + LR\n(text)": make_pipeline(
        ColumnTransformer([("tfidf", TfidfVectorizer(sublinear_tf=True), "text")]),
        LogisticRegression(C=10, max_iter=1000),
    ),
    "boosting\n(columns)": make_pipeline(
        ColumnTransformer(
            [
                ("numbers", "passthrough", numbers),
                (
                    "app",
                    OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1),
                    categories,
                ),
            ]
        ),
        HistGradientBoostingClassifier(random_state=0),
    ),
    "ColumnTransformer\n-> LR (both)": make_pipeline(
        ColumnTransformer(
            [
                ("tfidf", TfidfVectorizer(sublinear_tf=True), "text"),
                ("numbers", StandardScaler(), numbers),
                ("app", OneHotEncoder(handle_unknown="ignore"), categories),
            ]
        ),
        LogisticRegression(C=10, max_iter=1000),
    ),
}

# %%
# sktext: one network over the DataFrame
# --------------------------------------
# ``tabular="drop"`` reads the text column only; by default the other columns are
# encoded and fused with the pooled text vector before the output layer.
models["TextCNN\n(text)"] = TextCNNClassifier(text_columns="text", tabular="drop", random_state=0)
models["TextCNN fused\n(both)"] = TextCNNClassifier(text_columns="text", random_state=0)

scores, times = {}, {}
for name, model in models.items():
    start = time.perf_counter()
    model.fit(X_train, y_train)
    times[name] = time.perf_counter() - start
    scores[name] = model.score(X_test, y_test)
    print(f"{name.replace(chr(10), ' '):35} accuracy {scores[name]:.3f}  fit {times[name]:.0f} s")

# %%
# The fused model predicts from a DataFrame with the same columns (in any order); its
# ``transform`` gives the fused vector of each row.
fused = models["TextCNN fused\n(both)"]
print(fused.predict(X_test[columns[::-1]].head(3)), fused.transform(X_test.head(3)).shape)

# %%
# Accuracy on the test tweets
# ---------------------------
fig, ax = plt.subplots(figsize=(8, 3.5))
names = list(scores)
colors = ["#bbbbbb"] * 3 + ["#7aa6c2", "#1f5f8b"]
bars = ax.bar(range(len(names)), [scores[n] for n in names], color=colors)
ax.bar_label(bars, fmt="%.3f")
ax.set_xticks(range(len(names)), names)
ax.set_ylim(min(scores.values()) - 0.03, 1.0)
ax.set_ylabel("test accuracy")
ax.set_title("Who wrote the tweet: text, columns, or both")
fig.tight_layout()
plt.show()
