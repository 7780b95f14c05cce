"""Values the portal's pages translate with ``_()``, named so that extraction finds them:
statuses, kinds, checklist titles and hints, score dimensions, reasons."""

from __future__ import annotations

from xiangshu.web.labels import N_

PORTAL_LABELS = [
    # the portal's navigation and sort orders
    N_("Open data home"), N_("Relevance"), N_("Newest"), N_("Most used"), N_("Code"),
    # statuses of contributions and applications (shown capitalised)
    N_("Pending"), N_("Published"), N_("Rejected"), N_("Approved"), N_("Open"), N_("Planned"),
    N_("Answered"), N_("Confirmed"), N_("Fixed"), N_("All"), N_("Expired"),
    # kinds of reuse
    N_("Application"), N_("Visualization"), N_("Article"), N_("Api"),
    # why a dataset is related
    N_("Related"), N_("Same provider"), N_("Same class"), N_("Used"),
    # freshness
    N_("Fresh"), N_("Late"), N_("No data"), N_("Unchecked"),
    # quality checklist
    N_("The abstract says what the data is"),
    N_("Write an abstract of at least 30 characters: what, where, since when."),
    N_("Every data item is described"), N_("Give each data item (信息项) a description."),
    N_("Records have a key"), N_("Mark the data items that identify a record as its key."),
    N_("Records can be downloaded in open formats"),
    N_("Load the records into the lake: CSV, JSON, XLSX and Parquet follow."),
    N_("Updated as often as promised"), N_("Load new records within the declared update cycle."),
    N_("Has keywords"), N_("Add keywords (关键字) so that the dataset is found."),
    N_("Names who answers for it"),
    N_("State the provider's internal division or the metadata maintainer."),
    N_("States its time or place"),
    N_("Include a date, a year or a division code among the data items."),
    N_("No unanswered error report"), N_("Answer the error reports (纠错) users sent."),
    # the self-score
    N_("Readiness"), N_("Platform"), N_("Data"), N_("Use"),
    N_("Laws, policies and organisation"), N_("Discovery and preview"), N_("Data access"),
    N_("Showcase"), N_("Interaction"), N_("User experience"), N_("Quantity"), N_("Quality"),
    N_("Standards"), N_("Scope"), N_("Use of the data"), N_("Results"),
    # reasons a reader is given
    N_("sign in first"),
    N_("no records have been loaded yet"),
    N_("有条件开放: apply online, accept the agreement and wait for the provider's approval"),
    N_("open data (无条件开放)"),
    N_("an approved grant"),
]  # fmt: skip
