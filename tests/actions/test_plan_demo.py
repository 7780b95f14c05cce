"""The demo's plan step: real values as such, every other value labelled synthetic."""

from __future__ import annotations

from xiangshu.actions.plan_data import evaluation_show, observation_list
from xiangshu.bootstrap import Node
from xiangshu.demo.plan import load_plan_demo
from xiangshu.domain.roles import PUBLIC


def test_the_demo_loads_both_plans_once_and_labels_synthetic_values(sqlite_node: Node) -> None:
    notes = load_plan_demo(sqlite_node)
    assert any("hn-13-informatization" in n for n in notes)
    assert load_plan_demo(sqlite_node) == []  # a second run changes nothing
    values = sqlite_node.dispatcher.run(observation_list, PUBLIC, "hn-13-informatization")
    real = [v for v in values if not v.synthetic]
    assert len(real) == 7 and all(v.source_kind == "public_source" and v.source_url for v in real)
    assert all(v.source_kind == "synthetic" for v in values if v.synthetic)
    assert not [v for v in values if v.indicator_number == "17"]
    lower = next(v for v in real if v.indicator_number == "2.1" and v.period_end.year == 2018)
    assert lower.qualifier == "lower_bound" and lower.value == 1060
    broadband = next(v for v in real if v.indicator_number == "5")
    assert str(broadband.period_end) == "2020-02-29"
    twelfth = sqlite_node.dispatcher.run(evaluation_show, PUBLIC, "hn-12-informatization")
    assert twelfth.summary["achieved"] == 6 and twelfth.summary["not_achieved"] == 6
    for year in (2018, 2020):
        assert sqlite_node.dispatcher.run(evaluation_show, PUBLIC, "hn-13-informatization", year)
