"""The catalogue asks the app that pins versions to contracts how they are used (``catalogue.usage``)."""

from catalogue import usage


def test_without_an_answer_registered_no_contract_uses_a_version(monkeypatch):
    monkeypatch.setattr(usage, "_registered", None)
    answers = usage.version_usage()
    assert answers is usage.NO_USAGE
    assert answers.keeping(version=None) == 0
    assert answers.getting(version=None, valid_from=None, until=None) == 0
    assert answers.listing_url(version=None) == ""


def test_monitoring_registers_its_answers_when_it_starts():
    from monitoring.catalogue import USAGE

    assert usage.version_usage() is USAGE
