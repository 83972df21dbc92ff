"""Figures as CSV: one format for export and import, so a file round-trips.

Columns: framework (slug), metric (slug), value, as_of (YYYY-MM-DD),
source_name, source_url, note. Row numbers count the header as row 1, as a
spreadsheet does.

A cell that starts like a formula (``=``, ``+``, ``-``, ``@``, tab, carriage
return) is written with a leading apostrophe, so a spreadsheet shows it as
text instead of running it; a cell that starts with an apostrophe gets one
more. Import takes that apostrophe off again, so the file round-trips.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from .models import Framework, Measurement, Metric
from .services import check_figures

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = ("framework", "metric", "value", "as_of", "source_name", "source_url", "note")
REQUIRED = COLUMNS[:-1]
MAX_ROWS = 5000


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ParsedFile:
    measurements: list[Measurement] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.measurements)


def as_text_cell(value: str) -> str:
    """``value`` as a cell no spreadsheet runs as a formula."""
    return "'" + value if value.startswith((*FORMULA_STARTS, "'")) else value


def from_text_cell(value: str) -> str:
    """The value ``as_text_cell`` wrote; any other cell as it is."""
    return value[1:] if value[:1] == "'" and value[1:].startswith((*FORMULA_STARTS, "'")) else value


def export_rows(framework: Framework):
    """The header, then every figure of ``framework``, oldest first."""
    yield COLUMNS
    figures = framework.measurements.select_related("metric").order_by("metric__position", "metric__name", "as_of")
    for m in figures:
        row = (framework.slug, m.metric.slug, f"{m.value.normalize():f}", m.as_of.isoformat(),
               m.source_name, m.source_url, m.note)
        yield tuple(as_text_cell(cell) for cell in row)


def parse(text: str) -> ParsedFile:
    """Read and validate every row; report every problem with its row and column. Saves nothing."""
    result = ParsedFile()
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = [name.strip() for name in reader.fieldnames or []]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            result.errors.append(
                RowError(1, ", ".join(missing), "Missing column(s). The header must name: " + ", ".join(COLUMNS))
            )
            return result
        reader.fieldnames = header
        # A short row leaves its last cells None; cells beyond the header are ignored.
        rows = [{k: from_text_cell((v or "").strip()).strip() for k, v in raw.items() if k in COLUMNS}
                for raw in reader]
    except csv.Error as exc:  # e.g. a cell over the csv module's 128 KB limit
        result.errors.append(RowError(reader.line_num or 1, "", f"This is not a CSV file we can read: {exc}."))
        return result
    if len(rows) > MAX_ROWS:
        result.errors.append(RowError(1, "", f"Too many rows ({len(rows)}); import at most {MAX_ROWS} at a time."))
        return result
    frameworks = {f.slug: f for f in Framework.objects.filter(slug__in={r["framework"] for r in rows})}
    metrics = {m.slug: m for m in Metric.objects.filter(slug__in={r["metric"] for r in rows})}
    for number, row in enumerate(rows, start=2):
        problems = []
        framework = frameworks.get(row["framework"])
        if framework is None:
            problems.append(RowError(number, "framework", f"No framework with slug “{row['framework']}”."))
        metric = metrics.get(row["metric"])
        if metric is None:
            problems.append(RowError(number, "metric", f"No metric with slug “{row['metric']}”."))
        try:
            value = Decimal(row["value"].replace(",", ""))
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            value = None
            problems.append(RowError(number, "value", f"“{row['value']}” is not a number."))
        try:
            as_of = date.fromisoformat(row["as_of"])
        except ValueError:
            as_of = None
            problems.append(RowError(number, "as_of", f"“{row['as_of']}” is not a date (YYYY-MM-DD)."))
        measurement = Measurement(framework=framework, metric=metric, value=value, as_of=as_of,
                                  source_name=row["source_name"], source_url=row["source_url"],
                                  note=row.get("note", ""))
        if problems:
            # Still report the row's other problems, so one pass names them all.
            try:
                measurement.full_clean(exclude=[p.column for p in problems], validate_constraints=False)
            except ValidationError as exc:
                problems += [RowError(number, column, message) for column, messages in exc.message_dict.items()
                             for message in messages]
            result.errors.extend(problems)
            continue
        result.measurements.append(measurement)
        result.lines.append(number)
    for index, fields in check_figures(result.measurements).items():
        for column, messages in fields.items():
            for message in messages:
                result.errors.append(
                    RowError(result.lines[index], "" if column == NON_FIELD_ERRORS else column, message)
                )
    result.errors.sort(key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS else 99))
    if not rows:
        result.errors.append(RowError(1, "", "The file has a header but no rows."))
    return result
