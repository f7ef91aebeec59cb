"""pipeline.reports on a store holding the related-plans archive (four levels, two provinces).

The archive (``pipeline.testing.related_plans_archive``): Kết luận 23-KL/TW is carried
out by both provinces' 57-KH/TU (Hà Tĩnh's in two renders, .txt and .md), by
42-KH/ĐUK, and further down by district and commune plans; Quy định 38-QĐ/TW is cited
and carried out by nobody. Two failed files are added through ``Store.put_failure``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import matplotlib.image
import pytest
from matplotlib.figure import Figure

from pipeline import reports
from pipeline.errors import KehoachError, Reason
from pipeline.models import FileInfo
from pipeline.store import Store
from pipeline.testing import load_archive

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reports") / "kehoach.duckdb"
    with Store(path) as store:
        load_archive(store)
        run_id = store.begin_run("bad", {})
        for name, fmt, reason in (("empty.txt", "empty", Reason.empty), ("secret.pdf", "pdf", Reason.encrypted)):
            info = FileInfo(name, sha256="0" * 64, size=0, mtime=0.0, format=fmt)
            store.put_failure(run_id, info, KehoachError(reason, name, "test"))
        store.finish_run(run_id, {"failed": 2}, "ok")
    return path


@pytest.fixture()
def con(db: Path):
    connection = reports.open_db(db)
    yield connection
    connection.close()


# ------------------------------------------------------------------------ overview


def test_overview_counts_files_by_format_and_status(con) -> None:
    table = reports.ingest_overview(con).set_index("format")
    assert table.loc["txt", "ok"] == 8 and table.loc["md", "ok"] == 1
    assert table.loc["total", "total"] == 11
    assert table.loc["total", "failed"] == 2


def test_failures_carry_reason_and_remedy(con) -> None:
    failed = reports.failures(con).set_index("path")
    assert failed.loc["secret.pdf", "error_reason"] == "encrypted"
    assert "qpdf" in failed.loc["secret.pdf", "remedy"]
    assert dict(zip(*reports.failure_reasons(con).to_dict("list").values())) == {"empty": 1, "encrypted": 1}


def test_run_history_newest_first(con) -> None:
    runs = reports.run_history(con)
    assert list(runs["archive"]) == ["bad", "test"]


# ------------------------------------------------------------------------ coverage


def test_coverage_counts_direct_and_transitive_implementers_by_level(con) -> None:
    table = reports.directive_coverage(con).set_index("directive")
    kl23 = table.loc["23-KL/TW"]
    assert kl23["direct"] == 3  # both 57-KH/TU and 42-KH/ĐUK name it
    assert kl23["total"] == 7
    assert (kl23["province"], kl23["district"]) == (4, 2)  # + the commune plan, below district
    levels = list(table.columns[table.columns.get_loc("issuer") + 1 : table.columns.get_loc("direct")])
    assert levels[:3] == ["province", "district", levels[2]] and kl23[levels].sum() == 7
    assert "(Phú Yên)" in kl23["plans"] and "(Hà Tĩnh)" in kl23["plans"]


def test_implementers_give_the_depth_and_path_of_each_plan(con) -> None:
    detail = reports.directive_implementers(con).set_index("implementer")
    assert detail.loc["57-KH/TU@2022-01-24 (Phú Yên)", "depth"] == 1
    assert detail.loc["12-KH/HU@2022-03-20 (Hà Tĩnh)", "depth"] == 2
    commune = detail.loc["5-KH/ĐU@2022-04-02 (Hà Tĩnh)"]
    assert commune["depth"] == 3 and commune["via"] == "12-KH/HU@2022-03-20 (Hà Tĩnh)"
    assert set(detail["directive"]) == {"23-KL/TW"}


def test_uncovered_directives_are_cited_but_never_carried_out(con) -> None:
    uncovered = set(reports.uncovered_directives(con)["directive"])
    assert "38-QĐ/TW@2021-11-05" in uncovered
    assert not any(d.startswith("23-KL/TW") for d in uncovered)


# ---------------------------------------------------------- deadlines, assignments


def test_deadline_calendar_by_month_counts_each_document_once(con) -> None:
    calendar = reports.deadline_calendar(con)
    # Hà Tĩnh's 57-KH/TU is in the archive twice (.txt, .md): its deadline counts once.
    assert list(calendar["text"]).count("hoàn thành trong tháng 3/2022") == 1
    assert sorted(set(calendar["month"])) == ["2022-03", "2022-04", "2022-06"]
    grid = reports.deadlines_by_month(con)
    assert grid.loc["2022-06"].sum() == 2


def test_overdue_as_of_a_date(con) -> None:
    late = reports.overdue(con, date(2022, 5, 1))
    assert set(late["end"].dt.strftime("%Y-%m-%d")) == {"2022-03-31", "2022-04-15", "2022-04-30"}
    assert (late["days_overdue"] > 0).all()
    row = late[(late["kind"] == "assignment") & (late["unit"] == "Ban Tuyên giáo Tỉnh ủy")]
    assert len(row) == 1  # two renders, one assignment
    assert row.iloc[0]["days_overdue"] == 31 and row.iloc[0]["task"] == "tổ chức quán triệt"
    assert reports.overdue(con, "2022-01-01").empty


def test_assignment_matrix_traces_units_to_central_directives(con) -> None:
    matrix = reports.assignment_matrix(con)
    assert matrix.loc["Ban Tuyên giáo Tỉnh ủy", "23-KL/TW"] == 1  # two renders, one assignment
    assert matrix.loc["Các chi bộ trực thuộc", "23-KL/TW"] == 1  # commune → district → province → TW
    # 8-KH/ĐU carries out an undated, ambiguous 33-KH/ĐUK: no central directive is reachable.
    assert matrix.loc["Văn phòng Sở", "33-KH/ĐUK"] == 1


def test_number_targets_keep_their_evidence(con) -> None:
    numbers = reports.number_targets(con)
    row = numbers[numbers["text"] == "100% chi bộ"].iloc[0]
    assert (row["value"], row["unit"], row["counted"]) == (100.0, "%", "chi bộ")
    assert len(numbers) == 1  # the .md render's copy is not counted again
    assert reports.number_summary(con).loc["57-KH/TU@2022-01-24 (Hà Tĩnh)", "percent"] == 1


# ------------------------------------------------- bounded at scale (issue 14)
# A large archive's tables keep their top N rows/columns and sum the rest into "others",
# so what reaches pandas and the figures is the size of the answer, not of the archive.


def test_deadlines_by_month_keeps_the_top_plans_and_sums_the_others(con) -> None:
    full, top = reports.deadlines_by_month(con), reports.deadlines_by_month(con, top=1)
    assert list(top.columns[1:]) == ["(other plans)"] and top.columns[0] in full.columns
    assert top.attrs["cols"] == full.shape[1] == 4
    assert (top.sum(axis=1) == full.sum(axis=1)).all()  # nothing lost, only folded


def test_assignment_matrix_keeps_the_busiest_units_and_directives(con) -> None:
    full = reports.assignment_matrix(con)
    top = reports.assignment_matrix(con, top_units=2, top_directives=1)
    assert top.shape == (3, 2) and top.index[-1] == "(other units)" and top.columns[-1] == "(other directives)"
    assert list(top.columns[:1]) == ["23-KL/TW"]  # the directive with most assignments
    assert top.to_numpy().sum() == full.to_numpy().sum()
    assert (top.attrs["rows"], top.attrs["cols"]) == full.shape


def test_directive_coverage_names_the_first_plans_and_counts_the_rest(con) -> None:
    kl23 = reports.directive_coverage(con, named=2).set_index("directive").loc["23-KL/TW"]
    assert kl23["total"] == 7
    assert kl23["plans"].count("@") == 2 and kl23["plans"].endswith("… (+5 more)")


@pytest.mark.parametrize(
    ("plot", "kwargs", "title"),
    [
        (reports.plot_deadline_timeline, {"max_plans": 2}, "(1 of 4 plans with most)"),
        (reports.plot_assignment_heatmap, {"top": 2, "top_directives": 1}, "\n(busiest 2 of 8 units × 1 of 2 directives)"),
        (reports.plot_coverage_graph, {"max_nodes": 4, "fanout": 1}, "(4 of 10 linked; top directives, ≤ 1 implementers each)"),
    ],
)
def test_bounded_figures_state_what_they_show(con, plot, kwargs: dict, title: str) -> None:
    ax = Figure().subplots()
    plot(con, ax, **kwargs)
    assert ax.get_title().endswith(title)


def test_small_figures_say_nothing_about_bounds(con) -> None:
    for plot in (reports.plot_deadline_timeline, reports.plot_assignment_heatmap, reports.plot_coverage_graph,
                 reports.plot_number_kinds):
        ax = Figure().subplots()
        plot(con, ax)
        assert " of " not in ax.get_title(), plot.__name__


# -------------------------------------------------------------------------- figures


@pytest.mark.parametrize("name", list(reports.FIGURES))
def test_each_figure_draws_on_an_axis(con, name: str) -> None:
    plot, size = reports.FIGURES[name]
    ax = Figure(figsize=size).subplots()
    plot(con, ax)
    assert ax.has_data() or ax.texts or ax.collections or ax.patches


def test_write_reports_writes_every_figure_as_a_non_blank_png(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    written = reports.write_reports(db, out, as_of="2022-05-01")
    assert [p.name for p in written] == [f"{name}.png" for name in reports.FIGURES]
    assert sorted(out.iterdir()) == sorted(written)  # no temporary files left behind
    for path in written:
        data = path.read_bytes()
        assert data.startswith(PNG_MAGIC) and len(data) > 5_000, path.name
        pixels = matplotlib.image.imread(path)
        assert pixels.std() > 0.01, f"{path.name} is blank"


def test_write_reports_on_an_empty_store_says_so(tmp_path: Path) -> None:
    empty = tmp_path / "empty.duckdb"
    Store(empty).close()
    written = reports.write_reports(empty, tmp_path / "out")
    assert len(written) == len(reports.FIGURES)
    assert all(p.stat().st_size > 1_000 for p in written)


def test_every_table_is_empty_not_an_error_on_a_new_store(tmp_path: Path) -> None:
    empty = tmp_path / "new.duckdb"
    Store(empty).close()
    con = reports.open_db(empty)
    tables = [
        reports.ingest_overview, reports.failures, reports.failure_reasons, reports.run_history,
        reports.directive_implementers, reports.directive_coverage, reports.uncovered_directives,
        reports.deadline_calendar, reports.deadlines_by_month, reports.assignment_matrix,
        reports.number_targets, reports.number_summary,
    ]
    for table in tables:
        assert table(con).empty, table.__name__
    assert reports.overdue(con, "2030-01-01").empty
    con.close()
