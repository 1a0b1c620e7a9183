"""What of our own corpus is trained on: the development set and the grooming conversations written apart never are."""

from classifiers.training.datasets import CORPUS_DIR, read_corpus
from classifiers.training.examples import APART_SETS, NEGATIVES_TRAINED, own_corpus

NEVER_ANALYSED = (
    "blind", "final", "subtle6", "sealed7a", "sealed7b", "sealed8", "sealed10a", "sealed10b", "sealed12", "sealed13",
    "sealed14", "sealed15", "sealed17", "sealed18", "sealed19", "sealed20a", "sealed20b", "sealed21a", "sealed21b",
    "sealed22a", "sealed22b", "sealed23a", "sealed23b", "sealed24a", "sealed24b", "sealed25a", "sealed25b",
    "sealed26a", "sealed26b", "sealed27a", "sealed27b", "sealed28a", "sealed28b", "sealed29a", "sealed29b",
    "sealed30a", "sealed30b",
)


def test_corpus_development_set_and_apart_grooming_are_never_trained_on() -> None:
    corpus = own_corpus()
    trained = {conversation.id for conversation in corpus.train}
    assert not trained & {conversation.id for conversation in corpus.dev}
    for name in APART_SETS:
        grooming = {case.id for case in read_corpus(CORPUS_DIR / f"{name}.jsonl") if case.label == "grooming"}
        assert grooming, name
        assert not trained & grooming, name
        assert grooming == {case.id for case in corpus.part(name) if case.label == "grooming"}, name


def test_corpus_benign_conversations_of_analysed_sets_move_into_training() -> None:
    corpus = own_corpus()
    trained = {conversation.id for conversation in corpus.train}
    for name in NEGATIVES_TRAINED:
        benign = {case.id for case in read_corpus(CORPUS_DIR / f"{name}.jsonl") if case.label != "grooming"}
        assert benign and benign <= trained, name
        assert all(case.label == "grooming" for case in corpus.part(name)), name


def test_corpus_never_analysed_sets_stay_whole_and_apart() -> None:
    corpus = own_corpus()
    trained = {conversation.id for conversation in corpus.train}
    assert not set(NEVER_ANALYSED) & set(NEGATIVES_TRAINED)
    for name in NEVER_ANALYSED:
        whole = read_corpus(CORPUS_DIR / f"{name}.jsonl")
        assert len(corpus.part(name)) == len(whole) > 0, name
        assert not trained & {case.id for case in whole}, name


def test_corpus_stage_only_files_are_trained_on_by_the_stage_heads_alone() -> None:
    corpus = own_corpus()
    stage_only = {conversation.id for conversation in corpus.stages}
    assert stage_only and all(case_id.startswith("stages_") for case_id in stage_only)
    assert not stage_only & {conversation.id for conversation in corpus.train}
    assert not stage_only & {conversation.id for conversation in corpus.dev}
    for name in APART_SETS:
        assert not stage_only & {conversation.id for conversation in corpus.part(name)}, name
    labels = {conversation.label for conversation in corpus.stages}
    assert labels == {"grooming", "benign"}
    for conversation in corpus.stages:
        staged = [turn for turn in conversation.turns if turn.stages]
        if conversation.label == "grooming":
            assert staged and all(turn.sender == conversation.offender for turn in staged), conversation.id
        else:
            assert not staged, conversation.id
