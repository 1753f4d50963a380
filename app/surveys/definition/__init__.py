"""Survey definitions: typed model (frozen dataclasses) and a validating loader for YAML files.

One instrument per file, ``surveys/<id>.yaml``. Top-level keys::

    id, version, title, description?, languages, default_language, kind, access?, raters?,
    min_group_size?, scales?, choice_lists?, pages, scoring?

* Text fields (``title``, ``label``, ``hint``, messages …) are *language maps*
  (``{id: "…", en: "…"}``; the key ``id`` there is the language Indonesian) or a plain string,
  read as the default language. A missing translation falls back to ``default_language`` and is
  reported as a warning.
* Item types: ``text textarea integer decimal single multiple rating matrix date note calculate``.
  ``calculate: <expr>`` on an integer/decimal/text item makes it a read-only computed value; a
  ``type: calculate`` item is a hidden computed value.
* ``single``/``multiple`` take inline ``choices`` or a ``choice_list`` id; ``other: true`` appends
  the code ``other`` whose free text is the field ``<item>.other``; ``choice_filter`` is evaluated
  once per choice with the candidate code as ``${choice}`` (so ``choice`` is a reserved item id)
  and keeps the choices for which it is true; the ``other`` choice is never filtered out.
* ``rating`` takes a ``scale``; ``matrix`` takes ``rows`` (id, label, competency?) and ``columns``
  (id, label, scale) and yields one field per cell, ``<matrix>.<row>.<column>``.
* Expressions (see ``expressions``) are parsed at load time. ``relevant``, ``calculate`` and
  ``choice_filter`` may only use items that come earlier in the form; ``required`` and
  ``constraint`` may also use later items on the same page; nothing may use a later page; a page's
  ``relevant`` may only use earlier pages; ``.`` is only allowed in ``constraint``.
* ``scoring`` is validated structurally here; the scoring engine lives elsewhere.
* Scored items (``correct``, ``points``, choice ``points``) and the ``quiz`` block: see
  ``scored``; the scores themselves come from ``app.surveys.quiz``.

Modules: ``model`` (constants, dataclasses), ``yaml_source`` (duplicate-key-safe YAML),
``base``/``loader``/``scoring`` (the validating loader), ``api`` (entry points). Import from the
package, not from its modules.
"""

from app.surveys.definition.api import (
    check_directory,
    check_file,
    definition_from_data,
    definition_from_text,
    load_definition,
    load_directory,
    load_yaml_text,
)
from app.surveys.definition.model import (
    ACCESS_MODES,
    CHOICE_VARIABLE,
    CODE_RE,
    DEFAULT_OTHER_LABEL,
    ERROR,
    ID_RE,
    ITEM_TYPES,
    KINDS,
    LANG_RE,
    MAX_REPEAT_INSTANCES,
    MAX_SCALE_POINTS,
    OTHER_CODE,
    OTHER_SUFFIX,
    POSITION_KEY,
    RATER_ROLES,
    SCORING_METHODS,
    WARNING,
    Access,
    Band,
    Choice,
    Definition,
    DefinitionError,
    Item,
    LangText,
    MatrixColumn,
    MatrixRow,
    Page,
    Problem,
    Quiz,
    Repeat,
    Scale,
    Scoring,
    ScoringRule,
    count_path,
    instance_path,
    split_instance,
)

__all__ = [
    "split_instance",
    "instance_path",
    "count_path",
    "Repeat",
    "POSITION_KEY",
    "MAX_REPEAT_INSTANCES",
    "ACCESS_MODES",
    "Access",
    "Band",
    "CHOICE_VARIABLE",
    "CODE_RE",
    "Choice",
    "DEFAULT_OTHER_LABEL",
    "Definition",
    "DefinitionError",
    "ERROR",
    "ID_RE",
    "ITEM_TYPES",
    "Item",
    "KINDS",
    "LANG_RE",
    "LangText",
    "MAX_SCALE_POINTS",
    "MatrixColumn",
    "MatrixRow",
    "OTHER_CODE",
    "OTHER_SUFFIX",
    "Page",
    "Problem",
    "Quiz",
    "RATER_ROLES",
    "SCORING_METHODS",
    "Scale",
    "Scoring",
    "ScoringRule",
    "WARNING",
    "check_directory",
    "check_file",
    "definition_from_data",
    "definition_from_text",
    "load_definition",
    "load_directory",
    "load_yaml_text",
]
