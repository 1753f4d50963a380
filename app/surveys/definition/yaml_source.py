"""YAML parsing that rejects duplicate keys and remembers how each scalar was written."""

from __future__ import annotations

from typing import Any

import yaml


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate keys and remembers the source text of scalars."""


class _YDict(dict):
    """A YAML mapping that remembers how each scalar value and key was written."""

    source: dict[Any, str]
    key_source: dict[Any, str]


class _YList(list):
    """A YAML sequence that remembers how each scalar element was written."""

    source: list[str | None]


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> _YDict:
    """Build a mapping, rejecting duplicate keys and remembering scalar spellings."""
    loader.flatten_mapping(node)
    result = _YDict()
    result.source, result.key_source = {}, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in result
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "unhashable mapping key", key_node.start_mark
            ) from None
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        if isinstance(key_node, yaml.ScalarNode):
            result.key_source[key] = key_node.value
        if isinstance(value_node, yaml.ScalarNode):
            result.source[key] = value_node.value
    return result


def _construct_sequence(loader: _UniqueKeyLoader, node: yaml.SequenceNode) -> _YList:
    """Build a list, remembering how each scalar element was written."""
    result = _YList(loader.construct_object(child, deep=True) for child in node.value)
    result.source = [c.value if isinstance(c, yaml.ScalarNode) else None for c in node.value]
    return result


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence
)


def _written(container: object, key: object, value: object) -> str:
    """How a scalar was written in the YAML file (falls back to its YAML spelling)."""
    if isinstance(container, _YDict) and key in container.source:
        return container.source[key]
    if isinstance(container, _YList) and isinstance(key, int) and key < len(container.source):
        written = container.source[key]
        if written is not None:
            return written
    return _yaml_repr(value)


def _written_key(container: object, key: object) -> str:
    """How a mapping key was written in the YAML file."""
    if isinstance(container, _YDict) and key in container.key_source:
        return container.key_source[key]
    return _yaml_repr(key)


def _yaml_type(value: object) -> str:
    """Explain what PyYAML produced, for 'must be a quoted string' messages."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if value is None:
        return "null"
    return f"a {type(value).__name__}"


def _yaml_repr(value: object) -> str:
    """YAML spelling of a constructed value (true/false/null), for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)
