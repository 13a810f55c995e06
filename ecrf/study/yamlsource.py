"""Read YAML into plain dicts and lists that remember the line of every key and list entry.

PyYAML's C parser does the parsing; only mapping and sequence construction is ours, so that a
definition problem can name the line it comes from, and duplicate keys (which YAML silently
collapses) are reported instead of lost.
"""
from __future__ import annotations

import yaml

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing: the study loads at every start
if TYPE_CHECKING:
    from typing import Any

try:  # the C parser is ~10x faster; fall back to pure Python where libyaml is absent
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _BaseLoader = yaml.SafeLoader


class LineMap(dict):
    """A mapping with the line of the mapping itself and of each key."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.key_lines: dict[Any, int] = {}
        self.duplicates: list[tuple[Any, int]] = []

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A sequence with the line of the sequence and of each entry."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.item_lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _LineLoader(_BaseLoader):
    pass


def _wrong_node(node: yaml.Node, expected: str) -> yaml.constructor.ConstructorError:
    """`!!seq` on a mapping and the like: a syntax problem with a line, not a crash of the loader."""
    kind = getattr(node, "id", "value")  # 'mapping', 'sequence' or 'scalar'
    return yaml.constructor.ConstructorError(None, None, f"the tag {node.tag} needs {expected}, not a {kind}",
                                             node.start_mark)


def _construct_map(loader: Any, node: yaml.MappingNode) -> Any:
    if not isinstance(node, yaml.MappingNode):
        raise _wrong_node(node, "a mapping")
    mapping = LineMap()
    mapping.line = node.start_mark.line + 1
    yield mapping
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            key = str(key)
        if key in mapping:
            mapping.duplicates.append((key, line))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line


def _construct_seq(loader: Any, node: yaml.SequenceNode) -> Any:
    if not isinstance(node, yaml.SequenceNode):
        raise _wrong_node(node, "a sequence")
    seq = LineList()
    seq.line = node.start_mark.line + 1
    yield seq
    for child in node.value:
        seq.append(loader.construct_object(child, deep=True))
        seq.item_lines.append(child.start_mark.line + 1)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


class YamlSyntaxError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class YamlAliasBomb(YamlSyntaxError):
    """Aliases that would expand the file far beyond any real definition (a "billion laughs")."""

    def __init__(self, line: int, aliases: int, expanded: int) -> None:
        super().__init__(line, f"{aliases} alias(es) would expand to {expanded:,} values")
        self.aliases = aliases
        self.expanded = expanded


# A whole real study expands to a few thousand YAML values and uses a handful of aliases; these caps are
# generous for any definition yet stop a file whose aliases multiply (each level doubling or more) before
# anything walks the expanded data, which would take longer than the age of the universe.
MAX_ALIASES = 1_000
MAX_EXPANDED_VALUES = 200_000


def _refuse_alias_bomb(root: yaml.Node) -> None:
    """Count the values the document would have with every alias expanded, without expanding it: each
    node's expanded size is computed once (memoised by identity), so the check is linear in the file."""
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()
    aliases, first_alias_line = 0, 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            in_progress.discard(id(node))
            # a child still in progress is a recursive alias back to an ancestor: count it once
            sizes[id(node)] = 1 + sum(sizes.get(id(child), 1) for child in _children(node))
            continue
        if id(node) in sizes or id(node) in in_progress:  # reached again: an alias of this node
            aliases += 1
            first_alias_line = first_alias_line or node.start_mark.line + 1
            continue
        in_progress.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node))
    expanded = sizes[id(root)]
    if aliases > MAX_ALIASES or expanded > MAX_EXPANDED_VALUES:
        raise YamlAliasBomb(first_alias_line or 1, aliases, expanded)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _load(text: str) -> Any:
    """`yaml.load`, with the alias check between composing the node graph and building Python objects."""
    loader = _LineLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        try:
            return _TreeBuilder(loader).build(root)
        except (_NotATree, RecursionError):
            pass
        _refuse_alias_bomb(root)
        return loader.construct_document(root)
    finally:
        loader.dispose()


class _NotATree(Exception):
    """A node is reached twice (an alias), has an explicit tag, or the document has more values than the
    alias check allows: the constructor's own way, after that check."""


_MAP_TAG, _SEQ_TAG, _STR_TAG = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:str"


class _TreeBuilder:
    """What `construct_document` builds (LineMap, LineList, scalars) for a document whose node graph is a
    tree — every definition file without aliases — about twice as fast: no generators, no bookkeeping for
    shared and recursive nodes. Gives up (_NotATree) at the first node reached twice, so an alias never
    expands here, and past MAX_EXPANDED_VALUES values, where the alias check would refuse the file anyway."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.seen: set[int] = set()
        self.left = MAX_EXPANDED_VALUES

    def build(self, node: yaml.Node) -> Any:
        self.left -= 1
        if self.left < 0 or id(node) in self.seen:
            raise _NotATree
        self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR_TAG:  # most values: what construct_yaml_str gives, without its three calls
                return node.value
            scalar = self.loader.yaml_constructors.get(node.tag)
            if scalar is None:
                raise _NotATree  # an explicit tag: the constructor says what it makes of it
            return scalar(self.loader, node)
        if isinstance(node, yaml.MappingNode) and node.tag == _MAP_TAG:
            return self._mapping(node)
        if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ_TAG:
            return self._sequence(node)
        raise _NotATree  # an explicit tag (!!set, !!omap, !!seq on a mapping …)

    def _mapping(self, node: yaml.MappingNode) -> LineMap:
        mapping = LineMap()
        mapping.line = node.start_mark.line + 1
        self.loader.flatten_mapping(node)  # '<<' merge keys, as the constructor does
        for key_node, value_node in node.value:
            key = self.build(key_node)
            line = key_node.start_mark.line + 1
            try:
                hash(key)
            except TypeError:
                key = str(key)
            if key in mapping:
                mapping.duplicates.append((key, line))
            mapping[key] = self.build(value_node)
            mapping.key_lines[key] = line
        return mapping

    def _sequence(self, node: yaml.SequenceNode) -> LineList:
        seq = LineList()
        seq.line = node.start_mark.line + 1
        for child in node.value:
            seq.append(self.build(child))
            seq.item_lines.append(child.start_mark.line + 1)
        return seq


def parse_yaml(data: bytes) -> Any:
    """Parse YAML bytes (UTF-8); raise YamlSyntaxError with a line number and a readable reason."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlSyntaxError(1, f"the file is not UTF-8 text ({exc.reason}); save it as UTF-8") from None
    try:
        return _load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        reason = exc.problem or str(exc)
        context = f" ({exc.context})" if exc.context else ""
        raise YamlSyntaxError(line, f"YAML syntax error: {reason}{context}") from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(1, f"YAML error: {exc}") from None
