package vn.gocua.core

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** The volunteer's flow on one phone, through the generated Kotlin bindings. */
class VolunteerFlowTest {
    @Test
    fun registerAHouseholdOnAnEncryptedRegister() {
        val dir = tempDir()
        val path = dir.resolve("register.db").toString()
        val keys = MemoryKeyStore()

        // Open an encrypted register with a key from the platform key store.
        val register = GocuaRegister.createEncrypted(path, "vol-01", COMMUNE, keys, Language.VI)
        assertEquals(1, keys.keys.size, "the register's key is in the key store")
        assertEquals("vol-01", register.identity().volunteerId)
        val hamlet = register.addHamlet(COMMUNE, HAMLET_NAME)
        assertEquals("to-dan-pho-5", hamlet.id)

        // Register a household with members.
        val saved = register.createHousehold(household(hamlet.id))
        val hid = saved.id
        val head = register.addConsented(
            hid,
            member("Nguyễn Văn An", Relation.HEAD, "1990-05-01", Gender.MALE, "001090012345", "0912345678"),
        )
        assertTrue(head.warnings.isEmpty(), "a consistent ID number has no warning: ${head.warnings}")
        val child = register.addConsented(hid, member("Nguyễn Thị Bình", Relation.CHILD, "2015", Gender.FEMALE), guardian = head.id)

        // Set checklist items.
        register.setChecklist(hid, head.id, ChecklistItem.SMARTPHONE, ChecklistStatus.DONE, null, SmartphoneAccess.OWN)
        register.setChecklist(hid, head.id, ChecklistItem.VNEID_LEVEL1, ChecklistStatus.IN_PROGRESS, null, null)
        register.setChecklist(hid, head.id, ChecklistItem.VNEID_LEVEL2, ChecklistStatus.REFERRED, null, null)
        val failed = assertThrows<GocuaException.Validation> {
            register.setChecklist(hid, child.id, ChecklistItem.BANK_ACCOUNT, ChecklistStatus.FAILED, null, null)
        }
        assertEquals("checklist.reason", failed.issues.single().field)

        // Read the guided steps for the item being set up.
        val guide = onboardingGuide(ChecklistItem.VNEID_LEVEL1, Language.VI)
        assertTrue(guide.steps.size >= 3)
        assertTrue(guide.cautions.any { it.contains("OTP") })
        val english = onboardingGuide(ChecklistItem.VNEID_LEVEL2, Language.EN)
        assertTrue(english.steps.joinToString(" ").contains("in person"))
        val labels = checklistItems(Language.VI)
        assertEquals("Có điện thoại thông minh", labels.first { it.item == ChecklistItem.SMARTPHONE }.label)
        assertEquals(5, labels.count { it.fiveSkills })

        // A bad ID number is a validation error, with its Vietnamese message.
        val bad = assertThrows<GocuaException.Validation> {
            register.addConsented(hid, member("Trần Văn Cường", Relation.OTHER, idNumber = "12345"))
        }
        val issue = bad.issues.single { it.field == "member.id_number" }
        assertEquals(IssueKind.ID_NUMBER_FORMAT, issue.kind)
        assertEquals(Severity.ERROR, issue.severity)
        assertEquals("Số định danh cá nhân phải gồm đúng 12 chữ số.", issue.message)
        assertFalse(bad.reason.contains("12345"), "the message never repeats the number")
        register.setLanguage(Language.EN)
        val badEn = assertThrows<GocuaException.Validation> {
            register.setMemberField(hid, head.id, MemberFieldUpdate.IdNumber("0010900"))
        }
        assertEquals("The personal ID number must have exactly 12 digits.", badEn.issues.single().message)
        register.setLanguage(Language.VI)

        // Consent and a visit.
        register.recordConsent(
            hid, head.id, ConsentAction.GIVEN,
            ConsentPurposes(localRegister = true, setupHelp = true, shareWithCommune = false),
            "2025-07", ConsentMethod.SIGNATURE_ON_SCREEN, null,
        )
        register.recordConsent(
            hid, child.id, ConsentAction.GIVEN,
            ConsentPurposes(localRegister = true, setupHelp = false, shareWithCommune = false),
            "2025-07", ConsentMethod.WITNESSED_VERBAL, head.id,
        )
        register.recordVisit(hid, "2025-08-01", VisitOutcome.REGISTERED, "Đã cài VNeID", null)
        assertThrows<GocuaException.InvalidInput> {
            register.recordVisit(hid, "01/08/2025", VisitOutcome.REGISTERED, null, null)
        }

        // Read it back: the household, lists, search, card.
        val h = register.household(hid)
        assertEquals(head.id, h.headMemberId)
        assertEquals(2, h.members.size)
        val an = h.members.single { it.id == head.id }
        assertEquals("001090012345", an.idNumber)
        assertEquals(ChecklistStatus.DONE, an.checklist.single { it.item == ChecklistItem.SMARTPHONE }.status)
        assertEquals(true, an.consent?.setupHelp)
        assertEquals(1, h.visits.size)
        val list = register.listHamlet(COMMUNE, hamlet.id, 50u, 0u)
        assertEquals(listOf(hid), list.map { it.id })
        assertEquals(2u, list.single().memberCount)
        val hits = register.search("nguyen van an", 10u)
        assertEquals(head.id, hits.single().memberId)
        assertEquals("2345", hits.single().idNumberLast4)
        val card = register.householdCard(hid)
        assertNotNull(card.plusCode)
        assertEquals("GOCUA:1:$hid:${card.plusCode}", card.qrPayload)
        assertEquals(hid, parseHouseholdCard(card.qrPayload).householdId)
        assertTrue(register.pendingCount() >= 1u)
        assertEquals("ok", register.integrityCheck())
        register.close()

        // The file opens again only with its key.
        val reopened = GocuaRegister.openEncrypted(path, keys, Language.VI)
        assertEquals(2, reopened.household(hid).members.size)
        reopened.close()
        val wrong = assertThrows<GocuaException.WrongKey> {
            GocuaRegister.openEncrypted(path, MemoryKeyStore(), Language.VI)
        }
        assertTrue(wrong.reason.isNotEmpty())
    }

    @Test
    fun conflictsAfterASecondReplicaIsMergedIn() {
        val dir = tempDir()
        val phone = GocuaRegister.createEncrypted(dir.resolve("a.db").toString(), "vol-01", COMMUNE, MemoryKeyStore(), Language.VI)
        val other = GocuaRegister.createEncrypted(dir.resolve("b.db").toString(), "vol-02", COMMUNE, MemoryKeyStore(), Language.VI)
        val hamlet = phone.addHamlet(COMMUNE, HAMLET_NAME)
        val hid = phone.createHousehold(household(hamlet.id)).id
        val mid = phone.addConsented(hid, member("Lê Văn Dũng", Relation.HEAD, "1980")).id

        // The second replica receives the household, then both edit the name offline.
        assertEquals(hid, other.mergeDocument(phone.exportDocument(hid)))
        phone.setMemberField(hid, mid, MemberFieldUpdate.FullName("Lê Văn Dung"))
        other.setMemberField(hid, mid, MemberFieldUpdate.FullName("Lê Văn Dũngg"))
        other.setChecklist(hid, mid, ChecklistItem.VSSID, ChecklistStatus.DONE, null, null)
        phone.mergeDocument(other.exportDocument(hid))

        val conflicts = phone.conflicts(hid)
        val c = conflicts.single()
        assertEquals(mid, c.field.memberId)
        assertEquals("full_name", c.field.key)
        assertEquals(setOf("Lê Văn Dung", "Lê Văn Dũngg"), c.values.map { it.value }.toSet())
        assertEquals(setOf("vol-01", "vol-02"), c.values.mapNotNull { it.volunteerId }.toSet())
        assertEquals(1u, phone.summary(hid).conflictCount)
        // The checklist item merged without conflict.
        assertEquals(ChecklistStatus.DONE, phone.household(hid).members.single().checklist.single().status)

        phone.resolveConflict(hid, c.field, "Lê Văn Dung")
        assertTrue(phone.conflicts(hid).isEmpty())
        assertEquals("Lê Văn Dung", phone.household(hid).members.single().fullName)
        assertThrows<GocuaException.NoConflict> { phone.resolveConflict(hid, c.field, "Lê Văn Dung") }
        assertTrue(phone.history(hid).any { it.what.startsWith("conflict.resolve") })
        phone.close()
        other.close()
    }

    @Test
    fun erasure() {
        val register = GocuaRegister.createEncrypted(tempDir().resolve("e.db").toString(), "vol-01", COMMUNE, MemoryKeyStore(), Language.VI)
        val hamlet = register.addHamlet(COMMUNE, HAMLET_NAME)
        val hid = register.createHousehold(household(hamlet.id)).id
        val keep = register.addConsented(hid, member("Đỗ Văn Giang", Relation.HEAD)).id
        val gone = register.addConsented(hid, member("Đỗ Thị Hà", Relation.WIFE, phone = "0912345678")).id
        assertTrue(register.eraseMember(hid, gone), "never synced: erased here at once")
        assertEquals(listOf(keep), register.household(hid).members.map { it.id })
        assertTrue(register.search("0912345678", 5u).isEmpty())
        assertTrue(register.eraseHousehold(hid), "never synced: erased here at once")
        assertTrue(register.isErased(hid))
        assertThrows<GocuaException.NotFound> { register.household(hid) }
        assertEquals(1u, register.pendingErasures(), "one request for the household, replacing the member's")
        register.close()
    }

    @Test
    fun catalogLookups() {
        val ward = catalogUnit(COMMUNE, Language.VI)
        assertNotNull(ward)
        assertEquals(PROVINCE, ward!!.provinceCode)
        assertEquals(UnitKind.WARD, ward.kind)
        assertEquals(34, catalogProvinces(Language.VI).size)
        assertTrue(catalogCommunes(PROVINCE, Language.VI).any { it.code == COMMUNE })
        val found = catalogSearch("ba dinh", 5u, Language.EN)
        assertEquals(COMMUNE, found.first().code)
        assertEquals("Ward", found.first().kindLabel)
        assertNull(catalogUnit("99999", Language.VI))
        assertEquals(11, plusCode(21.0337, 105.8142)!!.replace("+", "").length)
    }
}
