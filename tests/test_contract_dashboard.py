"""The dashboard's 合同与资产 page: the register and each contract's timeline from the same
schedules as the printed registers, masked, and readable on a 390 px phone."""

from __future__ import annotations

import re

import pytest

from tests import contract_ledger
from tests.test_fava_extension import ENABLE, Dashboard, sections, view_rows
from village_ledger.model import Period
from village_ledger.registry import get_rule
from village_ledger.reports import contract_tables
from village_ledger.reports.masking import Masker, private_names


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Dashboard:
    main = contract_ledger.write(tmp_path_factory.mktemp("dash"))
    main.write_text(main.read_text(encoding="utf-8") + ENABLE, encoding="utf-8")
    return Dashboard(main)


def test_the_page_shows_the_registers_masked(dashboard: Dashboard) -> None:
    page = dashboard.page("VillageContracts")
    model = contract_ledger.model_of(dashboard.main)
    as_of = model.figures.books_end
    assert as_of is not None
    masker = Masker(private_names(model))
    shown = sections(page)
    year = Period.span(as_of.replace(month=1, day=1), as_of)
    register = masker.walk(contract_tables.register_table(model, year))
    assert shown["contracts"] == view_rows(register)
    assets = masker.walk(contract_tables.assets_table(model, as_of))
    assert shown["assets"] == view_rows(assets)
    for person in contract_ledger.PEOPLE:
        assert person not in page and person[-2:] not in page
    assert "张**" in page and "梅川县好运超市" in page


def test_the_page_names_the_arrears_rule_in_words(dashboard: Dashboard) -> None:
    """Villagers read which rule judges arrears by its title, not by its code."""
    page = dashboard.page("VillageContracts")
    rule = get_rule("VL701")
    assert rule is not None and f"审计规则“{rule.title}”" in page
    assert "VL7" not in page


def test_each_contract_is_a_timeline_of_its_periods(dashboard: Dashboard) -> None:
    page = dashboard.page("VillageContracts")
    model = contract_ledger.model_of(dashboard.main)
    for contract in model.contracts:
        schedule = model.figures.contracts.schedule(contract)
        block = page.split(f'data-contract="{contract.id}"', 1)[1].split("</section>", 1)[0]
        drawn = re.findall(r'data-period="([^"]+)" data-state="([^"]+)"', block)
        assert drawn == [(line.label, line.state) for line in schedule.lines], contract.id
    shop = page.split('data-contract="HT-2024-002"', 1)[1].split("</section>", 1)[0]
    assert 'data-state="欠收"' in shop and 'data-state="已收"' in shop
    assert "截至 2025-06-30" in shop  # the day the figures are drawn up at, marked across


def test_the_page_is_allowed_on_the_public_server() -> None:
    from village_ledger.serve import EXTENSION_PAGES

    assert "VillageContracts" in EXTENSION_PAGES
