import json

import pytest
from django.core.management import call_command

from onewindow.catalog.management.commands.catalog import Command
from onewindow.catalog.models import ServiceItem
from onewindow.catalog.tests.factories import catalog_data


def _run(*args) -> int:
    with pytest.raises(SystemExit) as raised:
        Command().run_from_argv(["onewindow", "catalog", *args])
    return raised.value.code


@pytest.fixture
def keep_connection(monkeypatch):
    """The command closes connections when it ends; inside a test transaction that would drop the test's data."""
    monkeypatch.setattr("onewindow.core.commands.connections.close_all", lambda: None)


def test_importing_a_missing_file_exits_2_with_one_line(tmp_path, capsys):
    code = _run("import", str(tmp_path / "absent.json"))

    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith("onewindow: 文件不存在：") and "absent.json" in err


def test_a_file_with_an_unsupported_suffix_exits_2_with_one_line(tmp_path, capsys):
    path = tmp_path / "catalog.csv"
    path.write_text("code,name\n")

    code = _run("import", str(path))

    err = capsys.readouterr().err
    assert code == 2
    assert err == "onewindow: 不支持的文件类型“.csv”：只支持 .json 和 .xlsx\n"


def test_exporting_to_an_unsupported_suffix_exits_2(tmp_path, capsys):
    assert _run("export", str(tmp_path / "catalog.txt")) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_an_unknown_action_exits_2(capsys):
    assert _run("fly") == 2
    assert capsys.readouterr().err.startswith("onewindow: ")


@pytest.mark.django_db
def test_a_bad_catalog_file_exits_2_lists_every_bad_row_and_writes_nothing(tmp_path, capsys, keep_connection):
    data = catalog_data(3)
    data["items"][0]["statutory_days"] = "twenty"
    data["items"][2]["item_type"] = "行政魔法"
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    code = _run("import", str(path))

    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert err[0] == "onewindow: 事项清单文件有误（2处），未作任何更改："
    assert err[1].startswith("items[0]：statutory_days：")
    assert err[2].startswith("items[2]：item_type：事项类型“行政魔法”不存在")
    assert ServiceItem.objects.count() == 0


@pytest.mark.django_db
def test_broken_json_is_reported_with_its_line(tmp_path, capsys, keep_connection):
    path = tmp_path / "catalog.json"
    path.write_text('{"departments": [\n  {"code": "SCJ",,}\n]}', encoding="utf-8")

    assert _run("import", str(path)) == 2
    assert "JSON 格式错误：第2行" in capsys.readouterr().err


@pytest.mark.django_db
def test_export_then_import_round_trips_through_files(tmp_path, capsys):
    source = tmp_path / "in.json"
    source.write_text(json.dumps(catalog_data(4), ensure_ascii=False), encoding="utf-8")
    call_command("catalog", "import", str(source))
    assert "事项 新增4" in capsys.readouterr().out

    for name in ("out.json", "out.xlsx"):
        call_command("catalog", "export", str(tmp_path / name))
        call_command("catalog", "import", str(tmp_path / name))
        assert "事项 新增0 新版本0 未变4" in capsys.readouterr().out
    assert ServiceItem.objects.count() == 4


@pytest.mark.django_db
def test_the_reductions_table_has_a_line_per_department_and_a_total(capsys):
    from onewindow.catalog.importexport import import_catalog

    import_catalog(catalog_data(2))

    call_command("catalog", "reductions")

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("部门\t事项数")
    assert any(line.startswith("区市场监督管理局\t1\t") for line in lines)
    assert lines[-1].startswith("合计\t2\t")
