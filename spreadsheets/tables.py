"""Writing many rows fast: load what exists once, compare in Python, then bulk INSERT and
UPDATE (executemany, in chunks) inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, insert, select, update
from sqlalchemy.orm import Session

from models.base import Base

CHUNK = 2000

Record = dict[str, Any]
Existing = dict[Hashable, Mapping[str, Any]]


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class Table:
    """How records land in one table: the attributes an import sets and the natural key."""

    model: type[Base]
    fields: tuple[str, ...]
    key: Callable[[Mapping[str, Any]], Hashable]

    def existing(
        self, session: Session, column: Any = None, values: Iterable[Any] = ()
    ) -> Existing:
        """Rows already stored, by key: all of them, or those whose `column` is in `values`."""
        columns = [self.model.id, *(getattr(self.model, f) for f in self.fields)]  # type: ignore[attr-defined]
        wheres: list[ColumnElement[bool] | None]
        if column is None:
            wheres = [None]
        else:
            wheres = [column.in_(part) for part in chunks(sorted(set(values)))]
        found: Existing = {}
        for where in wheres:
            query = select(*columns) if where is None else select(*columns).where(where)
            for row in session.execute(query).mappings():
                found[self.key(row)] = row
        return found


@dataclass
class Upserted:
    """What an upsert did: the id of every record's row, and the records that changed."""

    ids: list[int] = field(default_factory=list)  # in the order of the records
    created: list[int] = field(default_factory=list)  # indexes into the records
    updated: list[tuple[int, Mapping[str, Any]]] = field(default_factory=list)  # (index, old row)


def upsert(
    session: Session,
    table: Table,
    records: Sequence[Record],
    existing: Mapping[Hashable, Mapping[str, Any]],
    progress: Callable[[Sequence[Any], str], Iterable[Any]] = lambda items, label: items,
) -> Upserted:
    """Insert the records whose key is new, update those that differ, leave the rest."""
    done = Upserted(ids=[0] * len(records))
    inserts: list[Record] = []
    updates: list[Record] = []
    for index, record in enumerate(records):
        values = {f: record[f] for f in table.fields}
        old = existing.get(table.key(record))
        if old is None:
            done.created.append(index)
            inserts.append(values)
            continue
        done.ids[index] = old["id"]
        if any(old[f] != values[f] for f in table.fields):
            done.updated.append((index, old))
            updates.append({"id": old["id"], **values})
    statement = insert(table.model).returning(
        table.model.id,  # type: ignore[attr-defined]
        sort_by_parameter_order=True,
    )
    new_ids: list[int] = []
    for part in progress(list(chunks(inserts)), "Adding"):
        new_ids += session.scalars(statement, part).all()
    for index, new_id in zip(done.created, new_ids, strict=True):
        done.ids[index] = new_id
    for part in progress(list(chunks(updates)), "Updating"):
        session.execute(update(table.model), part)
    return done
