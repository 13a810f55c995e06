"""Load a `forms/` folder into a validated, immutable Study — or report every problem at once."""
from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from ecrf.study.chart_reader import read_charts
from ecrf.study.charts import CHARTS_FILE, NO_CHARTS, ChartSet
from ecrf.study.crossrefs import check_study
from ecrf.study.form_loader import FormDraft, FormReader, PendingExpr, read_codelists
from ecrf.study.model import (
    ROLES,
    Arm,
    Codelist,
    Form,
    Source,
    Study,
    StudyInfo,
    Text,
    Visit,
    VisitForm,
)
from ecrf.study.monitoring import MONITORING_FILE
from ecrf.study.monitoring_loader import read_monitoring
from ecrf.study.problems import DefinitionError, P, Problem, Problems
from ecrf.study.reader import OID_RE, Reader, did_you_mean, shape_name
from ecrf.study.yamlsource import (
    MAX_ALIASES,
    MAX_EXPANDED_VALUES,
    LineMap,
    YamlAliasBomb,
    YamlSyntaxError,
    parse_yaml,
)

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing: the study loads at every start
if TYPE_CHECKING:
    from typing import Any

STUDY_FILE = "study.yaml"
CODELIST_FILE = "codelists.yaml"
STUDY_KEYS = ("study", "missing_codes", "roles", "arms", "timepoints", "visits", "logs",
              "eligibility", "allocation", "end_of_study")
INFO_KEYS = ("oid", "version", "title", "short_title", "phase", "planned_subjects", "start_date", "languages")
ARM_TYPES = ("experimental", "active_comparator", "placebo", "no_intervention", "other")
DEFAULT_LANGUAGES = ("en", "zh")


def load_study(folder: str | Path) -> Study:
    """Read and check the definition in `folder`; raise DefinitionError listing all problems."""
    return _StudyLoader(Path(folder)).load()


def check_definition(folder: str | Path) -> list[Problem]:
    """Every problem of the definition in `folder` (empty when it is sound)."""
    try:
        load_study(folder)
    except DefinitionError as exc:
        return exc.problems
    return []


class _StudyLoader:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems = Problems()
        self.label = folder.name or str(folder)
        self.fingerprint = ""

    def rel(self, path: Path) -> str:
        return f"{self.label}/{path.relative_to(self.folder).as_posix()}"

    def load(self) -> Study:
        docs = self._read_files()
        study_doc = docs.pop(STUDY_FILE, None)
        monitoring_doc = docs.pop(MONITORING_FILE, None)
        languages = self._languages(study_doc)
        r = Reader(self.problems, self.rel(self.folder / STUDY_FILE), languages)
        missing_codes = self._text_map(r, study_doc, "missing_codes") if study_doc else {}
        codelists = self._codelists(docs, study_doc, languages)
        drafts = self._forms(docs, codelists, missing_codes, languages)
        study = self._study(r, study_doc, languages, missing_codes, codelists, drafts) if study_doc else None
        if study is not None:
            pending: list[PendingExpr] = [p for d in drafts.values() for p in d.expressions]
            if monitoring_doc is not None:
                damaged = {problem.file for problem in self.problems.items}
                plan, conditions = read_monitoring(
                    monitoring_doc, study, Reader(self.problems, self.rel(self.folder / MONITORING_FILE), languages),
                    damaged)
                study, pending = replace(study, monitoring=plan), pending + conditions
            check_study(study, pending, self.problems, r.file)
            study = replace(study, charts=self._charts(study))
        if self.problems or study is None:
            raise DefinitionError(self.problems.sorted())
        return study

    # -- files ---------------------------------------------------------------------------
    def _read_files(self) -> dict[str, LineMap]:
        if not self.folder.is_dir():
            what = "is a file, not a folder" if self.folder.exists() else "does not exist"
            raise DefinitionError([Problem(str(self.folder), 0, P.FILE_MISSING, "", f"{self.folder} {what}; "
                                   "give the folder that holds study.yaml and the form files")])
        paths = sorted(p for p in self.folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
        if not any(p.name == STUDY_FILE for p in paths):
            self.problems.add(self.rel(self.folder / STUDY_FILE), 0, P.FILE_MISSING, what=STUDY_FILE,
                              hint="every study folder needs one (see docs/forms-format.md)")
        docs: dict[str, LineMap] = {}
        digest = hashlib.sha256()
        for path in paths:
            data = self._parse(path, digest)
            if data is not None:
                docs[path.name] = data
        self.fingerprint = digest.hexdigest()
        return docs

    def _parse(self, path: Path, digest: Any = None) -> LineMap | None:
        """One YAML file as a mapping, or None with its problem recorded. `digest` (the fingerprint)
        takes in the definition files only: display files such as the chart file stay out of it."""
        try:
            raw = path.read_bytes()
            if digest is not None:
                digest.update(f"{path.name}\0{len(raw)}\0".encode() + raw)
            data = parse_yaml(raw)
        except YamlAliasBomb as exc:
            self.problems.add(self.rel(path), exc.line, P.YAML_ALIAS_BOMB, detail=exc.message,
                              max_aliases=MAX_ALIASES, max_values=MAX_EXPANDED_VALUES)
            return None
        except YamlSyntaxError as exc:
            self.problems.add(self.rel(path), exc.line, P.YAML_SYNTAX, detail=exc.message)
            return None
        except OSError as exc:
            self.problems.add(self.rel(path), 0, P.FILE_MISSING, what=path.name,
                              hint=f"cannot read it ({exc.strerror})")
            return None
        if not isinstance(data, LineMap):
            self.problems.add(self.rel(path), 1, P.WRONG_SHAPE, what="the file", expected="a mapping of keys",
                              got=shape_name(data))
            return None
        self._report_duplicate_keys(self.rel(path), data)
        return data

    def _charts(self, study: Study) -> ChartSet:
        """The chart file beside the definition, when there is one (display only; see ecrf.study.charts)."""
        path = self.folder / CHARTS_FILE
        if not path.is_file():
            return NO_CHARTS
        doc = self._parse(path)
        if doc is None:
            return NO_CHARTS
        damaged = {problem.file for problem in self.problems.items}
        return read_charts(doc, study, Reader(self.problems, self.rel(path), study.info.languages), damaged)

    def _report_duplicate_keys(self, file: str, data: Any) -> None:
        """YAML keeps only the last of two equal keys; say so for every mapping in the file."""
        stack = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, LineMap):
                for key, line in node.duplicates:
                    self.problems.add(file, line, P.DUPLICATE_KEY, "", key=key)
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)

    def _languages(self, doc: LineMap | None) -> tuple[str, ...]:
        info = doc.get("study") if doc else None
        langs = info.get("languages") if isinstance(info, LineMap) else None
        if isinstance(langs, list) and langs and all(isinstance(x, str) for x in langs):
            return tuple(langs)
        if langs is not None and isinstance(info, LineMap):  # absent: reported with the other keys of 'study'
            self.problems.add(self.rel(self.folder / STUDY_FILE), info.line_of("languages"), P.WRONG_SHAPE, "study",
                              what="'languages'", expected="a list of language codes such as [en, zh]",
                              got=shape_name(langs))
        return DEFAULT_LANGUAGES

    def _codelists(self, docs: dict[str, LineMap], study_doc: LineMap | None,
                   languages: tuple[str, ...]) -> dict[str, Codelist]:
        found: dict[str, Codelist] = {}
        shared = docs.pop(CODELIST_FILE, None)
        if shared is not None:
            r = Reader(self.problems, self.rel(self.folder / CODELIST_FILE), languages)
            r.keys(shared, ("codelists",), ("codelists",), CODELIST_FILE)
            if "codelists" in shared:
                read_codelists(r, shared["codelists"], shared.line_of("codelists"), found)
        for name, doc in docs.items():
            if "codelists" in doc:
                r = Reader(self.problems, self.rel(self.folder / name), languages)
                read_codelists(r, doc["codelists"], doc.line_of("codelists"), found)
        return found

    def _forms(self, docs: dict[str, LineMap], codelists: dict[str, Codelist], missing: dict[str, Text],
               languages: tuple[str, ...]) -> dict[str, FormDraft]:
        drafts: dict[str, FormDraft] = {}
        for name, doc in docs.items():
            r = Reader(self.problems, self.rel(self.folder / name), languages)
            draft = FormReader(r, codelists, missing).read(doc)
            if draft is None:
                continue
            code = draft.form.code
            if code in drafts:
                first = drafts[code].form.source
                r.add(draft.form.source.line, P.DUPLICATE_CODE, code, what="form", code=code,
                      first=f"{first.line} of {first.file}")
                continue
            drafts[code] = draft
        return drafts

    # -- study.yaml ----------------------------------------------------------------------
    def _study(self, r: Reader, doc: LineMap, languages: tuple[str, ...], missing_codes: dict[str, Text],
               codelists: dict[str, Codelist], drafts: dict[str, FormDraft]) -> Study | None:
        r.keys(doc, STUDY_KEYS, ("study", "arms", "visits", "roles"), STUDY_FILE)
        info = self._info(r, doc, languages)
        roles = self._text_map(r, doc, "roles")
        for role in ROLES:
            if role not in roles and "roles" in doc:
                r.add(doc.line_of("roles"), P.MISSING_KEY, "roles", what="'roles'", key=role)
        arms = self._arms(r, doc)
        timepoints = self._text_map(r, doc, "timepoints")
        forms = {code: d.form for code, d in drafts.items()}
        visits = self._visits(r, doc, forms, {a.code for a in arms}, timepoints)
        logs = self._form_refs(r, doc, "logs", forms)
        eligibility = self._form_ref(r, doc, "eligibility", forms)
        allocation = self._form_ref(r, doc, "allocation", forms)
        eos_form, eos_visit = self._end_of_study(r, doc, forms, visits)
        if info is None:
            return None
        return Study(info, missing_codes, roles, tuple(arms), timepoints, tuple(visits), tuple(logs), forms,
                     codelists, eligibility, allocation, eos_form, eos_visit, self.fingerprint, self.folder)

    def _info(self, r: Reader, doc: LineMap, languages: tuple[str, ...]) -> StudyInfo | None:
        im = r.mapping(doc.get("study"), doc.line_of("study"), "'study'", "study")
        if im is None:
            return None
        r.keys(im, INFO_KEYS, ("oid", "version", "title", "languages"), "'study'", "study")
        oid = r.string(im, "oid", "study", "study")
        if oid is not None and not OID_RE.match(oid):
            r.add(im.line_of("oid"), P.BAD_CODE, "study", code=oid, rule="letters, digits, '-', '_' and '.'")
            oid = None
        version = r.string(im, "version", "study", "study")
        title = r.text(im, "title", "study", "study")
        short = r.text(im, "short_title", "study", "study", required=False)
        if oid is None or version is None or title is None:
            return None
        return StudyInfo(oid, version, title, short or title, r.string(im, "phase", "study", "study") or "",
                         r.integer(im, "planned_subjects", "study", "study", minimum=1),
                         r.iso_date(im, "start_date", "study", "study"), languages)

    def _text_map(self, r: Reader, doc: LineMap, key: str) -> dict[str, Text]:
        if key not in doc:
            return {}
        m = r.mapping(doc[key], doc.line_of(key), f"'{key}'", key)
        result: dict[str, Text] = {}
        if m is None:
            return result
        for code, value in m.items():
            text = r.text_value(value, m.line_of(code), f"'{code}'", key)
            if text is not None:
                result[str(code)] = text
        return result

    def _arms(self, r: Reader, doc: LineMap) -> list[Arm]:
        seq = r.sequence(doc.get("arms"), doc.line_of("arms"), "'arms'", "arms") if "arms" in doc else None
        arms: list[Arm] = []
        if seq is None:
            return arms
        seen: dict[str, int] = {}
        for index, raw in enumerate(seq):
            am = r.mapping(raw, seq.line_of(index), "an arm", "arms")
            if am is None:
                continue
            r.keys(am, ("code", "label", "type", "planned_subjects", "description"), ("code", "label", "type"),
                   "an arm")
            code = r.code(am, "code", "arm", "arms")
            where = f"arm {code}"
            label = r.text(am, "label", "arm", where)
            arm_type = r.choice(am, "type", ARM_TYPES, "arm", where)
            if code in seen:
                r.add(am.line, P.DUPLICATE_CODE, where, what="arm", code=code, first=seen[code])
                continue
            if code is None:
                continue
            seen[code] = am.line
            # An arm with a bad label or type is still defined: its problem is reported above, and the study
            # cannot load while it stands, but the visits and forms that name the arm are not wrong too.
            arms.append(Arm(code, label or Text(((code, code),)), arm_type or "other",
                            r.integer(am, "planned_subjects", "arm", where, minimum=0),
                            r.text(am, "description", "arm", where, required=False)))
        return arms

    def _visits(self, r: Reader, doc: LineMap, forms: dict[str, Form], arms: set[str],
                timepoints: dict[str, Text]) -> list[Visit]:
        seq = r.sequence(doc.get("visits"), doc.line_of("visits"), "'visits'", "visits") if "visits" in doc else None
        visits: list[Visit] = []
        if seq is None:
            return visits
        seen: dict[str, int] = {}
        for index, raw in enumerate(seq):
            vm = r.mapping(raw, seq.line_of(index), "a visit", "visits")
            if vm is None:
                continue
            r.keys(vm, ("code", "label", "day", "window", "before_day0", "forms"), ("code", "label", "day", "forms"),
                   "a visit")
            code = r.code(vm, "code", "visit", "visits")
            where = f"visit {code}"
            label = r.text(vm, "label", "visit", where)
            day = r.integer(vm, "day", "visit", where)
            before, after = self._window(r, vm, where)
            visit_forms = self._visit_forms(r, vm, where, forms, arms, timepoints)
            if code in seen:
                r.add(vm.line, P.DUPLICATE_CODE, where, what="visit", code=code, first=seen[code])
                continue
            if code is None or label is None or day is None:
                continue
            seen[code] = vm.line
            if visits and day < visits[-1].day:
                r.add(vm.line_of("day"), P.VISIT_ORDER, where, visit=code, day=day, prev=visits[-1].code,
                      prev_day=visits[-1].day)
            visits.append(Visit(code, label, day, before, after, tuple(visit_forms), Source(r.file, vm.line),
                                r.boolean(vm, "before_day0", "visit", where)))
        return visits

    def _window(self, r: Reader, vm: LineMap, where: str) -> tuple[int, int]:
        if "window" not in vm:
            return 0, 0
        wm = r.mapping(vm["window"], vm.line_of("window"), "'window'", where)
        if wm is None:
            return 0, 0
        r.keys(wm, ("before", "after"), ("before", "after"), "'window'", where)
        return (r.integer(wm, "before", "window", where, minimum=0) or 0,
                r.integer(wm, "after", "window", where, minimum=0) or 0)

    def _visit_forms(self, r: Reader, vm: LineMap, where: str, forms: dict[str, Form], arms: set[str],
                     timepoints: dict[str, Text]) -> list[VisitForm]:
        seq = r.sequence(vm.get("forms"), vm.line_of("forms"), "'forms'", where) if "forms" in vm else None
        result: list[VisitForm] = []
        if seq is None:
            return result
        for index, raw in enumerate(seq):
            line = seq.line_of(index)
            vf = self._visit_form(r, raw, line, where, arms, timepoints)
            if vf is None:
                continue
            if vf.form not in forms:
                r.add(line, P.UNKNOWN_FORM, where, form=vf.form, hint=did_you_mean(vf.form, forms))
                continue
            clash = next((o for o in result if o.form == vf.form and _arms_overlap(o.arms, vf.arms)), None)
            if clash is not None:
                arm = ", ".join(sorted(set(clash.arms or arms) & set(vf.arms or arms))) or "all"
                r.add(line, P.FORM_TWICE_AT_VISIT, where, form=vf.form, visit=where.split()[-1], arm=arm)
                continue
            result.append(vf)
        return result

    def _visit_form(self, r: Reader, raw: Any, line: int, where: str, arms: set[str],
                    timepoints: dict[str, Text]) -> VisitForm | None:
        if isinstance(raw, str):
            return VisitForm(raw, line=line)
        fm = r.mapping(raw, line, "a visit form (a form code or {form: CODE, arms: [...], timepoints: [...]})", where)
        if fm is None:
            return None
        r.keys(fm, ("form", "arms", "timepoints"), ("form",), "a visit form", where)
        code = r.string(fm, "form", "visit form", where)
        arm_list = self._codes_in(r, fm, "arms", where, arms, P.UNKNOWN_ARM)
        tp_list = self._codes_in(r, fm, "timepoints", where, set(timepoints), P.UNKNOWN_TIMEPOINT)
        return VisitForm(code, arm_list, tp_list, line) if code else None

    def _codes_in(self, r: Reader, fm: LineMap, key: str, where: str, known: set[str], problem: P) -> tuple[str, ...]:
        if key not in fm:
            return ()
        seq = r.sequence(fm[key], fm.line_of(key), f"'{key}'", where)
        codes: list[str] = []
        for value in seq or ():
            if value in known:
                codes.append(value)
            elif problem is P.UNKNOWN_ARM:
                r.add(fm.line_of(key), problem, where, arm=value, allowed=", ".join(sorted(known)))
            else:
                r.add(fm.line_of(key), problem, where, tp=value, hint=did_you_mean(str(value), known))
        return tuple(codes)

    def _form_ref(self, r: Reader, doc: LineMap, key: str, forms: dict[str, Form]) -> str | None:
        code = r.string(doc, key, key, key)
        if code is not None and code not in forms:
            r.add(doc.line_of(key), P.UNKNOWN_FORM, key, form=code, hint=did_you_mean(code, forms))
            return None
        return code

    def _form_refs(self, r: Reader, doc: LineMap, key: str, forms: dict[str, Form]) -> list[str]:
        if key not in doc:
            return []
        seq = r.sequence(doc[key], doc.line_of(key), f"'{key}'", key)
        found: list[str] = []
        if seq is None:
            return found
        for index, code in enumerate(seq):
            if code not in forms:
                r.add(seq.line_of(index), P.UNKNOWN_FORM, key, form=code, hint=did_you_mean(str(code), forms))
            else:
                found.append(code)
        return found

    def _end_of_study(self, r: Reader, doc: LineMap, forms: dict[str, Form],
                      visits: list[Visit]) -> tuple[str | None, str | None]:
        if "end_of_study" not in doc:
            return None, None
        em = r.mapping(doc["end_of_study"], doc.line_of("end_of_study"), "'end_of_study'", "end_of_study")
        if em is None:
            return None, None
        r.keys(em, ("form", "visit"), ("form", "visit"), "'end_of_study'", "end_of_study")
        form = self._form_ref(r, em, "form", forms)
        visit = r.string(em, "visit", "end_of_study", "end_of_study")
        codes = [v.code for v in visits]
        if visit is not None and visit not in codes:
            r.add(em.line_of("visit"), P.UNKNOWN_VISIT, "end_of_study", visit=visit, allowed=", ".join(codes))
            visit = None
        return form, visit


def _arms_overlap(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return not a or not b or bool(set(a) & set(b))
