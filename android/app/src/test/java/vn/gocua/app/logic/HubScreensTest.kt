package vn.gocua.app.logic

import java.net.URLEncoder
import java.nio.file.Files
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import vn.gocua.core.BundleScreen
import vn.gocua.core.ConflictsScreen
import vn.gocua.core.EnrolScreen
import vn.gocua.core.GocuaRegister
import vn.gocua.core.HouseholdFormEvent
import vn.gocua.core.HouseholdFormScreen
import vn.gocua.core.Language
import vn.gocua.core.MembersEvent
import vn.gocua.core.HubFixture
import vn.gocua.core.MembersScreen
import vn.gocua.core.MemoryKeyStore
import vn.gocua.core.SyncScreen
import vn.gocua.core.maxBundleBytes

/**
 * What the screens that talk to the hub draw: enrolment (the shell creates the register, the core
 * enrols it and says how it went), the sync status, and a conflict made by two devices.
 */
class HubScreensTest {
    private val caption: Caption = { it }

    private fun enrolPage(screen: EnrolScreen, link: String, volunteer: String): Page {
        screen.send(EnrolUi.event(Input.Typed("field:pairing", link))!!)
        return EnrolUi.page(screen.send(EnrolUi.event(Input.Typed("field:volunteer", volunteer))!!), caption)
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    fun enrolSyncAndAConflictDrawnFromTheCore() {
        val dir = Files.createTempDirectory("gocua-android-hub-")
        HubFixture(dir.resolve("hub")).use { hub ->
            hub.send("device-create vol-02")
            val link = "gocua://pair?hub=" + URLEncoder.encode(hub.url, "UTF-8") + "&code=" + hub.send("pair vol-01") + "&commune=00004"

            // Enrol: the enrol action is enabled once the core has a ready request.
            val enrol = EnrolScreen(Language.VI)
            val ready = enrolPage(enrol, link, "vol-01")
            assertTrue(ready.one<Widget.Button>("action:enrol").enabled)
            val request = enrol.view().ready!!
            val phone = GocuaRegister.createEncrypted(dir.resolve("phone.db").toString(), request.volunteerId, request.communeCode, MemoryKeyStore(), Language.VI)
            val enrolled = enrol.enrol(phone)
            assertTrue(enrolled.enrolled)
            val said = EnrolUi.page(enrolled, caption).body.filter { it.key.startsWith("notice:") }.map { it as Widget.Text }
            assertTrue(said.isNotEmpty() && said.none { it.tone == Tone.ERROR }, "the core says it worked: $said")

            // The same code again, on another register: refused, in the core's words.
            val again = EnrolScreen(Language.VI)
            enrolPage(again, link, "vol-01")
            val other = GocuaRegister.createEncrypted(dir.resolve("other.db").toString(), "vol-01", "00004", MemoryKeyStore(), Language.VI)
            val refused = again.enrol(other)
            assertFalse(refused.enrolled)
            val why = EnrolUi.page(refused, caption).body.filter { it.key.startsWith("notice:") }.map { it as Widget.Text }
            assertTrue(why.any { it.tone == Tone.ERROR }, "a failed enrolment is an error notice: $why")
            other.close()

            // A household and its head, then a sync: its headline is information, nothing pending.
            val hamlet = phone.hamlets("00004").first().id
            val form = HouseholdFormScreen(phone, null)
            form.send(HouseholdFormEvent.Set("hamlet", hamlet))
            form.send(HouseholdFormEvent.Set("house_number", "9"))
            val household = form.send(HouseholdFormEvent.Save).saved!!
            val members = MembersScreen(phone, household)
            members.send(MembersEvent.NewMember)
            members.send(MembersEvent.Set("full_name", "Phạm Văn Bình"))
            members.send(MembersEvent.Set("relation", "chu_ho"))
            val head = members.send(MembersEvent.Save).rows.single().id
            val sync = SyncScreen(phone)
            val waiting = SyncUi.page(sync.view(), caption)
            assertEquals(sync.view().pendingLine, waiting.one<Widget.Text>("pending").text)
            val done = sync.sync(null, null)
            val synced = SyncUi.page(done, caption)
            assertEquals(Tone.INFO, synced.one<Widget.Text>("headline").tone, done.headline)
            assertEquals(0u, done.pending)
            assertTrue(synced.one<Widget.Button>("action:sync").enabled)
            assertFalse(done.retryLater, "nothing left for the job to retry")

            // Without coverage: another household sealed into a file; a file that is not a
            // bundle refused in the core's words; the sealed bundle listed, awaiting its answer.
            val more = HouseholdFormScreen(phone, null)
            more.send(HouseholdFormEvent.Set("hamlet", hamlet))
            more.send(HouseholdFormEvent.Set("house_number", "11"))
            assertNotNull(more.send(HouseholdFormEvent.Save).saved)
            val bundles = BundleScreen(phone)
            val before = BundlesUi.page(bundles.view(), caption)
            assertTrue(before.one<Widget.Button>("action:seal").enabled)
            assertEquals(bundles.view().headline, before.one<Widget.Text>("headline").text)
            val file = bundles.seal()
            assertTrue(file.fileName.startsWith("gocua-to-hub-") && file.fileName.endsWith(".gocua"), file.fileName)
            val junk = bundles.open("not a bundle".toByteArray())
            val refusedPage = BundlesUi.page(bundles.view(), caption, junk)
            assertEquals(Tone.ERROR, refusedPage.one<Widget.Text>("said").tone, junk.sentence)
            val row = refusedPage.one<Widget.Item>("sealed:" + file.id)
            assertEquals(bundles.view().sealed.single().state, row.lines.single())
            assertEquals(64uL * 1024uL * 1024uL, maxBundleBytes())
            assertTrue(SyncUi.page(done, caption).bar.any { it.key == "open:bundles" })
            // Handing the household to another phone: vol-02's device (enrolled before this one)
            // is the area's other phone, one button; its handover is a sealed file.
            val handing = BundlesUi.page(bundles.view(), caption, handing = true)
            val phones = handing.body.filter { it.key.startsWith(BundlesUi.HAND) }
            assertEquals(1, phones.size, "the area's other phone: $phones")
            val to = Widgets.name(phones.single().key, BundlesUi.HAND)!!
            val handed = bundles.handOver(household, to)
            assertTrue(handed.fileName.startsWith("gocua-handover-"), handed.fileName)

            // Two devices rename the head: the conflict's values, each with its keep button.
            assertTrue(hub.send("device-sync").startsWith("success"))
            hub.send("device-rename $household $head Phạm Văn Bính")
            assertTrue(hub.send("device-sync").startsWith("success"))
            members.send(MembersEvent.EditMember(head))
            members.send(MembersEvent.Set("full_name", "Phạm Văn Binh"))
            members.send(MembersEvent.Save)
            sync.sync(null, null)
            val conflicts = ConflictsScreen(phone, household)
            val page = ConflictsUi.page(conflicts.view())
            val keeps = page.body.filterIsInstance<Widget.Button>().filter { it.key.startsWith("keep:0:") }
            assertEquals(2, keeps.size)
            assertTrue(keeps.all { it.enabled })
            val values = page.body.filterIsInstance<Widget.Text>().filter { it.key.startsWith("value:0:") }
            val chosen = values.indexOfFirst { it.text.startsWith("Phạm Văn Bính") }
            assertTrue(chosen >= 0, "both values are drawn: ${values.map { it.text }}")
            val (c, v) = ConflictsUi.keep(Input.Pressed("keep:0:$chosen"))!!
            val after = ConflictsUi.page(conflicts.keep(c, v))
            assertTrue(after.body.none { it.key.startsWith("keep:") })
            assertEquals("Phạm Văn Bính", phone.household(household).members.single().fullName)
            assertNotNull(after.title)
            phone.close()
        }
    }

    private inline fun <reified T : Widget> Page.one(key: String): T =
        (body + bar).single { it.key == key } as? T ?: error("$key is not a ${T::class.simpleName}: ${(body + bar).map { it.key }}")
}
