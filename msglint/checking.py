"""Checking files and batches with the configuration that applies to each: the engine of ``msglint check``.

For every item: find its configuration (walking up from the file), choose the rules
(select / extend-select / ignore / per-file-ignores), the kind, marketplace, allow-lists and
severity overrides, lint it (template files with masking and suppressions), and drop allowed
phrases. Linters are cached per distinct setting; spaCy pipelines are cached per language.
Many files can be checked in parallel worker processes, each building its pipelines once.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable, Iterable, Optional, Sequence

from msglint import config as config_mod
from msglint import marketplaces
from msglint.inputs import InputError, Item
from msglint.linter import FIELDS, Linter
from msglint.model import KINDS, Report, Severity
from msglint.rules import ALL_RULES
from msglint.selection import select as select_rules
from msglint.templatefile import ML_RULES, catalogue_kind, check_template, is_template


@lru_cache(maxsize=1)
def all_codes() -> frozenset:
    """Every rule code, for a template's suppressions; made when a template is checked, since it imports
    the e-mail rules, which a check of plain text never needs."""
    from msglint.mail import MAIL_RULES

    return frozenset(r.code for r in ALL_RULES + MAIL_RULES + ML_RULES)


@dataclass(frozen=True)
class Options:
    """What the command line said; None means: ask the configuration, then the default."""

    kind: Optional[str] = None
    field: Optional[str] = None
    marketplace: Optional[str] = None
    select: Optional[tuple] = None
    extend_select: tuple = ()
    ignore: tuple = ()
    allow_domains: tuple = ()
    brands: tuple = ()
    config_path: Optional[str] = None
    use_config: bool = True
    explain_lang: str = "en"  # language of the findings' messages (en | zh)


@dataclass(frozen=True)
class Settings:
    marketplace: str
    kind: Optional[str]           # None: not set by option or configuration
    rules: tuple
    allow_domains: tuple
    brands: tuple
    severity: tuple
    config: config_mod.Config

    def allowed(self, text: str) -> bool:
        return self.config.allowed_phrase(text)


class Runner:
    def __init__(self, options: Options):
        self.options = options
        self._linters: dict = {}
        self._settings: dict = {}  # per path: the cells of an inventory file share one

    def config_for(self, path: str) -> config_mod.Config:
        if not self.options.use_config:
            return config_mod.Config()
        if self.options.config_path:
            return config_mod.load(os.path.abspath(self.options.config_path))
        return config_mod.for_path(path)

    def settings_for(self, path: str) -> Settings:
        cached = self._settings.get(path)
        if cached is None:
            cached = self._settings[path] = self._settings_for(path)
        return cached

    def _settings_for(self, path: str) -> Settings:
        o = self.options
        cfg = self.config_for(path)
        ignore = tuple(cfg.ignore) + tuple(o.ignore) + tuple(sorted(cfg.ignored_for(path)))
        rules = select_rules(ALL_RULES, o.select if o.select is not None else cfg.select,
                             tuple(cfg.extend_select) + tuple(o.extend_select), ignore)
        return Settings(
            marketplace=o.marketplace or cfg.marketplace or "US",
            kind=o.kind or cfg.kind_for(path),   # None: the default, "message" (or a catalogue's own kind)
            rules=rules,
            allow_domains=tuple(cfg.allow_domains) + tuple(o.allow_domains),
            brands=tuple(cfg.brands) + tuple(o.brands),
            severity=cfg.severity,
            config=cfg,
        )

    def linter(self, s: Settings) -> Linter:
        key = (s.marketplace, tuple(r.code for r in s.rules), s.allow_domains, s.brands, s.severity)
        if key not in self._linters:
            self._linters[key] = Linter(marketplace=s.marketplace, rules=s.rules, allow_domains=s.allow_domains,
                                        brands=s.brands, severity_overrides=dict(s.severity),
                                        explain_lang=self.options.explain_lang)
        return self._linters[key]

    def check(self, item: Item) -> Report:
        where = f"{item.path}:{item.line}" if item.line else item.path
        s = self.settings_for(item.path if item.line is None else os.getcwd())
        template = item.id is None and item.location is None and item.mail is None and \
            is_template(item.path, s.config.template_files, s.config.root)
        # a template of the Plan-of-Action catalogue is an appeal unless --kind or the configuration says otherwise
        kind = item.kind or s.kind or (catalogue_kind(item.path) if template else None) or "message"
        if kind not in KINDS:
            raise InputError(f"{where}: unknown kind {kind!r} (one of {', '.join(KINDS)})")
        fld = item.field or self.options.field
        if fld is not None and fld not in FIELDS:
            raise InputError(f"{where}: unknown field {fld!r} (one of {', '.join(FIELDS)})")
        try:
            mp = marketplaces.get(item.marketplace or s.marketplace).code
        except ValueError as exc:
            raise InputError(f"{where}: {exc}") from None
        linter = self.linter(s)
        brands = (item.brand,) if item.brand else ()
        if item.mail is not None:
            return self._check_mail(item, s, linter, kind, mp)
        if template:
            selected = {r.code for r in s.rules} | {r.code for r in select_rules(
                ML_RULES, self.options.select if self.options.select is not None else s.config.select,
                tuple(s.config.extend_select) + tuple(self.options.extend_select),
                tuple(s.config.ignore) + tuple(self.options.ignore))}
            report = check_template(linter, item.path, item.text, kind=kind, marketplace=mp,
                                    known_codes=all_codes(), select=lambda code: code in selected)
            findings = tuple(f for f in report.findings if f.code in selected or not f.code.startswith("ML"))
        else:
            report = linter.check(item.text, kind=kind, field=fld if kind == "listing" else None,
                                  marketplace=mp, brands=brands)
            findings = report.findings
        findings = tuple(f for f in findings if not s.allowed(f.text))
        return Report(text=report.text, kind=kind, marketplace=mp, findings=findings, field=report.field)


    def _check_mail(self, item: Item, s: Settings, linter: Linter, kind: str, mp: str) -> Report:
        """An e-mail's seller text, findings moved to the file's lines; attachments (FM101) when selected."""
        from msglint.mail import MAIL_RULES

        mail = item.mail
        report = linter.check(mail.text, kind=kind, marketplace=mp)
        findings = mail.remap(report.findings)
        o = self.options
        mail_rules = select_rules(MAIL_RULES, o.select if o.select is not None else s.config.select,
                                  tuple(s.config.extend_select) + tuple(o.extend_select),
                                  tuple(s.config.ignore) + tuple(o.ignore) + tuple(s.config.ignored_for(item.path)))
        if mail_rules:
            overrides = dict(s.severity)
            findings += [f if f.code not in overrides else replace(f, severity=Severity(overrides[f.code]))
                         for f in mail.attachment_findings()]
        findings = tuple(sorted((f for f in findings if not s.allowed(f.text)), key=lambda f: (f.start, f.end, f.code)))
        return Report(text=mail.file_text, kind=kind, marketplace=mp, findings=findings)


# --- parallel checking ----------------------------------------------------------------------

_WORKER: Optional[Runner] = None


def _init_worker(options: Options) -> None:
    global _WORKER
    _WORKER = Runner(options)


def _work(item: Item):
    try:
        report = _WORKER.check(item)
    except InputError as exc:
        return None, str(exc)
    if report.text is item.text:
        # the parent has the text: it is not sent back (a batch's reports would hold a second copy of it)
        return replace(report, text=None), None
    return report, None


def check_all(options: Options, items: Sequence[Item], jobs: int = 1,
              progress: Optional[Callable[[int], None]] = None) -> list[Report]:
    """Reports in input order. With jobs > 1 and enough items, worker processes share the work."""
    if jobs <= 1 or len(items) < max(8, 2 * jobs):
        runner = Runner(options)
        out = []
        for item in items:
            out.append(runner.check(item))
            if progress:
                progress(1)
        return out
    from concurrent.futures import ProcessPoolExecutor  # imported here: one process needs no pool

    out: list = [None] * len(items)
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(options,)) as pool:
        for i, (report, error) in enumerate(pool.map(_work, items, chunksize=max(1, len(items) // (jobs * 8)))):
            if error:
                raise InputError(error)
            out[i] = report if report.text is not None else replace(report, text=items[i].text)
            if progress:
                progress(1)
    return out


def fail_level(option: Optional[str], configs: Iterable[config_mod.Config]) -> Severity:
    if option:
        return Severity(option)
    for cfg in configs:
        if cfg.fail_on:
            return Severity(cfg.fail_on)
    return Severity.ERROR
