package vn.gocua.app.logic

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import vn.gocua.core.ActionView
import vn.gocua.core.FieldKind
import vn.gocua.core.FieldView
import vn.gocua.core.Notice
import vn.gocua.core.NoticeLevel
import vn.gocua.core.OptionView

/** The generic mapping of the core's view pieces, and what the binder redraws. */
class WidgetsTest {
    @Test fun aFieldViewBecomesAFieldWithItsMessagesColoured() {
        val f = FieldView("birth", "Ngày sinh", "31/02/1980", "dd/mm/yyyy", true, true,
            listOf(Notice("invalid_date", NoticeLevel.ERROR, "Ngày không có thật."), Notice("w", NoticeLevel.WARNING, "Kiểm tra lại.")), false,
            FieldKind.TEXT, emptyList())
        val w = Widgets.field(f)
        assertEquals("field:birth", w.key)
        assertEquals(listOf(Line("Ngày không có thật.", Tone.ERROR), Line("Kiểm tra lại.", Tone.WARNING)), w.messages)
        assertEquals("dd/mm/yyyy", w.hint)
        assertTrue(w.required && w.enabled && !w.commit)
        assertFalse(Widgets.button(ActionView("save", "Lưu", false)).enabled)
        assertEquals("action:save", Widgets.button(ActionView("save", "Lưu", false)).key)
    }

    @Test fun eachKindOfFieldIsDrawnItsOwnWayWithItsOwnOptions() {
        val required = listOf(Notice("required", NoticeLevel.ERROR, "Chọn thôn."))
        val hamlets = listOf(OptionView("h1", "Thôn Đông", false), OptionView("h2", "Thôn Tây", true))
        val picker = Widgets.fieldWidgets(FieldView("hamlet", "Thôn/tổ", "h2", "", true, true, required, false, FieldKind.CHOICE, hamlets))
        assertEquals(
            listOf(Widget.Choice("pick:hamlet", "Thôn/tổ", listOf(Option("h1", "Thôn Đông", false), Option("h2", "Thôn Tây", true)),
                required = true, messages = listOf(Line("Chọn thôn.", Tone.ERROR)))),
            picker,
        )
        val found = listOf(OptionView("00004", "Phường Ba Đình, Hà Nội", false))
        val search = Widgets.fieldWidgets(FieldView("commune", "Xã/phường", "", "", true, true, emptyList(), false, FieldKind.SEARCH, found))
        assertEquals(listOf("field:commune", "pick:commune"), search.map { it.key })
        assertEquals(listOf("Phường Ba Đình, Hà Nội"), (search[1] as Widget.Choice).options.map { it.label })
        val nothingFound = Widgets.fieldWidgets(FieldView("commune", "Xã/phường", "", "", true, true, emptyList(), false, FieldKind.SEARCH, emptyList()))
        assertEquals(listOf("field:commune"), nothingFound.map { it.key })
        val typed = Widgets.fieldWidgets(FieldView("street", "Đường", "Đội Cấn", "", false, true, emptyList(), false, FieldKind.TEXT, emptyList()), commit = true)
        assertEquals(listOf(Widget.Field("field:street", "Đường", "Đội Cấn", "", false, true, emptyList(), commit = true)), typed)
    }

    @Test fun onlyChangedWidgetsAreRedrawn() {
        val a = listOf(Widget.Text("position", "—"), Widget.Field("field:street", "Đường", "Đội", "", false, true, emptyList()))
        val b = listOf(Widget.Text("position", "21.03370, 105.81420 (±8 m)"), a[1])
        assertEquals(listOf("position"), Widgets.changed(a, b))
        assertTrue(Widgets.sameLayout(a, b))
        assertFalse(Widgets.sameLayout(a, b.reversed()))
        assertEquals(listOf("new"), Widgets.changed(a, a + Widget.Text("new", "x")))
    }

    @Test fun aFieldIsNotDrawnBackWhileItsAnswersCatchUp() {
        val echo = FieldEcho()
        listOf("Đ", "Độ", "Đội").forEach { echo.sent("field:street", it) }
        // the answer to "Độ" arrives while "Đội" is on screen: left alone
        assertFalse(echo.draw("field:street", "Đội", "Độ"))
        // the answer to "Đội": in agreement, nothing to draw
        assertFalse(echo.draw("field:street", "Đội", "Đội"))
        // the core cleared the field after a save: drawn
        assertTrue(echo.draw("field:street", "Đội", ""))
        // a value never typed here (a pasted pairing read by the core): drawn
        assertTrue(echo.draw("field:pairing", "", "GOCUA-PAIR:1:ABCD-EFGH-JK:http://127.0.0.1:8080"))
    }

    @Test fun aDraftKeepsTypingOrderAndOddCharacters() {
        val d = FormDraft()
        d.record(vn.gocua.core.HouseholdFormEvent.Set("notes", "a b\nc=d&e%"))
        d.record(vn.gocua.core.HouseholdFormEvent.Set("street", ""))
        d.record(vn.gocua.core.HouseholdFormEvent.Save) // not a draft event
        assertEquals(d.events, FormDraft.decode(d.encode()).events)
        assertEquals(2, d.events.size)
        assertTrue(FormDraft.decode("").isEmpty())
    }
}
