package vn.gocua.app.logic

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import vn.gocua.core.AreaInfo
import vn.gocua.core.ChecklistEntry
import vn.gocua.core.ChecklistItem
import vn.gocua.core.ChecklistStatus
import vn.gocua.core.Conflict
import vn.gocua.core.ConflictValue
import vn.gocua.core.Enrolment
import vn.gocua.core.FieldRef
import vn.gocua.core.GocuaException
import vn.gocua.core.HamletInfo
import vn.gocua.core.Language
import vn.gocua.core.Phase
import vn.gocua.core.Rejected
import vn.gocua.core.SessionOutcome
import vn.gocua.core.SyncReport
import vn.gocua.core.catalogUnit
import vn.gocua.core.checklistItems
import vn.gocua.core.checklistStatuses
import vn.gocua.core.onboardingGuide

class ScreensTest {
    @Test fun enrolFromAScannedQrCode() {
        val m = EnrolModel(vi)
        assertFalse(m.canSubmit)
        m.onScanned("https://example.com")
        assertEquals("Mã QR này không phải mã ghép máy của xã.", m.scanMessage)
        m.onScanned("GOCUA-PAIR:1:ABCD-EFGH-JK:http://127.0.0.1:8080")
        assertEquals("ABCD-EFGH-JK", m.pairingCode)
        assertEquals(listOf("Mã tình nguyện viên", "Xã/phường"), m.missing())
        m.volunteerId = "vol-01"
        m.commune = catalogUnit("00004", Language.VI)
        assertEquals("Phường Ba Đình (00004)", m.communeLabel())
        assertTrue(m.canSubmit)
        m.onEnrolling()
        assertFalse(m.canSubmit)
        m.onFailed(GocuaException.PairingInvalid("mã ghép không hợp lệ / invalid pairing code"))
        assertTrue(m.summary().startsWith("Mã ghép sai, đã dùng hoặc hết hạn."))
        m.onEnrolled(Enrolment("hub", "dev", AreaInfo("a", "Ba Đình", "01", "00004", listOf(HamletInfo("t5", "Tổ dân phố 5")))))
        assertEquals("Đã ghép máy. Địa bàn: Ba Đình (1 thôn/tổ).", m.summary())
    }

    private fun checklist(t: Texts, lang: Language) = ChecklistModel(t, checklistItems(lang), checklistStatuses(lang))

    @Test fun checklistWithGuidedStepsAndAReasonWhenFailed() {
        val m = checklist(en, Language.EN)
        m.load(listOf(ChecklistEntry(ChecklistItem.VNEID_INSTALLED, ChecklistStatus.DONE, null, null, "vol-01", java.time.Instant.now(), "dev")))
        assertEquals(ChecklistStatus.DONE, m.status(ChecklistItem.VNEID_INSTALLED))
        assertEquals(ChecklistStatus.NOT_ASKED, m.status(ChecklistItem.VNEID_LEVEL1))
        assertTrue(m.progress().contains("achieved: 1/"), m.progress())
        m.openItem(ChecklistItem.VNEID_LEVEL1, onboardingGuide(ChecklistItem.VNEID_LEVEL1, Language.EN))
        assertTrue(m.steps().size >= 3)
        assertTrue(m.steps()[0].startsWith("1. "))
        m.choose(ChecklistStatus.FAILED)
        assertTrue(m.needsReason)
        assertFalse(m.canSave)
        m.reason = "no signal"
        assertTrue(m.canSave)
        assertEquals("no signal", m.reasonToSave())
        m.choose(ChecklistStatus.DONE)
        assertFalse(m.needsReason)
        assertTrue(m.buttons().single { it.selected }.status == ChecklistStatus.DONE)
    }

    @Test fun vneidLevel2IsReferredToTheCommunePolice() {
        val m = checklist(en, Language.EN)
        m.load(emptyList())
        m.openItem(ChecklistItem.VNEID_LEVEL2, onboardingGuide(ChecklistItem.VNEID_LEVEL2, Language.EN))
        assertEquals("Referred to commune police", m.buttons().single { it.status == ChecklistStatus.REFERRED }.label)
        val v = checklist(vi, Language.VI)
        v.openItem(ChecklistItem.VNEID_LEVEL2, onboardingGuide(ChecklistItem.VNEID_LEVEL2, Language.VI))
        assertEquals("Đã chuyển công an xã", v.buttons().single { it.status == ChecklistStatus.REFERRED }.label)
    }

    private fun report(outcome: SessionOutcome, pushed: Int, rejected: List<Rejected> = emptyList(), left: Int = 0) =
        SyncReport(outcome, 1uL, 2u, 100uL, 100uL, pushed.toUInt(), 0u, rejected, left.toUInt())

    @Test fun syncProgressAndOutcomeInWords() {
        val m = SyncModel(vi)
        m.pending = 2
        assertEquals("2 hộ chưa đồng bộ.", m.outcomeText())
        m.onStarted()
        assertTrue(m.running && !m.canStart && m.indeterminate())
        m.onProgress(Phase.SENDING, 1, 2)
        assertEquals(50, m.percent())
        assertEquals("Đang gửi 1/2 hộ…", m.outcomeText())
        m.onFinished(report(SessionOutcome.SUCCESS, 2))
        assertEquals("Đồng bộ xong: đã gửi 2 hộ, nhận 0 hộ thay đổi.", m.outcomeText())
        assertTrue(m.canStart)
        assertEquals(0, m.pending)
    }

    @Test fun rejectedDocumentsAndWhy() {
        val m = SyncModel(en)
        m.onStarted()
        m.onFinished(report(SessionOutcome.PARTIAL, 1, listOf(Rejected("hh-0123456789", "too_large", "tài liệu quá lớn", "document too large")), left = 1))
        assertEquals("Sync incomplete: sent 1 household, 1 rejected, 1 household still waiting.", m.outcomeText())
        assertEquals(listOf("hh-01234…: document too large (too_large)"), m.rejectedLines())
        assertEquals(listOf("An: document too large (too_large)"), m.rejectedLines(mapOf("hh-0123456789" to "An")))
        m.onStarted()
        m.onFailed(GocuaException.Network("timeout"))
        assertTrue(m.outcomeText().startsWith("Cannot reach the commune hub"))
        assertTrue(m.rejectedLines().isEmpty())
    }

    @Test fun conflictsSideBySideWithIdNumbersMasked() {
        val name = Conflict(FieldRef("m-1", "full_name", "member.m-1.full_name"), listOf(
            ConflictValue("Nguyễn Văn Anh", "vol-01", "dev-aaaaaaaaaa", null),
            ConflictValue("Nguyễn Văn Ân", "vol-02", "dev-bbbbbbbbbb", null)))
        val id = Conflict(FieldRef("m-1", "id_number", "member.m-1.id_number"), listOf(
            ConflictValue("001090012345", "vol-01", null, null), ConflictValue("001090012346", "vol-02", null, null)))
        val m = ConflictModel(en, mapOf("m-1" to "Nguyễn Văn An"))
        m.load(listOf(name, id))
        val cards = m.cards()
        assertEquals("Full name · Nguyễn Văn An", cards[0].title)
        assertEquals("Nguyễn Văn Anh", cards[0].left.value)
        assertEquals("Nguyễn Văn Ân", cards[0].right.value)
        assertEquals("vol-02 · dev-bbbb…", cards[0].right.who)
        assertEquals("••••••••2346", cards[1].right.value)
        assertEquals("001090012346", m.choice(1, 1).second, "the stored value goes back to the core")
        assertNull(m.cards().firstOrNull { it.more != 0 })
    }
}
