"""A CloudWatch Logs filter-pattern evaluator: what a metric filter would count, offline.

Implements the syntax of AWS's "Filter pattern syntax for metric filters, subscription filters,
filter log events, and Live Tail" (Amazon CloudWatch Logs User Guide,
https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html, and its
earlier "Filter and Pattern Syntax" page): no maintained PyPI package evaluates it (moto and
LocalStack evaluate only phrases and terms, and treat JSON, ``?`` and ``-`` as match-all).

- Empty pattern: every event.
- Terms (case-sensitive; a term matches anywhere in the message, so ``ERROR`` matches
  ``ERRORCODE``), ``"quoted phrases"``, ``?term`` (any of the ``?`` terms), ``-term`` (none of them;
  AWS writes ``"ERROR" - "Exiting"`` with a space), ``%regex%``.
- JSON: ``{ SELECTOR OP VALUE }`` with ``=`` ``!=`` ``<`` ``>`` ``<=`` ``>=``, ``*`` at the start or
  end of a string value (``Ev*ent`` is literal), ``%regex%`` values, ``IS NULL``, ``NOT EXISTS``,
  ``IS TRUE``/``IS FALSE``, nested fields and ``[N]`` indexes, ``&&``, ``||`` and parentheses with
  ``() > && > ||``. A selector must reach a value node: on an object or array, ``=`` and ``!=``
  are both false; on a missing field every comparison is false (only ``NOT EXISTS`` is true).
- Space-delimited: ``[a, b=ERROR || b=WARN, ..., c > 1000]``, where ``[...]`` and ``"..."`` in the
  event are one field each.

``compile_pattern(text).matches(message)`` is the API; a pattern AWS would refuse raises
:class:`FilterPatternError`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

__all__ = ["CompiledPattern", "FilterPatternError", "compile_pattern"]


class FilterPatternError(ValueError):
    """The pattern is not valid filter-pattern syntax."""


_MISSING: Final = object()
_NUMBER: Final = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_NAME: Final = re.compile(r"[A-Za-z0-9_\-]+")
_COMPARISONS: Final = ("!=", "<=", ">=", "=", "<", ">")

Predicate = Callable[[str], bool]


@dataclass(frozen=True)
class CompiledPattern:
    """A parsed filter pattern; :meth:`matches` tells whether one log event's message matches."""

    text: str
    _predicate: Predicate

    def matches(self, message: str) -> bool:
        return self._predicate(message)


def compile_pattern(text: str) -> CompiledPattern:
    """Parse ``text`` as CloudWatch Logs parses a metric filter's ``FilterPattern``."""
    stripped = text.strip()
    if not stripped:
        return CompiledPattern(text, lambda _message: True)
    if stripped.startswith("{"):
        if not stripped.endswith("}"):
            raise FilterPatternError(f"JSON pattern not closed with '}}': {text!r}")
        return CompiledPattern(text, _json_predicate(stripped[1:-1]))
    if stripped.startswith("["):
        if not stripped.endswith("]"):
            raise FilterPatternError(f"space-delimited pattern not closed with ']': {text!r}")
        return CompiledPattern(text, _delimited_predicate(stripped[1:-1]))
    return CompiledPattern(text, _terms_predicate(stripped))


# ---------------------------------------------------------------- terms, phrases, ?, -, regex


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    """The text of a ``"..."`` starting at ``start`` (the quote) and the index after it."""
    out = []
    i = start + 1
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if char == '"':
            return "".join(out), i + 1
        out.append(char)
        i += 1
    raise FilterPatternError(f"unterminated quote in {text!r}")


def _term_matcher(term: str) -> Predicate:
    if len(term) >= 2 and term.startswith("%") and term.endswith("%"):
        regex = re.compile(term[1:-1])
        return lambda message: regex.search(message) is not None
    return lambda message: term in message


def _terms_predicate(text: str) -> Predicate:
    required: list[Predicate] = []
    optional: list[Predicate] = []
    excluded: list[Predicate] = []
    i = 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        bucket = required
        if text[i] in "?-":
            bucket = optional if text[i] == "?" else excluded
            i += 1
            while i < len(text) and text[i].isspace():
                i += 1
            if i == len(text):
                raise FilterPatternError(f"'{text[i - 1]}' without a term in {text!r}")
        if text[i] == '"':
            term, i = _read_quoted(text, i)
        elif text[i] == "%" and (close := text.find("%", i + 1)) > i:
            term, i = text[i : close + 1], close + 1
        else:
            end = i
            while end < len(text) and not text[end].isspace():
                end += 1
            term, i = text[i:end], end
            if not re.fullmatch(r"[A-Za-z0-9_]+|%.+%", term):
                raise FilterPatternError(
                    f"term {term!r} has characters other than letters, digits and '_': "
                    "put it in double quotes"
                )
        bucket.append(_term_matcher(term))

    def predicate(message: str) -> bool:
        return (
            all(p(message) for p in required)
            and (not optional or any(p(message) for p in optional))
            and not any(p(message) for p in excluded)
        )

    return predicate


# ---------------------------------------------------------------- JSON selectors


@dataclass(frozen=True)
class _Token:
    kind: str  # "(" ")" "&&" "||" "op" "sel" "str" "bare" "regex" "kw"
    text: str


def _tokenize_json(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append(_Token(char, char))
            i += 1
        elif text.startswith(("&&", "||"), i):
            tokens.append(_Token(text[i : i + 2], text[i : i + 2]))
            i += 2
        elif op := next((o for o in _COMPARISONS if text.startswith(o, i)), None):
            tokens.append(_Token("op", op))
            i += len(op)
        elif char == '"':
            value, i = _read_quoted(text, i)
            tokens.append(_Token("str", value))
        elif char == "%":
            end = text.find("%", i + 1)
            if end < 0:
                raise FilterPatternError(f"unterminated %regex% in {text!r}")
            tokens.append(_Token("regex", text[i + 1 : end]))
            i = end + 1
        else:
            end = i
            while (
                end < len(text)
                and not text[end].isspace()
                and text[end] not in "()!=<>"
                and not text.startswith(("&&", "||"), end)
            ):
                end += 1
            word = text[i:end]
            if word.startswith("$"):
                tokens.append(_Token("sel", word))
            elif word in ("IS", "NOT", "NULL", "EXISTS", "TRUE", "FALSE"):
                tokens.append(_Token("kw", word))
            else:
                tokens.append(_Token("bare", word))
            i = end
    return tokens


def _parse_selector(selector: str) -> tuple[str | int, ...]:
    """``$.a.b[0][1].c`` -> ``("a", "b", 0, 1, "c")``."""
    if selector == "$":
        return ()
    steps: list[str | int] = []
    i = 1
    while i < len(selector):
        if selector[i] == ".":
            match = _NAME.match(selector, i + 1)
            if match is None:
                raise FilterPatternError(f"bad property name in selector {selector!r}")
            steps.append(match.group())
            i = match.end()
        elif selector[i] == "[":
            end = selector.find("]", i)
            if end < 0 or not selector[i + 1 : end].isdigit():
                raise FilterPatternError(f"bad array index in selector {selector!r}")
            steps.append(int(selector[i + 1 : end]))
            i = end + 1
        else:
            raise FilterPatternError(f"bad selector {selector!r}")
    return tuple(steps)


def _resolve(document: object, steps: Sequence[str | int]) -> object:
    node = document
    for step in steps:
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                return _MISSING
            node = node[step]
        else:
            if not isinstance(node, dict) or step not in node:
                return _MISSING
            node = node[step]
    return node


def _string_matcher(value: str, *, wildcards: bool) -> Callable[[str], bool]:
    """``*`` at the start and/or end is a wildcard; elsewhere it is a literal character."""
    if not wildcards or "*" not in value:
        return lambda s: s == value
    if value.strip("*") == "":
        return lambda _s: True
    lead, trail = value.startswith("*"), value.endswith("*")
    core = value[1 if lead else None : -1 if trail else None]
    if lead and trail:
        return lambda s: core in s
    if lead:
        return lambda s: s.endswith(core)
    return lambda s: s.startswith(core)


def _is_value_node(node: object) -> bool:
    return not isinstance(node, dict | list) and node is not _MISSING


def _comparison(steps: tuple[str | int, ...], op: str, value: _Token) -> Callable[[object], bool]:
    def node_of(document: object) -> object:
        return _resolve(document, steps)

    if value.kind == "regex":
        if op not in ("=", "!="):
            raise FilterPatternError(f"a %regex% value takes = or !=, not {op}")
        regex = re.compile(value.text)

        def regex_test(document: object) -> bool:
            node = node_of(document)
            if not _is_value_node(node) or node is None or isinstance(node, bool):
                return False
            found = regex.search(str(node)) is not None
            return found if op == "=" else not found

        return regex_test

    numeric = value.kind == "bare" and _NUMBER.match(value.text) is not None
    if not numeric and op not in ("=", "!="):
        raise FilterPatternError(f"{op} needs a number, got {value.text!r}")
    if numeric:
        number = float(value.text)

        def numeric_test(document: object) -> bool:
            node = node_of(document)
            if isinstance(node, bool) or not isinstance(node, int | float):
                if isinstance(node, str) and op in ("=", "!="):
                    return (node == value.text) == (op == "=")
                return False
            return {
                "=": node == number,
                "!=": node != number,
                "<": node < number,
                ">": node > number,
                "<=": node <= number,
                ">=": node >= number,
            }[op]

        return numeric_test

    string_test = _string_matcher(value.text, wildcards=True)

    def text_test(document: object) -> bool:
        node = node_of(document)
        if not _is_value_node(node):
            return False
        if node is None:
            return False
        if isinstance(node, bool):
            text = "true" if node else "false"
        elif isinstance(node, int | float):
            text = json.dumps(node)
        else:
            text = str(node)
        return string_test(text) == (op == "=")

    return text_test


class _JsonParser:
    """Recursive descent over ``or := and ('||' and)*``, ``and := atom ('&&' atom)*``."""

    def __init__(self, tokens: list[_Token], source: str) -> None:
        self.tokens = tokens
        self.source = source
        self.at = 0

    def _peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _take(self, kind: str | None = None, text: str | None = None) -> _Token:
        token = self._peek()
        if token is None or (kind and token.kind != kind) or (text and token.text != text):
            want = text or kind or "a token"
            got = token.text if token else "end of pattern"
            raise FilterPatternError(f"expected {want}, got {got!r} in {{{self.source}}}")
        self.at += 1
        return token

    def parse(self) -> Callable[[object], bool]:
        expression = self._or()
        if self._peek() is not None:
            raise FilterPatternError(f"unexpected {self._peek()!r} in {{{self.source}}}")
        return expression

    def _or(self) -> Callable[[object], bool]:
        parts = [self._and()]
        while (token := self._peek()) is not None and token.kind == "||":
            self.at += 1
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else (lambda d: any(p(d) for p in parts))

    def _and(self) -> Callable[[object], bool]:
        parts = [self._atom()]
        while (token := self._peek()) is not None and token.kind == "&&":
            self.at += 1
            parts.append(self._atom())
        return parts[0] if len(parts) == 1 else (lambda d: all(p(d) for p in parts))

    def _atom(self) -> Callable[[object], bool]:
        token = self._peek()
        if token is not None and token.kind == "(":
            self.at += 1
            inner = self._or()
            self._take(")")
            return inner
        steps = _parse_selector(self._take("sel").text)
        token = self._peek()
        if token is not None and token.kind == "kw":
            self.at += 1
            second = self._take("kw").text
            phrase = f"{token.text} {second}"
            if phrase == "IS NULL":
                return lambda d: _resolve(d, steps) is None
            if phrase == "NOT EXISTS":
                return lambda d: _resolve(d, steps) is _MISSING
            if phrase in ("IS TRUE", "IS FALSE"):
                wanted = phrase == "IS TRUE"
                return lambda d: _resolve(d, steps) is wanted
            raise FilterPatternError(f"unknown {phrase!r} in {{{self.source}}}")
        op = self._take("op").text
        value = self._peek()
        if value is None or value.kind not in ("str", "bare", "regex"):
            raise FilterPatternError(f"expected a value after {op} in {{{self.source}}}")
        self.at += 1
        return _comparison(steps, op, value)


def _json_predicate(body: str) -> Predicate:
    expression = _JsonParser(_tokenize_json(body), body).parse()

    def predicate(message: str) -> bool:
        try:
            document = json.loads(message)
        except ValueError:
            return False
        return expression(document)

    return predicate


# ---------------------------------------------------------------- space-delimited


def _event_fields(message: str) -> list[str]:
    """Split on spaces; ``[...]`` and ``"..."`` are one field each (without their delimiters)."""
    fields: list[str] = []
    i = 0
    while i < len(message):
        char = message[i]
        if char.isspace():
            i += 1
            continue
        closer = {"[": "]", '"': '"'}.get(char)
        if closer is not None:
            end = message.find(closer, i + 1)
            if end >= 0:
                fields.append(message[i + 1 : end])
                i = end + 1
                continue
        end = i
        while end < len(message) and not message[end].isspace():
            end += 1
        fields.append(message[i:end])
        i = end
    return fields


def _split_top(text: str, separator: str) -> list[str]:
    parts, depth, current, i = [], 0, [], 0
    while i < len(text):
        if text[i] == '"':
            _, end = _read_quoted(text, i)
            current.append(text[i:end])
            i = end
            continue
        if text.startswith(separator, i) and depth == 0:
            parts.append("".join(current))
            current, i = [], i + len(separator)
            continue
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        current.append(text[i])
        i += 1
    parts.append("".join(current))
    return [p.strip() for p in parts]


_CONDITION: Final = re.compile(r"^\s*([A-Za-z0-9_]+)\s*(!=|<=|>=|=|<|>)\s*(.+?)\s*$")


def _field_condition(text: str) -> tuple[str, Callable[[dict[str, str]], bool]]:
    """One slot: ``name`` or conditions joined by ``||`` and ``&&`` (the first names the slot)."""
    alternatives = _split_top(text, "||")
    name: str | None = None
    groups: list[list[Callable[[dict[str, str]], bool]]] = []
    for alternative in alternatives:
        group = []
        for clause in _split_top(alternative, "&&"):
            match = _CONDITION.match(clause)
            if match is None:
                if re.fullmatch(r"[A-Za-z0-9_]+", clause) and len(alternatives) == 1:
                    name = name or clause
                    continue
                raise FilterPatternError(f"bad space-delimited field {clause!r}")
            field, op, raw = match.groups()
            name = name or field
            group.append(_delimited_test(field, op, raw))
        groups.append(group)
    assert name is not None

    def condition(values: dict[str, str]) -> bool:
        return any(all(test(values) for test in group) for group in groups)

    return name, condition


def _delimited_test(field: str, op: str, raw: str) -> Callable[[dict[str, str]], bool]:
    if raw.startswith('"'):
        raw, _ = _read_quoted(raw, 0)
    if _NUMBER.match(raw):
        number = float(raw)

        def numeric(values: dict[str, str]) -> bool:
            value = values.get(field)
            if value is None or not _NUMBER.match(value):
                return False
            v = float(value)
            return {
                "=": v == number,
                "!=": v != number,
                "<": v < number,
                ">": v > number,
                "<=": v <= number,
                ">=": v >= number,
            }[op]

        return numeric
    if op not in ("=", "!="):
        raise FilterPatternError(f"{op} needs a number, got {raw!r}")
    negate = raw.startswith("!")  # AWS's [w1=!ERROR&&w1=!WARN] form
    string_test = _string_matcher(raw[1:] if negate else raw, wildcards=True)

    def text(values: dict[str, str]) -> bool:
        value = values.get(field)
        if value is None:
            return False
        hit = string_test(value) != negate
        return hit == (op == "=")

    return text


def _delimited_predicate(body: str) -> Predicate:
    slots: list[tuple[str, Callable[[dict[str, str]], bool]] | None] = []
    for item in _split_top(body, ","):
        if item in ("...", "…"):
            slots.append(None)
        elif item:
            slots.append(_field_condition(item))

    def bind(fields: list[str], index: int, slot: int, values: dict[str, str]) -> bool:
        if slot == len(slots):
            return index == len(fields) and all(
                cond(values) for s in slots if s is not None for cond in (s[1],)
            )
        current = slots[slot]
        if current is None:
            return any(bind(fields, end, slot + 1, values) for end in range(index, len(fields) + 1))
        if index >= len(fields):
            return False
        return bind(fields, index + 1, slot + 1, {**values, current[0]: fields[index]})

    return lambda message: bind(_event_fields(message), 0, 0, {})
