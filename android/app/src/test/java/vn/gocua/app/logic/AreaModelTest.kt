package vn.gocua.app.logic

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class AreaModelTest {
    private val households = listOf(
        summary("hh-aaaaaaaa", "Nguyễn Văn An", pending = true),
        summary("hh-bbbbbbbb", "Trần Thị Hoa", followUp = "2026-03-01"),
        summary("hh-cccccccc", null, followUp = "2026-04-01", members = 1),
    )

    private fun model(t: Texts = vi) = AreaModel(t, today = "2026-03-10").apply {
        load(households, mapOf("to-5" to "Tổ dân phố 5"))
    }

    @Test fun rowsShowProgressTheUnsyncedMarkAndNoIdNumber() {
        val rows = model().rows()
        assertEquals(3, rows.size)
        assertEquals("Nguyễn Văn An", rows[0].title)
        assertTrue(rows[0].unsynced)
        assertFalse(rows[1].unsynced)
        assertEquals("2 người · 1 lần thăm", rows[0].progress)
        assertEquals("5 Ngõ 12 Đội Cấn · Tổ dân phố 5", rows[0].address)
        assertEquals("Hộ hh-ccccc…", rows[2].title)
        assertEquals("3 hộ · 1 chưa đồng bộ · 1 cần thăm lại", model().header())
        assertEquals("3 households · 1 not synced · 1 follow-ups due", model(en).header())
        assertEquals("1 member · 1 visit", model(en).rows()[2].progress)
    }

    @Test fun searchKeepsTheHouseholdsOfTheCoresHits() {
        val m = model()
        m.onSearch("hoa", listOf(hit("hh-bbbbbbbb", "Trần Thị Hoa")))
        assertEquals(listOf("hh-bbbbbbbb"), m.rows().map { it.id })
        m.onSearch("xyz", emptyList())
        assertTrue(m.rows().isEmpty())
        assertEquals("Không tìm thấy “xyz”.", m.emptyText())
        m.onSearch("", emptyList())
        assertEquals(3, m.rows().size)
    }

    @Test fun theFollowUpFilterKeepsWhatIsDue() {
        val m = model()
        m.followUpsOnly = true
        assertEquals(listOf("hh-bbbbbbbb"), m.rows().map { it.id })
        assertTrue(m.rows()[0].followUpDue)
        m.onSearch("an", listOf(hit("hh-aaaaaaaa", "Nguyễn Văn An")))
        assertTrue(m.rows().isEmpty())
    }
}
