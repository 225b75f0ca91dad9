"""Sphinx configuration of the sktext documentation.

Build (from the repository root)::

    python -m sphinx -W --keep-going -b html docs docs/_build/html
"""

import os
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "sphinxext"))
sys.path.insert(0, str(HERE.parent))  # the sktext of this checkout, even if not installed

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the examples never reach a model hub

from offline_inventories import intersphinx_mapping as _offline_mapping  # noqa: E402

import sktext  # noqa: E402

# -- the user guide: every Markdown page of docs/ but these two, so that a guide page added on
# any branch is listed (a page in no toctree fails the build under -W)
_NOT_GUIDE = {"getting_started", "benchmarks"}
_GUIDE_ORDER = ["neural_network", "text_classifiers", "lstm", "transformers", "embeddings", "glove"]
_guide = sorted(p.stem for p in HERE.glob("*.md") if p.stem not in _NOT_GUIDE)
_guide = [p for p in _GUIDE_ORDER if p in _guide] + [p for p in _guide if p not in _GUIDE_ORDER]
_toc = ".. toctree::\n   :maxdepth: 2\n\n" + "".join(f"   {page}\n" for page in _guide)
if not (HERE / "user_guide_pages.txt").exists() or (
    (HERE / "user_guide_pages.txt").read_text() != _toc
):
    (HERE / "user_guide_pages.txt").write_text(_toc)  # included by user_guide.rst

project = "sktext"
copyright = "The sktext developers"
author = "The sktext developers"
release = sktext.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_parser",
    "sphinx_design",
    "sphinx_gallery.gen_gallery",
    "sktext_api",  # docs/sphinxext: the API index from __all__, one page per public name
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "sphinxext", "**/README.txt"]
templates_path = ["_templates"]

# -- autodoc / autosummary / numpydoc ----------------------------------------------------
autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": True}
autodoc_typehints = "none"
numpydoc_show_class_members = False  # the class template lists the methods itself
numpydoc_class_members_toctree = False
numpydoc_validation_checks = set()  # validated by tests/test_docstrings.py instead
# the types in Parameters/Returns link to their pages: the builtins (numpydoc's own
# aliases) and the names below; other words stay text
numpydoc_xref_param_type = True
numpydoc_xref_aliases = {
    "KeyedVectors": "gensim.models.KeyedVectors",
    "ndarray": "numpy.ndarray",
    "Tensor": "torch.Tensor",
    "estimator": "sklearn.base.BaseEstimator",
    "Bunch": "sklearn.utils.Bunch",
    "RandomState": "numpy.random.RandomState",
    "Pipeline": "sklearn.pipeline.Pipeline",
    "CountVectorizer": "sklearn.feature_extraction.text.CountVectorizer",
    "SequenceVectorizer": "sktext.preprocessing.SequenceVectorizer",
    "Word2VecTransformer": "sktext.Word2VecTransformer",
    "GloVeTransformer": "sktext.GloVeTransformer",
    "FastTextTransformer": "sktext.FastTextTransformer",
}
numpydoc_xref_ignore = "all"  # only the names above and the builtins are linked
add_module_names = False
toc_object_entries_show_parents = "hide"  # "fit()" in the page contents, not "Class.fit()"

# -- MyST (the Markdown user guides) ------------------------------------------------------
myst_enable_extensions = ["colon_fence", "dollarmath"]
myst_heading_anchors = 3  # [text](page.md#a-heading) links

# -- intersphinx: inventories written from the installed packages (no network needed) -----
intersphinx_mapping = _offline_mapping(HERE / "_build" / "inventories")
intersphinx_timeout = 5

# -- sphinx-gallery -------------------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"\.py$",  # every example runs at build time
    "ignore_pattern": r"__init__\.py",
    "doc_module": ("sktext",),
    "backreferences_dir": "api/generated/backreferences",
    "reference_url": {"sktext": None},
    "within_subsection_order": "FileNameSortKey",
    "remove_config_comments": True,
    "min_reported_time": 0,
    "show_memory": False,
    "matplotlib_animations": False,
    "plot_gallery": "True",
    "capture_repr": (),  # no "<Axes: ...>" after a block that ends with a plot call
}

# -- HTML ---------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"sktext {release}"
html_static_path = ["_static"]
html_css_files = ["sktext.css"]
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "header_links_before_dropdown": 6,
    "navigation_with_keys": False,
    "show_prev_next": False,  # long API names overflowed the previous/next links
    "secondary_sidebar_items": ["page-toc"],
}
html_sidebars = {"index": [], "getting_started": []}
html_show_sourcelink = False
