"""The bundled text model (msglint.textmodel) and its five fallback rules (CD007, UN008, MK009, RI002, RM010)."""

import numpy as np

from msglint import Linter
from msglint.rules import ALL_RULES
from msglint.textmodel import MODEL_FILE, TextModel, bundled, features


def test_the_model_was_trained_on_the_labelled_sets_as_they_are_now():
    """Changing or adding a labelled set, or changing a template, without training again fails here."""
    from tools import train_text_model as training

    trained = dict(bundled().manifest)
    current = {training.manifest_name(p): training.sha256(p) for p in training.training_files()}
    current[training.TEMPLATES] = training.templates_digest(training.rendered_templates())
    assert set(trained) == set(current)
    stale = sorted(name for name in current if trained[name] != current[name])
    assert not stale, f"changed since the model was trained (run tools/train_text_model.py): {stale}"


def test_model_file_is_plain_numpy_data():
    with np.load(MODEL_FILE, allow_pickle=False) as z:  # no pickled objects: nothing to execute on load
        assert set(z.files) == {"keys", "idf", "coef", "intercept", "categories", "thresholds", "manifest"}
    model = TextModel.load()
    assert model.categories == ("conduct", "unnecessary", "marketing", "review.incentive", "review.manipulation")
    assert model.coef.shape == (5, len(model.keys)) and np.all(np.diff(model.keys.astype(np.int64)) > 0)
    assert all(0.0 < t < 1.0 for t in model.thresholds.tolist())


def test_features_are_stable_hashes():
    chars, words = features("Hi Ｌaura")  # NFKC folds the fullwidth letter
    assert chars == features("hi laura")[0] and words == features("hi laura")[1]
    assert len(words) == 3  # "hi", "laura", "hi laura"
    # " hi " gives 3 + 2 + 1 n-grams of 2-4 characters, " laura " 6 + 5 + 4 + 3 of 2-5
    assert len(chars) == 6 + 18


def test_probabilities_follow_the_text():
    model = bundled()
    hostile = model.probabilities("We have sold thousands of these and you are the only one who can't get it "
                                  "working. Funny, isn't it?")
    polite = model.probabilities("We are sorry the manual was unclear. Page 4 shows the two screws that hold "
                                 "the base; we can also send a video if that helps.")
    assert hostile["conduct"] >= model.threshold("conduct") > polite["conduct"]
    assert model.probabilities("") == model.probabilities("   ")


def test_text_model_rules_are_fallback_warnings():
    learned = [r for r in ALL_RULES if r.fallback]
    assert sorted(r.code for r in learned) == ["CD007", "MK009", "RI002", "RM010", "UN008"]
    assert all(r.severity.value == "warning" and r.kinds == frozenset({"message"}) for r in learned)


def test_fallback_is_dropped_when_a_rule_found_the_category():
    linter = Linter()
    text = "Maybe next time read the description before you click buy. It clearly says 220V."
    (finding,) = linter.check(text).findings
    first = "Maybe next time read the description before you click buy."
    assert (finding.code, finding.start, finding.end, finding.severity.value) == ("CD007", 0, len(first), "warning")
    assert finding.message.startswith(f"'{first}' reads as hostile or pressuring towards the buyer (text model, ")
    both = "You idiot. " + text
    codes = [f.code for f in linter.check(both).findings]
    assert codes == ["CD002"]
    # a rule the user ignores does not speak first: the fallback reports the category
    without = Linter(rules=[r for r in ALL_RULES if r.code != "CD002"])
    assert [f.code for f in without.check(both).findings] == ["CD007"]


def test_listings_are_not_read_by_the_text_model():
    text = "We have sold thousands of these and you are the only one who can't get it working. Funny, isn't it?"
    assert [f.code for f in Linter().check(text, kind="listing", field="description").findings
            if f.code in ("CD007", "UN008", "MK009", "RI002", "RM010")] == []


def test_fallback_message_in_chinese():
    (finding,) = Linter(marketplace="FR", explain_lang="zh").check(
        "Nous voulions simplement vous dire que nous espérons que le mixeur vous comble !").findings
    assert finding.code == "UN008"
    assert finding.message.startswith("这条消息读起来没有订单目的，例如“Nous voulions simplement")
