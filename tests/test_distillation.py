"""DistilledClassifier/DistilledRegressor, soft targets and the text augmenter."""

import pickle

import numpy as np
import pytest
import torch
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from sktext import (
    DistilledClassifier,
    DistilledRegressor,
    MLPClassifier,
    MLPRegressor,
    TextCNNClassifier,
    to_onnx,
    to_sklearn,
)
from sktext.neural_network._tasks import SoftTargets, SoftTargetTask
from sktext.preprocessing import TextAugmenter
from sktext.utils._testing import make_topic_corpus

DOCS, LABELS = make_topic_corpus(80)
LABELS = np.asarray(LABELS)


def _tfidf_mlp(**kw):
    params = {"hidden_layer_sizes": (8,), "max_iter": 60, "random_state": 0, **kw}
    return make_pipeline(TfidfVectorizer(), MLPClassifier(**params))


class RecordingTeacher(ClassifierMixin, BaseEstimator):
    """Constant probabilities; records what it was fitted on and asked about."""

    fits = 0

    def __init__(self, proba=(0.8, 0.2)):
        self.proba = proba

    def fit(self, X, y):
        type(self).fits += 1
        self.classes_ = np.unique(y)
        self.fitted_on_ = list(X)
        return self

    def predict_proba(self, X):
        self.asked_ = [*getattr(self, "asked_", []), list(X)]  # every call
        return np.tile(np.asarray(self.proba, dtype=float), (len(X), 1))

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


# ------------------------------------------------------------------ the soft-target task
def test_soft_target_loss_is_tempered_kl():
    logits = torch.tensor([[2.0, -1.0, 0.5], [0.0, 0.0, 0.0]])
    targets = torch.tensor([[0.6, 0.1, 0.3], [1.0, 0.0, 0.0]])
    T = 3.0
    q = np.exp(logits.numpy() / T)
    q /= q.sum(axis=1, keepdims=True)
    p = targets.numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        kl = np.where(p > 0, p * np.log(p / q), 0.0).sum(axis=1)
    got = SoftTargetTask(T).losses(logits, targets).numpy()
    np.testing.assert_allclose(got, T * T * kl, rtol=1e-5)
    # the softmax at temperature 1 is what predict_proba returns
    np.testing.assert_allclose(
        SoftTargetTask(T).outputs(logits).numpy(), torch.softmax(logits, -1).numpy()
    )


def test_soft_targets_validate_and_pickle():
    with pytest.raises(ValueError, match="probabilities"):
        SoftTargets([[0.7, 0.7]], ["a", "b"])
    with pytest.raises(ValueError, match="one column"):
        SoftTargets([[0.5, 0.25, 0.25]], ["a", "b"])
    with pytest.raises(ValueError, match="sorted"):
        SoftTargets([[0.5, 0.5]], ["b", "a"])
    soft = SoftTargets([[0.5, 0.5], [0.9, 0.1]], ["a", "b"], temperature=2.0)
    again = pickle.loads(pickle.dumps(soft[[1]]))
    assert isinstance(again, SoftTargets) and again.temperature == 2.0
    assert again.classes.tolist() == ["a", "b"]
    np.testing.assert_allclose(np.asarray(again), [[0.9, 0.1]])


def test_student_learns_the_probabilities_not_the_argmax():
    # a teacher that says 80/20 everywhere: trained on labels the student would say ~100/0
    # (softened at T=2 the targets are 67/33: the student must learn the logits, so that
    # its own output, at T=1, is back at 80/20)
    y = np.where(np.arange(len(DOCS)) % 5 == 0, "b", "a")
    teacher = FrozenEstimator(DummyClassifier(strategy="prior").fit(DOCS, y))
    student = _tfidf_mlp(max_iter=100, alpha=0.0, learning_rate_init=0.01)
    model = DistilledClassifier(
        teacher, student, temperature=2.0, augmenter=None, random_state=0
    ).fit(DOCS, y)
    proba = model.predict_proba(DOCS)
    np.testing.assert_allclose(proba.mean(axis=0), [0.8, 0.2], atol=0.03)
    assert model.classes_.tolist() == ["a", "b"]
    assert isinstance(model.student_[-1].net_.task, SoftTargetTask)


def test_soft_targets_through_a_student_with_early_stopping():
    X = np.random.RandomState(0).randn(200, 4)
    P = np.c_[1 / (1 + np.exp(-3 * X[:, 0])), 1 / (1 + np.exp(3 * X[:, 0]))]
    clf = MLPClassifier(
        hidden_layer_sizes=(8,),
        early_stopping=True,
        batch_size=20,
        learning_rate_init=0.02,
        max_iter=100,
        random_state=0,
    )
    clf.fit(X, SoftTargets(P, [0, 1]))
    # the validation score is the agreement with the targets' most probable class
    assert clf.best_validation_score_ > 0.9
    assert np.mean(clf.predict(X) == np.argmax(P, axis=1)) > 0.8
    task = clf.net_.task
    assert task.validation_score(P[:4], np.array([[0.9, 0.1]] * 4)) == np.mean(P[:4, 0] > 0.5)
    with pytest.raises(ValueError, match="class_weight"):
        MLPClassifier(class_weight="balanced").fit(X, SoftTargets(P, [0, 1]))


# ------------------------------------------------------------------ the transfer set
def test_transfer_set_holds_training_unlabelled_and_copies_never_validation():
    RecordingTeacher.fits = 0
    unlabeled = ["an unlabelled text about nothing", "one more"]
    model = DistilledClassifier(
        RecordingTeacher(),
        _tfidf_mlp(max_iter=5),
        augmenter=TextAugmenter(n_copies=3, mask_prob=0.3),
        validation_fraction=0.25,
        random_state=0,
    ).fit(DOCS, LABELS, X_unlabeled=unlabeled)
    teacher = model.teacher_
    fit_on, asked = teacher.fitted_on_, teacher.asked_[0]
    held_out = set(DOCS) - set(fit_on)
    assert len(held_out) == 20  # 25% of 80, held out of the teacher's fit
    labelled = fit_on + unlabeled
    assert asked[: len(labelled)] == labelled
    copies = asked[len(labelled) :]
    assert len(copies) == model.n_augmented_ > len(labelled)
    assert model.n_transfer_ == len(asked)
    assert not held_out & set(asked)  # the held-out texts score the models only
    assert "[MASK]" in " ".join(copies)
    assert 0 <= model.student_score_ <= 1 and 0 <= model.agreement_ <= 1


def test_without_validation_or_augmentation():
    model = DistilledClassifier(
        RecordingTeacher(), _tfidf_mlp(max_iter=5), augmenter=None, validation_fraction=None
    ).fit(DOCS, LABELS)
    assert model.teacher_.asked_ == [list(DOCS)]
    assert model.n_transfer_ == len(DOCS) and model.n_augmented_ == 0
    assert model.teacher_score_ is None and model.agreement_ is None


def test_scores_on_the_held_out_texts():
    # a teacher that always says "sport", scored on a held-out split of known make-up
    y = np.where(np.arange(len(DOCS)) % 4 == 0, "space", "sport")
    model = DistilledClassifier(
        FrozenEstimator(RecordingTeacher(proba=(0.1, 0.9)).fit(DOCS, y)),
        _tfidf_mlp(max_iter=100),
        augmenter=None,
        validation_fraction=0.5,
        random_state=0,
    ).fit(DOCS, y)
    assert model.teacher_score_ == pytest.approx(0.75)  # stratified: 30 of 40 are "sport"
    assert model.student_score_ == pytest.approx(0.75)
    assert model.agreement_ == 1.0


def test_memory_fits_the_teacher_once_per_fold(tmp_path):
    RecordingTeacher.fits = 0
    model = DistilledClassifier(
        RecordingTeacher(), _tfidf_mlp(max_iter=3), memory=str(tmp_path), random_state=0
    )
    search = GridSearchCV(model, {"temperature": [1.0, 2.0, 4.0]}, cv=2)
    search.fit(DOCS, LABELS)
    assert RecordingTeacher.fits == 2 + 1  # two training folds and the refit
    RecordingTeacher.fits = 0
    GridSearchCV(model.set_params(memory=None), {"temperature": [1.0, 2.0, 4.0]}, cv=2).fit(
        DOCS, LABELS
    )
    assert RecordingTeacher.fits == 3 * 2 + 1


def test_memory_keys_a_frozen_teacher_by_its_values(tmp_path, monkeypatch):
    """Equal copies of a fitted torch teacher (two loads of one file) share the cache.

    joblib's own hash of a network differs between equal copies (a tensor pickles its
    storage's address; a loaded tokenizer names its temporary folder), so a frozen
    teacher sent to another process was asked to label the transfer set again.
    """
    import sktext
    from sktext import TransformerClassifier
    from sktext.utils._testing import tiny_transformer_path

    calls = []
    for method in ("predict_proba", "transform"):
        real = getattr(TransformerClassifier, method)

        def counted(self, X, _real=real, _method=method):
            calls.append(_method)
            return _real(self, X)

        monkeypatch.setattr(TransformerClassifier, method, counted)
    teacher = TransformerClassifier(model=tiny_transformer_path(), max_iter=1, random_state=0)
    path = tmp_path / "teacher.sktext"
    sktext.save(teacher.fit(DOCS, LABELS), path)

    def distil(frozen):
        return DistilledClassifier(
            FrozenEstimator(frozen),
            TextCNNClassifier(num_filters=2, max_iter=1, random_state=0),
            word_vectors="teacher",
            augmenter=TextAugmenter(n_copies=1),
            validation_fraction=None,
            memory=str(tmp_path / "cache"),
            random_state=0,
        ).fit(DOCS, LABELS)

    first = distil(teacher)  # as fitted here (its optimizer state keyed by tensors)
    assert calls == ["predict_proba", "transform"]  # labelled, words encoded
    second = distil(pickle.loads(pickle.dumps(teacher)))  # an equal copy: from the cache
    assert calls == ["predict_proba", "transform"]
    np.testing.assert_array_equal(second.predict_proba(DOCS), first.predict_proba(DOCS))
    distil(sktext.load(path))
    calls.clear()
    distil(sktext.load(path))  # loaded again (another temporary tokenizer folder)
    assert calls == []
    changed = sktext.load(path)
    with torch.no_grad():
        next(changed.module_.parameters())[0, 0] += 1.0  # one weight differs
    distil(changed)
    assert calls == ["predict_proba", "transform"]  # another teacher: asked again


def test_random_state_seeds_only_unset_members():
    model = DistilledClassifier(
        TextCNNClassifier(num_filters=2, max_iter=1),
        _tfidf_mlp(max_iter=2, random_state=5),
        augmenter=TextAugmenter(n_copies=1),
        random_state=0,
    ).fit(DOCS, LABELS)
    assert model.student_[-1].random_state == 5  # the user's seed is kept
    assert isinstance(model.teacher_.random_state, int)  # drawn from random_state=0
    assert model.teacher_.random_state == clone_fit_seed(model)


def clone_fit_seed(model):
    """The teacher seed a second fit with the same random_state draws."""
    return clone(model).fit(DOCS, LABELS).teacher_.random_state


# ------------------------------------------------------------------ the teacher's word vectors
class WordVectorTeacher(RecordingTeacher):
    """A teacher whose vector of a text is a fixed function of its characters."""

    def transform(self, X):
        self.embedded_ = [*getattr(self, "embedded_", []), list(X)]
        return np.array([[len(x), sum(map(ord, x)) % 97, x.count("a")] for x in X], float)


def _embedding_weights(model):
    (embedding,) = [m for m in model.module_.modules() if isinstance(m, torch.nn.Embedding)]
    return embedding.weight.detach().numpy()


def test_word_vectors_from_the_teacher_start_the_student():
    student = TextCNNClassifier(
        num_filters=2, max_iter=2, min_df=2, lowercase=False, embedding_mode="static"
    )
    model = DistilledClassifier(
        WordVectorTeacher(),
        student,
        word_vectors="teacher",
        validation_fraction=None,
        augmenter=TextAugmenter(n_copies=1, random_state=0),
        random_state=0,
    ).fit(DOCS, LABELS, X_unlabeled=["Nebula Nebula and a Nebula"])
    keyed = model.student_.embeddings
    vocabulary = model.student_.vectorizer_.vocabulary_
    # the words the student keeps (tokenized as it tokenizes: case kept, min_df=2), each
    # passed alone
    assert set(keyed.index_to_key) == set(vocabulary) and "Nebula" in vocabulary
    assert model.teacher_.embedded_ == [keyed.index_to_key]
    assert "[MASK]" not in vocabulary and "MASK" in vocabulary  # the student's own tokens
    # the student's (frozen) word vectors are the teacher's vectors of those words
    weights = _embedding_weights(model.student_)
    for word in ("MASK", "Nebula"):
        expected = [len(word), sum(map(ord, word)) % 97, word.count("a")]
        np.testing.assert_allclose(weights[vocabulary[word]], expected)
    assert weights.shape[1] == 3  # the teacher's vector size, not embedding_dim
    assert model.student.embeddings is None  # the parameter given is untouched


def test_word_vectors_larger_than_embedding_dim_keep_their_principal_components():
    def fit(embedding_dim):
        student = TextCNNClassifier(num_filters=2, max_iter=1, embedding_dim=embedding_dim)
        return DistilledClassifier(
            WordVectorTeacher(),
            student,
            word_vectors="teacher",
            validation_fraction=None,
            random_state=0,
        ).fit(DOCS, LABELS)

    full = fit(3).student_.embeddings  # the teacher's size: every dimension, as it is
    model = fit(2)
    reduced = model.student_.embeddings
    assert reduced.index_to_key == full.index_to_key and reduced.vector_size == 2
    assert _embedding_weights(model.student_).shape[1] == 2
    assert model.student.embedding_dim == 2  # the parameter given is untouched
    # PCA, checked from its definition: centred vectors mapped linearly onto uncorrelated
    # components whose variances are the two largest eigenvalues of the covariance
    centred = full.vectors - full.vectors.mean(axis=0)
    weights, *_ = np.linalg.lstsq(centred, reduced.vectors, rcond=None)
    np.testing.assert_allclose(centred @ weights, reduced.vectors, atol=1e-3)
    eigenvalues = np.linalg.eigvalsh(np.cov(centred, rowvar=False))[::-1]
    np.testing.assert_allclose(
        np.cov(reduced.vectors, rowvar=False), np.diag(eigenvalues[:2]), rtol=1e-3, atol=1e-3
    )


def test_word_vectors_from_a_transformer_teacher_save_and_load(tmp_path):
    import sktext
    from sktext import TransformerClassifier
    from sktext.utils._testing import tiny_transformer_path

    teacher = TransformerClassifier(model=tiny_transformer_path(), max_iter=1, random_state=0)
    model = DistilledClassifier(
        teacher,
        TextCNNClassifier(num_filters=2, max_iter=2),
        word_vectors="teacher",
        augmenter=TextAugmenter(n_copies=1),
        validation_fraction=None,
        random_state=0,
    ).fit(DOCS, LABELS)
    keyed = model.student_.embeddings
    # a word's vector is the fitted teacher's document vector of that word alone
    np.testing.assert_allclose(
        keyed[["hockey", "goal"]], model.teacher_.transform(["hockey", "goal"]), atol=1e-5
    )
    path = tmp_path / "distilled.sktext"
    sktext.save(model, path)
    loaded = sktext.load(path)
    np.testing.assert_array_equal(loaded.predict_proba(DOCS), model.predict_proba(DOCS))
    np.testing.assert_array_equal(loaded.student_.embeddings.vectors, keyed.vectors)


def test_word_vectors_need_a_sequence_student_and_a_teacher_with_transform():
    cnn = TextCNNClassifier(num_filters=2, max_iter=1)
    with pytest.raises(TypeError, match="no 'embeddings' parameter"):
        DistilledClassifier(WordVectorTeacher(), _tfidf_mlp(), word_vectors="teacher").fit(
            DOCS, LABELS
        )
    with pytest.raises(TypeError, match="not in a Pipeline"):
        DistilledClassifier(WordVectorTeacher(), make_pipeline(cnn), word_vectors="teacher").fit(
            DOCS, LABELS
        )
    with pytest.raises(ValueError, match="embeddings must be None"):
        DistilledClassifier(
            WordVectorTeacher(),
            clone(cnn).set_params(embeddings="vectors.txt"),
            word_vectors="teacher",
        ).fit(DOCS, LABELS)
    with pytest.raises(TypeError, match="teacher with transform"):
        DistilledClassifier(RecordingTeacher(), cnn, word_vectors="teacher").fit(DOCS, LABELS)
    with pytest.raises(ValueError, match="word_vectors"):
        DistilledClassifier(WordVectorTeacher(), cnn, word_vectors="student").fit(DOCS, LABELS)


def test_word_vectors_of_a_teacher_that_gives_too_few():
    class Short(WordVectorTeacher):
        def transform(self, X):
            return super().transform(X)[:-1]

    model = DistilledClassifier(
        Short(), TextCNNClassifier(num_filters=2, max_iter=1), word_vectors="teacher"
    )
    with pytest.raises(ValueError, match="one finite vector per word"):
        model.fit(DOCS, LABELS)
    assert not hasattr(model, "student_")


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize(
    "teacher, student, match",
    [
        (DummyRegressor(), _tfidf_mlp(), "teacher must be a classifier"),
        (DummyClassifier(), make_pipeline(TfidfVectorizer(), LogisticRegression()), "student"),
        (DummyClassifier(), TextCNNClassifier(class_weight="balanced"), "class_weight"),
    ],
)
def test_members_of_the_wrong_kind(teacher, student, match):
    with pytest.raises((TypeError, ValueError), match=match):
        DistilledClassifier(teacher, student, augmenter=None).fit(DOCS, LABELS)


def test_frozen_teacher_of_other_classes():
    teacher = FrozenEstimator(DummyClassifier().fit(DOCS, np.where(LABELS == "space", 0, 1)))
    model = DistilledClassifier(teacher, _tfidf_mlp())
    with pytest.raises(ValueError, match="classes"):
        model.fit(DOCS, LABELS)
    assert not hasattr(model, "classes_")  # a failed fit leaves no fitted attribute


def test_failed_student_fit_leaves_the_model_as_it_was():
    model = DistilledClassifier(RecordingTeacher(), _tfidf_mlp(max_iter=2), augmenter=None)
    model.fit(DOCS, LABELS)
    before = dict(model.__dict__)
    relabelled = np.where(LABELS == "space", "x", "y")
    with pytest.raises(ValueError, match="alpha"):
        model.set_params(student__mlpclassifier__alpha=-1.0).fit(DOCS, relabelled)
    assert model.classes_.tolist() == before["classes_"].tolist()
    assert model.student_ is before["student_"] and model.teacher_ is before["teacher_"]


def test_bad_targets_and_inputs():
    model = DistilledClassifier(DummyClassifier(), _tfidf_mlp(max_iter=2), augmenter=None)
    with pytest.raises(ValueError, match="1-d"):
        model.fit(DOCS, np.c_[LABELS == "space", LABELS == "sport"].astype(int))
    with pytest.raises(ValueError, match="string object received"):
        model.fit("one text", ["a"])
    with pytest.raises(ValueError, match="inconsistent"):
        model.fit(DOCS, LABELS[:-1])
    with pytest.raises(ValueError, match="document 1"):
        model.fit(DOCS, LABELS, X_unlabeled=["fine", None])
    with pytest.raises(ValueError, match="numeric"):
        DistilledRegressor(DummyRegressor(), Ridge()).fit(DOCS, LABELS)
    with pytest.raises(TypeError, match="student must be a regressor"):
        DistilledRegressor(DummyRegressor(), _tfidf_mlp()).fit(DOCS, np.ones(len(DOCS)))


# ------------------------------------------------------------------ the regressor
def test_regressor_student_learns_the_teachers_values():
    # the teacher predicts a count of words; the labels are noise: a student that learned
    # from the labels rather than the teacher would not follow the counts
    counts = np.array([3.0 * d.split().count("the") + 5 for d in DOCS])
    assert counts.std() > 1
    teacher = FrozenEstimator(
        make_pipeline(TfidfVectorizer(use_idf=False, norm=None), Ridge(alpha=1e-3)).fit(
            DOCS, counts
        )
    )
    noise = np.random.RandomState(0).randn(len(DOCS))
    student = make_pipeline(
        TfidfVectorizer(use_idf=False, norm=None),
        MLPRegressor(hidden_layer_sizes=(16,), solver="lbfgs", max_iter=200, random_state=0),
    )
    model = DistilledRegressor(teacher, student, augmenter=None, random_state=0).fit(DOCS, noise)
    assert model.agreement_ > 0.9  # R² of the student against the teacher
    assert model.teacher_score_ < 0.1  # the teacher knows nothing of the noise


# ------------------------------------------------------------------ serving the student
def test_distilled_tfidf_mlp_student_exports_to_sklearn():
    model = DistilledClassifier(
        RecordingTeacher(proba=(0.3, 0.7)), _tfidf_mlp(max_iter=20), random_state=0
    ).fit(DOCS, LABELS)
    served = to_sklearn(model.student_)
    np.testing.assert_allclose(
        served.predict_proba(DOCS), model.predict_proba(DOCS), rtol=1e-4, atol=1e-6
    )
    assert type(served[-1]).__module__.startswith("sklearn.")
    # and to ONNX (skl2onnx), run by onnxruntime alone
    ort = pytest.importorskip("onnxruntime")
    pytest.importorskip("skl2onnx")
    onx = to_onnx(model.student_)
    session = ort.InferenceSession(onx.SerializeToString(), providers=["CPUExecutionProvider"])
    _, proba = session.run(None, {"X": np.asarray(DOCS, dtype=object)})
    np.testing.assert_allclose(proba, model.predict_proba(DOCS), atol=1e-5)


# ------------------------------------------------------------------ the augmenter
def test_augmenter_rules():
    words = [f"w{i}" for i in range(30)]
    doc = " ".join(words)
    only_mask = TextAugmenter(n_copies=200, mask_prob=0.2, ngram_prob=0.0, random_state=0)
    copies = only_mask.augment([doc])
    assert len(copies) == len(set(copies)) and doc not in copies
    masked = np.mean([w == "[MASK]" for c in copies for w in c.split()])
    assert 0.17 < masked < 0.23
    for c in copies:  # masking keeps every other word in place
        assert all(w in ("[MASK]", orig) for w, orig in zip(c.split(), words, strict=True))
    only_ngrams = TextAugmenter(n_copies=200, mask_prob=0.0, ngram_prob=1.0, max_ngram=4)
    grams = only_ngrams.set_params(random_state=1).augment([doc])
    lengths = {len(g.split()) for g in grams}
    assert lengths == {1, 2, 3, 4}
    for g in grams:  # contiguous runs of the document
        part = g.split()
        start = words.index(part[0])
        assert words[start : start + len(part)] == part
    assert only_ngrams.augment([doc]) == only_ngrams.augment([doc])  # seeded


def test_augmenter_edge_cases():
    aug = TextAugmenter(n_copies=5, mask_prob=0.5, random_state=0)
    assert aug.augment(["", "   "]) == []
    assert TextAugmenter(n_copies=0).augment(["a b c"]) == []
    # a one-word document has a single other form
    assert set(aug.augment(["word"])) <= {"[MASK]"}
    tokens = aug.augment([["pre", "tokenized", "words", "here"]])
    assert tokens and all(isinstance(t, list) for t in tokens)
    with pytest.raises(ValueError, match="string object received"):
        aug.augment("a bare string")
    with pytest.raises(ValueError, match="mask_prob"):
        TextAugmenter(mask_prob=1.5).augment(["a b"])
