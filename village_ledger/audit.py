"""The audit service: the one place where ledgers are loaded and judged.

`audit(paths, selector, as_of, jobs, keep_models)` finds the villages at the PATHs (a main file,
a village folder, or a folder of village folders), and for each village, once:

1. loads it with Beancount's loader and validations (`loading.load_ledger`, village-ledger's own
   plugin lines stepping aside so no rule runs twice);
2. builds its model (`model.build_model`), judged as of `as_of`;
3. turns Beancount's errors into `BEANCOUNT` findings, runs every selected rule
   (`engine.run_rules`) and collects the small summaries cross-village rules need;

then runs the cross-village rules (VL303) over the summaries of the whole run, settles every
village's findings against its `整改` (`rectification.settle`: put right, or VL903), keeps the
findings the selector wants and sorts them. Every command that shows findings — `check`,
`disclose`, `handover`, `overview`, `seal`, `serve` and the Fava extension — takes them from
here, so a finding reads the same whichever of them shows it.

`as_of` is the day today-dependent rules judge by (VL603: quarters overdue for publication);
by default `sealing.today()`, which is `VILLAGE_LEDGER_TODAY` or the clock.

With `jobs > 1` villages are audited in worker processes, and only their findings and summaries
come back: a model is large and not worth sending between processes (`keep_models=False`). A
caller that needs more than findings from each village in that case passes `derive`, a
top-level (picklable) function of the `VillageAudit` that runs where the model is, and reads its
answer from `VillageAudit.derived`. In one process (`jobs=1`) the loaded ledger and the model
are kept for the caller unless `keep_models=False`.

With a `scheduler` (`tcp://HOST:8786`) each village is a task on that Dask distributed cluster
(`village_ledger.cluster`) and the cross-village rules run here, on the client. With a `cache`
(`village_ledger.cache`) a village whose files did not change is not loaded again.

A caller that re-audits some villages of a run (the dashboard, when a ledger changes) audits
them with `audit_village` and passes every village's latest result to `combine`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from village_ledger.engine import (
    Selector,
    beancount_finding,
    collect,
    crash_finding,
    dated_states,
    judge_dated,
    run_across,
    run_rules,
)
from village_ledger.findings import Finding, Rectification, Severity
from village_ledger.gcpause import without_gc
from village_ledger.loading import LoadedLedger, load_ledger
from village_ledger.model import LedgerModel, build_model, village_of
from village_ledger.paths import find_villages
from village_ledger.rectification import needs_every_rule, settle_run
from village_ledger.registry import Rule, all_rules
from village_ledger.sealing import today

if TYPE_CHECKING:
    # the cache module is imported where a cache is used: a `--no-cache` run never loads it
    from village_ledger.cache import CachedVillage, Lookup, ResultCache

ALL = Selector()
# Beancount's own checks and no rule: what `seal` needs before it computes a digest
BEANCOUNT_ONLY = Selector(select=("BEANCOUNT",))

Derive = Callable[["VillageAudit"], Any]
# told of each village as its audit finishes (a progress bar), in the order they finish
Progress = Callable[["VillageAudit"], None]


class VillageAudit:
    """One village's part of a run. (Plain classes here, not dataclasses: `check` imports them,
    and a dataclass compiles its methods' source at import.)"""

    def __init__(
        self,
        village: str,  # the folder's name
        main_file: str,
        title: str = "",  # its `option "title"`
        findings: list[Finding] | None = None,
        summaries: dict[str, Any] | None = None,  # for the cross-village rules
        rectifications: list[Rectification] | None = None,  # its `整改`
        ledger: LoadedLedger | None = None,  # kept in one process unless keep_models=False
        model: LedgerModel | None = None,  # None also when the model could not be built
        derived: Any = None,  # what `derive` answered for it
    ) -> None:
        self.village = village
        self.main_file = main_file
        self.title = title
        # after `combine`: its own findings and the cross-village ones naming it, selected, sorted
        self.findings = findings if findings is not None else []
        self.summaries = summaries if summaries is not None else {}
        self.rectifications = rectifications if rectifications is not None else []
        self.ledger = ledger
        self.model = model
        self.derived = derived

    def __repr__(self) -> str:
        return f"VillageAudit({self.village!r}, {self.main_file!r}, {len(self.findings)} findings)"

    def with_findings(self, findings: list[Finding]) -> VillageAudit:
        """A copy of this village's part with other findings."""
        return VillageAudit(
            self.village,
            self.main_file,
            self.title,
            findings,
            self.summaries,
            self.rectifications,
            self.ledger,
            self.model,
            self.derived,
        )

    @property
    def beancount_errors(self) -> list[Any]:
        return self.ledger.errors if self.ledger is not None else []

    @property
    def has_errors(self) -> bool:
        """An open error: one a 整改 put right fails nothing."""
        return any(f.fails for f in self.findings)


class Audit:
    """A whole run: its villages in the order found, and every finding of the run, sorted."""

    def __init__(self, villages: list[VillageAudit], findings: list[Finding], as_of: date) -> None:
        self.villages = villages
        self.findings = findings
        self.as_of = as_of

    def __repr__(self) -> str:
        return f"Audit({len(self.villages)} villages, {len(self.findings)} findings, {self.as_of})"

    @property
    def has_errors(self) -> bool:
        """An open error: one a 整改 put right fails nothing."""
        return any(f.fails for f in self.findings)

    def village(self, name: str) -> VillageAudit:
        for result in self.villages:
            if result.village == name:
                return result
        raise KeyError(name)


def audit(
    paths: Iterable[str | os.PathLike[str]],
    selector: Selector = ALL,
    as_of: date | None = None,
    jobs: int = 1,
    keep_models: bool = True,
    derive: Derive | None = None,
    cache: ResultCache | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> Audit:
    """Audit every village at `paths`; see the module's docstring.

    Raises `paths.PathError` for a PATH that names no ledger and `sealing.TodayError` when
    `as_of` is not given and VILLAGE_LEDGER_TODAY is not a date; with a `scheduler`,
    `cluster.ClusterError` when it cannot be reached.
    """
    mains = find_villages([str(p) for p in paths])
    day = as_of or today()
    in_workers = scheduler is not None or (jobs > 1 and len(mains) > 1)
    if in_workers and keep_models:
        raise ValueError("models stay in the worker processes: pass keep_models=False")
    if scheduler is not None:
        from village_ledger.cluster import audit_on_cluster

        villages = audit_on_cluster(scheduler, mains, selector, day, derive, cache, progress)
    elif jobs > 1 and len(mains) > 1:
        villages = _audit_in_processes(jobs, mains, selector, day, derive, cache, progress)
    else:
        villages = []
        for main in mains:
            villages.append(audit_village(main, selector, day, keep_models, derive, cache))
            if progress is not None:
                progress(villages[-1])
    return combine(villages, selector, day)


def _audit_in_processes(
    jobs: int,
    mains: Sequence[os.PathLike[str]],
    selector: Selector,
    day: date,
    derive: Derive | None,
    cache: ResultCache | None,
    progress: Progress | None,
) -> list[VillageAudit]:
    """The villages in worker processes. With a cache and no `derive`, the villages it holds
    are taken from it here, first, and only the others go to the workers; one left alone is
    audited here too: starting the workers would cost more than it saves (a warm re-check of a
    township after one edit is that one village's check and the cache's look-ups)."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    done: dict[int, VillageAudit] = {}
    pending = list(range(len(mains)))
    if cache is not None and derive is None:
        rules = selected_rules(selector)
        pending = []
        for index, main in enumerate(mains):
            found = cache.lookup(main, rules).found
            if found is None:
                pending.append(index)
                continue
            done[index] = _from_cache(found, rules, day)
            if progress is not None:
                progress(done[index])
    if len(pending) == 1:
        index = pending[0]
        done[index] = audit_village(mains[index], selector, day, False, derive, cache)
        if progress is not None:
            progress(done[index])
    elif pending:
        with ProcessPoolExecutor(max_workers=min(jobs, len(pending))) as pool:
            futures = {
                pool.submit(audit_village, mains[i], selector, day, False, derive, cache): i
                for i in pending
            }
            for future in as_completed(futures):
                done[futures[future]] = future.result()
                if progress is not None:
                    progress(done[futures[future]])
    return [done[index] for index in range(len(mains))]


@without_gc
def audit_village(
    main_file: str | os.PathLike[str],
    selector: Selector = ALL,
    as_of: date | None = None,
    keep_model: bool = True,
    derive: Derive | None = None,
    cache: ResultCache | None = None,
    replaced: Mapping[str, bytes] | None = None,
    product: str | None = None,
) -> VillageAudit:
    """One village: load, model, Beancount's findings, the selected rules and the summaries
    for the cross-village rules. Its findings are neither selected nor sorted until `combine`.

    With a `cache`, a village whose files did not change is not judged again: its findings,
    summaries and `整改` come from the cache and only the rules judged as of a day run again.
    Its books are still loaded when the caller keeps the model or runs a `derive`, unless
    `product` names a cached product: then `derive`'s answer (which must depend on nothing but
    the village's files) is kept in the cache under that name and taken from it next time.

    `replaced` audits the books as they would be with some of their files holding other bytes
    (`loading.load_ledger`): entries a command is about to write, judged before it writes; such
    a run neither reads nor fills the cache.

    The cyclic garbage collector is paused for the whole village, not only within each of its
    steps: every object the load made was still young when a step ended, so the collector's
    passes between the steps walked the whole ledger again (about 15% of a 10k village's check).
    A village not kept is freed by reference counting when it is released."""
    rules = selected_rules(selector)
    day = as_of or today()
    lookup = None
    if cache is not None and not replaced:
        lookup = cache.lookup(main_file, rules)
        if lookup.found is not None and not keep_model:
            stored = None if derive is None or product is None else cache.product(lookup, product)
            if derive is None or stored is not None:
                result = _from_cache(lookup.found, rules, day)
                result.derived = stored
                return result
    loaded = load_ledger(main_file, replaced=replaced)
    model, crash = _model_of(loaded, day)
    if lookup is not None and lookup.found is not None:
        # judged before: only the model is wanted (to keep, or for `derive`)
        result = _from_cache(lookup.found, rules, day)
    else:
        result = _judge(loaded, model, crash, rules, day, cache, lookup)
    result.ledger, result.model = loaded, model
    if derive is not None:
        result.derived = derive(result)
        if cache and lookup and product and result.derived is not None:
            cache.store_product(lookup, product, loaded.options.get("include", []), result.derived)
    if not keep_model:
        if model is not None:
            model.release()  # freed now, not at the next full collection
        result.ledger = result.model = None
    return result


def _model_of(loaded: LoadedLedger, day: date) -> tuple[LedgerModel | None, Finding | None]:
    """The village's model, or the finding that says why it could not be built."""
    try:
        return build_model(loaded.entries, loaded.options, as_of=day), None
    except Exception as exc:  # the ledger's Beancount errors are still worth reporting
        return None, crash_finding(_MODEL_RULE, None, exc)


def _judge(
    loaded: LoadedLedger,
    model: LedgerModel | None,
    crash: Finding | None,
    rules: Sequence[Rule],
    day: date,
    cache: ResultCache | None,
    lookup: Lookup | None,
) -> VillageAudit:
    """The village judged from its books; what does not depend on the day kept in the cache."""
    result = VillageAudit(village_of(loaded.main_file), loaded.main_file)
    result.findings = [beancount_finding(result.village, e) for e in loaded.errors]
    if crash is not None:
        result.findings.append(crash._replace(village=result.village))
    states: dict[str, Any] = {}
    if model is not None:
        result.title = model.title
        result.findings += run_rules(model, [r for r in rules if r.dated is None])
        states, crashes = dated_states(model, rules)
        result.findings += crashes
        result.summaries = collect(model, rules)
        result.rectifications = list(model.rectifications)
    if cache is not None and lookup is not None:
        from village_ledger.cache import CachedVillage

        kept = CachedVillage(
            result.village,
            result.main_file,
            result.title,
            list(result.findings),
            result.summaries,
            result.rectifications,
            states,
        )
        cache.store(lookup, loaded.options.get("include", []), kept)
    result.findings += judge_dated(rules, result.village, states, day)
    return result


def _from_cache(cached: CachedVillage, rules: Sequence[Rule], day: date) -> VillageAudit:
    """A cached village's result, its rules judged as of a day judged again on `day`."""
    findings = cached.findings + judge_dated(rules, cached.village, cached.dated, day)
    return VillageAudit(
        cached.village,
        cached.main_file,
        cached.title,
        findings,
        cached.summaries,
        cached.rectifications,
    )


def combine(villages: Sequence[VillageAudit], selector: Selector, as_of: date) -> Audit:
    """The cross-village rules over every village's summaries; then each village's findings and
    the run's, as the selector wants them and sorted by village, file, line, rule and message."""
    summaries: dict[str, list[tuple[str, Any]]] = {}
    for result in villages:
        for code, summary in result.summaries.items():
            summaries.setdefault(code, []).append((result.village, summary))
    findings = [f for result in villages for f in result.findings]
    findings += run_across(selected_rules(selector), summaries)
    # once every finding of the run is known, each village's 整改 put theirs right
    records = {r.village: r.rectifications for r in villages}
    findings = settle_run(findings, records, selector.wants)
    findings = sorted((f for f in findings if selector.wants(f.rule)), key=_order)
    by_village: dict[str, list[Finding]] = {}
    for finding in findings:
        by_village.setdefault(finding.village, []).append(finding)
    combined = [r.with_findings(by_village.get(r.village, [])) for r in villages]
    return Audit(combined, findings, as_of)


def selected_rules(selector: Selector) -> list[Rule]:
    """The rules to run: the selected ones, or all when VL903 must know every finding."""
    if needs_every_rule(selector.wants):
        return all_rules()
    return [r for r in all_rules() if selector.wants(r.code)]


def _order(finding: Finding) -> tuple[str, str, int, str, str]:
    # the message breaks ties: Beancount reports the unopened accounts of one entry in its
    # set's order, which changes with the process's string hashing
    return (finding.village, finding.file, finding.line, finding.rule, finding.message)


# stands for the model builder when it fails, so the failure reads like a rule's crash
_MODEL_RULE = Rule("VL900", "建立账簿模型", Severity.ERROR, (), lambda model: ())
