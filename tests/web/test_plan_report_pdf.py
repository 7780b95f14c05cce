"""PDF where the machine can print it; a clear refusal where it cannot."""

from __future__ import annotations

import shutil

import pytest

from xiangshu.actions.plan import plan_load
from xiangshu.actions.plan_data import observation_import, plan_evaluate
from xiangshu.bootstrap import Node
from xiangshu.demo.plan import public_observations
from xiangshu.domain.roles import SYSTEM
from xiangshu.errors import ConfigurationError
from xiangshu.plan_files import shipped_plan
from xiangshu.plan_report import report as reports
from xiangshu.plan_report.build import build_report


@pytest.fixture
def data(sqlite_node: Node) -> reports.ReportData:
    run = sqlite_node.dispatcher.run
    run(plan_load, SYSTEM, shipped_plan("hunan-13th-informatization"))
    run(observation_import, SYSTEM, "hn-13-informatization", public_observations(), source="p")
    run(plan_evaluate, SYSTEM, "hn-13-informatization", 2020)
    return build_report(sqlite_node, SYSTEM, "hn-13-informatization")


def test_pdf_is_refused_with_the_reason_when_the_machine_cannot(
    data: reports.ReportData, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    assert "Chromium" in (reports.pdf_capability() or "")
    with pytest.raises(ConfigurationError, match="cannot print the report to PDF"):
        reports.render_report(data, "pdf")
    with pytest.raises(ValueError, match="format is one of"):
        reports.render_report(data, "odt")


@pytest.mark.browser  # prints with Chromium: under CI=true a skip here fails the run
def test_pdf_is_printed_where_the_machine_can(data: reports.ReportData) -> None:
    reason = reports.pdf_capability()
    if reason is not None:
        pytest.skip(reason)
    pdf = reports.render_report(data, "pdf")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def test_docx_without_cairo_says_where_the_charts_are(
    data: reports.ReportData, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from docx import Document

    monkeypatch.setattr(reports, "_chart_pictures", lambda _data: None)
    document = Document(io.BytesIO(reports.render_report(data, "docx")))
    assert any("图表见 HTML 版报告" in p.text for p in document.paragraphs)
