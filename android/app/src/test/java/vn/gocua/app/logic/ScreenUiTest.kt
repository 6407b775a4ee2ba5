package vn.gocua.app.logic

import java.nio.file.Files
import java.time.Instant
import java.util.concurrent.ConcurrentHashMap
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import vn.gocua.core.AreaEvent
import vn.gocua.core.AreaScreen
import vn.gocua.core.CardScreen
import vn.gocua.core.ChecklistScreen
import vn.gocua.core.ConflictsScreen
import vn.gocua.core.ConsentStepEvent
import vn.gocua.core.CorrectionsEvent
import vn.gocua.core.CorrectionsScreen
import vn.gocua.core.EnrolEvent
import vn.gocua.core.EnrolScreen
import vn.gocua.core.GocuaRegister
import vn.gocua.core.GpsFix
import vn.gocua.core.GpsSource
import vn.gocua.core.HouseholdFormEvent
import vn.gocua.core.HouseholdFormScreen
import vn.gocua.core.HouseholdInput
import vn.gocua.core.Language
import vn.gocua.core.MembersEvent
import vn.gocua.core.MembersScreen
import vn.gocua.core.PlatformKeyStore
import vn.gocua.core.SyncScreen
import vn.gocua.core.VisitScreen
import vn.gocua.core.MemoryKeyStore
import vn.gocua.core.checklistItems
import vn.gocua.core.checklistStatuses

/**
 * Each screen's widgets from the view states of the core's real screen objects, against a register
 * in a temporary directory: what the Activities draw, checked without a device.
 */
class ScreenUiTest {
    private lateinit var reg: GocuaRegister
    private lateinit var hamlet: String
    /** Records the captions the pages name: each must be in res/values and res/values-en. */
    private val used = mutableSetOf<String>()
    private val caption: Caption = { used += it; it }

    @BeforeEach fun open() {
        val dir = Files.createTempDirectory("gocua-android-")
        reg = GocuaRegister.createEncrypted(dir.resolve("phone.db").toString(), "vol-01", COMMUNE, MemoryKeyStore(), Language.VI)
        hamlet = reg.addHamlet(COMMUNE, "Tổ dân phố 5").id
    }

    @AfterEach fun close() {
        reg.close()
        for (res in listOf("values", "values-en")) {
            val xml = java.io.File("android/app/src/main/res/$res/strings.xml").readText()
            used.forEach { assertTrue(xml.contains("<string name=\"$it\">"), "caption $it missing from $res") }
        }
    }

    private fun fix(accuracy: Double) = GpsFix(21.0337, 105.8142, accuracy, Instant.now().minusSeconds(30), GpsSource.FIX)

    private fun household(n: Int = 5): String = reg.createHousehold(
        HouseholdInput("01", COMMUNE, hamlet, "Đội Cấn", null, "$n", fix(8.0), null, null),
    ).id

    /** The widget of [key]; every key of a page is unique (the binder keeps one view per key). */
    private inline fun <reified T : Widget> Page.one(key: String): T {
        val keys = (body + bar).map { it.key }
        assertEquals(keys.distinct(), keys, "duplicate keys")
        return (body + bar).single { it.key == key } as? T ?: error("$key is not a ${T::class.simpleName}: $keys")
    }

    private fun Page.has(key: String) = (body + bar).any { it.key == key }

    // --- household form ------------------------------------------------------------------------------

    @Test fun aFieldMessageIsShownBesideItsField() {
        val form = HouseholdFormScreen(reg, null)
        val page = HouseholdFormUi.page(form.send(HouseholdFormEvent.Save))
        val picker = page.one<Widget.Choice>("pick:hamlet")
        assertTrue(picker.required)
        assertTrue(picker.messages.isNotEmpty(), "the hamlet is required: its message is beside its picker")
        assertEquals(Tone.ERROR, picker.messages.first().tone)
        assertTrue(picker.options.any { it.code == hamlet && !it.selected })
        // the other fields carry no message of the hamlet's
        assertTrue(page.body.filterIsInstance<Widget.Field>().all { it.messages.isEmpty() })
    }

    @Test fun aTypedFieldIsSentAndDrawnWithTheCoresValue() {
        val form = HouseholdFormScreen(reg, null)
        val e = HouseholdFormUi.event(Input.Typed("field:house_number", "9"))
        assertEquals(HouseholdFormEvent.Set("house_number", "9"), e)
        val page = HouseholdFormUi.page(form.send(e!!))
        assertEquals("9", page.one<Widget.Field>("field:house_number").value)
        val chosen = HouseholdFormUi.page(form.send(HouseholdFormUi.event(Input.Chose("pick:hamlet", hamlet))!!))
        assertTrue(chosen.one<Widget.Choice>("pick:hamlet").options.single { it.code == hamlet }.selected)
    }

    @Test fun theCoreSaysWhatALocationAnswerMeansUnderThePosition() {
        val form = HouseholdFormScreen(reg, null)
        val fresh = HouseholdFormUi.page(form.view())
        assertFalse(fresh.has("location"))
        assertFalse(fresh.has("action:open_settings"))
        assertFalse(fresh.one<Widget.Button>("action:clear_gps").enabled, "no position to clear")
        val v = form.send(HouseholdFormEvent.Location(LocationPermission.afterRequest(fine = false, coarse = false, canAskAgain = false)))
        val page = HouseholdFormUi.page(v)
        val keys = page.body.map { it.key }
        val at = keys.indexOf(HouseholdFormUi.POSITION)
        assertEquals(listOf("location", "action:open_settings"), keys.subList(at + 1, at + 3), "under the position: $keys")
        assertEquals(v.locationNotice!!.text, page.one<Widget.Text>("location").text)
        assertEquals(Tone.WARNING, page.one<Widget.Text>("location").tone)
        val fixed = HouseholdFormUi.page(form.send(HouseholdFormEvent.Gps(fix(8.0))))
        assertFalse(fixed.has("location"), "a fix settles it")
        assertFalse(fixed.has("action:open_settings"))
        assertTrue(fixed.one<Widget.Button>("action:clear_gps").enabled)
        assertEquals(HouseholdFormEvent.ClearGps, HouseholdFormUi.event(Input.Pressed("action:clear_gps")))
    }

    @Test fun aGpsFixChangesThePositionLineAndNoField() {
        val form = HouseholdFormScreen(reg, null)
        form.send(HouseholdFormEvent.Set("hamlet", hamlet))
        val before = HouseholdFormUi.page(form.send(HouseholdFormEvent.Set("street", "Đội Cấn")))
        val v = form.send(HouseholdFormEvent.Gps(fix(8.0)))
        val after = HouseholdFormUi.page(v)
        val position = after.one<Widget.Text>(HouseholdFormUi.POSITION)
        assertEquals(v.position, position.text)
        assertNotEquals(before.one<Widget.Text>(HouseholdFormUi.POSITION).text, position.text)
        val changed = Widgets.changed(before.body, after.body)
        assertTrue(HouseholdFormUi.POSITION in changed)
        assertTrue(changed.none { it.startsWith("field:") || it.startsWith("pick:") }, "a fix never redraws a field: $changed")
        assertTrue(Widgets.sameLayout(before.body, after.body), "the fields stay where they are")
    }

    @Test fun aWarningIsShownAndOnlyTheAcceptActionIsEnabled() {
        val form = HouseholdFormScreen(reg, null)
        val fresh = HouseholdFormUi.page(form.view())
        assertFalse(fresh.one<Widget.Button>("action:accept_warnings").enabled, "a disabled action is drawn disabled")
        form.send(HouseholdFormEvent.Set("hamlet", hamlet))
        form.send(HouseholdFormEvent.Gps(fix(180.0)))
        val warned = HouseholdFormUi.page(form.send(HouseholdFormUi.event(Input.Pressed("action:save"))!!))
        assertFalse(warned.one<Widget.Button>("action:save").enabled)
        assertTrue(warned.one<Widget.Button>("action:accept_warnings").enabled)
        val warnings = warned.body.filter { it.key.startsWith("warning:") }.map { it as Widget.Text }
        assertTrue(warnings.isNotEmpty())
        assertTrue(warnings.all { it.tone == Tone.WARNING })
        val saved = form.send(HouseholdFormUi.event(Input.Pressed("action:accept_warnings"))!!)
        assertNotNull(saved.saved)
    }

    @Test fun theDraftReplayRestoresTheForm() {
        val draft = FormDraft()
        val first = HouseholdFormScreen(reg, null)
        listOf(
            Input.Chose("pick:hamlet", hamlet),
            Input.Typed("field:street", "Đ"), Input.Typed("field:street", "Đội"), Input.Typed("field:street", "Đội Cấn"),
            Input.Typed("field:house_number", "12 bis"),
            Input.Typed("field:notes", "cổng xanh\nsau chợ"),
        ).forEach { i -> HouseholdFormUi.event(i)!!.also { draft.record(it); first.send(it) } }
        first.send(HouseholdFormEvent.Gps(fix(8.0))) // not kept: a fix is taken again
        assertEquals(4, draft.events.size, "letter-by-letter typing keeps the last value")

        val back = FormDraft.decode(draft.encode())
        assertEquals(draft.events, back.events)
        val second = HouseholdFormScreen(reg, null)
        val restored = back.replay { second.send(it) }!!
        val page = HouseholdFormUi.page(restored)
        assertEquals("Đội Cấn", page.one<Widget.Field>("field:street").value)
        assertEquals("12 bis", page.one<Widget.Field>("field:house_number").value)
        assertEquals("cổng xanh\nsau chợ", page.one<Widget.Field>("field:notes").value)
        assertTrue(page.one<Widget.Choice>("pick:hamlet").options.single { it.code == hamlet }.selected)
        assertEquals(HouseholdFormUi.page(second.view()).body.filterIsInstance<Widget.Field>(),
            page.body.filterIsInstance<Widget.Field>())
        // a damaged line is skipped, the rest replayed; a pick of an older draft is the field's Set
        assertEquals(listOf(HouseholdFormEvent.Set("hamlet", hamlet)), FormDraft.decode("garbage\nhamlet $hamlet\nset").events)
    }

    // --- my area -------------------------------------------------------------------------------------

    @Test fun theAreaListsAPageAndShowsMore() {
        repeat(51) { household(it + 1) }
        val area = AreaScreen(reg)
        val v = area.send(AreaUi.event(Input.Chose("pick:hamlet", hamlet), emptyMap())!!)
        val page = AreaUi.page(v, caption, checking = false)
        assertEquals(v.header.size, page.body.count { it.key.startsWith("header:") })
        assertEquals(v.header, page.body.filter { it.key.startsWith("header:") }.map { (it as Widget.Text).text })
        assertTrue(page.one<Widget.Button>("action:more").enabled)
        // Nothing is due: the core gives no title, and no empty section is drawn.
        assertNull(v.followUpsTitle)
        assertFalse(page.has("due_title"))
        assertEquals(50, v.households.size)
        val all = area.send(AreaUi.event(Input.Pressed("action:more"), emptyMap())!!)
        assertEquals(51, all.households.size)
        assertFalse(AreaUi.page(all, caption, checking = false).has("action:more"), "nothing more to show")
        val row = all.households.first()
        assertEquals(row.id, AreaUi.household(AreaUi.rowKey(row)))
        // The row's lines are the core's, joined there: the list adapter only places them.
        assertEquals(row.badges.joinToString(" · "), row.badgeLine)
        assertTrue(row.badgeLine.isNotEmpty(), "a new household is not synced yet")
        assertEquals("${row.members} người", row.membersLine)
    }

    @Test fun searchBeforeCreateOffersTheCandidates() {
        val hid = household()
        val members = MembersScreen(reg, hid)
        members.send(MembersEvent.NewMember)
        members.send(MembersEvent.Set("full_name", "Lê Thị Mai"))
        members.send(MembersEvent.Set("relation", "chu_ho"))
        members.send(MembersEvent.Save)
        val area = AreaScreen(reg)
        area.send(AreaEvent.ChooseHamlet(hamlet))
        val typed = mapOf("field:check_name" to "Le Thi Mai")
        val e = AreaUi.event(Input.Pressed("check"), typed)
        assertEquals(AreaEvent.CheckBeforeCreate("Le Thi Mai", "", ""), e)
        val page = AreaUi.page(area.send(e!!), caption, checking = true)
        val candidate = page.body.filterIsInstance<Widget.Item>().single { it.key.startsWith("candidate:") }
        assertEquals("Lê Thị Mai", candidate.title)
        assertEquals(hid, AreaUi.household(candidate.key))
        assertTrue(page.one<Widget.Button>("action:none_of_these").enabled)
        assertTrue(page.body.any { it.key.endsWith(":is_it_one_of_these") && (it as Widget.Text).tone == Tone.WARNING })
    }

    // --- members and consent -------------------------------------------------------------------------

    @Test fun membersPickersAndABadBirthDateBesideItsField() {
        val members = MembersScreen(reg, household())
        val open = MembersUi.page(members.send(MembersUi.event(Input.Pressed("action:new_member"))!!), caption)
        val relation = open.one<Widget.Choice>("pick:relation")
        assertTrue(relation.options.any { it.code == "chu_ho" })
        listOf(Input.Typed("field:full_name", "Phạm Văn Bình"), Input.Chose("pick:relation", "chu_ho"),
            Input.Chose("pick:gender", "male"), Input.Typed("field:birth", "31/02/1980"))
            .forEach { members.send(MembersUi.event(it)!!) }
        val page = MembersUi.page(members.send(MembersUi.event(Input.Pressed("action:save"))!!), caption)
        val birth = page.one<Widget.Field>("field:birth")
        assertTrue(birth.messages.isNotEmpty(), "31 February is refused beside the birth field")
        assertTrue(page.one<Widget.Choice>("pick:relation").options.single { it.code == "chu_ho" }.selected)
        assertEquals(MembersEvent.Remove("m1"), MembersUi.event(Input.Pressed("remove:m1")))
    }

    @Test fun consentGiveIsDisabledUntilAPurposeAndAMethodAreChosen() {
        val hid = household()
        val members = MembersScreen(reg, hid)
        members.send(MembersEvent.NewMember)
        members.send(MembersEvent.Set("full_name", "Phạm Văn Bình"))
        members.send(MembersEvent.Set("relation", "chu_ho"))
        members.send(MembersEvent.Set("birth", "1980"))
        val member = members.send(MembersEvent.Save).consentNext!!
        val rows = MembersUi.page(members.view(), caption)
        assertTrue(rows.has("consent:$member") && rows.has("remove:$member"))
        assertNotNull(rows.one<Widget.Button>("remove:$member").confirm, "a removal is asked first")

        val consent = members.consentScreen(member)
        val fresh = ConsentUi.page(consent.view())
        assertFalse(fresh.one<Widget.Button>("action:give").enabled)
        val purposes = fresh.one<Widget.Choice>("pick:purpose")
        assertTrue(purposes.multiple)
        assertTrue(purposes.options.none { it.selected }, "no purpose is pre-ticked")
        val ticked = ConsentUi.page(consent.send(ConsentUi.event(Input.Chose("pick:purpose", "local_register"))!!))
        assertFalse(ticked.one<Widget.Button>("action:give").enabled, "a method is needed too")
        val ready = ConsentUi.page(consent.send(ConsentUi.event(Input.Chose("pick:method", "witnessed_verbal"))!!))
        assertTrue(ready.one<Widget.Button>("action:give").enabled)
        assertTrue(ready.one<Widget.Choice>("pick:method").options.single { it.code == "witnessed_verbal" }.selected)
        assertTrue(consent.send(ConsentUi.event(Input.Pressed("action:give"))!!).finished)
        assertEquals("1980", reg.household(hid).members.single().birth)
    }

    // --- checklist, conflicts, corrections, visit ---------------------------------------------------

    @Test fun aFailedChecklistItemAsksForItsReasonBesideTheField() {
        val hid = household()
        val members = MembersScreen(reg, hid)
        members.send(MembersEvent.NewMember)
        members.send(MembersEvent.Set("full_name", "Phạm Văn Bình"))
        members.send(MembersEvent.Set("relation", "chu_ho"))
        val member = members.send(MembersEvent.Save).rows.single().id
        val consent = vn.gocua.core.ConsentScreen(reg, hid, member)
        consent.send(ConsentUi.event(Input.Chose("pick:purpose", "setup_help"))!!)
        consent.send(ConsentUi.event(Input.Chose("pick:method", "witnessed_verbal"))!!)
        assertTrue(consent.send(ConsentStepEvent.Give).finished, "progress is stored with consent to set-up help")
        val ui = ChecklistUi(checklistItems(Language.VI), checklistStatuses(Language.VI))
        val screen = ChecklistScreen(reg, hid, member)
        val list = ui.page(screen.view())
        val first = list.body.filterIsInstance<Widget.Item>().first()
        assertEquals(screen.view().progress.line, list.one<Widget.Text>("progress").text)
        val editor = ui.page(screen.send(ui.event(Input.Pressed(first.key))!!))
        assertTrue(editor.has("pick:status") && editor.has("field:reason") && editor.has("action:close"))
        val failed = screen.view().editor!!.statuses.first { it.code == "failed" }
        screen.send(ui.event(Input.Chose("pick:status", failed.code))!!)
        val refused = ui.page(screen.send(ui.event(Input.Pressed("action:save"))!!))
        val reason = refused.one<Widget.Field>("field:reason")
        assertTrue(reason.enabled && reason.required)
        assertTrue(reason.messages.isNotEmpty(), "the reason's message is beside the reason")
        screen.send(ui.event(Input.Typed("field:reason", "Máy không đủ bộ nhớ"))!!)
        val saved = ui.page(screen.send(ui.event(Input.Pressed("action:save"))!!))
        assertFalse(saved.has("field:reason"), "the editor closed")
    }

    @Test fun conflictsAndTheirKeepButtons() {
        val page = ConflictsUi.page(ConflictsScreen(reg, household()).view())
        assertTrue(page.body.none { it.key.startsWith("keep:") })
        assertEquals(1u to 0u, ConflictsUi.keep(Input.Pressed("keep:1:0")))
        assertNull(ConflictsUi.keep(Input.Pressed("action:save")))
    }

    @Test fun aCorrectionAsksBeforeRemovingAMember() {
        val hid = household()
        val members = MembersScreen(reg, hid)
        members.send(MembersEvent.NewMember)
        members.send(MembersEvent.Set("full_name", "Phạm Thị Cúc"))
        members.send(MembersEvent.Set("relation", "chu_ho"))
        val member = members.send(MembersEvent.Save).rows.single().id
        val screen = CorrectionsScreen(reg, hid)
        val fresh = CorrectionsUi.page(screen.view())
        assertFalse(fresh.one<Widget.Button>("action:confirm").enabled)
        assertTrue(fresh.body.filterIsInstance<Widget.Field>().all { it.commit }, "a correction is sent when typing ends")
        assertTrue(fresh.one<Widget.Choice>("pick:hamlet").options.single { it.code == hamlet }.selected)
        assertEquals("Phạm Thị Cúc", fresh.one<Widget.Text>("name:$member").text)
        assertFalse(fresh.one<Widget.Button>("member:withdraw_consent:$member").enabled, "no consent to withdraw")
        val e = CorrectionsUi.event(Input.Pressed("member:remove:$member"))
        assertEquals(CorrectionsEvent.RemoveMember(member), e)
        val asked = screen.send(e!!)
        val page = CorrectionsUi.page(asked)
        assertEquals(asked.confirmQuestion, page.one<Widget.Text>("confirm_question").text)
        assertEquals(Tone.WARNING, page.one<Widget.Text>("confirm_question").tone)
        assertTrue(page.one<Widget.Button>("action:confirm").enabled)
        assertFalse(page.one<Widget.Button>("action:request_erasure").enabled)
        assertFalse(page.one<Widget.Button>("member:remove:$member").enabled)
        assertFalse(reg.household(hid).members.single().removed, "nothing before confirmation")
        screen.send(CorrectionsUi.event(Input.Pressed("action:confirm"))!!)
        assertTrue(reg.household(hid).members.single().removed)
        val street = CorrectionsUi.event(Input.Typed("field:street", "Liễu Giai"))!!
        CorrectionsUi.page(screen.send(street))
        assertEquals("Liễu Giai", reg.household(hid).street)
    }

    @Test fun aVisitsFollowUpDateIsReadByTheCore() {
        val visit = VisitScreen(reg, household())
        val fresh = VisitUi.page(visit.view())
        val outcomes = fresh.one<Widget.Choice>("pick:outcome")
        assertTrue(outcomes.options.any { it.code == "follow_up_needed" })
        assertFalse(fresh.one<Widget.Field>("field:follow_up_on").enabled)
        visit.send(VisitUi.event(Input.Chose("pick:outcome", "follow_up_needed"))!!)
        visit.send(VisitUi.event(Input.Typed("field:follow_up_on", "31/02/2020"))!!)
        val refused = VisitUi.page(visit.send(VisitUi.event(Input.Pressed("action:save"))!!))
        val date = refused.one<Widget.Field>("field:follow_up_on")
        assertTrue(date.enabled)
        assertTrue(date.messages.isNotEmpty(), "a bad date is a message beside the date")
    }

    // --- card, enrol, sync ---------------------------------------------------------------------------

    @Test fun theCardsQrBitmapIsTheModulesMatrix() {
        val v = CardScreen(reg, household()).view()
        val page = CardUi.page(v, caption)
        val qr = page.one<Widget.Qr>("qr")
        assertEquals(v.qr.modules, qr.modules)
        val img = QrImage(qr.modules)
        val n = v.qr.modules.size
        assertEquals(17 + 4 * v.qr.version.toInt(), n)
        assertEquals(n + 2 * QrImage.QUIET, img.side)
        assertEquals(img.side * img.side, img.pixels.size)
        for (y in 0 until n) for (x in 0 until n) assertEquals(v.qr.modules[y][x], img.dark(x + QrImage.QUIET, y + QrImage.QUIET))
        assertFalse(img.dark(0, 0), "the quiet zone is white")
        assertTrue(img.dark(QrImage.QUIET, QrImage.QUIET), "a finder pattern's corner is dark")
        assertEquals(v.plusCode, page.one<Widget.Text>("plus_code").text)
        assertTrue(page.has("share"))
    }

    @Test fun enrolShowsThePairingMessageAndKeepsEnrolDisabled() {
        val enrol = EnrolScreen(Language.VI)
        val e = EnrolUi.event(Input.Typed("field:pairing", "https://example.org/not-a-pairing"))
        val page = EnrolUi.page(enrol.send(e!!), caption)
        assertTrue(page.one<Widget.Field>("field:pairing").messages.isNotEmpty())
        // The core marks the field a copied code may be pasted into; the button pastes there.
        val keys = page.body.map { it.key }
        assertEquals(listOf(EnrolUi.PASTE + "pairing"), keys.filter { it.startsWith(EnrolUi.PASTE) })
        assertEquals(keys.indexOf("field:pairing") + 1, keys.indexOf(EnrolUi.PASTE + "pairing"))
        val link = "gocua://pair?hub=https%3A%2F%2Fhub.xa.vn&code=AB12CD"
        assertEquals(EnrolEvent.Set("pairing", link), EnrolUi.pasted(Input.Pressed(EnrolUi.PASTE + "pairing")) { link })
        // The shell names the field; the core parses what it holds.
        val pasted = EnrolUi.page(enrol.send(EnrolUi.pasted(Input.Pressed(EnrolUi.PASTE + "pairing")) { link }!!), caption)
        assertTrue(pasted.one<Widget.Field>("field:pairing").messages.isEmpty())
        assertNull(EnrolUi.pasted(Input.Pressed("action:enrol")) { link })
        assertFalse(page.one<Widget.Button>("action:enrol").enabled)
        assertTrue(page.body.any { it.key.startsWith("missing:") })
        val communes = EnrolUi.page(enrol.send(EnrolUi.event(Input.Typed("field:commune", "ba dinh"))!!), caption)
        val options = communes.one<Widget.Choice>("pick:commune").options
        assertTrue(options.any { it.code == COMMUNE })
        val chosen = EnrolUi.page(enrol.send(EnrolUi.event(Input.Chose("pick:commune", COMMUNE))!!), caption)
        assertTrue(chosen.one<Widget.Field>("field:commune").value.isNotEmpty())
    }

    @Test fun aFailedSyncIsTheHeadline() {
        val sync = SyncScreen(reg)
        val before = SyncUi.page(sync.view(), caption)
        assertTrue(before.one<Widget.Button>("action:sync").enabled)
        val seen = java.util.Collections.synchronizedList(mutableListOf<Page>())
        val v = sync.sync(object : vn.gocua.core.SyncViewListener {
            override fun onView(view: vn.gocua.core.SyncStatusView) { seen.add(SyncUi.page(view, caption)) }
        }, null)
        val after = SyncUi.page(v, caption)
        assertEquals(v.headline, after.one<Widget.Text>("headline").text)
        assertEquals(Tone.ERROR, after.one<Widget.Text>("headline").tone, "this register is not enrolled")
        assertFalse(after.has("busy"))
        assertTrue(seen.first().has("busy") && seen.first().has("cancel"), "a running sync shows progress and stop")
        assertEquals(v.pendingLine, after.one<Widget.Text>("pending").text)
    }

    @Test fun theScreenStoreKeepsOneObjectPerKey() {
        val store = ScreenStore()
        val a = store.get("form") { HouseholdFormScreen(reg, null) }
        assertTrue(a === store.get("form") { HouseholdFormScreen(reg, null) })
        store.drop("form")
        assertFalse(store.has("form"))
    }

    private companion object { const val COMMUNE = "00004" }
}
