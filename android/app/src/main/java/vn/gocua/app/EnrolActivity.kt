package vn.gocua.app

import android.content.ClipboardManager
import android.content.Intent
import android.os.Bundle
import vn.gocua.app.logic.AppLock
import vn.gocua.app.logic.EnrolUi
import vn.gocua.app.logic.Input
import vn.gocua.app.logic.Tone
import vn.gocua.app.logic.Widget
import vn.gocua.app.logic.Widgets
import vn.gocua.core.EnrolEvent
import vn.gocua.core.EnrolScreen
import vn.gocua.core.EnrolView

/**
 * Enrol: the core's enrolment screen (EnrolScreen) drawn as it is. The pairing comes from the
 * coordinator's QR code read by the phone's camera app, which opens this screen through the
 * `gocua://pair?...` link (AndroidManifest.xml), or from a pasted text; the core reads it. The
 * platform's part: refusing a phone without a screen lock (AppLock: the register's key needs it),
 * creating the register file with its key in the Android Keystore, deleting it when enrolment failed.
 */
class EnrolActivity : Screen() {
    private val screen: EnrolScreen get() = app.screens.get(KEY) { EnrolScreen(app.lang) }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        if (app.enrolled && intent?.data != null) {
            // A pairing link on an enrolled phone: enrolment starts again only from the app itself.
            startActivity(Intent(this, AreaActivity::class.java))
            finish()
            return
        }
        val link = link(intent)
        core({ if (link != null) screen.send(EnrolEvent.Payload(link)) else screen.view() }) { render(it) }
    }

    /** Opened again by a pairing link while on screen (launchMode singleTop). */
    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        setIntent(intent)
        link(intent)?.let { send(EnrolEvent.Payload(it)) }
    }

    private fun link(intent: Intent?): String? = intent?.takeIf { it.action == Intent.ACTION_VIEW }?.dataString

    private fun render(v: EnrolView) {
        val page = EnrolUi.page(v, caption)
        val refusal = AppLock.enrolRefusal(app.keys.deviceSecure)?.let { listOf(Widget.Text("lock", caption(it), Tone.ERROR)) } ?: emptyList()
        show(page.copy(body = refusal + page.body))
    }

    private fun send(e: EnrolEvent) = core({ screen.send(e) }) { render(it) }

    override fun on(input: Input) {
        when {
            input is Input.Pressed && input.key.startsWith(EnrolUi.PASTE) -> EnrolUi.pasted(input, ::clipboard)?.let { send(it) }
            input is Input.Pressed && input.key == Widgets.ACTION + "enrol" -> enrol()
            else -> EnrolUi.event(input)?.let { send(it) }
        }
    }

    /** The pairing text or link copied by a scanner or messaging app. */
    private fun clipboard(): String {
        val clip = (getSystemService(CLIPBOARD_SERVICE) as ClipboardManager).primaryClip
        return if (clip != null && clip.itemCount > 0) clip.getItemAt(0).coerceToText(this)?.toString() ?: "" else ""
    }

    /**
     * Creates the register from the screen's ready request and enrols it (the core blocks on the
     * network, on the core thread); a failed enrolment leaves no register behind.
     */
    private fun enrol() {
        if (!app.keys.deviceSecure) return // the refusal is on screen (AppLock)
        core({
            val ready = screen.view().ready ?: return@core screen.view()
            val v = try {
                screen.enrol(app.createRegister(ready.volunteerId, ready.communeCode))
            } catch (e: Exception) {
                app.dropRegister()
                throw e
            }
            if (!v.enrolled) app.dropRegister()
            v
        }) { v ->
            render(v)
            if (v.enrolled) {
                app.enrolled = true
                app.background({ app.screens.drop(KEY) }) {}
                startActivity(Intent(this, AreaActivity::class.java).addFlags(Intent.FLAG_ACTIVITY_CLEAR_TOP))
                finish()
            }
        }
    }

    private companion object { const val KEY = "enrol" }
}
