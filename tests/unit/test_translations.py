"""The Indonesian catalog (app/translations/id/LC_MESSAGES/messages.po) is the source of truth of
the default UI language: it must hold every text of the code, each one translated and reviewed.

When a test here fails: run `make translations`, fill in the empty msgstr and check the fuzzy
(guessed) ones in messages.po, then remove their `#, fuzzy` line.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO_PATH = ROOT / "app" / "translations" / "id" / "LC_MESSAGES" / "messages.po"
# Indonesian has no grammatical plural: one form for every number.
INDONESIAN_PLURAL_FORMS = "nplurals=1; plural=0;"

Key = tuple[str | None, str]


def key(message_id: object, context: str | None) -> Key:
    singular = message_id[0] if isinstance(message_id, tuple | list) else message_id
    return context, str(singular)


def keep_directory(path: str) -> bool:
    """The same directories as `pybabel extract --ignore-dirs=".* __pycache__"` (Makefile)."""
    name = os.path.basename(path)
    return not name.startswith(".") and name != "__pycache__"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    with PO_PATH.open("rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def extracted() -> set[Key]:
    """Every text of app/ as `make translations` extracts it (keywords from babel.cfg)."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    return {
        key(message, context)
        for _file, _line, message, _comments, context in extract_from_dir(
            ROOT / "app", method_map, options_map, directory_filter=keep_directory
        )
        if message
    }


def test_plural_header_is_indonesian(catalog: Catalog) -> None:
    assert catalog.plural_forms == INDONESIAN_PLURAL_FORMS
    assert catalog.num_plurals == 1
    assert not catalog.fuzzy, "remove `#, fuzzy` from the header of messages.po"


def test_every_entry_is_translated_and_reviewed(catalog: Catalog) -> None:
    empty, fuzzy = [], []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(s and s.strip() for s in strings):
            empty.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert not empty, f"fill in the Indonesian of these texts in messages.po: {empty}"
    assert not fuzzy, f"check these guessed texts, then remove `#, fuzzy`: {fuzzy}"


def test_plural_entries_have_one_indonesian_form(catalog: Catalog) -> None:
    wrong = [m.id for m in catalog if m.pluralizable and len(m.string) != catalog.num_plurals]
    assert not wrong, f"give these texts exactly one msgstr[0]: {wrong}"


def test_placeholders_match_the_english(catalog: Catalog) -> None:
    problems = [(message.id, str(error)) for message, errors in catalog.check() for error in errors]
    assert not problems


def test_catalog_holds_exactly_the_texts_of_the_code(catalog: Catalog, extracted: set[Key]) -> None:
    in_catalog = {key(message.id, message.context) for message in catalog if message.id}
    missing = sorted(extracted - in_catalog, key=str)
    stale = sorted(in_catalog - extracted, key=str)
    assert not missing, f"run `make translations` and translate: {missing}"
    assert not stale, f"run `make translations` to drop texts no longer in the code: {stale}"
