"""The knowledge base's demo generator runs and writes the committed file (walk-through, session
23): it stopped with ``KeyError: 'hall-rectify'`` once the taxonomy gained the hall's 差评整改
leaf, a policy it had no wording for, so f93ef9d edited ``articles.csv`` in place; and the command
its docstring gave, ``python -m hotline.kb.demo.generate``, fails before Django is set up. The
leaf holds the hall's bad-rating follow-ups, never a citizen's question: it gets no article, and
``hotline kb demo-articles`` writes the committed file again, byte for byte (with the staff notes
in their <aside>, as f93ef9d left them)."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command

from hotline.kb.demo import generate
from hotline.org import demo_district


def test_the_generator_writes_the_committed_articles(tmp_path):
    written = tmp_path / "articles.csv"
    out = StringIO()
    call_command("kb", "demo-articles", str(written), stdout=out)
    assert json.loads(out.getvalue())["written"] == 239
    assert written.read_bytes() == generate.ARTICLES_CSV.read_bytes()


def test_the_rating_follow_up_leaf_gets_no_article():
    rectify = {code for code, _, _, policy in generate._leaves() if policy == demo_district.RECTIFY}
    assert rectify  # the leaf is still in the taxonomy
    rows = generate.articles()
    assert not [row for row in rows if row["categories"] in rectify]
    scripts = [row for row in rows if "按以上要点答复" in row["body"]]
    assert scripts and all("<aside>" in row["body"] for row in scripts)
