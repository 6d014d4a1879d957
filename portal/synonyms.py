"""The search synonyms, content/synonyms.yaml: groups of words residents type for one thing
(低保 and 最低生活保障, 老年证 and 优待证) and the filler words their queries carry (怎么办,
在哪里). The fields are declared in portal.schema (SYNONYMS); the rules between entries are
checked here. The search index ships the result in search/index.json, and the search page
expands each word of a query to its group (templates/static/portal.js, portal.search_query).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import problems as P
from . import schema
from .load import LineList, RawDoc
from .problems import Problem
from .search import CJK
from .search import normalise as search_normalise
from .validate import check_fields

FILE = "synonyms.yaml"
WORD_RE = re.compile(rf"^[{CJK}a-z0-9]+$")
GROUP, TERM, IGNORE = "同义词组", "词语", "查询时略过的词"


@dataclass(frozen=True)
class Synonyms:
    """Each group's words, and the words a query may drop; all in the index's form
    (NFKC, lower case, Simplified)."""
    groups: tuple[tuple[str, ...], ...] = ()
    ignore: tuple[str, ...] = ()


NO_SYNONYMS = Synonyms()


def normalise(word: str) -> str:
    return search_normalise(word).strip()


def read_synonyms(doc: RawDoc | None, fold: Mapping[str, str]) -> tuple[Synonyms, list[Problem]]:
    """The synonyms file checked: its fields (portal.schema), then words a query can reach
    (`fold` maps each 繁體 character to the Simplified one the search page turns it into),
    groups of two words or more, and each word in one place only. Nothing of it is used when
    it has an error."""
    if doc is None:
        return NO_SYNONYMS, []
    reader = _Reader(doc.path, fold, list(check_fields(schema.SYNONYMS.fields, doc.data, doc.path).problems))
    # The rules between entries read the entries as written, so that every word keeps its own
    # place and line even where the schema refused a neighbour (all problems in one run).
    groups = tuple(reader.group(i, group, line) for i, (group, line) in enumerate(_entries(doc.data.get("groups")), 1))
    ignore = tuple(w for k, (raw, at) in enumerate(_entries(doc.data.get("ignore")), 1)
                   if (w := reader.ignored(k, raw, at)))
    if P.has_error(reader.problems):
        return NO_SYNONYMS, reader.problems
    return Synonyms(groups, ignore), reader.problems


@dataclass
class _Reader:
    """The words of one synonyms file, read in order: each word's first place, and the
    problems found."""
    path: str
    fold: Mapping[str, str]
    problems: list[Problem]
    placed: dict[str, tuple[int, int]] = field(default_factory=dict)     # word → (group number, line)
    ignore: set[str] = field(default_factory=set)

    def error(self, line: int, key: str, label: str, message: str) -> None:
        self.problems.append(P.error(self.path, line, key, label, message))

    def group(self, i: int, group: Any, line: int) -> tuple[str, ...]:
        """The usable words of group i."""
        words: list[str] = []
        for j, (raw, at) in enumerate(_entries(group, line), 1):
            key, word = f"groups[{i}][{j}]", _word(raw)
            if not word:
                continue                                  # the schema said why
            why = _unusable(word, self.fold)
            if why:
                self.error(at, key, TERM, why)
            elif word in words:
                self.error(at, key, TERM, f"“{word}”在这一组里写了两次，请删去一处")
            elif word in self.placed:
                n, first = self.placed[word]
                self.error(at, key, TERM, f"“{word}”已经写在第 {n} 组（第 {first} 行）：一个词只能属于一组，"
                                          "意思相同的请合并成一组")
            else:
                words.append(word)
                self.placed[word] = (i, at)
        if len(words) < 2 and not any(p.key.startswith(f"groups[{i}][") for p in self.problems):
            self.error(line, f"groups[{i}]", GROUP, "一组至少要有两个意思相同的词，只有一个词的组不起作用："
                                                    "请补上它的另一种说法，或删去这一组")
        return tuple(words)

    def ignored(self, k: int, raw: Any, at: int) -> str:
        """Word k of `ignore`, or "" when it is not usable."""
        key, word = f"ignore[{k}]", _word(raw)
        why = _unusable(word, self.fold, single=True) if word else ""
        if why:
            self.error(at, key, IGNORE, why)
        elif word in self.ignore:
            self.error(at, key, IGNORE, f"“{word}”写了两次，请删去一处")
        elif word in self.placed:
            n, first = self.placed[word]
            self.error(at, key, IGNORE, f"“{word}”也写在第 {n} 组同义词里（第 {first} 行）：略过的词不会被搜索，"
                                        "请删去其中一处")
        else:
            self.ignore.add(word)
            return word
        return ""


def _word(raw: Any) -> str:
    """A word as the index has it; "" for what is not text (the schema reports it)."""
    return normalise(str(raw)) if isinstance(raw, (str, int)) and not isinstance(raw, bool) else ""


def _entries(value: Any, line: int = 1) -> list[tuple[Any, int]]:
    """A list as written, each entry with its line (a single value is a list of one, as the
    schema reads it; anything else the schema reports)."""
    if isinstance(value, LineList):
        return list(zip(value, value.lines, strict=True))
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return [(value, line)]
    return []


def _unusable(word: str, fold: Mapping[str, str], single: bool = False) -> str:
    """Why a query can never contain `word` as written ("" when it can)."""
    if not WORD_RE.match(word):
        return f"“{word}”里有空格或标点：词语只能由汉字、字母和数字组成，搜索时空格和标点会把词分开"
    if len(word) < 2 and not single:
        return f"“{word}”只有一个字：单字会找到太多页面，请写成词，如“居住证”"
    simplified = "".join(fold.get(c, c) for c in word)
    if simplified != word:
        return f"“{word}”含繁体字，请写成简体“{simplified}”：繁體页面的搜索会先把查询转成简体"
    return ""
