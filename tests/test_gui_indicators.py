"""GUI of issue 15: the region chooser, binding-only visits, the item panel's binding, indicator values."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog

from auditapp.services import indicators, institutions, visits

TODAY = date(2026, 12, 1)


def test_region_chooser_offers_document_regions_and_shows_binding(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs import InstitutionDialog

    dialog = InstitutionDialog(db)
    qtbot.addWidget(dialog)
    offered = [dialog.region_combo.itemText(i) for i in range(dialog.region_combo.count())]
    assert {"北京市", "重庆市渝北区", "江苏省淮安市", "江苏省苏州市吴中区", "吉林省"} <= set(offered)
    dialog.name_edit.setText("渝北测试医院")
    dialog.region_combo.setCurrentText("渝北区")
    assert "渝北区改善就医感受" in dialog.binding_label.text()
    dialog.region_combo.setCurrentText("广东省广州市")
    outside = dialog.binding_label.text()  # English or Chinese, as the translator installed by other tests says
    assert "广东省广州市" in outside and "《" not in outside
    dialog.region_combo.setCurrentText("渝北区")
    dialog.accept()
    assert dialog.result_info.region == "重庆市渝北区"
    edit = InstitutionDialog(db, institutions.list_institutions(db)[0])
    qtbot.addWidget(edit)
    assert edit.region_combo.currentText() == "重庆市渝北区"
    edit.region_combo.setCurrentText("北京市")
    edit.accept()
    assert institutions.list_institutions(db)[0].region == "北京市"


def test_new_visit_dialog_limits_to_binding_items(qtbot, db, real_library) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs import NewVisitDialog
    from ui.item_panel import ItemPanel

    inst = institutions.add_institution(db, name="淮安测试医院", kind="general", level=3, region="江苏省淮安市")
    dialog = NewVisitDialog(db, real_library, inst, inspector="院长")
    qtbot.addWidget(dialog)
    assert dialog.binding_check.isEnabled() and "淮安市" in dialog.binding_label.text()
    dialog.binding_check.setChecked(True)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    detail = visits.visit_detail(db, dialog.result_info.id)
    assert dialog.result_info.binding_only and detail.items and all(v.is_binding for v in detail.items)
    panel = ItemPanel()
    qtbot.addWidget(panel)
    panel.show_item(detail.items[0], "1/1", [], editable=True)
    assert "本地要求" in panel.basis_label.text()
    outside = institutions.add_institution(db, name="广州测试医院", kind="general", level=3, region="广东省广州市")
    other = NewVisitDialog(db, real_library, outside, inspector="院长")
    qtbot.addWidget(other)
    assert not other.binding_check.isEnabled() and "广东省广州市" in other.binding_label.text()
    assert "《" not in other.binding_label.text()


def test_indicator_dialog_saves_values_and_a_bad_one_saves_nothing(qtbot, db, real_library, dialogs) -> None:  # type: ignore[no-untyped-def]
    from ui.indicator_dialog import COL_NOTE, COL_VALUE, IndicatorDialog

    inst = institutions.add_institution(db, name="渝北测试医院", kind="general", level=2, region="重庆市渝北区")
    dialog = IndicatorDialog(db, real_library, inst, today=TODAY)
    qtbot.addWidget(dialog)
    assert dialog.period_edit.text() == "2026-Q3"
    ids = [row.indicator.id for row in dialog.rows]
    assert "indicators.booking-rate" in ids and all(i.startswith("indicators.") for i in ids)
    booking = ids.index("indicators.booking-rate")
    dialog.table.item(booking, COL_VALUE).setText("55")
    dialog.table.item(booking, COL_NOTE).setText("HIS 统计")
    assert dialog.save()
    saved = indicators.list_indicator_values(db, institution=inst.id, library=real_library)
    assert [(v.indicator_id, v.period, v.value, v.note, v.result) for v in saved] == [
        ("indicators.booking-rate", "2026-Q3", "55", "HIS 统计", "conform")]
    # two changes, the second not a number: neither is saved
    dialog.table.item(booking, COL_VALUE).setText("60")
    dialog.table.item(ids.index("indicators.wait-after-booking"), COL_VALUE).setText("三十")
    dialogs.expect_error(match="三十")
    assert not dialog.save()
    assert [v.value for v in indicators.list_indicator_values(db, institution=inst.id, library=real_library)] == ["55"]
    beijing = institutions.add_institution(db, name="北京测试医院", kind="general", level=3, region="北京市")
    empty = IndicatorDialog(db, real_library, beijing, today=TODAY)
    qtbot.addWidget(empty)
    empty.set_combo.setCurrentIndex(empty.set_combo.findData("annex-2023"))
    assert empty.rows == [] and "北京市" in empty.info_label.text()
