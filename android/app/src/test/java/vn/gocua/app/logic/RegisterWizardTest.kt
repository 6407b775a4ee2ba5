package vn.gocua.app.logic

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import vn.gocua.core.GpsSource
import vn.gocua.core.Language
import vn.gocua.core.Relation
import vn.gocua.core.Severity
import vn.gocua.core.plusCode
import vn.gocua.core.validateHousehold
import vn.gocua.core.validateMember

/** The guided registration, with the core's Plus Code and validation (JNA, target/debug). */
class RegisterWizardTest {
    private fun wizard(t: Texts = vi) = RegisterWizard(t) { lat, lon -> plusCode(lat, lon) }.apply {
        provinceCode = "01"; communeCode = "00004"; hamletId = "to-dan-pho-5"
        street = "Đội Cấn"; alley = "Ngõ 12"; houseNumber = "5"
    }

    @Test fun thePlusCodeIsShownAsSoonAsThereIsAFix() {
        val w = wizard()
        assertEquals("Chưa lấy vị trí.", w.positionText())
        w.onLocating()
        assertEquals("Đang lấy vị trí GPS…", w.positionText())
        w.onFix(21.0337, 105.8142, 7.6, 1_700_000_000_000)
        assertEquals(plusCode(21.0337, 105.8142), w.plusCode())
        assertTrue(w.plusCode()!!.contains('+'))
        assertEquals("21.03370, 105.81420 · Độ chính xác ±8 m", w.positionText())
        assertEquals(GpsSource.FIX, w.householdInput().gps!!.source)
    }

    @Test fun noFixThenRetryOrPinByHand() {
        val w = wizard(en)
        w.onNoFix("GPS off")
        assertEquals("No position: GPS off. Retry or pin it on the map.", w.positionText())
        assertNull(w.plusCode())
        w.onPinned(21.0337, 105.8142, 1_700_000_000_000)
        assertEquals(GpsSource.MAP_PIN, w.householdInput().gps!!.source)
        assertNotNull(w.plusCode())
        assertTrue(w.positionText().startsWith("Pinned by hand"))
    }

    @Test fun aPoorFixIsAWarningBesideThePositionThatCanBeAccepted() {
        val w = wizard()
        w.onFix(21.0337, 105.8142, 120.0, System.currentTimeMillis())
        w.onChecked(validateHousehold(w.householdInput(), Language.VI))
        val gps = w.issues.messagesFor("digital_address.gps")
        assertEquals(1, gps.size, "${w.issues.all}")
        assertTrue(gps[0].startsWith("⚠ "))
        assertFalse(w.issues.blocking)
        assertFalse(w.trySave(), "the first tap shows the warning")
        assertNotNull(w.warningPrompt())
        assertTrue(w.trySave(), "the second accepts it")
        w.onHouseholdCreated("hh-1")
        assertEquals(RegisterWizard.Step.MEMBERS, w.step)
        assertEquals("Bước 2/4 · Thành viên", w.stepTitle())
    }

    @Test fun anErrorBesideTheIdNumberBlocksTheMember() {
        val w = wizard()
        w.onHouseholdCreated("hh-1")
        w.memberName = "Nguyễn Văn An"; w.memberRelation = Relation.HEAD; w.memberIdNumber = "00109001234"
        w.onChecked(validateMember(w.memberInput(), Language.VI))
        assertTrue(w.issues.blocking)
        assertEquals(listOf("⛔ Số định danh cá nhân phải gồm đúng 12 chữ số."), w.issues.messagesFor("member.id_number"))
        assertFalse(w.trySave())
        w.memberIdNumber = "001090012345"
        w.onChecked(validateMember(w.memberInput(), Language.VI))
        assertTrue(w.issues.errors.isEmpty(), "${w.issues.all}")
    }

    @Test fun membersConsentAndSteps() {
        val w = wizard(en)
        w.onHouseholdCreated("hh-1")
        assertFalse(w.canLeaveMembers)
        w.memberName = "Nguyễn Văn An"; w.memberRelation = Relation.HEAD
        w.onMemberAdded("m-1")
        assertEquals(Relation.CHILD, w.memberRelation, "the next member is not the head")
        assertEquals("", w.memberName)
        w.memberName = "Trần Thị Hoa"; w.memberRelation = Relation.WIFE
        w.onMemberAdded("m-2")
        w.toConsent()
        assertEquals(RegisterWizard.Step.CONSENT, w.step)
        assertEquals("m-1", w.nextWithoutConsent()!!.id)
        w.onConsentRecorded("m-1")
        assertEquals("Consent: 1/2 people", w.consentProgress())
        assertEquals(listOf("m-1"), w.guardianChoices("m-2").map { it.id })
        w.toChecklist()
        assertEquals("Step 4/4 · Digital checklist", w.stepTitle())
        w.back()
        assertEquals(RegisterWizard.Step.CONSENT, w.step)
    }

    @Test fun leavingHalfWayKeepsADraft() {
        val w = wizard()
        w.onFix(21.0337, 105.8142, 9.0, 1_700_000_000_000)
        w.onHouseholdCreated("hh-1")
        w.memberName = "Nguyễn Văn An"
        w.onMemberAdded("m-1")
        w.memberName = "Trần Thị"
        val draft = w.draft()
        val back = RegisterWizard(vi) { lat, lon -> plusCode(lat, lon) }
        back.restore(draft)
        assertEquals(RegisterWizard.Step.MEMBERS, back.step)
        assertEquals("hh-1", back.householdId)
        assertEquals("Đội Cấn", back.street)
        assertEquals(w.plusCode(), back.plusCode())
        assertEquals(listOf("Nguyễn Văn An"), back.members.map { it.name })
        assertEquals("Trần Thị", back.memberName)
        // a draft without a saved household starts at the address
        val fresh = RegisterWizard(vi) { _, _ -> null }
        fresh.restore(mapOf("step" to "CONSENT", "street" to "X"))
        assertEquals(RegisterWizard.Step.ADDRESS, fresh.step)
        assertEquals("X", fresh.street)
    }

    @Test fun issuesNotBesideAnyFieldAreStillShown() {
        val issues = Issues(listOf(issue(Severity.ERROR, "address.hamlet_id", "Thôn không có"), issue(Severity.WARNING, "member.phone", "Số lạ")))
        assertEquals(listOf("⛔ Thôn không có"), issues.others(listOf("member")))
        assertEquals(listOf("⚠ Số lạ"), issues.messagesFor("member.phone"))
    }
}
