"""The evaluation report, in Chinese: HTML always, DOCX always, PDF where the machine can.

PDF is printed from the HTML by headless Chromium when it is installed and a
Chinese font is present (``fc-list :lang=zh``); otherwise the request is
refused with the reason, rather than producing a PDF of empty boxes.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from xiangshu.errors import ConfigurationError
from xiangshu.plan_report.views import PlanView
from xiangshu.schemas.plan import FindingPublic, PlanPublic

TEMPLATES = Path(__file__).parent / "templates"
FORMATS = ("html", "docx", "pdf")


@dataclass
class ReportData:
    plan: PlanPublic
    view: PlanView
    year: int
    generated: str
    findings: list[FindingPublic] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"《{self.plan.title}》实施情况评估报告（{self.year} 年）"

    @property
    def rules(self) -> dict[str, Any]:
        rules = dict(self.view.evaluation.rules if self.view.evaluation else {})
        rules["tolerance_text"] = f"{1 - float(rules.get('tolerance', 0.05)):g}"
        return rules

    @property
    def synthetic_count(self) -> int:
        return self.view.synthetic_count

    @property
    def time_elapsed(self) -> str:
        span = self.plan.period_end - self.plan.baseline_year
        return self.pct((self.year - self.plan.baseline_year) / span if span else None)

    @property
    def summary_sentence(self) -> str:
        parts = [f"{label} {n} 项" for _, label, n in self.view.counts]
        return f"{len(self.view.indicators)} 项指标中，" + "，".join(parts) + "。"

    @staticmethod
    def num(value: float | None) -> str:
        if value is None:
            return "—"
        return f"{value:,.2f}".rstrip("0").rstrip(".")

    @staticmethod
    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value * 100:.1f}%"


@cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def report_html(data: ReportData) -> str:
    return _environment().get_template("report.html").render(r=data)


def report_docx(data: ReportData) -> bytes:
    from docx import Document
    from docx.shared import Cm, Pt

    doc = Document()
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.add_heading(data.title, level=0)
    doc.add_paragraph(f"{data.plan.doc_number} · 评估年度 {data.year} · 生成于 {data.generated}")
    if data.synthetic_count:
        doc.add_paragraph(
            f"注意：{data.synthetic_count} 项指标的数据中含合成数据（演示用，非真实统计），"
            "相关结论仅用于演示评估方法，不代表规划的真实进展。表中以“合成”标出。"
        ).runs[0].bold = True
    doc.add_heading("一、总体情况", level=1)
    doc.add_paragraph(
        f"《{data.plan.title}》规划期 {data.plan.period_start}—{data.plan.period_end} 年，"
        f"基期 {data.plan.baseline_year} 年。截至 {data.year} 年末，时间进度 {data.time_elapsed}。"
    )
    doc.add_paragraph(data.summary_sentence)
    doc.add_heading("二、主要指标进展情况", level=1)
    header = (
        "序号",
        "指标",
        "单位",
        "基期值",
        "目标值",
        "最新值",
        "p / τ",
        "状态",
        "预测",
        "达标概率",
    )
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for v in data.view.indicators:
        latest = v.latest
        latest_text = "—"
        if latest is not None:
            latest_text = f"{data.num(latest.value)}（{latest.period_end.year}）"
            latest_text += "合成" if latest.synthetic else ""
        values = (
            v.indicator.number,
            v.indicator.name,
            v.indicator.unit,
            data.num(v.indicator.baseline),
            v.indicator.target_text or data.num(v.indicator.target),
            latest_text,
            f"{data.pct(v.components.get('progress'))} / {data.pct(v.components.get('tau'))}",
            v.status_label,
            data.num(v.forecast.get("median")),
            data.pct(v.forecast.get("p_meet")),
        )
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    doc.add_heading("三、需关注的指标及责任单位", level=1)
    if not data.view.concerns:
        doc.add_paragraph("无滞后、倒退或未实现的指标。")
    for v in data.view.concerns:
        units = "、".join(v.indicator.responsible_units) or "规划未指定"
        flag = "（含合成数据）" if v.has_synthetic else ""
        doc.add_paragraph(
            f"{v.indicator.number} {v.indicator.name}{flag}：{v.status_label}（{v.reason}）。"
            f"责任单位：{units}。",
            style="List Bullet",
        )
    if data.findings:
        doc.add_heading("四、指标表一致性检查", level=1)
        for f in data.findings:
            kind = "不一致" if f.severity == "warning" else "提示"
            doc.add_paragraph(f"指标 {f.number}（{kind}）：{f.message}", style="List Bullet")
    doc.add_heading(("五" if data.findings else "四") + "、指标图表", level=1)
    pictures = _chart_pictures(data)
    if pictures is None:
        doc.add_paragraph("本机无法把图表转换为图片（缺少 cairo），图表见 HTML 版报告。")
    for v, png in zip(data.view.indicators, pictures or [], strict=False):
        doc.add_paragraph(f"{v.indicator.number} {v.indicator.name}：{v.status_label}")
        doc.add_picture(io.BytesIO(png), width=Cm(15))
    doc.add_paragraph(
        "图例：灰色虚线为规划预期路径，红色为目标值，实心蓝点为实际值，空心橙点为合成数据，"
        "三角为下限值或替代指标，浅蓝区域为预测区间（80%、95%）。"
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _chart_pictures(data: ReportData) -> list[bytes] | None:
    try:
        import cairosvg
    except (ImportError, OSError):
        return None
    return [
        cairosvg.svg2png(bytestring=v.chart(ascii_only=True).encode(), output_width=1280)
        for v in data.view.indicators
    ]


def pdf_capability() -> str | None:
    """None when this machine can print the report to PDF, else the reason it cannot."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        return "no Chromium on this machine (apt-get install chromium)"
    fonts = shutil.which("fc-list")
    if fonts is None:
        return "no fontconfig on this machine"
    listed = subprocess.run(  # noqa: S603 - a fixed local command
        [fonts, ":lang=zh", "family"], capture_output=True, text=True, timeout=20, check=False
    )
    if not listed.stdout.strip():
        return "no Chinese font installed (apt-get install fonts-noto-cjk)"
    return None


def report_pdf(data: ReportData) -> bytes:
    reason = pdf_capability()
    if reason is not None:
        raise ConfigurationError(f"this machine cannot print the report to PDF: {reason}")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    assert browser is not None
    with tempfile.TemporaryDirectory() as folder:
        html = Path(folder) / "report.html"
        pdf = Path(folder) / "report.pdf"
        html.write_text(report_html(data), encoding="utf-8")
        subprocess.run(  # noqa: S603 - the browser found above, with fixed arguments
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
                f"--print-to-pdf={pdf}",
                html.as_uri(),
            ],
            capture_output=True,
            timeout=120,
            check=True,
        )
        return pdf.read_bytes()


def render_report(data: ReportData, fmt: str) -> bytes:
    if fmt == "html":
        return report_html(data).encode("utf-8")
    if fmt == "docx":
        return report_docx(data)
    if fmt == "pdf":
        return report_pdf(data)
    raise ValueError(f"format is one of {', '.join(FORMATS)}")


def now_text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")
