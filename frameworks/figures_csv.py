"""Figures as CSV: one format for export and import, so a file round-trips.

Columns: framework (slug), metric (slug), value, as_of (YYYY-MM-DD),
source_name, source_url, note. Row numbers count the header as row 1, as a
spreadsheet does; blank rows count but are skipped.

Import takes the columns in any order. Header names are read as people type
them: case, spaces, hyphens and underscores do not matter ("As of",
"source URL"), and "source" names the source_name column. A header that
names a column twice, lacks a required column or names a column we do not
know is refused before any row is read, so no figure is silently dropped.
Every other problem is reported with its row and column ("" for a problem
of the whole row or file), all of them in one pass; nothing raises.

A cell that starts like a formula (``=``, ``+``, ``-``, ``@``, tab, carriage
return) is written with a leading apostrophe, so a spreadsheet shows it as
text instead of running it; a cell that starts with an apostrophe gets one
more. Import takes that apostrophe off again, so the file round-trips.
"""

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from .models import Framework, Measurement, Metric
from .services import check_figures

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = ("framework", "metric", "value", "as_of", "source_name", "source_url", "note")
REQUIRED = COLUMNS[:-1]
MAX_ROWS = 5000
# How the messages name each column: as the figure forms label its field.
LABELS = {
    "framework": "framework (its slug)",
    "metric": "metric (its slug)",
    "value": "value",
    "as_of": "“as of” date (YYYY-MM-DD)",
    "source_name": "source",
    "source_url": "source URL",
    "note": "note",
}
ALIASES = {"source": "source_name"}
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


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




BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),  # before UTF-16: its mark starts the same
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
SAVE_AS_UTF8 = "Save it as “CSV UTF-8” (Excel) or with the UTF-8 character set (LibreOffice, Numbers) and upload it again."


def decode(data: bytes) -> str:
    """An uploaded file's text: UTF-8, or UTF-8, UTF-16 or UTF-32 with a byte order mark.

    Anything else raises ``ValidationError`` saying how to save the file:
    guessing a legacy encoding would put wrong letters in sources and notes.
    """
    if data.startswith(b"PK\x03\x04"):
        raise ValidationError("This is a spreadsheet workbook (.xlsx or .ods), not a CSV file. " + SAVE_AS_UTF8)
    encoding, label = next(((name, label) for bom, name, label in BYTE_ORDER_MARKS if data.startswith(bom)),
                           ("utf-8", "UTF-8"))
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"The file is not {label} text (byte {exc.start + 1:,} cannot be read). {SAVE_AS_UTF8}"
        ) from exc


def parse(text: str) -> ParsedFile:
    """Read and validate every row; report every problem with its row and column. Saves nothing."""
    result = ParsedFile()
    records = _read(text.removeprefix("\ufeff"), result)
    if result.errors:
        return result
    positions = _header(records[0], result) if records else None
    if result.errors or positions is None:
        if not records:
            result.errors.append(RowError(1, "", "The file is empty. Its first row must name the columns: "
                                          + ", ".join(COLUMNS) + "."))
        return result
    rows, lines = [], []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank row, as spreadsheets write at the end
        rows.append(_cells(record, positions, number, len(records[0]), result))
        lines.append(number)
    if len(rows) > MAX_ROWS:
        result.errors = [RowError(1, "", f"More than {MAX_ROWS} rows: import at most {MAX_ROWS} at a time.")]
        return result
    if not rows:
        result.errors.append(RowError(1, "", "The file has a header but no rows."))
        return result
    frameworks = {f.slug: f for f in Framework.objects.filter(slug__in={r["framework"] for r in rows} - {""})}
    metrics = {m.slug: m for m in Metric.objects.filter(slug__in={r["metric"] for r in rows} - {""})}
    valid_lines = []
    for number, row in zip(lines, rows):
        problems = [RowError(number, c, f"Missing {LABELS[c]}.") for c in REQUIRED if not row[c]]
        bad = {p.column for p in problems}
        framework = frameworks.get(row["framework"])
        if framework is None and "framework" not in bad:
            problems.append(RowError(number, "framework", f"No framework with slug {_quote(row['framework'])}."))
        metric = metrics.get(row["metric"])
        if metric is None and "metric" not in bad:
            problems.append(RowError(number, "metric", f"No metric with slug {_quote(row['metric'])}."))
        value = _number(row["value"]) if row["value"] else None
        if value is None and "value" not in bad:
            problems.append(RowError(number, "value", f"{_quote(row['value'])} is not a number."))
        as_of = _date(row["as_of"]) if row["as_of"] else None
        if as_of is None and "as_of" not in bad:
            problems.append(RowError(number, "as_of", f"{_quote(row['as_of'])} is not a date (YYYY-MM-DD)."))
        measurement = Measurement(framework=framework, metric=metric, value=value, as_of=as_of,
                                  source_name=row["source_name"], source_url=row["source_url"], note=row["note"])
        if problems:
            # Still report the row's other problems, so one pass names them all.
            exclude = {"framework", "metric"} | {p.column for p in problems}
            try:
                measurement.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                problems += [RowError(number, _column(name), message)
                             for name, messages in exc.message_dict.items() for message in messages]
            result.errors.extend(problems)
            continue
        result.measurements.append(measurement)
        valid_lines.append(number)
    result.lines = valid_lines
    for index, fields in check_figures(result.measurements).items():
        for name, messages in fields.items():
            result.errors += [RowError(valid_lines[index], _column(name), message) for message in messages]
    result.errors.sort(key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS else -1))
    return result


def _read(text: str, result: ParsedFile) -> list[list[str]]:
    """Every record of ``text`` (the header and at most MAX_ROWS + 1 more); a file it cannot read is an error."""
    if "\x00" in text:
        result.errors.append(RowError(1, "", "The file holds NUL characters, so it is not CSV text "
                                      "(UTF-16 without a byte order mark?). Save it as “CSV UTF-8”."))
        return []
    records: list[list[str]] = []
    filled = 0  # rows with a value, the header included: stop reading one past the limit
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    try:
        for record in reader:
            records.append(record)
            filled += any(cell.strip() for cell in record)
            if filled > MAX_ROWS + 1:
                break
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            reason = f"a cell is longer than {csv.field_size_limit():,} characters (an unclosed quote?)"
        else:
            reason = str(exc)
        result.errors.append(RowError(len(records) + 1, "", f"This is not a CSV file we can read: {reason}."))
    return records


def _header(cells: list[str], result: ParsedFile) -> dict[str, int]:
    """Where each column is: ``{column: index}``. Every problem of the header is an error of row 1."""
    positions: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = re.sub(r"[\s_-]+", "_", cell.replace("\ufeff", "").strip().casefold()).strip("_")
        name = ALIASES.get(name, name)
        if name in positions:
            result.errors.append(RowError(1, name, f"The column {_quote(cell.strip())} appears twice: columns "
                                          f"{_letter(positions[name])} and {_letter(index)}."))
        elif name in COLUMNS:
            positions[name] = index
        elif name:
            hint = " The cells seem separated by semicolons or tabs: save the file as CSV with commas." \
                if len(cells) == 1 and re.search("[;\t]", cell) else ""
            result.errors.append(RowError(1, "", f"Unknown column {_quote(cell.strip())} (column {_letter(index)}). "
                                          f"The header may name only: {', '.join(COLUMNS)}.{hint}"))
    result.errors += [RowError(1, c, f"The header has no {c} column.") for c in REQUIRED if c not in positions]
    return positions


def _cells(record: list[str], positions: dict[str, int], number: int, width: int, result: ParsedFile) -> dict:
    """One row's cells by column ("" where the row has none); cells outside the known columns are errors."""
    row = {c: from_text_cell(record[i].strip()).strip() if i < len(record) else "" for c, i in positions.items()}
    row.setdefault("note", "")
    known = set(positions.values())
    stray = [i for i, cell in enumerate(record) if i not in known and cell.strip()]
    if stray:
        result.errors.append(RowError(number, "", (
            f"This row has {len(record)} cells, the header {width}: column(s) "
            f"{', '.join(_letter(i) for i in stray)} have a value but no header. "
            "Put a value that holds a comma in double quotes.")))
    missing = [c for c, i in positions.items() if i >= len(record) and c in REQUIRED]
    if missing:
        result.errors.append(RowError(number, "", (
            f"This row has {len(record)} cell{'s' if len(record) != 1 else ''}, the header {width}: "
            f"it ends before {', '.join(missing)}.")))
    return row


def _number(cell: str) -> Decimal | None:
    try:
        value = Decimal(cell.replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def _date(cell: str) -> date | None:
    try:
        return date.fromisoformat(cell) if ISO_DATE.fullmatch(cell) else None
    except ValueError:
        return None


def _column(name: str) -> str:
    """A model field's name as a CSV column; "" for the row as a whole."""
    return name if name in COLUMNS else ""


def _letter(index: int) -> str:
    """A column's letter as a spreadsheet shows it: 0 is A, 26 is AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _quote(cell: str, limit: int = 60) -> str:
    """A cell in quotes for a message, cut short when long."""
    return f"“{cell[:limit]}…”" if len(cell) > limit else f"“{cell}”"
