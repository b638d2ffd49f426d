"""Load the reference data the project ships (…/data/*.csv) into the tables.

Idempotent: rows are matched on their natural key (code) and updated in
place, so running it twice changes nothing.  Rows edited in the admin are
overwritten only in the columns the files carry *and fill*: an empty cell
(a phone number or address the project does not know) never wipes what an
administrator entered, and the display order is set only when a row is
created (administrators reorder in the admin).  Rows the files do not know
(added by an administrator) are left alone.  `make run` and `seed_demo`
reload on every start, so anything else would silently undo admin work.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.apps import apps
from django.db import transaction

from .validators import validate_local_government_code

BASE_DIR = Path(__file__).resolve().parent.parent


def _rows(app: str, filename: str) -> list[dict[str, str]]:
    path = BASE_DIR / app / "data" / filename
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _bool(value: str) -> bool:
    return value.strip().lower() in {"true", "1", "yes"}


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value.strip() else None


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, label: str, created: bool, changed: bool) -> None:
        self.created.setdefault(label, 0)
        self.updated.setdefault(label, 0)
        if created:
            self.created[label] += 1
        elif changed:
            self.updated[label] += 1

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())


def _upsert(
    report: LoadReport,
    model,
    lookup: dict,
    values: dict,
    *,
    optional: tuple[str, ...] = (),
    on_create: dict | None = None,
):
    """update_or_create that only writes (and reports) when a value differs.

    `optional` names columns whose empty cell means "not known", not "clear
    it"; `on_create` holds values set only on a new row.
    """
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values, **(on_create or {}))
        report.count(model._meta.model_name, created=True, changed=True)
        return obj
    values = {name: value for name, value in values.items() if not (name in optional and value in ("", None))}
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
    report.count(model._meta.model_name, created=False, changed=bool(changed))
    return obj


def _load_follow_up_templates(report: LoadReport, topics: dict) -> None:
    """Follow-up templates are the administrators' to change: the file only
    creates the missing ones."""
    FollowUpTemplate = apps.get_model("consult", "FollowUpTemplate")
    for row in _rows("consult", "follow_up_templates.csv"):
        if row["topic"] in topics:
            _upsert(
                report,
                FollowUpTemplate,
                {"topic": topics[row["topic"]]},
                {},
                on_create={
                    "business_days": int(row["business_days"]),
                    "note_ja": row["note_ja"],
                    "note_en": row["note_en"],
                },
            )


@transaction.atomic
def load_reference_data() -> LoadReport:
    report = LoadReport()
    Consortium = apps.get_model("municipalities", "Consortium")
    Municipality = apps.get_model("municipalities", "Municipality")
    Desk = apps.get_model("municipalities", "Desk")
    Language = apps.get_model("consult", "Language")
    Topic = apps.get_model("consult", "Topic")
    ResidenceStatus = apps.get_model("consult", "ResidenceStatus")
    Organisation = apps.get_model("consult", "Organisation")

    consortia = {}
    hubs = {}
    for row in _rows("municipalities", "consortia.csv"):
        consortia[row["code"]] = _upsert(
            report, Consortium, {"code": row["code"]}, {"name_ja": row["name_ja"], "name_en": row["name_en"]}
        )
        hubs[row["code"]] = row["hub_code"]

    municipalities = {}
    for row in _rows("municipalities", "municipalities.csv"):
        validate_local_government_code(row["code"])
        municipalities[row["code"]] = _upsert(
            report,
            Municipality,
            {"code": row["code"]},
            {
                "name_ja": row["name_ja"],
                "name_en": row["name_en"],
                "reading": row["reading"],
                "kind": row["kind"],
                "district": row["district_ja"],
                "consortium": consortia.get(row.get("consortium", "")),
            },
        )
    for code, hub_code in hubs.items():
        _upsert(report, Consortium, {"code": code}, {"hub_municipality": municipalities[hub_code]})

    for row in _rows("municipalities", "desks.csv"):
        _upsert(
            report,
            Desk,
            {"code": row["code"]},
            {
                "municipality": municipalities[row["municipality_code"]],
                "is_hub": _bool(row["is_hub"]),
                "name_ja": row["name_ja"],
                "name_en": row["name_en"],
                "address_ja": row["address_ja"],
                "address_en": row["address_en"],
            },
            optional=("address_ja", "address_en"),
        )

    for order, row in enumerate(_rows("consult", "languages.csv"), start=1):
        _upsert(
            report,
            Language,
            {"code": row["code"]},
            {
                "autonym": row["autonym"],
                "name_ja": row["name_ja"],
                "name_en": row["name_en"],
                "direction": row["direction"],
                "isa_core_2019": _bool(row["isa_core_2019"]),
                "isa_interpretation_service_2023": _bool(row["isa_interpretation_service_2023"]),
            },
            on_create={"sort_order": order * 10},
        )

    topics = {}
    for order, row in enumerate(_rows("consult", "topics.csv"), start=1):
        topics[row["code"]] = _upsert(
            report,
            Topic,
            {"code": row["code"]},
            {
                "parent": topics[row["parent"]] if row["parent"] else None,
                "name_ja": row["name_ja"],
                "name_en": row["name_en"],
            },
            on_create={"sort_order": order * 10},
        )

    for order, row in enumerate(_rows("consult", "residence_statuses.csv"), start=1):
        _upsert(
            report,
            ResidenceStatus,
            {"code": row["code"]},
            {
                "name_ja": row["name_ja"],
                "name_en": row["name_en"],
                "group": row["group"],
                "valid_from": _date(row["valid_from"]),
                "valid_to": _date(row["valid_to"]),
            },
            on_create={"sort_order": order * 10},
        )

    _load_follow_up_templates(report, topics)

    for row in _rows("consult", "organisations.csv"):
        _upsert(
            report,
            Organisation,
            {"code": row["code"]},
            {
                "kind": row["kind"],
                "name_ja": row["name_ja"],
                "name_en": row["name_en"],
                "phone": row["phone"],
                "municipality": municipalities.get(row["municipality_code"]),
            },
            optional=("phone", "municipality"),
        )
    return report
