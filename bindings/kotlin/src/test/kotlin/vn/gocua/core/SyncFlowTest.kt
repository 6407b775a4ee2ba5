package vn.gocua.core

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import java.util.concurrent.TimeUnit

/**
 * The volunteer's whole flow with a commune hub on 127.0.0.1 and a second device in Rust: enrol
 * with a pairing code, register, sync with progress, see the household on the hub, read the sync
 * status, and after the second device edits the same household, see the merged result and the
 * conflict to review.
 */
class SyncFlowTest {
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    fun enrolRegisterSyncAndReviewAConflict() {
        val dir = tempDir()
        HubFixture(dir.resolve("hub")).use { hub ->
            val keys = MemoryKeyStore()
            val phone = GocuaRegister.createEncrypted(dir.resolve("phone.db").toString(), "vol-01", COMMUNE, keys, Language.VI)
            assertNull(phone.syncStatus(), "not enrolled yet")

            // Enrol with a pairing code from the coordinator.
            assertThrows<GocuaException.PairingInvalid> { phone.enrol(hub.url, "AAAA-BBBB-CC", null) }
            val enrolment = phone.enrol(hub.url, hub.send("pair vol-01"), null)
            assertEquals(COMMUNE, enrolment.area.communeCode)
            val hamletId = enrolment.area.hamlets.single().id
            assertEquals(listOf(hamletId), phone.hamlets(COMMUNE).map { it.id }, "the area's hamlets came with the enrolment")

            // Register a household with members, set checklist items, read the guided steps.
            val hid = phone.createHousehold(household(hamletId)).id
            val an = phone.addConsented(hid, member("Nguyễn Văn An", Relation.HEAD, "1990-05-01", Gender.MALE, "001090012345")).id
            phone.addConsented(hid, member("Trần Thị Hoa", Relation.WIFE, "1992", Gender.FEMALE))
            phone.setChecklist(hid, an, ChecklistItem.VNEID_INSTALLED, ChecklistStatus.DONE, null, null)
            phone.setChecklist(hid, an, ChecklistItem.VNEID_LEVEL1, ChecklistStatus.IN_PROGRESS, null, null)
            val steps = onboardingGuide(ChecklistItem.VNEID_LEVEL1, Language.VI).steps
            assertTrue(steps.size >= 3)

            // A bad ID number: a validation exception with the Vietnamese message.
            val bad = assertThrows<GocuaException.Validation> {
                phone.setMemberField(hid, an, MemberFieldUpdate.IdNumber("00109001234"))
            }
            assertEquals("Số định danh cá nhân phải gồm đúng 12 chữ số.", bad.issues.single().message)

            // Sync, with progress reported.
            val progress = ProgressRecorder()
            val report = phone.sync(progress, SyncCancellation())
            assertEquals(SessionOutcome.SUCCESS, report.outcome)
            assertEquals(1u, report.pushed)
            assertEquals(0u, report.pendingAfter)
            assertTrue(Phase.SENDING in progress.phases, "progress: ${progress.phases}")
            assertEquals(Phase.DONE, progress.phases.last())

            // The household is on the hub; the status says so.
            assertTrue(hid in hub.send("hub-households").split(" "))
            assertEquals("Nguyễn Văn An", hub.send("hub-member-name $hid $an"))
            val status = phone.syncStatus()!!
            assertEquals(0u, status.pending)
            assertNotNull(status.lastSuccessAt)
            assertNull(status.lastError)
            assertEquals(hub.url, status.hubUrl)

            // A second device (Rust) receives the household and edits the name, while the phone
            // edits the same name and a checklist item offline.
            hub.send("device-create vol-02")
            assertTrue(hub.send("device-sync").startsWith("success"))
            assertEquals("Nguyễn Văn An", hub.send("device-name $hid $an"))
            hub.send("device-rename $hid $an Nguyễn Văn Ân")
            phone.setMemberField(hid, an, MemberFieldUpdate.FullName("Nguyễn Văn Anh"))
            phone.setChecklist(hid, an, ChecklistItem.VSSID, ChecklistStatus.DONE, null, null)
            assertEquals(1u, phone.syncStatus()!!.pending)
            assertTrue(hub.send("device-sync").startsWith("success"))
            val second = phone.sync(null, null)
            assertEquals(SessionOutcome.SUCCESS, second.outcome)
            assertEquals(1u, second.pulled)
            assertTrue(hub.send("device-sync").startsWith("success"))

            // Both sides see the merged result and the conflict to review.
            val merged = phone.household(hid).members.single { it.id == an }
            assertEquals(ChecklistStatus.DONE, merged.checklist.single { it.item == ChecklistItem.VSSID }.status)
            assertEquals(merged.fullName, hub.send("device-name $hid $an"), "both replicas read the same winner")
            val conflict = phone.conflicts(hid).single()
            assertEquals("full_name", conflict.field.key)
            assertEquals(setOf("Nguyễn Văn Ân", "Nguyễn Văn Anh"), conflict.values.map { it.value }.toSet())
            assertEquals(setOf("vol-01", "vol-02"), conflict.values.mapNotNull { it.volunteerId }.toSet())
            assertEquals(1u, phone.summary(hid).conflictCount)

            // The volunteer settles it; after syncing, the second device has the chosen name.
            phone.resolveConflict(hid, conflict.field, "Nguyễn Văn Anh")
            assertEquals(SessionOutcome.SUCCESS, phone.sync(null, null).outcome)
            assertTrue(hub.send("device-sync").startsWith("success"))
            assertEquals("Nguyễn Văn Anh", hub.send("device-name $hid $an"))
            assertEquals("Nguyễn Văn Anh", hub.send("hub-member-name $hid $an"))
            assertTrue(phone.conflicts(hid).isEmpty())

            // A cancelled sync is an exception; the change stays pending until the next sync.
            phone.setChecklist(hid, an, ChecklistItem.QR_PAYMENT, ChecklistStatus.DONE, null, null)
            val cancellation = SyncCancellation()
            assertThrows<GocuaException.Cancelled> {
                phone.sync(ProgressRecorder(Phase.PREPARING, cancellation), cancellation)
            }
            assertTrue(cancellation.isCancelled())
            assertEquals(1u, phone.syncStatus()!!.pending)
            assertNotNull(phone.syncStatus()!!.lastError)
            assertEquals(SessionOutcome.SUCCESS, phone.sync(null, null).outcome)
            assertEquals(0u, phone.syncStatus()!!.pending)
            assertNull(phone.syncStatus()!!.lastError)
            phone.close()
        }
    }
}
