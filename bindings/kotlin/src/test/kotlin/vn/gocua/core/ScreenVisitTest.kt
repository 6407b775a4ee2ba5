package vn.gocua.core

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import java.net.URLEncoder
import java.time.Instant
import java.util.concurrent.TimeUnit

/**
 * A whole visit driven only through the core's screen models, as a shell would: every sentence,
 * rule and decision comes from a view; the test only sends events and reads views. The hub and a
 * second device run in Rust on 127.0.0.1 (examples/hub_fixture.rs).
 */
class ScreenVisitTest {
    private fun FieldView.message(): String? = messages.firstOrNull()?.text
    private fun List<ActionView>.enabled(id: String) = single { it.id == id }.enabled

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    fun aWholeVisitThroughTheScreenModels() {
        val dir = tempDir()
        HubFixture(dir.resolve("hub")).use { hub ->
            // Another volunteer has already registered Lê Thị Mai's household and synced it.
            hub.send("device-create vol-02")
            val (maiHousehold, _) = hub.send("device-household Lê Thị Mai").split(" ")
            assertTrue(hub.send("device-sync").startsWith("success"))

            // Enrol from a pairing link: a bad link is a field message, a good one makes a request.
            val enrol = EnrolScreen(Language.VI)
            val bad = enrol.send(EnrolEvent.Payload("https://example.org/not-a-pairing"))
            assertNull(bad.ready)
            assertNotNull(bad.fields.single { it.key == "pairing" }.message())
            val link = "gocua://pair?hub=" + URLEncoder.encode(hub.url, "UTF-8") +
                "&code=" + hub.send("pair vol-01") + "&commune=$COMMUNE"
            enrol.send(EnrolEvent.Payload(link))
            val ready = enrol.send(EnrolEvent.Set("volunteer", "vol-01")).ready
            assertNotNull(ready, "pairing, commune and volunteer make an enrolment request")
            val phone = GocuaRegister.createEncrypted(
                dir.resolve("phone.db").toString(), ready!!.volunteerId, ready.communeCode,
                MemoryKeyStore(), Language.VI,
            )
            // A code the hub never issued: the screen says what to do, the phone is not enrolled.
            val wrong = EnrolScreen(Language.VI)
            wrong.send(EnrolEvent.Payload("GOCUA-PAIR:1:NOPE-NOPE-NO:" + hub.url))
            wrong.send(EnrolEvent.Choose("commune", COMMUNE))
            wrong.send(EnrolEvent.Set("volunteer", "vol-01"))
            val stray = GocuaRegister.createEncrypted(
                dir.resolve("stray.db").toString(), "vol-01", COMMUNE, MemoryKeyStore(), Language.VI,
            )
            val refused = wrong.enrol(stray)
            assertFalse(refused.enrolled)
            assertEquals("Mã ghép không hợp lệ, đã dùng hoặc hết hạn. Xin mã mới.", refused.notices.last().text)
            val notEnrolled = assertThrows(GocuaException::class.java) { stray.sync(null, null) }
            assertEquals(
                "Máy này chưa được ghép với máy chủ xã. Quét mã ghép của xã.",
                errorText(notEnrolled, Language.VI),
            )
            stray.close()

            val enrolled = enrol.enrol(phone)
            assertTrue(enrolled.enrolled, enrolled.notices.joinToString { it.text })
            val said = enrolled.notices.last().text
            assertTrue(said.startsWith("Đã ghép máy. Địa bàn: ") && said.endsWith(" (1 thôn/tổ)."), said)
            assertFalse(enrolled.actions.single { it.id == "enrol" }.enabled, "enrolled once")
            val hamletId = phone.hamlets(COMMUNE).single().id
            val sync = SyncScreen(phone)
            assertEquals("Chưa đồng bộ lần nào.", sync.view().headline)
            val pulled = sync.sync(null, null)
            assertFalse(pulled.running)
            assertEquals(NoticeLevel.INFO, pulled.severity, pulled.headline)

            // Search before create finds the household the other device registered.
            val areaScreen = AreaScreen(phone)
            areaScreen.send(AreaEvent.ChooseHamlet(hamletId))
            val found = areaScreen.send(AreaEvent.CheckBeforeCreate("Lê Thị Mai", "", ""))
            assertEquals(maiHousehold, found.candidates.single().household)
            assertFalse(found.createNext, "a match is offered before a new household is made")
            assertTrue(found.notices.any { it.code == "is_it_one_of_these" })
            val fresh = areaScreen.send(AreaEvent.CheckBeforeCreate("Phạm Văn Bình", "", ""))
            assertTrue(fresh.candidates.isEmpty())
            assertTrue(fresh.createNext)

            // Register a household whose GPS fix is poor: the warning is shown, then accepted.
            val form = HouseholdFormScreen(phone, null)
            val picker = form.view().fields.first { it.kind == FieldKind.CHOICE }
            assertTrue(picker.options.any { it.code == hamletId }, "the hamlet picker")
            form.send(HouseholdFormEvent.Set(picker.key, hamletId))
            form.send(HouseholdFormEvent.Set("house_number", "9"))
            form.send(HouseholdFormEvent.Set("street", "Đội Cấn"))
            form.send(HouseholdFormEvent.Gps(GpsFix(21.0337, 105.8142, 180.0, Instant.now().minusSeconds(30), GpsSource.FIX)))
            val warned = form.send(HouseholdFormEvent.Save)
            assertNull(warned.saved, "a warning is never saved silently")
            assertTrue(warned.warnings.isNotEmpty())
            assertTrue(warned.actions.enabled("accept_warnings"))
            val hid = form.send(HouseholdFormEvent.AcceptWarnings).saved
            assertNotNull(hid)
            val household = hid!!

            // The head: a badly typed date is a message on the field, never an exception.
            val members = MembersScreen(phone, household)
            members.send(MembersEvent.NewMember)
            members.send(MembersEvent.Set("full_name", "Phạm Văn Bình"))
            members.send(MembersEvent.Set("relation", "chu_ho"))
            members.send(MembersEvent.Set("gender", "male"))
            members.send(MembersEvent.Set("birth", "31/02/1980"))
            val badDate = members.send(MembersEvent.Save)
            assertNotNull(badDate.fields.single { it.key == "birth" }.message(), "31 February is refused")
            assertNull(badDate.consentNext)
            members.send(MembersEvent.Set("birth", "5-3-1980"))
            members.send(MembersEvent.Set("phone", "0912345678"))
            val headSaved = members.send(MembersEvent.Save)
            val head = headSaved.consentNext
            assertNotNull(head, "the personal fields wait for consent")
            assertFalse(phone.household(household).members.single().birth != null, "nothing personal before consent")

            // Consent given: purposes start unticked, then the pending fields are stored.
            val consent = members.consentScreen(head!!)
            val notice = consent.view()
            assertTrue(notice.purposes.none { it.selected }, "no purpose is pre-ticked")
            assertFalse(notice.actions.enabled("give"))
            assertEquals(consentNoticeVersion(), notice.noticeVersion)
            consent.send(ConsentStepEvent.TogglePurpose("local_register"))
            consent.send(ConsentStepEvent.TogglePurpose("setup_help"))
            consent.send(ConsentStepEvent.TogglePurpose("share_with_commune"))
            consent.send(ConsentStepEvent.ChooseMethod("witnessed_verbal"))
            assertTrue(consent.send(ConsentStepEvent.Give).finished)
            val stored = phone.household(household).members.single { it.id == head }
            assertEquals("1980-03-05", stored.birth)
            assertEquals("0912345678", stored.phone)
            assertTrue(members.view().rows.single { it.id == head }.phoneMasked.endsWith("678"))
            assertFalse(members.view().rows.single { it.id == head }.phoneMasked.contains("0912"))

            // A member who declines: what was typed is discarded, nothing personal is stored.
            members.send(MembersEvent.NewMember)
            members.send(MembersEvent.Set("full_name", "Phạm Thị Cúc"))
            members.send(MembersEvent.Set("relation", "vo"))
            members.send(MembersEvent.Set("gender", "female"))
            members.send(MembersEvent.Set("birth", "1982"))
            members.send(MembersEvent.Set("id_number", "001182012345"))
            val cuc = members.send(MembersEvent.Save).consentNext!!
            val declined = members.consentScreen(cuc).send(ConsentStepEvent.Decline)
            assertTrue(declined.finished)
            val cucStored = phone.household(household).members.single { it.id == cuc }
            assertNull(cucStored.birth)
            assertNull(cucStored.idNumber)

            // A minor: consent only from a guardian chosen among the household's adults.
            members.send(MembersEvent.NewMember)
            members.send(MembersEvent.Set("full_name", "Phạm Minh Dũng"))
            members.send(MembersEvent.Set("relation", "con_de"))
            members.send(MembersEvent.Set("birth", "2015"))
            val child = members.send(MembersEvent.Save).consentNext!!
            val childConsent = members.consentScreen(child)
            childConsent.send(ConsentStepEvent.TogglePurpose("local_register"))
            val noGuardian = childConsent.send(ConsentStepEvent.ChooseMethod("witnessed_verbal"))
            assertTrue(noGuardian.guardianNeeded)
            assertFalse(noGuardian.actions.enabled("give"), "no consent for a minor without a guardian")
            assertTrue(noGuardian.guardianOptions.any { it.code == head })
            childConsent.send(ConsentStepEvent.ChooseGuardian(head))
            assertTrue(childConsent.send(ConsentStepEvent.Give).finished)
            assertEquals("2015", phone.household(household).members.single { it.id == child }.birth)

            // The checklist: a step whose prerequisite is missing says so; "failed" needs a reason.
            val checklist = ChecklistScreen(phone, household, head)
            val editor = checklist.send(ChecklistEvent.Open(ChecklistItem.VNEID_LEVEL2)).editor!!
            assertTrue(editor.notices.any { it.code == "prerequisite_missing" })
            checklist.send(ChecklistEvent.Close)
            checklist.send(ChecklistEvent.Open(ChecklistItem.SMARTPHONE))
            checklist.send(ChecklistEvent.ChooseStatus(ChecklistStatus.DONE))
            assertTrue(checklist.send(ChecklistEvent.Save).notices.any { it.code == "saved" })
            checklist.send(ChecklistEvent.Open(ChecklistItem.VNEID_INSTALLED))
            checklist.send(ChecklistEvent.ChooseStatus(ChecklistStatus.FAILED))
            val noReason = checklist.send(ChecklistEvent.Save)
            assertTrue(noReason.editor!!.reason.messages.any { it.code == "reason_required" })
            checklist.send(ChecklistEvent.ReasonTyped("Máy không đủ bộ nhớ"))
            val failed = checklist.send(ChecklistEvent.Save)
            assertNull(failed.editor)
            assertEquals(1u, failed.progress.achieved)

            // Sync through the status screen: the views it reports end in success; the hub holds
            // the consented fields and nothing of the person who declined.
            val seen = java.util.Collections.synchronizedList(mutableListOf<SyncStatusView>())
            val done = sync.sync(object : SyncViewListener {
                override fun onView(view: SyncStatusView) { seen.add(view) }
            }, null)
            assertEquals(NoticeLevel.INFO, done.severity, done.headline)
            assertEquals(0u, done.pending)
            assertTrue(seen.first().running)
            assertEquals("birth=yes id=no phone=yes checklist=2", hub.send("hub-member-personal $household $head"))
            assertEquals("birth=no id=no phone=no checklist=0", hub.send("hub-member-personal $household $cuc"))

            // A conflict: the other device renames the head while this phone does too.
            assertTrue(hub.send("device-sync").startsWith("success"))
            hub.send("device-rename $household $head Phạm Văn Bính")
            assertTrue(hub.send("device-sync").startsWith("success"))
            members.send(MembersEvent.EditMember(head))
            members.send(MembersEvent.Set("full_name", "Phạm Văn Binh"))
            members.send(MembersEvent.Save)
            sync.sync(null, null)
            val conflicts = ConflictsScreen(phone, household)
            val review = conflicts.view().conflicts.single()
            assertEquals(2, review.values.size)
            val keep = review.values.indexOfFirst { it.text == "Phạm Văn Bính" }
            assertTrue(keep >= 0, "both values are shown: ${review.values.map { it.text }}")
            assertTrue(conflicts.keep(0u, keep.toUInt()).conflicts.isEmpty())

            // A correction later: the street, then a member removed after confirmation.
            val corrections = CorrectionsScreen(phone, household)
            corrections.send(CorrectionsEvent.SetHouseholdField("street", "Liễu Giai"))
            assertEquals("Liễu Giai", phone.household(household).street)
            val ask = corrections.send(CorrectionsEvent.RemoveMember(cuc))
            assertNotNull(ask.confirmQuestion)
            assertFalse(phone.household(household).members.single { it.id == cuc }.removed, "nothing before confirmation")
            corrections.send(CorrectionsEvent.Confirm)
            assertTrue(phone.household(household).members.single { it.id == cuc }.removed)
            assertTrue(members.view().rows.none { it.id == cuc }, "the list shows current members")

            // Nobody home on the next round: a follow-up in a week, as typed.
            val visit = VisitScreen(phone, household)
            visit.send(VisitEvent.ChooseOutcome("follow_up_needed"))
            visit.send(VisitEvent.FollowUpTyped("31/2/2030"))
            val noSuchDay = visit.send(VisitEvent.Save)
            assertFalse(noSuchDay.saved)
            assertEquals(1, noSuchDay.followUp.messages.size)
            visit.send(VisitEvent.FollowUpTyped("1/1/2099"))
            val recorded = visit.send(VisitEvent.Save)
            assertTrue(recorded.saved, recorded.notices.joinToString { it.text })
            assertTrue(recorded.history.first().contains("hẹn 01/01/2099"), recorded.history.first())

            // The take-home card has the QR and no ID number.
            val card = CardScreen(phone, household).view()
            assertTrue(card.qr.svg.startsWith("<svg") || card.qr.svg.contains("<svg"))
            assertTrue(card.qr.modules.isNotEmpty())

            val last = sync.sync(null, null)
            assertEquals(0u, last.pending, last.headline)
            assertTrue(hub.send("device-sync").startsWith("success"))
            assertEquals("Phạm Văn Bính", hub.send("device-name $household $head"))
            phone.close()
        }
    }
}
