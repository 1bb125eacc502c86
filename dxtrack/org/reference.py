"""Reading and checking reference data before anything is written.

Everything here is pure: it turns files into plain rows and lists every problem it finds, each
naming its file and row, so a loader can refuse a bad file whole.
"""

import csv
import datetime
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from dxtrack.core.errors import InvalidData

REFORM_DATE = datetime.date(2025, 7, 1)
LAST_DAY_BEFORE_REFORM = datetime.date(2025, 6, 30)
REFORM_LEGAL_BASIS = "1686/NQ-UBTVQH15"
LEVEL_RANK = {"province": 0, "district": 1, "commune": 2}
ADMIN_DATA_DIR = Path(__file__).parent / "data" / "admin-units-2025"
AGENCY_DATA_FILE = Path(__file__).parent / "data" / "agencies.json"


@dataclass(frozen=True)
class UnitRow:
    key: str  # unique within a load: "<level>:<code>@<era>"
    code: str
    name: str
    kind: str
    level: str
    parent_key: str | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    where: str  # file:line, for messages


@dataclass(frozen=True)
class ChangeRow:
    old_key: str
    new_key: str
    share: str
    kind: str
    date: datetime.date
    where: str


@dataclass
class AdminData:
    units: list[UnitRow] = field(default_factory=list)
    changes: list[ChangeRow] = field(default_factory=list)


def _read_csv(path: Path, required: list[str], problems: list[str]) -> list[tuple[int, dict[str, str]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(f"{path.name}: không tìm thấy tệp.")
        return []
    except UnicodeDecodeError:
        problems.append(f"{path.name}: tệp không ở mã UTF-8; hãy lưu lại tệp với mã UTF-8.")
        return []
    if "\x00" in text:
        problems.append(f"{path.name}: tệp có dữ liệu nhị phân, không phải CSV.")
        return []
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        problems.append(f"{path.name}: thiếu cột {', '.join(missing)}.")
        return []
    rows = []
    for line, row in enumerate(reader, start=2):
        if None in row or any(row.get(c) is None for c in required):
            problems.append(f"{path.name}, dòng {line}: số cột không khớp với tiêu đề.")
            continue
        blank = [c for c in required if not row[c].strip()]
        if blank:
            problems.append(f"{path.name}, dòng {line}: thiếu giá trị ở cột {', '.join(blank)}.")
            continue
        rows.append((line, {k: v.strip() for k, v in row.items()}))
    return rows


def _digits(value: str, width: int, where: str, problems: list[str]) -> str | None:
    if not value.isdigit() or len(value) > width:
        problems.append(f"{where}: mã '{value}' không hợp lệ (cần tối đa {width} chữ số).")
        return None
    return value.zfill(width)


def this_province(code: str = "") -> str:
    """`code`, or when it is left empty the province this installation serves
    (settings.DXTRACK_PROVINCE_CODE): no function of the registry assumes one province."""
    return code or settings.DXTRACK_PROVINCE_CODE


def read_admin_data(
    current_provinces, current_communes, source: Path = ADMIN_DATA_DIR, province_code: str = ""
) -> AdminData:
    """Current units come in as (code, name, kind) from the package; former ones and the
    change records from `source`. Raises InvalidData listing every problem."""
    province_code = this_province(province_code)
    problems: list[str] = []
    data = AdminData()
    province_history = _read_csv(
        source / "provinces-2025-07.csv",
        ["province_code", "province", "old_code", "old_name", "share"],
        problems,
    )
    unchanged = defaultdict(list)
    for _line, row in province_history:
        unchanged[row["province_code"].zfill(2)].append((row["old_code"].zfill(2), row["share"]))

    for code, name, kind in current_provinces:
        history = unchanged.get(code, [])
        # A province formed only from itself existed before the reform and goes on.
        same = history == [(code, "full")]
        data.units.append(
            UnitRow(
                f"province:{code}",
                code,
                name,
                kind,
                "province",
                None,
                None if same else REFORM_DATE,
                None,
                "vietnam-provinces",
            )
        )
    for code, name, kind, parent_code in current_communes:
        data.units.append(
            UnitRow(
                f"commune:{code}@new",
                code,
                name,
                kind,
                "commune",
                f"province:{parent_code}",
                REFORM_DATE,
                None,
                "vietnam-provinces",
            )
        )

    former = _read_csv(
        source / "thanhhoa-before-2025-07.csv",
        [
            "province_code",
            "district_code",
            "district",
            "district_type",
            "commune_code",
            "commune",
            "commune_type",
        ],
        problems,
    )
    seen_districts: dict[str, tuple[str, str]] = {}
    for line, row in former:
        where = f"thanhhoa-before-2025-07.csv, dòng {line}"
        pcode = _digits(row["province_code"], 2, where, problems)
        dcode = _digits(row["district_code"], 3, where, problems)
        ccode = _digits(row["commune_code"], 5, where, problems)
        if not (pcode and dcode and ccode):
            continue
        if pcode != province_code:
            problems.append(f"{where}: mã tỉnh '{pcode}' không phải tỉnh đang nạp ({province_code}).")
            continue
        if dcode not in seen_districts:
            seen_districts[dcode] = (row["district"], row["district_type"])
            data.units.append(
                UnitRow(
                    f"district:{dcode}@old",
                    dcode,
                    row["district"],
                    row["district_type"],
                    "district",
                    f"province:{pcode}",
                    None,
                    LAST_DAY_BEFORE_REFORM,
                    where,
                )
            )
        elif seen_districts[dcode][0] != row["district"]:
            problems.append(f"{where}: mã huyện {dcode} đã gắn với tên '{seen_districts[dcode][0]}'.")
        data.units.append(
            UnitRow(
                f"commune:{ccode}@old",
                ccode,
                row["commune"],
                row["commune_type"],
                "commune",
                f"district:{dcode}@old",
                None,
                LAST_DAY_BEFORE_REFORM,
                where,
            )
        )

    changes = _read_csv(
        source / "thanhhoa-changes-2025-07.csv",
        ["new_code", "new_name", "old_code", "old_name", "share"],
        problems,
    )
    targets_of = Counter(row["old_code"] for _line, row in changes)
    sources_of = Counter(row["new_code"] for _line, row in changes)
    for line, row in changes:
        where = f"thanhhoa-changes-2025-07.csv, dòng {line}"
        new = _digits(row["new_code"], 5, where, problems)
        old = _digits(row["old_code"], 5, where, problems)
        if not (new and old):
            continue
        if row["share"] not in ("full", "partial"):
            problems.append(f"{where}: phạm vi '{row['share']}' phải là full hoặc partial.")
            continue
        if targets_of[row["old_code"]] > 1:
            kind = "split"
        elif sources_of[row["new_code"]] == 1 and row["share"] == "full":
            kind = "rename"
        else:
            kind = "merge"
        data.changes.append(
            ChangeRow(f"commune:{old}@old", f"commune:{new}@new", row["share"], kind, REFORM_DATE, where)
        )
    if problems:
        raise InvalidData("Dữ liệu đơn vị hành chính có lỗi; chưa nạp gì.", details=problems)
    check_admin_data(data)
    return data


def check_admin_data(data: AdminData) -> None:
    """Keys unique, parents known and of a higher level, no cycles, dates ordered, every change
    between known units, and no unit valid after the date it was succeeded."""
    problems: list[str] = []
    by_key: dict[str, UnitRow] = {}
    for unit in data.units:
        if unit.key in by_key:
            problems.append(f"{unit.where}: đơn vị {unit.code} ({unit.name}) bị trùng.")
        by_key[unit.key] = unit
        if unit.level not in LEVEL_RANK:
            problems.append(f"{unit.where}: cấp '{unit.level}' không hợp lệ.")
        if unit.valid_from and unit.valid_to and unit.valid_to < unit.valid_from:
            problems.append(f"{unit.where}: {unit.name} hết hiệu lực trước khi có hiệu lực.")
    for unit in data.units:
        if unit.parent_key is None:
            continue
        parent = by_key.get(unit.parent_key)
        if parent is None:
            problems.append(f"{unit.where}: {unit.name} trực thuộc đơn vị không có trong danh mục ({unit.parent_key}).")
        elif LEVEL_RANK.get(parent.level, 9) >= LEVEL_RANK.get(unit.level, -1):
            problems.append(f"{unit.where}: {unit.name} không thể trực thuộc {parent.name} (cùng cấp hoặc cấp dưới).")
    problems += _parent_cycles(by_key)

    seen = set()
    for change in data.changes:
        old, new = by_key.get(change.old_key), by_key.get(change.new_key)
        if old is None:
            problems.append(f"{change.where}: mã cũ {_code_of(change.old_key)} không có trong danh mục trước sáp nhập.")
        if new is None:
            problems.append(f"{change.where}: mã mới {_code_of(change.new_key)} không có trong danh mục hiện hành.")
        if old is None or new is None:
            continue
        if (change.old_key, change.new_key) in seen:
            problems.append(f"{change.where}: thay đổi {old.name} → {new.name} bị trùng.")
        seen.add((change.old_key, change.new_key))
        if old.valid_to is None or old.valid_to >= change.date:
            problems.append(
                f"{change.where}: {old.name} vẫn còn hiệu lực sau ngày {change.date:%d/%m/%Y}, "
                f"khi đã được thay bởi {new.name}."
            )
        if new.valid_from and new.valid_from > change.date:
            problems.append(f"{change.where}: {new.name} chưa có hiệu lực vào ngày {change.date:%d/%m/%Y}.")
    if problems:
        raise InvalidData("Dữ liệu đơn vị hành chính có lỗi; chưa nạp gì.", details=problems)


def _code_of(key: str) -> str:
    return key.split(":", 1)[1].split("@", 1)[0]


def _parent_cycles(by_key: dict[str, UnitRow]) -> list[str]:
    problems, done = [], set()
    for start in by_key:
        path, key = [], start
        while key is not None and key not in done:
            if key in path:
                cycle = " → ".join(by_key[k].name for k in [*path[path.index(key) :], key])
                problems.append(f"{by_key[key].where}: vòng lặp trong quan hệ trực thuộc: {cycle}.")
                break
            path.append(key)
            key = by_key[key].parent_key if key in by_key else None
        done.update(path)
    return problems


# ---- agencies ---------------------------------------------------------------------------------

AGENCY_KINDS = {
    "people_committee",
    "peoples_council",
    "party",
    "department",
    "board",
    "central",
    "central_branch",
    "union",
    "association",
    "university",
    "press",
    "telecom",
    "enterprise",
    "other",
}


def _date(value, where: str, problems: list[str]) -> datetime.date | None:
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{where}: ngày '{value}' không hợp lệ (cần dạng YYYY-MM-DD).")
        return None


def read_agency_data(path: Path = AGENCY_DATA_FILE) -> dict:
    """Parses and checks agencies.json; returns {'agencies', 'changes', 'groups'} with dates parsed.
    Every problem of every section is collected before refusing, so one reading lists them all."""
    raw = _agency_json(path)
    problems: list[str] = []
    agencies, codes = _read_agencies(raw, path, problems)
    by_code = {a["code"]: a for a in agencies}
    changes = _read_agency_changes(raw, path, by_code, problems)
    groups = _read_agency_groups(raw, path, by_code, codes, problems)
    if problems:
        raise InvalidData("Danh mục cơ quan có lỗi; chưa nạp gì.", details=problems)
    return {"agencies": agencies, "changes": changes, "groups": groups}


def _agency_json(path: Path) -> dict:
    try:
        raw = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise InvalidData(f"Không tìm thấy tệp {path.name}.") from None
    except UnicodeDecodeError:
        raise InvalidData(f"{path.name}: tệp không ở mã UTF-8.") from None
    except json.JSONDecodeError as exc:
        raise InvalidData(f"{path.name}: không đọc được JSON (dòng {exc.lineno}, cột {exc.colno}).") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("agencies"), list):
        raise InvalidData(f"{path.name}: cần một đối tượng JSON có danh sách 'agencies'.")

    return raw


def _read_agencies(raw: dict, path: Path, problems: list[str]) -> tuple[list[dict], set[str]]:
    agencies: list[dict] = []
    codes: set[str] = set()
    for i, item in enumerate(raw["agencies"], start=1):
        where = f"{path.name}, cơ quan thứ {i}"
        if not isinstance(item, dict):
            problems.append(f"{where}: phải là một đối tượng.")
            continue
        code, name, kind = item.get("code"), item.get("name"), item.get("kind")
        if not isinstance(code, str) or not code.strip() or not isinstance(name, str) or not name.strip():
            problems.append(f"{where}: thiếu mã hoặc tên.")
            continue
        where = f"{path.name}, cơ quan {code}"
        if code in codes:
            problems.append(f"{where}: mã bị trùng.")
        codes.add(code)
        if kind not in AGENCY_KINDS:
            problems.append(f"{where}: loại '{kind}' không hợp lệ.")
        aliases = item.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            problems.append(f"{where}: 'aliases' phải là danh sách tên.")
            aliases = []
        start, end = (
            _date(item.get("valid_from"), where, problems),
            _date(item.get("valid_to"), where, problems),
        )
        if start and end and end < start:
            problems.append(f"{where}: hết hiệu lực trước khi có hiệu lực.")
        agencies.append(
            {
                "code": code,
                "name": name.strip(),
                "kind": kind,
                "aliases": aliases,
                "valid_from": start,
                "valid_to": end,
            }
        )
    return agencies, codes


def _read_agency_changes(raw: dict, path: Path, by_code: dict, problems: list[str]) -> list[dict]:
    changes: list[dict] = []
    for i, item in enumerate(raw.get("changes", []), start=1):
        where = f"{path.name}, thay đổi thứ {i}"
        if not isinstance(item, dict):
            problems.append(f"{where}: phải là một đối tượng.")
            continue
        old, new = by_code.get(item.get("old")), by_code.get(item.get("new"))
        when = _date(item.get("date"), where, problems)
        if old is None or new is None:
            problems.append(
                f"{where}: mã cơ quan '{item.get('old') if old is None else item.get('new')}' không có trong danh mục."
            )
            continue
        if item.get("share") not in ("full", "partial"):
            problems.append(f"{where}: phạm vi phải là full hoặc partial.")
            continue
        if when is None:
            problems.append(f"{where}: thiếu ngày hiệu lực.")
            continue
        if old["valid_to"] is None or old["valid_to"] >= when:
            problems.append(
                f"{where}: {old['name']} vẫn còn hiệu lực sau ngày {when:%d/%m/%Y}, khi đã chuyển cho {new['name']}."
            )
        if new["valid_from"] and new["valid_from"] > when:
            problems.append(f"{where}: {new['name']} chưa có hiệu lực vào ngày {when:%d/%m/%Y}.")
        changes.append(
            {
                "old": old["code"],
                "new": new["code"],
                "date": when,
                "share": item["share"],
                "note": str(item.get("note", ""))[:255],
            }
        )
    problems += _succession_cycles(changes)
    return changes


def _read_agency_groups(raw: dict, path: Path, by_code: dict, codes: set[str], problems: list[str]) -> list[dict]:
    groups: list[dict] = []
    group_codes: set[str] = set()
    for i, item in enumerate(raw.get("groups", []), start=1):
        where = f"{path.name}, nhóm thứ {i}"
        if not isinstance(item, dict) or not item.get("code") or not item.get("name"):
            problems.append(f"{where}: thiếu mã hoặc tên.")
            continue
        where = f"{path.name}, nhóm {item['code']}"
        if item["code"] in codes or item["code"] in group_codes:
            problems.append(f"{where}: mã bị trùng.")
        group_codes.add(item["code"])
        rule = item.get("rule") or {}
        kinds, level, members = rule.get("kinds", []), rule.get("admin_level", ""), rule.get("members", [])
        if sum(k in rule for k in ("kinds", "admin_level", "members")) != 1 or not isinstance(members, list):
            problems.append(f"{where}: quy tắc thành viên phải là đúng một trong kinds, admin_level, members.")
        if any(k not in AGENCY_KINDS for k in kinds):
            problems.append(f"{where}: loại cơ quan không hợp lệ trong quy tắc.")
        if level and level not in ("district", "commune"):
            problems.append(f"{where}: cấp '{level}' không hợp lệ.")
        unknown = [m for m in members if m not in by_code]
        if unknown:
            problems.append(f"{where}: thành viên không có trong danh mục: {', '.join(unknown)}.")
        groups.append(
            {
                "code": item["code"],
                "name": item["name"],
                "aliases": list(item.get("aliases", [])),
                "kinds": kinds,
                "level": level,
                "members": members,
                "valid_from": _date(item.get("valid_from"), where, problems),
                "valid_to": _date(item.get("valid_to"), where, problems),
                "successor": item.get("successor"),
            }
        )
    for group in groups:
        if group["successor"] and group["successor"] not in group_codes:
            problems.append(f"{path.name}, nhóm {group['code']}: nhóm kế thừa '{group['successor']}' không có.")
    return groups


def _succession_cycles(changes: list[dict]) -> list[str]:
    graph = defaultdict(set)
    for change in changes:
        graph[change["old"]].add(change["new"])
    problems, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                problems.append(f"Vòng lặp kế thừa giữa các cơ quan: {' → '.join([*trail, node, nxt])}.")
            elif nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    return problems
